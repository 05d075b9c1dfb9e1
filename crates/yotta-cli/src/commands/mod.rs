//! Running a parsed command line.

mod api;
mod auth;
mod credentials;
mod endpoints;
mod gpus;
mod logs;
mod tasks;
mod workers;

use crate::args::{
    ApiArgs, Cli, Command, CompletionsArgs, CredentialsCommand, EndpointsCommand, TasksCommand, WaitArgs,
};
use crate::exit::{CliResult, Failure};
use crate::output::{self, Printer};
use crate::prompt;
use crate::settings::{Origins, Settings};
use clap::CommandFactory;
use serde::Serialize;
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
        Command::Credentials(command) => credentials::run(&client(&cli, &origins)?, printer, command).await,
        Command::Gpus(command) => gpus::run(printer, command),
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

/// stdin can carry the key or something else (a document, a password), not both.
fn check_stdin(cli: &Cli) -> CliResult {
    if !cli.api_key_stdin {
        return Ok(());
    }
    let dash = |path: &Option<std::path::PathBuf>| path.as_ref().is_some_and(|p| p.as_os_str() == "-");
    let document = "a document on stdin (`-`)";
    let other = match &cli.command {
        Command::Endpoints(EndpointsCommand::Create { file } | EndpointsCommand::Update { file, .. }) => {
            (file.as_os_str() == "-").then_some(document)
        }
        Command::Tasks(TasksCommand::Submit(args)) => dash(&args.task.file).then_some(document),
        Command::Tasks(TasksCommand::Run(args)) => dash(&args.task.file).then_some(document),
        Command::Api(ApiArgs { data: Some(data), .. }) => (data == "@-").then_some(document),
        Command::Credentials(CredentialsCommand::Create(args)) => {
            args.password.password_stdin.then_some("--password-stdin")
        }
        Command::Credentials(CredentialsCommand::Update(args)) => {
            args.password.password_stdin.then_some("--password-stdin")
        }
        _ => None,
    };
    if let Some(other) = other {
        return Err(Failure::Usage(format!(
            "--api-key-stdin and {other} cannot share stdin: pass the key with --api-key-file or \
             YOTTA_API_KEY"
        )));
    }
    Ok(())
}

fn wait_options(args: &WaitArgs) -> yotta::WaitOptions {
    yotta::WaitOptions::default()
        .timeout(args.timeout)
        .interval(args.interval)
}

/// Deleting cannot be undone: a person at a terminal confirms it, shown `describe`'s account of
/// the `kind` (`endpoint 7 (name, STOPPED)`); a script must say `--yes`, since no one could
/// answer. `describe` runs only when someone can be asked.
async fn confirm_delete(
    group: &str,
    kind: &str,
    id: &str,
    describe: impl Future<Output = CliResult<String>>,
) -> CliResult {
    if !prompt::interactive() {
        return Err(Failure::Usage(format!(
            "{group} delete: stdin is not a terminal, so nobody can confirm: pass --yes to delete {kind} {id}"
        )));
    }
    let question = format!("Delete {kind} {}? This cannot be undone.", describe.await?);
    if prompt::confirm(&question)? {
        Ok(())
    } else {
        Err(Failure::Other(anyhow::anyhow!(
            "not confirmed: {kind} {id} was not deleted"
        )))
    }
}

/// What commands the SDK answers with nothing print with `-o json` (`endpoints start`, `stop`,
/// `delete`, `scale`, `credentials delete`): `{"id": "...", "action": "stop"}`, plus
/// `"workers": n` for scale.
#[derive(Serialize)]
struct Done<'a> {
    id: &'a str,
    action: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    workers: Option<i64>,
}

impl<'a> Done<'a> {
    fn new(id: &'a str, action: &'static str) -> Self {
        Self {
            id,
            action,
            workers: None,
        }
    }
}

/// Prints `ack` with `-o json`, else `sentence`.
fn done(printer: Printer, ack: Done<'_>, sentence: String) -> std::io::Result<()> {
    printer.print(&ack, |_| format!("{sentence}\n"))
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
