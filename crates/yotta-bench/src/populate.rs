//! Fills the simulator with endpoints and tasks over HTTP (raw reqwest, 64 in flight) and waits
//! until the tasks have run, so the orchestrator can read the simulator's memory.

use crate::driver::{Limit, closed_loop};
use crate::target::{KEY, raw_http};
use anyhow::{Context, Result, bail, ensure};
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(clap::Args)]
pub struct Args {
    #[arg(long)]
    base: String,
    #[arg(long, default_value_t = 10_000)]
    endpoints: u64,
    /// Spread evenly over the endpoints.
    #[arg(long, default_value_t = 1_000_000)]
    tasks: u64,
    #[arg(long, default_value_t = 64)]
    concurrency: usize,
}

async fn post(http: &reqwest::Client, url: &str, body: String) -> Result<Value> {
    let response = http
        .post(url)
        .header("X-API-Key", KEY)
        .header("Content-Type", "application/json")
        .body(body)
        .send()
        .await?;
    let answer: Value = serde_json::from_slice(&response.error_for_status()?.bytes().await?)?;
    ensure!(answer["code"] == 10000, "business error: {answer}");
    Ok(answer)
}

pub async fn run(args: Args) -> Result<Value> {
    let http = raw_http()?;
    let base = Arc::new(args.base.trim_end_matches('/').to_string());
    let ids = Arc::new(Mutex::new(Vec::with_capacity(args.endpoints as usize)));
    let (h, b, sink) = (http.clone(), base.clone(), ids.clone());
    let created = closed_loop(args.concurrency, Limit::Count(args.endpoints), false, move |n| {
        let (h, b, sink) = (h.clone(), b.clone(), sink.clone());
        async move {
            let body = json!({
                "name": format!("pop{n}"), "image": "vllm/vllm-openai:latest", "workers": 1,
                "containerVolumeInGb": 20, "serviceMode": "QUEUE",
                "resources": [{ "region": "us-east-1", "gpuType": "NVIDIA_H100_80G", "gpuCount": 1 }],
            });
            let answer = post(&h, &format!("{b}/v2/serverless"), body.to_string()).await?;
            let id = answer["data"]["id"].as_u64().context("no id in the create answer")?;
            sink.lock().expect("not poisoned").push(id);
            Ok(())
        }
    })
    .await?;
    eprintln!("populate: {} endpoints in {:.1?}", created.completed, created.elapsed);
    let ids: Arc<Vec<u64>> = Arc::new(std::mem::take(&mut *ids.lock().expect("not poisoned")));
    let (h, b, all) = (http.clone(), base.clone(), ids.clone());
    let submitted = closed_loop(args.concurrency, Limit::Count(args.tasks), false, move |n| {
        let (h, b) = (h.clone(), b.clone());
        let id = all[(n % all.len() as u64) as usize];
        async move {
            let body = format!(
                r#"{{"taskId":"task_{n}","input":{{"prompt":"Hello","i":{n}}},"workerPort":8000,"processUri":"/v1/chat/completions"}}"#
            );
            post(&h, &format!("{b}/v2/serverless/{id}/tasks"), body).await.map(drop)
        }
    })
    .await?;
    eprintln!("populate: {} tasks in {:.1?}", submitted.completed, submitted.elapsed);
    let drained = Instant::now();
    wait_until_processed(&http, &base, &ids).await?;
    Ok(json!({
        "endpoints": created.completed,
        "tasks": submitted.completed,
        "create_s": created.elapsed.as_secs_f64(),
        "submit_s": submitted.elapsed.as_secs_f64(),
        "submit_per_s": submitted.per_second(),
        "drain_s": drained.elapsed().as_secs_f64(),
    }))
}

/// Polls the task count of a sample of the endpoints (every one for small fills) until none
/// has a task left to process.
async fn wait_until_processed(http: &reqwest::Client, base: &str, ids: &[u64]) -> Result<()> {
    let step = (ids.len() / 50).max(1);
    let deadline = Instant::now() + Duration::from_secs(600);
    for id in ids.iter().step_by(step).chain(ids.last()) {
        loop {
            let url = format!("{base}/v2/serverless/{id}/tasks/count");
            let response = http.get(url).header("X-API-Key", KEY).send().await?;
            let answer: Value = serde_json::from_slice(&response.bytes().await?)?;
            match answer["data"]["processing"].as_i64() {
                Some(0) => break,
                Some(_) if Instant::now() < deadline => tokio::time::sleep(Duration::from_millis(100)).await,
                Some(left) => bail!("endpoint {id} still has {left} tasks to process after 600 s"),
                None => bail!("unexpected task count answer: {answer}"),
            }
        }
    }
    Ok(())
}
