//! Native overhead: the facade against raw reqwest + serde_json, both in a client process
//! separate from the release simulator.

use super::process::{Sim, num, run_json};
use super::report::{Report, Row, micros, per_second, rate_verdict, time_verdict, times};
use super::{Ctx, setup_endpoint};
use anyhow::Result;
use serde_json::Value;

const COMMAND: &str = "cargo xtask bench --only native";

pub fn run(ctx: &Ctx, report: &mut Report) -> Result<()> {
    let flags = ["--init-delay", "10ms", "--task-duration", "1ms"].map(String::from);
    let sim = Sim::start(ctx, "native", &flags)?;
    let (endpoint, _) = setup_endpoint(ctx, &sim)?;
    let (samples, rounds, seconds, runs) = if ctx.quick { (200, 4, 1, 1) } else { (2000, 10, 3, 3) };
    let args = [
        "native".to_string(),
        "--base".into(),
        sim.url.clone(),
        "--endpoint".into(),
        endpoint,
        "--samples".into(),
        samples.to_string(),
        "--rounds".into(),
        rounds.to_string(),
        "--seconds".into(),
        seconds.to_string(),
        "--runs".into(),
        runs.to_string(),
        "--concurrency".into(),
        "64".into(),
    ];
    let result = run_json(
        std::process::Command::new(ctx.bench_bin()).args(&args),
        "yotta-bench native",
    )?;
    drop(sim);
    for op in ["getEndpoint", "listTasks"] {
        sequential_row(report, &result, op, samples)?;
    }
    for op in ["getEndpoint", "listTasks"] {
        throughput_row(report, &result, op, seconds, runs)?;
    }
    report.detail(
        "3. Native overhead",
        format!(
            "A release `yotta-sim` in its own process; the clients in another (`yotta-bench`, tokio \
             multi-threaded runtime), both on this machine's cores. The facade is `yotta::Client` \
             (`endpoints().get`, `tasks().page` with pageSize 10: validation, retry wrapper, tracing span, \
             typed decoding into the SDK's model); the floor is one `reqwest::Client` configured the same way \
             plus `serde_json::from_slice::<Value>` and a check of `code == 10000`. Sequential: {samples} calls \
             per client and operation after 100 warm-up calls, in {rounds} rounds that alternate which client \
             goes first; median and p99 (nearest rank). Throughput: 64 requests in flight for {seconds} s, \
             {runs} run(s) per client alternating, median of the runs.\n\n\
             Command: `target/bench/release/yotta-bench native --base URL --endpoint ID --samples {samples} \
             --seconds {seconds} --runs {runs}` against `target/bench/release/yotta-sim --addr 127.0.0.1:0 \
             --init-delay 10ms --task-duration 1ms` after `yotta-bench setup --base URL`.\n"
        ),
    );
    Ok(())
}

fn sequential_row(report: &mut Report, result: &Value, op: &str, samples: usize) -> Result<()> {
    let figure = |client: &str, stat: &str| num(result, &["sequential", op, client, stat]);
    let (ours, raw) = (figure("facade", "median_us")?, figure("raw", "median_us")?);
    report.rows.push(Row {
        area: "native",
        measurement: format!("`{op}` sequential latency, median (p99), {samples} calls"),
        ours: format!("{} ({})", micros(ours), micros(figure("facade", "p99_us")?)),
        peer: String::new(),
        floor: format!("{} ({})", micros(raw), micros(figure("raw", "p99_us")?)),
        ratio: times(ours / raw),
        verdict: time_verdict(ours, raw, "raw reqwest + serde_json"),
        command: COMMAND.into(),
    });
    Ok(())
}

fn throughput_row(report: &mut Report, result: &Value, op: &str, seconds: u64, runs: usize) -> Result<()> {
    let ours = num(result, &["throughput", op, "facade", "median_per_s"])?;
    let raw = num(result, &["throughput", op, "raw", "median_per_s"])?;
    report.rows.push(Row {
        area: "native",
        measurement: format!("`{op}` throughput, 64 in flight, median of {runs} × {seconds} s"),
        ours: per_second(ours, "req"),
        peer: String::new(),
        floor: per_second(raw, "req"),
        ratio: times(ours / raw),
        verdict: rate_verdict(ours, raw, "raw reqwest + serde_json"),
        command: COMMAND.into(),
    });
    Ok(())
}
