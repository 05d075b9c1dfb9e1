//! `cargo xtask test`: every check CI runs, in one command, with timings.
//!
//! Installs what it needs and can install (the wasm target); prints each step as it starts so a
//! failure is easy to place.

use anyhow::{Context, Result, bail};
use std::path::Path;
use std::process::Command;
use std::time::Instant;

/// A named command run from the workspace root.
struct Step {
    name: &'static str,
    program: &'static str,
    args: &'static [&'static str],
}

const fn step(name: &'static str, program: &'static str, args: &'static [&'static str]) -> Step {
    Step { name, program, args }
}

const STEPS: &[Step] = &[
    step("wasm target", "rustup", &["target", "add", "wasm32-unknown-unknown"]),
    step("format", "cargo", &["fmt", "--all", "--check"]),
    step("generated code is current", "cargo", &["xtask", "codegen", "--check"]),
    step(
        "clippy",
        "cargo",
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--locked",
            "--",
            "-D",
            "warnings",
        ],
    ),
    step(
        "wasm32 build of the generated client",
        "cargo",
        &[
            "build",
            "--locked",
            "--target",
            "wasm32-unknown-unknown",
            "-p",
            "yotta-api",
        ],
    ),
    step("tests", "cargo", &["test", "--workspace", "--locked"]),
];

pub fn run(root: &Path) -> Result<()> {
    let started = Instant::now();
    for step in STEPS {
        let begun = Instant::now();
        eprintln!("==> {} ({} {})", step.name, step.program, step.args.join(" "));
        let status = Command::new(step.program)
            .args(step.args)
            .current_dir(root)
            .env("RUSTFLAGS", std::env::var("RUSTFLAGS").unwrap_or_default())
            .status()
            .with_context(|| format!("starting {}", step.program))?;
        if !status.success() {
            bail!("step '{}' failed ({status})", step.name);
        }
        eprintln!("    ok in {:.1}s", begun.elapsed().as_secs_f64());
    }
    eprintln!("all checks passed in {:.1}s", started.elapsed().as_secs_f64());
    Ok(())
}
