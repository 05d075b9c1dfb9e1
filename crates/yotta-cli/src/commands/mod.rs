//! Running a parsed command line.

mod endpoints;
mod logs;
mod tasks;
mod workers;

use crate::args::{ApiKey, Cli, Command, CompletionsArgs, WaitArgs};
use crate::exit::{CliResult, Failure};
use crate::output::{self, Printer};
use clap::CommandFactory;
use std::io::Write;

/// Runs a command (`main` runs `completions` without starting an async runtime).
pub async fn run(cli: Cli) -> CliResult {
    let printer = Printer {
        format: output::resolve(cli.output),
    };
    match &cli.command {
        Command::Endpoints(command) => endpoints::run(&client(&cli)?, printer, command).await,
        Command::Workers(command) => workers::run(&client(&cli)?, printer, command).await,
        Command::Logs(args) => logs::run(&client(&cli)?, printer, args).await,
        Command::Tasks(command) => tasks::run(&client(&cli)?, printer, command).await,
        Command::Sim(sim) => yotta_sim::run(sim.args.clone())
            .await
            .map_err(|e| Failure::Other(e.context("simulator"))),
        Command::Completions(args) => completions(args),
    }
}

/// The SDK client from `--base-url`, `--api-key` and `--api-version` (or their environment
/// variables; empty values count as absent).
fn client(cli: &Cli) -> CliResult<yotta::Client> {
    let mut builder = yotta::Client::builder();
    if let Some(url) = cli.base_url.as_deref().filter(|u| !u.trim().is_empty()) {
        builder = builder.base_url(url);
    }
    if let Some(ApiKey(key)) = cli.api_key.as_ref().filter(|k| !k.0.trim().is_empty()) {
        builder = builder.api_key(key.as_str());
    }
    if let Some(version) = cli.api_version {
        builder = builder.api_version(version);
    }
    Ok(builder.build()?)
}

fn wait_options(args: &WaitArgs) -> yotta::WaitOptions {
    yotta::WaitOptions::default()
        .timeout(args.timeout)
        .interval(args.interval)
}

/// Writes the completion script for a shell to stdout.
pub fn completions(args: &CompletionsArgs) -> CliResult {
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "yotta", &mut script);
    let mut out = std::io::stdout().lock();
    out.write_all(&script)?;
    out.flush()?;
    Ok(())
}
