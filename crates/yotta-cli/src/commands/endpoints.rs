//! `yotta endpoints ...`

use super::{Done, confirm_delete, done, wait_options};
use crate::args::EndpointsCommand;
use crate::exit::{CliResult, Failure};
use crate::input::Document;
use crate::output::{Printer, escape};
use crate::progress::Progress;
use crate::views;
use serde_json::{Map, Value};
use yotta::{Client, Endpoint, EndpointSpec, EndpointStatus, EndpointUpdate, ServiceMode};

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
            let document = Document::read(file)?;
            let changes = changes(&document)?;
            let current = endpoints.get(id).await?;
            let update = merged(&current, changes, &document.name)?;
            show(printer, &endpoints.update(id, &update).await?)?;
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

/// The docs' other spellings of update fields, and the name the SDK serialises.
const ALIASES: [(&str, &str); 3] = [
    ("containerRegistryAuthId", "credentialId"),
    ("envVars", "environmentVars"),
    ("webhookUrl", "webhook"),
];

/// The update document's fields under their canonical names, refusing unknown fields before
/// anything is sent.
fn changes(document: &Document) -> CliResult<Map<String, Value>> {
    let invalid = |message: String| Failure::Usage(format!("invalid {}: {message}", document.name));
    let known = update_fields();
    let mut changes = Map::new();
    for (key, value) in document.parse_object()? {
        let canonical = ALIASES
            .iter()
            .find(|(alias, _)| *alias == key)
            .map_or(key.as_str(), |(_, name)| name);
        if !known.contains_key(canonical) {
            let expected: Vec<&str> = known.keys().map(String::as_str).collect();
            return Err(invalid(format!(
                "unknown field `{key}`, expected one of {}",
                expected.join(", ")
            )));
        }
        if changes.insert(canonical.to_string(), value).is_some() {
            return Err(invalid(format!("`{canonical}` is given twice (as `{key}` too)")));
        }
    }
    Ok(changes)
}

/// Every field of an update, from a serialised one (absent options serialise as null).
fn update_fields() -> Map<String, Value> {
    let sample = EndpointUpdate::from(&EndpointSpec::new("", "", ServiceMode::Queue));
    match serde_json::to_value(sample) {
        Ok(Value::Object(fields)) => fields,
        _ => Map::new(),
    }
}

/// The endpoint's current configuration with `changes` applied: both API versions replace the
/// whole configuration, so fields the file leaves out keep their current values.
///
/// `workers` is the exception: the API reports live workers (`totalWorkers`), not the configured
/// count, so a stopped endpoint reports 0. Unless the endpoint is RUNNING the file must give it,
/// rather than the update silently scaling the endpoint to zero.
fn merged(current: &Endpoint, changes: Map<String, Value>, name: &str) -> CliResult<EndpointUpdate> {
    if !changes.contains_key("workers") && current.status != EndpointStatus::Running {
        return Err(Failure::Usage(format!(
            "invalid {name}: give `workers`: endpoint {} is {}, and the API reports its configured \
             worker count only while it runs",
            current.id, current.status
        )));
    }
    let mut fields = match serde_json::to_value(EndpointUpdate::from(current)) {
        Ok(Value::Object(fields)) => fields,
        _ => Map::new(),
    };
    fields.extend(changes);
    serde_json::from_value(Value::Object(fields)).map_err(|e| Failure::Usage(format!("invalid {name}: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn current() -> Endpoint {
        serde_json::from_value(serde_json::json!({
            "id": "7", "name": "old", "status": "RUNNING", "resources": [
                {"region": "us-east-1", "gpuType": "NVIDIA_RTX_4090_24G", "gpuCount": 1}],
            "environmentVars": [], "totalWorkers": 2, "containerVolumeInGb": 50,
            "webhook": "https://hooks.example.com/a"
        }))
        .unwrap()
    }

    #[test]
    fn updates_merge_onto_the_current_configuration() {
        let document = Document::from_text(
            "u.yaml",
            "workers: 3\nenvVars:\n  - {key: A, value: b}\nwebhook: null\n",
        )
        .unwrap();
        let update = merged(&current(), changes(&document).unwrap(), "u.yaml").unwrap();
        assert_eq!(update.name, "old");
        assert_eq!(update.workers, 3);
        assert_eq!(update.container_volume_in_gb, 50);
        assert_eq!(update.environment_vars[0].key, "A");
        assert_eq!(update.webhook, None);
        assert_eq!(update.resources[0].gpu_count, 1);
    }

    #[test]
    fn unknown_or_repeated_fields_are_refused_by_name() {
        let failure = |text: &str| match changes(&Document::from_text("u.json", text).unwrap()) {
            Err(Failure::Usage(message)) => message,
            other => panic!("{other:?}"),
        };
        let message = failure(r#"{"workers": 1, "gpuCounts": 2}"#);
        assert!(
            message.starts_with("invalid u.json: unknown field `gpuCounts`, expected one of "),
            "{message}"
        );
        assert!(message.contains("containerVolumeInGb"), "{message}");
        assert!(failure(r#"{"envVars": [], "environmentVars": []}"#).contains("given twice"));
        let wrong_type = changes(&Document::from_text("u.json", r#"{"workers": "three"}"#).unwrap()).unwrap();
        let Err(Failure::Usage(message)) = merged(&current(), wrong_type, "u.json") else {
            panic!()
        };
        assert!(message.contains("invalid type"), "{message}");
    }

    #[test]
    fn a_stopped_endpoint_needs_an_explicit_worker_count() {
        let mut stopped = current();
        stopped.status = EndpointStatus::Stopped;
        stopped.total_workers = Some(0);
        let document = Document::from_text("u.yaml", "name: new\n").unwrap();
        let Err(Failure::Usage(message)) = merged(&stopped, changes(&document).unwrap(), "u.yaml") else {
            panic!()
        };
        assert!(
            message.starts_with("invalid u.yaml: give `workers`: endpoint 7 is STOPPED"),
            "{message}"
        );
        let document = Document::from_text("u.yaml", "name: new\nworkers: 2\n").unwrap();
        assert_eq!(
            merged(&stopped, changes(&document).unwrap(), "u.yaml").unwrap().workers,
            2
        );
    }
}
