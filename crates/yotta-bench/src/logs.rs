//! Streams a worker's log through the facade (`logs().stream`, one page in memory at a time)
//! and reports lines/s and this process's memory, to show that it does not grow with the log.

use crate::procfs::status_kib;
use crate::target::facade;
use anyhow::{Result, ensure};
use futures::StreamExt;
use serde_json::{Value, json};
use std::time::Instant;
use yotta::LogQuery;

#[derive(clap::Args)]
pub struct Args {
    #[arg(long)]
    base: String,
    #[arg(long)]
    endpoint: String,
    #[arg(long)]
    worker: String,
    /// Lines to read (the worker's log must have at least this many).
    #[arg(long)]
    lines: u64,
    #[arg(long, default_value_t = 1000)]
    page_size: i64,
}

pub async fn run(args: Args) -> Result<Value> {
    let client = facade(&args.base)?;
    let rss_start = status_kib("VmRSS");
    let started = Instant::now();
    let stream = client.logs().stream(
        args.endpoint.as_str(),
        args.worker.as_str(),
        LogQuery::default().page_size(args.page_size),
    );
    let mut stream = std::pin::pin!(stream.take(args.lines as usize));
    let mut lines = 0u64;
    let mut text_bytes = 0u64;
    while let Some(line) = stream.next().await {
        let line = line?;
        ensure!(
            line.offset == lines as i64,
            "line {lines} came with offset {}",
            line.offset
        );
        text_bytes += line.log.len() as u64;
        lines += 1;
    }
    let seconds = started.elapsed().as_secs_f64();
    ensure!(
        lines == args.lines,
        "the log ended after {lines} of {} lines",
        args.lines
    );
    Ok(json!({
        "lines": lines,
        "text_bytes": text_bytes,
        "seconds": seconds,
        "lines_per_s": lines as f64 / seconds,
        "rss_start_kib": rss_start,
        "rss_end_kib": status_kib("VmRSS"),
        "hwm_kib": status_kib("VmHWM"),
    }))
}
