//! Native overhead: the facade against raw reqwest + serde_json, both in a client process
//! separate from the release simulator.

use super::process::{Sim, num, nums, run_json};
use super::report::{Report, Row, fine_micros, micros, per_second, rate_verdict, spread, time_verdict};
use super::{Ctx, setup_endpoint};
use crate::stats::paired_ratios;
use anyhow::Result;
use serde_json::Value;

const COMMAND: &str = "cargo xtask bench --only native";

pub fn run(ctx: &Ctx, report: &mut Report) -> Result<()> {
    let flags = ["--init-delay", "10ms", "--task-duration", "1ms"].map(String::from);
    let sim = Sim::start(ctx, "native", &flags)?;
    let (endpoint, _) = setup_endpoint(ctx, &sim)?;
    let (samples, rounds, seconds, runs) = if ctx.quick {
        (300, 6, 1.0, 3)
    } else {
        (2100, 21, 1.5, 6)
    };
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
    report.raw.insert("native".into(), result.clone());
    for op in ["getEndpoint", "listTasks"] {
        sequential_row(report, &result, op, samples)?;
    }
    for op in ["getEndpoint", "listTasks"] {
        throughput_row(report, &result, op, seconds, runs)?;
    }
    for op in ["getEndpoint", "listTasks"] {
        offline_row(report, &result, op, rounds)?;
    }
    report.detail(
        "3. Native overhead",
        format!(
            "A release `yotta-sim` in its own process; the clients in another (`yotta-bench`, tokio \
             multi-threaded runtime), both on this machine's cores. The facade is `yotta::Client` \
             (`endpoints().get`, `tasks().page` with pageSize 10: validation, retry wrapper, tracing span, \
             typed decoding, conversion into the SDK's model). Two floors, each one `reqwest::Client` \
             configured as the facade's and a check of `code == 10000`: *typed* decodes with \
             `serde_json::from_slice` into the generated `yotta_api::types` (the same decoding work the facade \
             must do, none of its logic; the verdict is against this one), *Value* into a `serde_json::Value` \
             (what code without types does; slower to build than typed structs for the task page). \
             Sequential: {samples} calls \
             per client and operation after 100 warm-up calls, in {rounds} rounds that rotate which client \
             goes first; median and p99 (nearest rank) of all calls. Throughput: 64 requests in flight for {seconds} \
             s, {runs} runs per client, rotating the order, median of the runs. Ratios are facade / floor, the median of \
             the ratios of side-by-side rounds (or runs) with their range, so that changes in the machine's \
             load during the run (other work shares these cores) cancel out. Without the network: the \
             facade over a transport that answers from memory with the simulator's captured answer, \
             against `serde_json::from_slice` of the same bytes into the generated types, {rounds} \
             rounds that alternate which goes first; what is left is the SDK's own work per call \
             (validation, request encoding, the retry wrapper, conversion into the model).\n\n\
             Command: `target/bench/release/yotta-bench native --base URL --endpoint ID --samples {samples} \
             --seconds {seconds} --runs {runs}` against `target/bench/release/yotta-sim --addr 127.0.0.1:0 \
             --init-delay 10ms --task-duration 1ms` after `yotta-bench setup --base URL`.\n"
        ),
    );
    Ok(())
}

/// The tighter floor (`raw_typed`, decoding into the generated types) decides the verdict; the
/// `Value` floor is shown next to it.
fn sequential_row(report: &mut Report, result: &Value, op: &str, samples: usize) -> Result<()> {
    let figure = |client: &str| -> Result<String> {
        Ok(format!(
            "{} ({})",
            micros(num(result, &["sequential", op, client, "median_us"])?),
            micros(num(result, &["sequential", op, client, "p99_us"])?)
        ))
    };
    let rounds = |client: &str| nums(result, &["sequential", op, client, "round_medians_us"]);
    let typed = paired_ratios(&rounds("facade")?, &rounds("raw_typed")?);
    let value = paired_ratios(&rounds("facade")?, &rounds("raw")?);
    report.rows.push(Row {
        area: "native",
        measurement: format!("`{op}` sequential latency, median (p99), {samples} calls"),
        ours: figure("facade")?,
        peer: String::new(),
        floor: format!("typed {}; Value {}", figure("raw_typed")?, figure("raw")?),
        ratio: format!(
            "vs typed {}; vs Value {}",
            spread(typed, "rounds"),
            spread(value, "rounds")
        ),
        verdict: time_verdict(typed, "raw reqwest + typed serde_json"),
        command: COMMAND.into(),
    });
    Ok(())
}

fn throughput_row(report: &mut Report, result: &Value, op: &str, seconds: f64, runs: usize) -> Result<()> {
    let rate = |client: &str| num(result, &["throughput", op, client, "median_per_s"]);
    let each = |client: &str| nums(result, &["throughput", op, client, "runs_per_s"]);
    let typed = paired_ratios(&each("facade")?, &each("raw_typed")?);
    let value = paired_ratios(&each("facade")?, &each("raw")?);
    report.rows.push(Row {
        area: "native",
        measurement: format!("`{op}` throughput, 64 in flight, median of {runs} × {seconds} s"),
        ours: per_second(rate("facade")?, "req"),
        peer: String::new(),
        floor: format!(
            "typed {}; Value {}",
            per_second(rate("raw_typed")?, "req"),
            per_second(rate("raw")?, "req")
        ),
        ratio: format!("vs typed {}; vs Value {}", spread(typed, "runs"), spread(value, "runs")),
        verdict: rate_verdict(typed, "raw reqwest + typed serde_json"),
        command: COMMAND.into(),
    });
    Ok(())
}

fn offline_row(report: &mut Report, result: &Value, op: &str, rounds: usize) -> Result<()> {
    let nanos = |client: &str| num(result, &["offline", op, client, "median_ns"]);
    let each = |client: &str| nums(result, &["offline", op, client, "round_ns"]);
    let (ours, floor) = (nanos("facade")?, nanos("raw_typed")?);
    let ratio = paired_ratios(&each("facade")?, &each("raw_typed")?);
    report.rows.push(Row {
        area: "native",
        measurement: format!(
            "`{op}` without the network: work per call on a captured answer, {rounds} rounds × {} calls",
            num(result, &["offline_calls"])?
        ),
        ours: fine_micros(ours / 1000.0),
        peer: String::new(),
        floor: format!("typed decoding {}", fine_micros(floor / 1000.0)),
        ratio: format!("vs typed decoding {}", spread(ratio, "rounds")),
        verdict: format!("the SDK's own work: +{} per call", fine_micros((ours - floor) / 1000.0)),
        command: COMMAND.into(),
    });
    Ok(())
}
