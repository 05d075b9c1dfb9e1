//! `yotta-bench run` (what `cargo xtask bench` runs): our SDK side by side with the
//! alternatives, measured in one run on one machine, printed as a markdown table and written to
//! `docs/benchmarks.md`.
//!
//! Sections: package size (and the wasm breakdown by crate), JavaScript call overhead (Chromium
//! and Node), native overhead (facade against raw reqwest), log streaming, the simulator,
//! codegen. Each section starts its own release simulator process (killed when done) and
//! measures with a client in another process (this binary's client subcommands, or the drivers
//! in `web/bench/`).
//! `--quick` uses small counts and, like `--only`, writes `target/bench/out/benchmarks.md`
//! instead of the committed document.

mod browser;
mod build;
mod codegen;
mod levers;
mod logs;
mod machine;
mod native;
mod process;
mod report;
mod simulator;
mod size;
mod twiggy;
mod wrk;

use anyhow::{Context, Result, bail};
use process::{Sim, run_json, text};
use report::Report;
use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

/// The orchestrator's command line.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Small counts and short runs, for iterating (about a minute plus builds); writes
    /// target/bench/out/benchmarks.md instead of docs/benchmarks.md.
    #[arg(long)]
    pub quick: bool,
    /// Only these sections (comma-separated); writes target/bench/out/benchmarks.md.
    #[arg(long, value_enum, value_delimiter = ',')]
    pub only: Vec<Section>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Section {
    Size,
    Browser,
    Native,
    Logs,
    Sim,
    Codegen,
}

const ALL: [Section; 6] = [
    Section::Size,
    Section::Browser,
    Section::Native,
    Section::Logs,
    Section::Sim,
    Section::Codegen,
];

/// Where things are, and how big the run is.
pub struct Ctx {
    pub root: PathBuf,
    /// CARGO_TARGET_DIR of the release simulator and bench clients.
    pub cargo_target: PathBuf,
    /// Staged site, logs, the named wasm module, quick reports.
    pub out: PathBuf,
    pub quick: bool,
}

impl Ctx {
    pub fn sim_bin(&self) -> PathBuf {
        self.cargo_target.join("release/yotta-sim")
    }

    pub fn bench_bin(&self) -> PathBuf {
        self.cargo_target.join("release/yotta-bench")
    }
}

/// One QUEUE endpoint with a running worker and 10 finished tasks: (endpoint id, worker id).
pub fn setup_endpoint(ctx: &Ctx, sim: &Sim) -> Result<(String, String)> {
    let ids = run_json(
        Command::new(ctx.bench_bin()).args(["setup", "--base", &sim.url]),
        "yotta-bench setup",
    )?;
    Ok((text(&ids, &["endpoint"])?, text(&ids, &["worker"])?))
}

pub fn run(args: Args) -> Result<()> {
    let root = workspace_root();
    let root = root.as_path();
    let started = Instant::now();
    let sections: Vec<Section> = if args.only.is_empty() {
        ALL.to_vec()
    } else {
        ALL.into_iter().filter(|s| args.only.contains(s)).collect()
    };
    let ctx = Ctx {
        root: root.to_path_buf(),
        cargo_target: root.join("target/bench"),
        out: root.join("target/bench/out"),
        quick: args.quick,
    };
    std::fs::create_dir_all(&ctx.out)?;
    let load_before = machine::load_average();
    build::binaries(&ctx)?;
    let needs_web = sections.iter().any(|s| matches!(s, Section::Size | Section::Browser));
    let bundles = if needs_web {
        build::package(&ctx)?;
        Some(build::bundles(&ctx)?)
    } else {
        None
    };
    let mut report = Report::default();
    for section in &sections {
        eprintln!("bench: {section:?}");
        let outcome = match (section, &bundles) {
            (Section::Size, Some(b)) => size::run(&ctx, b, &mut report),
            (Section::Browser, Some(b)) => browser::run(&ctx, b, &mut report),
            (Section::Native, _) => native::run(&ctx, &mut report),
            (Section::Logs, _) => logs::run(&ctx, &mut report),
            (Section::Sim, _) => simulator::run(&ctx, &mut report),
            (Section::Codegen, _) => codegen::run(&ctx, &mut report),
            (_, None) => unreachable!("the bundles are built for size and browser"),
        };
        if let Err(error) = outcome {
            eprintln!("bench: {section:?} failed: {error:#}");
            report
                .problems
                .push(format!("{section:?}: {error:#}").replace('\n', " "));
        }
    }
    let elapsed = started.elapsed();
    let header = machine::header(&ctx, &sections, elapsed, &load_before);
    println!("\n{}", report.table());
    let full = !args.quick && args.only.is_empty();
    let destination = if full {
        root.join("docs/benchmarks.md")
    } else {
        ctx.out.join("benchmarks.md")
    };
    std::fs::create_dir_all(destination.parent().context("a parent directory")?)?;
    std::fs::write(&destination, report.document(&header))?;
    std::fs::write(
        ctx.out.join("results.json"),
        serde_json::to_string_pretty(&report.raw)? + "\n",
    )?;
    eprintln!(
        "bench: wrote {} ({:.0} s)",
        destination.display(),
        elapsed.as_secs_f64()
    );
    if !report.problems.is_empty() {
        bail!(
            "{} section(s) could not be measured: {}",
            report.problems.len(),
            report.problems.join("; ")
        );
    }
    Ok(())
}

/// The workspace this binary was built from (it runs the workspace's tools and writes its docs).
fn workspace_root() -> PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("crates/yotta-bench sits two levels below the workspace root")
        .to_path_buf()
}
