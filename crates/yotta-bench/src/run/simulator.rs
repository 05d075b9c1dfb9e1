//! The simulator under load (a release process; the load generator in another process), and
//! its memory with many endpoints and tasks.

use super::process::{Sim, num, run_json};
use super::report::{Report, Row, mib, micros, per_second, thousands};
use super::{Ctx, setup_endpoint, wrk};
use anyhow::Result;
use std::process::Command;

const COMMAND: &str = "cargo xtask bench --only sim";

pub fn run(ctx: &Ctx, report: &mut Report) -> Result<()> {
    load(ctx, report)?;
    memory(ctx, report)
}

fn load(ctx: &Ctx, report: &mut Report) -> Result<()> {
    let flags = ["--init-delay", "10ms", "--task-duration", "1ms"].map(String::from);
    let sim = Sim::start(ctx, "load", &flags)?;
    let (endpoint, _) = setup_endpoint(ctx, &sim)?;
    let (seconds, runs) = if ctx.quick { (1, 1) } else { (5, 3) };
    for (route, label) in [
        ("get-endpoint", "`GET /v2/serverless/{id}`"),
        ("submit-task", "`POST /v2/serverless/{id}/tasks`"),
    ] {
        eprintln!("bench: simulator load, {route}, {runs} x {seconds} s");
        let result = run_json(
            Command::new(ctx.bench_bin()).args([
                "load",
                "--base",
                &sim.url,
                "--endpoint",
                &endpoint,
                "--route",
                route,
                "--concurrency",
                "64",
                "--seconds",
                &seconds.to_string(),
                "--runs",
                &runs.to_string(),
            ]),
            "yotta-bench load",
        )?;
        report.raw.insert(format!("sim-{route}"), result.clone());
        let rates: Vec<f64> = result["runs"]
            .as_array()
            .map(|runs| runs.iter().filter_map(|r| r["per_s"].as_f64()).collect())
            .unwrap_or_default();
        let range = format!(
            "runs {}–{}",
            thousands(rates.iter().copied().fold(f64::INFINITY, f64::min) as u64),
            thousands(rates.iter().copied().fold(0.0, f64::max) as u64)
        );
        report.rows.push(Row {
            area: "simulator",
            measurement: format!("{label}, 64 in flight (yotta-bench load), median of {runs} × {seconds} s"),
            ours: format!(
                "{}; p50 {}, p99 {}",
                per_second(num(&result, &["median_per_s"])?, "req"),
                micros(num(&result, &["median_p50_us"])?),
                micros(num(&result, &["median_p99_us"])?)
            ),
            peer: String::new(),
            floor: String::new(),
            ratio: String::new(),
            verdict: format!("{range}; client and server share the cores: a lower bound"),
            command: COMMAND.into(),
        });
    }
    match wrk::get_endpoint(&sim.url, &endpoint, if ctx.quick { 2 } else { 5 }) {
        Ok(Some(figures)) => report.rows.push(Row {
            area: "simulator",
            measurement: "`GET /v2/serverless/{id}`, `wrk -t2 -c64` (cross-check, when wrk is installed)".into(),
            ours: format!("{}; p99 {}", per_second(figures.per_s, "req"), micros(figures.p99_us)),
            peer: String::new(),
            floor: String::new(),
            ratio: String::new(),
            verdict: "a leaner load generator than ours".into(),
            command: COMMAND.into(),
        }),
        Ok(None) => eprintln!("bench: wrk is not installed; its cross-check row is left out"),
        Err(error) => report.problems.push(format!("simulator: wrk cross-check: {error:#}")),
    }
    Ok(())
}

fn memory(ctx: &Ctx, report: &mut Report) -> Result<()> {
    let (endpoints, tasks): (u64, u64) = if ctx.quick {
        (1_000, 50_000)
    } else {
        (10_000, 1_000_000)
    };
    let flags = [
        "--max-endpoints".to_string(),
        (endpoints + 10).to_string(),
        "--init-delay".into(),
        "10ms".into(),
        "--task-duration".into(),
        "1ms".into(),
    ];
    let sim = Sim::start(ctx, "memory", &flags)?;
    let idle = sim.memory_kib("VmRSS")?;
    eprintln!("bench: simulator memory, {endpoints} endpoints and {tasks} tasks");
    let result = run_json(
        Command::new(ctx.bench_bin()).args([
            "populate",
            "--base",
            &sim.url,
            "--endpoints",
            &endpoints.to_string(),
            "--tasks",
            &tasks.to_string(),
        ]),
        "yotta-bench populate",
    )?;
    report.raw.insert("sim-populate".into(), result.clone());
    let rss = sim.memory_kib("VmRSS")?;
    let peak = sim.memory_kib("VmHWM")?;
    drop(sim);
    let per_task = (rss.saturating_sub(idle)) as f64 * 1024.0 / tasks as f64;
    report.rows.push(Row {
        area: "simulator",
        measurement: format!(
            "memory with {} endpoints and {} tasks (all run)",
            thousands(endpoints),
            thousands(tasks)
        ),
        ours: format!("RSS {} (peak {})", mib(rss), mib(peak)),
        peer: String::new(),
        floor: String::new(),
        ratio: String::new(),
        verdict: format!("≈ {per_task:.0} bytes per task; idle {}", mib(idle)),
        command: COMMAND.into(),
    });
    report.detail(
        "5. Simulator",
        format!(
            "A release `target/bench/release/yotta-sim --addr 127.0.0.1:0 --init-delay 10ms --task-duration 1ms` \
             and, in a separate process, `target/bench/release/yotta-bench load --base URL --endpoint ID --route \
             get-endpoint|submit-task --concurrency 64 --seconds {s} --runs {r}` (a closed loop of reqwest requests; \
             every answer must start with `{{\"code\":10000`; each submission has a new taskId). Both share this \
             machine's cores, so the figures are lower bounds for the simulator alone. When `wrk` is installed, \
             `wrk -t2 -c64 --latency -H 'X-API-Key: bench'` on the same GET route is a cross-check.\n\n\
             Memory: a fresh simulator (`--max-endpoints {max}`), then `yotta-bench populate --endpoints {e} \
             --tasks {t}` creates the QUEUE endpoints (one worker each) and submits the tasks over HTTP, 64 in \
             flight ({submit:.0} submissions/s), and waits until they have all run; the figure is the \
             simulator's own `VmRSS`/`VmHWM` from `/proc/PID/status` (the client is another process).\n",
            s = if ctx.quick { 1 } else { 5 },
            r = if ctx.quick { 1 } else { 3 },
            max = endpoints + 10,
            e = endpoints,
            t = tasks,
            submit = num(&result, &["submit_per_s"])?,
        ),
    );
    Ok(())
}
