//! Codegen: wall time of `cargo xtask codegen --check` with everything already built (one
//! untimed warm-up run first), and of the xtask binary alone (without cargo's freshness check).

use super::Ctx;
use super::report::{Report, Row};
use crate::stats::median;
use anyhow::{Context, Result, bail};
use std::process::{Command, Stdio};
use std::time::Instant;

const COMMAND: &str = "cargo xtask bench --only codegen";

fn time(command: &mut Command, what: &str) -> Result<f64> {
    let started = Instant::now();
    let output = command
        .stdin(Stdio::null())
        .output()
        .with_context(|| format!("starting {what}"))?;
    let seconds = started.elapsed().as_secs_f64();
    if !output.status.success() {
        bail!(
            "{what} failed ({}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    Ok(seconds)
}

pub fn run(ctx: &Ctx, report: &mut Report) -> Result<()> {
    let runs = if ctx.quick { 3 } else { 7 };
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let via_cargo = || {
        let mut command = Command::new(&cargo);
        command.current_dir(&ctx.root).args(["xtask", "codegen", "--check"]);
        command
    };
    // The binary the warm-up's `cargo xtask` built (the workspace's debug profile).
    let xtask = ctx.root.join("target/debug/xtask");
    let direct = || {
        let mut command = Command::new(&xtask);
        command.current_dir(&ctx.root).args(["codegen", "--check"]);
        command
    };
    eprintln!("bench: cargo xtask codegen --check, 1 warm-up + {runs} timed runs");
    time(&mut via_cargo(), "cargo xtask codegen --check (warm-up)")?;
    let mut with_cargo = Vec::new();
    let mut alone = Vec::new();
    for _ in 0..runs {
        with_cargo.push(time(&mut via_cargo(), "cargo xtask codegen --check")?);
        alone.push(time(&mut direct(), "xtask codegen --check")?);
    }
    let (with_cargo, alone) = (median(&with_cargo), median(&alone));
    report.rows.push(Row {
        area: "codegen",
        measurement: format!("`cargo xtask codegen --check`, tools built, median of {runs}"),
        ours: format!("{with_cargo:.2} s"),
        peer: String::new(),
        floor: String::new(),
        ratio: String::new(),
        verdict: format!("{alone:.2} s of it in the xtask binary, the rest is cargo's freshness check"),
        command: COMMAND.into(),
    });
    report.detail(
        "6. Codegen",
        format!(
            "`cargo xtask codegen --check` rebuilds the merged spec and the progenitor client in memory and \
             compares them with the committed files. One untimed warm-up run (it builds xtask if needed), then \
             {runs} timed runs alternating with the xtask binary run directly (`{} codegen --check`), so \
             cargo's own start-up and freshness check shows separately.\n",
            xtask.strip_prefix(&ctx.root).unwrap_or(&xtask).display()
        ),
    );
    Ok(())
}
