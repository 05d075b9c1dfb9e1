//! Loads one simulator route with raw reqwest at a fixed concurrency: requests/s and latency
//! percentiles, over several runs.

use crate::driver::{Limit, closed_loop};
use crate::stats::{median, micros, percentile};
use crate::target::{KEY, raw_http};
use anyhow::{Result, ensure};
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Duration;

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Route {
    /// GET /v2/serverless/{id}
    GetEndpoint,
    /// POST /v2/serverless/{id}/tasks (a new taskId each time)
    SubmitTask,
}

#[derive(clap::Args)]
pub struct Args {
    #[arg(long)]
    base: String,
    #[arg(long)]
    endpoint: String,
    #[arg(long, value_enum)]
    route: Route,
    #[arg(long, default_value_t = 64)]
    concurrency: usize,
    /// Seconds per run.
    #[arg(long, default_value_t = 5.0)]
    seconds: f64,
    #[arg(long, default_value_t = 3)]
    runs: usize,
}

pub async fn run(args: Args) -> Result<Value> {
    let http = raw_http()?;
    let base = args.base.trim_end_matches('/').to_string();
    let url = Arc::new(match args.route {
        Route::GetEndpoint => format!("{base}/v2/serverless/{}", args.endpoint),
        Route::SubmitTask => format!("{base}/v2/serverless/{}/tasks", args.endpoint),
    });
    // Task ids never repeat across runs or invocations (a repeated id is the cheap idempotent path).
    let prefix = format!(
        "b{}_{}",
        std::process::id(),
        std::time::UNIX_EPOCH.elapsed()?.as_millis()
    );
    let mut runs = Vec::new();
    for run in 0..args.runs.max(1) {
        let (http, url, route) = (http.clone(), url.clone(), args.route);
        let prefix = format!("{prefix}_{run}");
        let window = Limit::Time(Duration::from_secs_f64(args.seconds));
        let mut outcome = closed_loop(args.concurrency, window, true, move |n| {
            let request = match route {
                Route::GetEndpoint => http.get(url.as_str()),
                Route::SubmitTask => http
                    .post(url.as_str())
                    .header("Content-Type", "application/json")
                    .body(format!(
                        r#"{{"taskId":"{prefix}_{n}","input":{{"prompt":"Hello","i":{n}}},"workerPort":8000,"processUri":"/v1/chat/completions"}}"#
                    )),
            };
            let request = request.header("X-API-Key", KEY);
            async move {
                let body = request.send().await?.error_for_status()?.bytes().await?;
                ensure!(body.starts_with(br#"{"code":10000"#), "unexpected answer: {}", String::from_utf8_lossy(&body));
                Ok(())
            }
        })
        .await?;
        outcome.latencies.sort_unstable();
        runs.push(json!({
            "requests": outcome.completed,
            "per_s": outcome.per_second(),
            "p50_us": micros(percentile(&outcome.latencies, 0.5)),
            "p99_us": micros(percentile(&outcome.latencies, 0.99)),
        }));
    }
    let pick = |key: &str| {
        median(
            &runs
                .iter()
                .map(|r| r[key].as_f64().unwrap_or(f64::NAN))
                .collect::<Vec<_>>(),
        )
    };
    Ok(json!({
        "concurrency": args.concurrency,
        "seconds": args.seconds,
        "median_per_s": pick("per_s"),
        "median_p50_us": pick("p50_us"),
        "median_p99_us": pick("p99_us"),
        "runs": runs,
    }))
}
