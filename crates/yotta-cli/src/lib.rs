//! `yotta`: a command-line tool for Yotta Labs Serverless endpoints, workers, logs and tasks,
//! over the `yotta` SDK. See the crate's README for every command.
//!
//! The library exists so tests can walk the command tree ([`args::Cli`]); the binary calls
//! [`main`].

pub mod args;
mod commands;
mod exit;
mod input;
mod output;
mod progress;
mod time;
mod views;

use clap::Parser;
use std::io::Write;
use std::process::ExitCode;

/// Parses the command line, runs the command and returns its exit code: 0 success, 1 an API or
/// network error, 2 a usage or validation error.
pub fn main() -> ExitCode {
    let cli = args::Cli::parse();
    let outcome = match &cli.command {
        args::Command::Completions(completions) => commands::completions(completions),
        _ => match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
            Ok(runtime) => runtime.block_on(commands::run(cli)),
            Err(error) => Err(exit::Failure::Other(
                anyhow::Error::new(error).context("cannot start the async runtime"),
            )),
        },
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) if failure.is_closed_pipe() => ExitCode::SUCCESS,
        Err(failure) => {
            let _ = writeln!(std::io::stderr(), "{failure}");
            failure.exit_code()
        }
    }
}
