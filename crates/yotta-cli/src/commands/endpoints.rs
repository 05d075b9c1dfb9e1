//! `yotta endpoints ...`

use super::{Done, confirm_delete, done, wait_options};
use crate::args::EndpointsCommand;
use crate::exit::CliResult;
use crate::input::Document;
use crate::output::{Printer, escape};
use crate::progress::Progress;
use crate::views;
use yotta::{Client, Endpoint, EndpointPatch, EndpointSpec};

pub async fn run(client: &Client, printer: Printer, command: &EndpointsCommand) -> CliResult {
    let endpoints = client.endpoints();
    match command {
        EndpointsCommand::List { status } => {
            let list = endpoints.list(status).await?;
            printer.print(&list, |width| views::endpoint_list(&list, width))?;
        }
        EndpointsCommand::Get { id } => show(printer, &endpoints.get(id).await?)?,
        EndpointsCommand::Create { file } => {
            let spec: EndpointSpec = Document::read(file)?.parse()?;
            show(printer, &endpoints.create(&spec).await?)?;
        }
        EndpointsCommand::Update { id, file } => {
            // The facade's patch: read, merge, send the whole configuration both versions require.
            let patch: EndpointPatch = Document::read(file)?.parse()?;
            show(printer, &endpoints.patch(id, &patch).await?)?;
        }
        EndpointsCommand::Start { id } => {
            endpoints.start(id).await?;
            done(printer, Done::new(id, "start"), format!("Starting endpoint {id}."))?;
        }
        EndpointsCommand::Stop { id } => {
            endpoints.stop(id).await?;
            done(printer, Done::new(id, "stop"), format!("Stopping endpoint {id}."))?;
        }
        EndpointsCommand::Delete { id, yes } => {
            if !yes {
                confirm_delete("endpoints", "endpoint", id, async {
                    let endpoint = endpoints.get(id).await?;
                    Ok(format!(
                        "{} ({}, {})",
                        escape(endpoint.id.as_str()),
                        escape(&endpoint.name),
                        escape(endpoint.status.as_str())
                    ))
                })
                .await?;
            }
            endpoints.delete(id).await?;
            done(printer, Done::new(id, "delete"), format!("Deleted endpoint {id}."))?;
        }
        EndpointsCommand::Scale { id, count } => {
            endpoints.scale(id, *count).await?;
            let ack = Done {
                workers: Some(*count),
                ..Done::new(id, "scale")
            };
            let plural = if *count == 1 { "" } else { "s" };
            done(
                printer,
                ack,
                format!("Scaling endpoint {id} to {count} worker{plural}."),
            )?;
        }
        EndpointsCommand::Wait { id, status, wait } => {
            let mut progress = Progress::new();
            let what = format!("waiting for endpoint {id} to be {status}");
            let endpoint = endpoints
                .wait_for_status_with(id, status.clone(), wait_options(wait), |e| {
                    progress.state(&what, e.status.as_str())
                })
                .await;
            drop(progress);
            show(printer, &endpoint?)?;
        }
    }
    Ok(())
}

fn show(printer: Printer, endpoint: &Endpoint) -> std::io::Result<()> {
    printer.print(endpoint, |width| views::endpoint(endpoint, width))
}
