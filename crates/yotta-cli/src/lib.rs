//! `yotta`: a command-line tool for Yotta Labs Serverless endpoints, workers, logs and tasks,
//! over the `yotta` SDK. See the crate's README for every command.
//!
//! The library exists so tests can walk the command tree ([`args::Cli`]); the binary calls
//! [`main`].

pub mod args;
mod commands;
mod config;
mod exit;
mod input;
mod logging;
mod output;
mod progress;
mod prompt;
mod settings;
mod time;
mod views;

use clap::{CommandFactory, FromArgMatches};
use std::process::ExitCode;

/// Parses the command line, runs the command and returns its exit code (see the `exit`
/// module: 0 success, 1 API or network error, 2 usage, 3 FAILED, 4 authentication, 5 a wait
/// timed out).
pub fn main() -> ExitCode {
    let matches = args::Cli::command().get_matches();
    let cli = match args::Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(error) => error.exit(),
    };
    let origins = settings::Origins::from_matches(&matches);
    logging::init_tracing();
    let outcome = match &cli.command {
        args::Command::Completions(completions) => commands::completions(completions),
        _ => match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
            Ok(runtime) => runtime.block_on(commands::run(cli, origins)),
            Err(error) => Err(exit::Failure::Other(
                anyhow::Error::new(error).context("cannot start the async runtime"),
            )),
        },
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) if failure.is_closed_pipe() => ExitCode::SUCCESS,
        Err(failure) => {
            progress::eprintln_line(&failure.to_string());
            failure.exit_code()
        }
    }
}
