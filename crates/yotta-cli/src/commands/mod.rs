//! Running a parsed command line.

mod api;
mod auth;
mod endpoints;
mod logs;
mod tasks;
mod workers;

use crate::args::{ApiArgs, Cli, Command, CompletionsArgs, EndpointsCommand, TasksCommand, WaitArgs};
use crate::exit::{CliResult, Failure};
use crate::output::{self, Printer};
use crate::settings::{Origins, Settings};
use clap::CommandFactory;
use std::io::Write;

/// Runs a command (`main` runs `completions` without starting an async runtime).
pub async fn run(cli: Cli, origins: Origins) -> CliResult {
    let format = output::resolve(cli.output);
    let printer = Printer {
        format,
        width: output::terminal_width(),
    };
    check_stdin(&cli)?;
    match &cli.command {
        Command::Endpoints(command) => endpoints::run(&client(&cli, &origins)?, printer, command).await,
        Command::Workers(command) => workers::run(&client(&cli, &origins)?, printer, command).await,
        Command::Logs(args) => logs::run(&client(&cli, &origins)?, printer, args).await,
        Command::Tasks(command) => tasks::run(&client(&cli, &origins)?, printer, command).await,
        Command::Auth(command) => auth::run(&cli, &origins, printer, command).await,
        Command::Api(args) => {
            let settings = Settings::resolve(&cli, &origins)?;
            api::run(&settings, &cli, args).await
        }
        Command::Sim(sim) => yotta_sim::run(sim.args.clone())
            .await
            .map_err(|e| Failure::Other(e.context("simulator"))),
        Command::Completions(args) => completions(args),
    }
}

/// The SDK client from the resolved settings: fails before any request without a key.
fn client(cli: &Cli, origins: &Origins) -> CliResult<yotta::Client> {
    Settings::resolve(cli, origins)?.client(cli)
}

/// stdin can carry the key or a document, not both.
fn check_stdin(cli: &Cli) -> CliResult {
    if !cli.api_key_stdin {
        return Ok(());
    }
    let dash = |path: &Option<std::path::PathBuf>| path.as_ref().is_some_and(|p| p.as_os_str() == "-");
    let document = match &cli.command {
        Command::Endpoints(EndpointsCommand::Create { file } | EndpointsCommand::Update { file, .. }) => {
            file.as_os_str() == "-"
        }
        Command::Tasks(TasksCommand::Submit(args)) => dash(&args.task.file),
        Command::Tasks(TasksCommand::Run(args)) => dash(&args.task.file),
        Command::Api(ApiArgs { data: Some(data), .. }) => data == "@-",
        _ => false,
    };
    if document {
        return Err(Failure::Usage(
            "--api-key-stdin and a document on stdin (`-`) cannot share stdin: pass the key with \
             --api-key-file or YOTTA_API_KEY"
                .to_string(),
        ));
    }
    Ok(())
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
