//! `yotta workers ...`

use crate::args::WorkersCommand;
use crate::exit::CliResult;
use crate::output::Printer;
use crate::views;
use yotta::Client;

pub async fn run(client: &Client, printer: Printer, command: &WorkersCommand) -> CliResult {
    match command {
        WorkersCommand::List { id, status } => {
            let workers = client.workers().list(id, status).await?;
            printer.print(&workers, |width| views::worker_list(&workers, width))?;
        }
    }
    Ok(())
}
