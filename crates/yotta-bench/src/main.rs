//! Native benchmark clients for `cargo xtask bench`. Each subcommand talks to a yotta-sim that
//! runs as a separate process (started by the xtask), measures one thing and prints one JSON
//! object on stdout; progress goes to stderr.

mod driver;
mod load;
mod logs;
mod native;
mod populate;
mod procfs;
mod setup;
mod stats;
mod target;

use anyhow::Result;
use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "yotta-bench", about = "Benchmark clients for `cargo xtask bench`")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
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
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    let report = runtime.block_on(async {
        match cli.command {
            Command::Setup(args) => setup::run(args).await,
            Command::Native(args) => native::run(args).await,
            Command::Logs(args) => logs::run(args).await,
            Command::Load(args) => load::run(args).await,
            Command::Populate(args) => populate::run(args).await,
        }
    })?;
    println!("{report}");
    Ok(())
}
