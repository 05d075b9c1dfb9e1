//! Prepares the simulator for the other measurements: one QUEUE endpoint, running, with one
//! running worker and a page of finished tasks.

use crate::target::facade;
use anyhow::{Context, Result, ensure};
use serde_json::{Value, json};
use std::time::{Duration, Instant};
use yotta::{EndpointSpec, EndpointStatus, ServiceMode, TaskSpec, WaitOptions, WorkerStatus};

#[derive(clap::Args)]
pub struct Args {
    #[arg(long)]
    base: String,
    /// Tasks to submit and wait for.
    #[arg(long, default_value_t = 10)]
    tasks: usize,
}

pub async fn run(args: Args) -> Result<Value> {
    let client = facade(&args.base)?;
    let spec = EndpointSpec::new("bench", "vllm/vllm-openai:latest", ServiceMode::Queue)
        .resource("us-east-1", "NVIDIA_H100_80G", 1)
        .workers(1)
        .container_volume_in_gb(20);
    let endpoint = client.endpoints().create(&spec).await?;
    let quick = WaitOptions::default()
        .timeout(Duration::from_secs(60))
        .interval(Duration::from_millis(20));
    client
        .endpoints()
        .wait_for_status(&endpoint.id, EndpointStatus::Running, quick)
        .await?;
    let workers = client.workers().list(&endpoint.id, &[WorkerStatus::Running]).await?;
    let worker = workers.first().context("the endpoint runs no worker")?.id.clone();
    for i in 0..args.tasks {
        let task = TaskSpec::new(json!({ "prompt": "Hello", "i": i }), 8000, "/v1/chat/completions");
        client.tasks().submit(&endpoint.id, &task).await?;
    }
    let deadline = Instant::now() + Duration::from_secs(60);
    while client.tasks().count(&endpoint.id).await?.processing > 0 {
        ensure!(Instant::now() < deadline, "the tasks did not finish within 60 s");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    Ok(json!({ "endpoint": endpoint.id.as_str(), "worker": worker.as_str() }))
}
