//! Log streaming: lines through the facade's `logs().stream` (pageSize 1000), each line count
//! in a fresh client process so its peak RSS (VmHWM) belongs to that count alone.

use super::process::{Sim, num, run_json};
use super::report::{Report, Row, mib, per_second, thousands};
use super::{Ctx, setup_endpoint};
use crate::stats::median;
use anyhow::Result;
use std::process::Command;

const COMMAND: &str = "cargo xtask bench --only logs";

/// Peak RSS growth from the smallest to the largest count that still counts as flat.
const FLAT_TOLERANCE_KIB: u64 = 2 * 1024;

pub fn run(ctx: &Ctx, report: &mut Report) -> Result<()> {
    let (counts, repeats): (&[u64], usize) = if ctx.quick {
        (&[20_000, 100_000, 200_000], 1)
    } else {
        (&[100_000, 500_000, 1_000_000], 3)
    };
    let backlog = counts.iter().max().copied().unwrap_or_default();
    let flags = [
        "--log-backlog".to_string(),
        backlog.to_string(),
        "--init-delay".into(),
        "10ms".into(),
    ];
    let sim = Sim::start(ctx, "logs", &flags)?;
    let (endpoint, worker) = setup_endpoint(ctx, &sim)?;
    let mut peaks = Vec::new();
    let mut table = String::from(
        "| lines | lines/s (median) | peak RSS (VmHWM, max of runs) | RSS before streaming | runs |\n|---:|---:|---:|---:|---:|\n",
    );
    for &lines in counts {
        eprintln!("bench: log stream, {lines} lines x {repeats}");
        let mut rates = Vec::new();
        let (mut peak, mut start) = (0u64, 0u64);
        for _ in 0..repeats {
            let result = run_json(
                Command::new(ctx.bench_bin()).args([
                    "logs",
                    "--base",
                    &sim.url,
                    "--endpoint",
                    &endpoint,
                    "--worker",
                    &worker,
                    "--lines",
                    &lines.to_string(),
                ]),
                "yotta-bench logs",
            )?;
            rates.push(num(&result, &["lines_per_s"])?);
            let key = format!("logs-{lines}-{}", rates.len());
            report.raw.insert(key, result.clone());
            peak = peak.max(num(&result, &["hwm_kib"])? as u64);
            start = start.max(num(&result, &["rss_start_kib"])? as u64);
        }
        let rate = median(&rates);
        table.push_str(&format!(
            "| {} | {} | {} | {} | {repeats} |\n",
            thousands(lines),
            per_second(rate, "lines"),
            mib(peak),
            mib(start)
        ));
        peaks.push((lines, rate, peak));
    }
    drop(sim);
    let (first, last) = (peaks[0], peaks[peaks.len() - 1]);
    let growth = last.2.saturating_sub(first.2);
    let flat = growth <= FLAT_TOLERANCE_KIB;
    for &(lines, rate, peak) in &peaks {
        let verdict = if lines != last.0 {
            String::new()
        } else if flat {
            format!(
                "flat: peak RSS +{} from {} to {} lines",
                mib(growth),
                thousands(first.0),
                thousands(last.0)
            )
        } else {
            format!(
                "**grows**: peak RSS +{} from {} to {} lines",
                mib(growth),
                thousands(first.0),
                thousands(last.0)
            )
        };
        report.rows.push(Row {
            area: "logs",
            measurement: format!("facade log stream, {} lines, pageSize 1000", thousands(lines)),
            ours: format!("{}; peak RSS {}", per_second(rate, "lines"), mib(peak)),
            peer: String::new(),
            floor: String::new(),
            ratio: String::new(),
            verdict,
            command: COMMAND.into(),
        });
    }
    report.detail(
        "4. Log streaming",
        format!(
            "One worker with a {}-line synthetic backlog (`yotta-sim --log-backlog {backlog}`, generated lazily \
             by the simulator). Each run is a new client process (`target/bench/release/yotta-bench logs --base \
             URL --endpoint ID --worker W --lines N`) that streams the first N lines through \
             `client.logs().stream(endpoint, worker, LogQuery::default().page_size(1000))`, checks every \
             line's offset, and reads its own `VmHWM` and `VmRSS` from `/proc/self/status` at the end.\n\n{table}",
            thousands(backlog)
        ),
    );
    Ok(())
}
