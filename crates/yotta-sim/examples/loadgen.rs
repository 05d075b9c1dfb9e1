//! Measures the simulator by hand: requests per second on loopback, and resident memory with
//! 10k endpoints and 1M tasks. Not a test; figures are recorded in the crate README.
//!
//! ```sh
//! CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_OPT_LEVEL=3 CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
//!   cargo run --release -p yotta-sim --example loadgen -- --seconds 10 --concurrency 64
//! ```
//!
//! The simulator runs in this process (so `/proc/self/status` shows its memory) on its own
//! runtime threads; the load generator shares the machine, so throughput is a lower bound.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use clap::Parser;
use serde_json::{Value, json};

#[derive(Parser)]
struct Opts {
    /// Seconds per throughput phase.
    #[arg(long, default_value_t = 10)]
    seconds: u64,
    /// Concurrent requests in flight.
    #[arg(long, default_value_t = 64)]
    concurrency: usize,
    /// Endpoints for the memory phase.
    #[arg(long, default_value_t = 10_000)]
    endpoints: usize,
    /// Tasks for the memory phase (spread evenly over the endpoints).
    #[arg(long, default_value_t = 1_000_000)]
    tasks: usize,
    /// Skip the throughput phases.
    #[arg(long)]
    memory_only: bool,
    /// Also time one save of the whole state to this file at the end.
    #[arg(long)]
    state: Option<std::path::PathBuf>,
}

const KEY: &str = "bench";

fn rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0);
    kb / 1024.0
}

fn endpoint_body(i: usize) -> Value {
    json!({
        "name": format!("bench{i}"), "image": "vllm/vllm-openai:latest", "workers": 1, "containerVolumeInGb": 20,
        "serviceMode": "QUEUE", "resources": [{ "region": "us-east-1", "gpuType": "NVIDIA_H100_80G", "gpuCount": 1 }]
    })
}

/// Runs `make` `total` times (or for `window`) with `concurrency` requests in flight.
async fn drive<F, Fut>(concurrency: usize, total: Option<u64>, window: Duration, make: F) -> (u64, Duration)
where
    F: Fn(u64) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = bool> + Send,
{
    let make = Arc::new(make);
    let next = Arc::new(AtomicU64::new(0));
    let done = Arc::new(AtomicU64::new(0));
    let start = Instant::now();
    let workers: Vec<_> = (0..concurrency)
        .map(|_| {
            let (make, next, done) = (make.clone(), next.clone(), done.clone());
            tokio::spawn(async move {
                loop {
                    let n = next.fetch_add(1, Ordering::Relaxed);
                    if total.is_some_and(|t| n >= t) || (total.is_none() && start.elapsed() >= window) {
                        return;
                    }
                    if make(n).await {
                        done.fetch_add(1, Ordering::Relaxed);
                    }
                }
            })
        })
        .collect();
    for w in workers {
        let _ = w.await;
    }
    (done.load(Ordering::Relaxed), start.elapsed())
}

fn main() -> anyhow::Result<()> {
    let opts = Opts::parse();
    // The simulator gets its own runtime so the load generator cannot starve it of a scheduler.
    let sim_rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let mut cfg = yotta_sim::SimConfig::for_tests()
        .with_api_key(KEY)
        .with_max_endpoints(opts.endpoints + 10);
    cfg.timing.task_duration = Duration::from_millis(1);
    cfg.request_log_capacity = 1000;
    if let Some(path) = &opts.state {
        // Only the explicit save at the end: periodic saves would skew the throughput figures.
        cfg = cfg.with_state_file(path);
        cfg.state_interval = Duration::from_secs(24 * 3600);
    }
    let state_file = opts.state.clone();
    let sim = sim_rt.block_on(cfg.spawn())?;
    let base = sim.base_url();
    let load_rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    load_rt.block_on(async move {
        let http = reqwest::Client::builder().no_proxy().pool_max_idle_per_host(opts.concurrency).build()?;
        println!("baseline RSS: {:.1} MiB", rss_mib());
        let created: Value = http
            .post(format!("{base}/v2/serverless"))
            .header("X-API-Key", KEY)
            .json(&endpoint_body(0))
            .send()
            .await?
            .json()
            .await?;
        let id = created["data"]["id"].as_u64().ok_or_else(|| anyhow::anyhow!("create failed: {created}"))?;
        tokio::time::sleep(Duration::from_millis(100)).await;
        let window = Duration::from_secs(opts.seconds);
        if !opts.memory_only {
            let (h, b) = (http.clone(), base.clone());
            let (n, took) = drive(opts.concurrency, None, window, move |_| {
                let req = h.get(format!("{b}/v2/serverless/{id}")).header("X-API-Key", KEY);
                async move { req.send().await.is_ok_and(|r| r.status().is_success()) }
            })
            .await;
            println!("GET  /v2/serverless/{{id}}:       {:>8.0} req/s ({n} in {took:.1?})", n as f64 / took.as_secs_f64());
            let (h, b) = (http.clone(), base.clone());
            let (n, took) = drive(opts.concurrency, None, window, move |i| {
                let body = json!({ "taskId": format!("t{i}"), "input": { "i": i }, "workerPort": 8000, "processUri": "/run" });
                let req = h.post(format!("{b}/v2/serverless/{id}/tasks")).header("X-API-Key", KEY).json(&body);
                async move { req.send().await.is_ok_and(|r| r.status().is_success()) }
            })
            .await;
            println!("POST /v2/serverless/{{id}}/tasks: {:>8.0} req/s ({n} in {took:.1?})", n as f64 / took.as_secs_f64());
            let (h, b) = (http.clone(), base.clone());
            let (n, took) = drive(opts.concurrency, None, window, move |_| {
                let req = h.get(format!("{b}/openapi/v1/elastic/deploy/{id}/workers")).header("X-API-Key", KEY);
                async move { req.send().await.is_ok_and(|r| r.status().is_success()) }
            })
            .await;
            println!("GET  v1 workers list:            {:>8.0} req/s ({n} in {took:.1?})", n as f64 / took.as_secs_f64());
            println!("RSS after throughput phases: {:.1} MiB", rss_mib());
            http.post(format!("{base}/_sim/reset")).send().await?;
        }

        let (h, b) = (http.clone(), base.clone());
        let ids = Arc::new(std::sync::Mutex::new(Vec::with_capacity(opts.endpoints)));
        let sink = ids.clone();
        let (n, took) = drive(opts.concurrency, Some(opts.endpoints as u64), window, move |i| {
            let req = h.post(format!("{b}/v2/serverless")).header("X-API-Key", KEY).json(&endpoint_body(i as usize));
            let sink = sink.clone();
            async move {
                let Ok(resp) = req.send().await else { return false };
                let Ok(v) = resp.json::<Value>().await else { return false };
                v["data"]["id"].as_u64().map(|id| sink.lock().unwrap().push(id)).is_some()
            }
        })
        .await;
        println!("created {n} endpoints in {took:.1?}; RSS {:.1} MiB", rss_mib());
        tokio::time::sleep(Duration::from_millis(200)).await;
        let ids = Arc::new(ids.lock().unwrap().clone());
        let (h, b) = (http.clone(), base.clone());
        let (n, took) = drive(opts.concurrency, Some(opts.tasks as u64), window, move |i| {
            let id = ids[i as usize % ids.len()];
            let body = json!({ "taskId": format!("task_{i}"), "input": { "prompt": "Hello", "i": i }, "workerPort": 8000, "processUri": "/v1/chat/completions" });
            let req = h.post(format!("{b}/v2/serverless/{id}/tasks")).header("X-API-Key", KEY).json(&body);
            async move { req.send().await.is_ok_and(|r| r.status().is_success()) }
        })
        .await;
        println!("submitted {n} tasks in {took:.1?} ({:.0} req/s); RSS {:.1} MiB", n as f64 / took.as_secs_f64(), rss_mib());
        tokio::time::sleep(Duration::from_secs(2)).await;
        let list: Value = http.get(format!("{base}/v2/serverless")).header("X-API-Key", KEY).send().await?.json().await?;
        let listed = list["data"].as_array().map_or(0, Vec::len);
        println!("after processing: {listed} endpoints listed; RSS {:.1} MiB", rss_mib());
        if let Some(path) = state_file {
            let started = Instant::now();
            let resp = http.post(format!("{base}/_sim/save")).send().await?;
            let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
            println!(
                "state save: HTTP {} in {:.1?}, {:.0} MiB on disk",
                resp.status(),
                started.elapsed(),
                size as f64 / (1 << 20) as f64
            );
        }
        anyhow::Ok(())
    })?;
    sim_rt.block_on(sim.shutdown())?;
    Ok(())
}
