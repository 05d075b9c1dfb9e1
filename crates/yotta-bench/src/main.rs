//! The benchmarks (`cargo xtask bench` runs `yotta-bench run`): the orchestration (`run`),
//! which builds what is measured, starts simulators and writes docs/benchmarks.md, and the
//! native clients it runs as separate processes, each of which talks to a yotta-sim process,
//! measures one thing and prints one JSON object on stdout (progress goes to stderr).

mod driver;
mod load;
mod logs;
mod native;
mod offline;
mod populate;
mod procfs;
mod run;
mod setup;
mod stats;
mod target;

use anyhow::Result;
use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "yotta-bench",
    about = "The benchmarks of `cargo xtask bench` and their clients"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Every benchmark (or `--only` some), written to docs/benchmarks.md.
    Run(run::Args),
    /// Create a QUEUE endpoint with one running worker and a few finished tasks; prints its ids.
    Setup(setup::Args),
    /// The facade against raw reqwest + serde_json: sequential latency and throughput.
    Native(native::Args),
    /// Stream log lines through the facade's log stream; lines/s and this process's memory.
    Logs(logs::Args),
    /// Load one simulator route at a fixed concurrency: requests/s and latency percentiles.
    Load(load::Args),
    /// Fill the simulator with endpoints and tasks (for its memory figure).
    Populate(populate::Args),
}

fn main() -> Result<()> {
    let cli = Cli::parse();
    let cli = match cli.command {
        Command::Run(args) => return run::run(args),
        command => Cli { command },
    };
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    let report = runtime.block_on(async {
        match cli.command {
            Command::Setup(args) => setup::run(args).await,
            Command::Native(args) => native::run(args).await,
            Command::Logs(args) => logs::run(args).await,
            Command::Load(args) => load::run(args).await,
            Command::Populate(args) => populate::run(args).await,
            Command::Run(_) => unreachable!("handled above, without a runtime"),
        }
    })?;
    println!("{report}");
    Ok(())
}
