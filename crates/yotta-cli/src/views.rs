//! The table views of the SDK's objects (`-o table`). Ids are always printed in full.

use crate::output::{Fields, Table, cell, or_dash};
use crate::time::{format_epoch_millis, format_uptime};
use yotta::{Credential, Endpoint, GpuType, LogLine, ResourceInfo, Task, TaskCount, TaskPage, Worker};

fn resource(r: &ResourceInfo) -> String {
    format!("{} x{} @ {}", cell(&r.gpu_type), r.gpu_count, cell(&r.region))
}

fn workers(running: Option<i32>, total: Option<i32>) -> String {
    format!("{}/{}", or_dash(running), or_dash(total))
}

pub fn endpoint_list(endpoints: &[Endpoint], width: Option<u16>) -> String {
    let mut table = Table::new(&["ID", "NAME", "STATUS", "MODE", "WORKERS", "RESOURCES", "PRICE/H"]);
    for e in endpoints {
        table.row(vec![
            cell(e.id.as_str()),
            cell(&e.name),
            cell(e.status.as_str()),
            or_dash(e.service_mode.as_ref()),
            workers(e.running_workers, e.total_workers),
            e.resources.iter().map(resource).collect::<Vec<_>>().join(", "),
            or_dash(e.per_hour_price.as_ref()),
        ]);
    }
    table.render_width(width)
}

pub fn endpoint(e: &Endpoint, width: Option<u16>) -> String {
    let mut f = Fields::new();
    f.add("ID", cell(e.id.as_str()))
        .add("Name", cell(&e.name))
        .add("Status", cell(e.status.as_str()))
        .add("Service mode", or_dash(e.service_mode.as_ref()))
        .add("Image", or_dash(e.image.as_ref()))
        .add("Image registry", or_dash(e.image_registry.as_ref()))
        .add("Credential", or_dash(e.credential_id.as_ref()))
        .add("Creator", or_dash(e.creator.as_ref()))
        .add("Domain", or_dash(e.domain.as_ref()))
        .add(
            "Workers",
            format!("{} running", workers(e.running_workers, e.total_workers)),
        )
        .add(
            "Resources",
            e.resources.iter().map(resource).collect::<Vec<_>>().join(", "),
        )
        .add("Min card VRAM (GB)", or_dash(e.min_single_card_vram_in_gb))
        .add("Min card vCPU", or_dash(e.min_single_card_vcpu))
        .add("Min card RAM (GB)", or_dash(e.min_single_card_ram_in_gb))
        .add("Volume (GB)", or_dash(e.container_volume_in_gb))
        .add("Init command", or_dash(e.initialization_command.as_ref()))
        .add(
            "Environment",
            e.environment_vars
                .iter()
                .map(|v| cell(&format!("{}={}", v.key, v.value)))
                .collect::<Vec<_>>()
                .join(", "),
        )
        .add(
            "Expose",
            e.expose.as_ref().map_or("-".to_string(), |x| match &x.protocol {
                Some(protocol) => format!("{}/{}", x.port, cell(protocol)),
                None => x.port.to_string(),
            }),
        )
        .add("Webhook", or_dash(e.webhook.as_ref()))
        .add("Cost ($)", or_dash(e.cost.as_ref()))
        .add("Price ($/s)", or_dash(e.per_second_price.as_ref()))
        .add("Price ($/h)", or_dash(e.per_hour_price.as_ref()));
    f.render_width(width)
}

pub fn worker_list(workers: &[Worker], width: Option<u16>) -> String {
    let mut table = Table::new(&["ID", "STATUS", "REGION", "GPU", "UPTIME", "COST"]);
    for w in workers {
        let gpu = match (&w.gpu_type, w.gpu_count) {
            (Some(kind), Some(count)) => format!("{} x{count}", cell(kind)),
            (kind, _) => or_dash(kind.as_ref()),
        };
        table.row(vec![
            cell(w.id.as_str()),
            cell(w.status.as_str()),
            or_dash(w.region.as_ref()),
            gpu,
            w.uptime.map_or("-".to_string(), format_uptime),
            or_dash(w.cost.as_ref()),
        ]);
    }
    table.render_width(width)
}

fn time(ms: Option<i64>) -> String {
    ms.map_or("-".to_string(), format_epoch_millis)
}

fn compact(value: Option<&serde_json::Value>) -> String {
    value.map_or("-".to_string(), |v| cell(&v.to_string()))
}

/// The columns of a task list.
pub const TASK_HEADERS: [&str; 7] = [
    "TASK ID", "STATUS", "DELIVERY", "ATTEMPTS", "CREATED", "UPDATED", "ERROR",
];

/// One task as a row under [`TASK_HEADERS`].
pub fn task_row(t: &Task) -> Vec<String> {
    vec![
        cell(t.task_id.as_str()),
        cell(t.status.as_str()),
        or_dash(t.delivery_status.as_ref()),
        or_dash(t.delivery_attempts),
        time(t.created_at),
        time(t.updated_at),
        or_dash(t.error.as_ref()),
    ]
}

pub fn task_list(tasks: &[Task], width: Option<u16>) -> String {
    let mut table = Table::new(&TASK_HEADERS);
    for t in tasks {
        table.row(task_row(t));
    }
    table.render_width(width)
}

pub fn task_page(page: &TaskPage, width: Option<u16>) -> String {
    let mut text = task_list(&page.items, width);
    let plural = if page.total == 1 { "" } else { "s" };
    text.push_str(&format!(
        "page {} of {} ({} task{plural}, {} per page)\n",
        page.page, page.pages, page.total, page.size
    ));
    text
}

pub fn task(t: &Task, width: Option<u16>) -> String {
    let mut f = Fields::new();
    f.add("Task ID", cell(t.task_id.as_str()))
        .add("Endpoint ID", or_dash(t.endpoint_id.as_ref()))
        .add("Endpoint name", or_dash(t.endpoint_name.as_ref()))
        .add("Status", cell(t.status.as_str()))
        .add("Worker URL", or_dash(t.worker_url.as_ref()))
        .add("Webhook", or_dash(t.webhook.as_ref()))
        .add("Delivery", or_dash(t.delivery_status.as_ref()))
        .add("Delivery attempts", or_dash(t.delivery_attempts))
        .add("Error", or_dash(t.error.as_ref()))
        .add("Created", time(t.created_at))
        .add("Updated", time(t.updated_at))
        .add("Delivered", time(t.delivered_at))
        .add("Input", compact(t.input.as_ref()))
        .add("Output", compact(t.output.as_ref()))
        // Header values may be credentials: `-o json` has them, the table only their names.
        .add(
            "Headers",
            t.headers.as_ref().map_or("-".to_string(), |h| {
                cell(&h.keys().cloned().collect::<Vec<_>>().join(", "))
            }),
        );
    f.render_width(width)
}

pub fn task_count(count: &TaskCount, width: Option<u16>) -> String {
    let mut table = Table::new(&["PROCESSING"]);
    table.row(vec![count.processing.to_string()]);
    table.render_width(width)
}

pub fn credential_list(credentials: &[Credential], width: Option<u16>) -> String {
    let mut table = Table::new(&["ID", "NAME", "TYPE", "CREATED"]);
    for c in credentials {
        table.row(vec![
            cell(c.id.as_str()),
            cell(&c.name),
            or_dash(c.registry_type.as_ref()),
            or_dash(c.created_at.as_ref()),
        ]);
    }
    table.render_width(width)
}

pub fn credential(c: &Credential, width: Option<u16>) -> String {
    let mut f = Fields::new();
    f.add("ID", cell(c.id.as_str()))
        .add("Name", cell(&c.name))
        .add("Type", or_dash(c.registry_type.as_ref()))
        .add("Created", or_dash(c.created_at.as_ref()));
    f.render_width(width)
}

pub fn gpu_list(gpus: &[GpuType], width: Option<u16>) -> String {
    let mut table = Table::new(&["GPU TYPE", "NAME", "VRAM (GB)"]);
    for g in gpus {
        table.row(vec![
            g.code.to_string(),
            g.display_name.to_string(),
            g.vram_gb.to_string(),
        ]);
    }
    table.render_width(width)
}

/// `TIMESTAMP  TEXT`, with control characters other than tabs escaped.
pub fn log_line(line: &LogLine) -> String {
    let text: String = line
        .log
        .chars()
        .map(|c| {
            if c.is_control() && c != '\t' {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect();
    format!("{}  {text}", cell(&line.timestamp))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn endpoint_json() -> serde_json::Value {
        serde_json::json!({
            "id": "378888638324150969", "name": "llama", "status": "RUNNING", "serviceMode": "QUEUE",
            "image": "vllm/vllm-openai:latest", "imageRegistry": null, "creator": null, "domain": null,
            "resources": [{"region": "us-east-1", "regionDisplayName": null, "gpuType": "NVIDIA_RTX_4090_24G",
                           "gpuDisplayName": null, "gpuCount": 1, "singleCardVramInGb": null,
                           "singleCardVcpu": null, "singleCardRamInGb": null}],
            "minSingleCardVramInGb": null, "minSingleCardVcpu": null, "minSingleCardRamInGb": null,
            "credentialId": null, "containerVolumeInGb": 120, "initializationCommand": null,
            "environmentVars": [{"key": "MODEL", "value": "llama-3-8b"}], "expose": {"port": 8000, "protocol": "http"},
            "totalWorkers": 2, "runningWorkers": 1, "cost": 0.5, "perSecondPrice": 0.0002, "perHourPrice": 0.72,
            "webhook": null
        })
    }

    #[test]
    fn endpoint_views() {
        let e: Endpoint = serde_json::from_value(endpoint_json()).unwrap();
        let list = endpoint_list(std::slice::from_ref(&e), None);
        assert!(
            list.starts_with("ID                   NAME    STATUS    MODE    WORKERS   RESOURCES"),
            "{list}"
        );
        assert!(list.contains(
            "378888638324150969   llama   RUNNING   QUEUE   1/2       NVIDIA_RTX_4090_24G x1 @ us-east-1   0.72"
        ));
        let details = endpoint(&e, None);
        assert!(details.contains("Workers:             1/2 running\n"), "{details}");
        assert!(details.contains("Expose:              8000/http\n"), "{details}");
        assert!(details.contains("Environment:         MODEL=llama-3-8b\n"), "{details}");
    }

    #[test]
    fn task_views_hide_header_values() {
        let t: Task = serde_json::from_value(serde_json::json!({
            "taskId": "t_1", "endpointId": "1", "endpointName": "e", "status": "SUCCESS", "workerUrl": null,
            "webhook": null, "deliveryStatus": null, "deliveryAttempts": null, "error": null,
            "input": {"prompt": "hi"}, "output": null, "headers": {"Authorization": "Bearer s3cret"},
            "createdAt": 1705314615123i64, "updatedAt": null, "deliveredAt": null
        }))
        .unwrap();
        let details = task(&t, None);
        assert!(details.contains("Headers:            Authorization\n"), "{details}");
        assert!(!details.contains("s3cret"));
        assert!(
            details.contains("Input:              {\"prompt\":\"hi\"}\n"),
            "{details}"
        );
        assert!(task_list(&[t], None).contains("t_1       SUCCESS   -          -          2024-01-15T10:30:15.123Z"));
    }

    #[test]
    fn credential_views() {
        let c: Credential = serde_json::from_value(serde_json::json!({
            "id": "7", "name": "hub", "type": "DOCKER_HUB", "createdAt": "2024-01-15T10:30:15.123Z"
        }))
        .unwrap();
        assert_eq!(
            credential_list(std::slice::from_ref(&c), None),
            "ID   NAME   TYPE         CREATED\n7    hub    DOCKER_HUB   2024-01-15T10:30:15.123Z\n"
        );
        let v1: Credential = serde_json::from_value(serde_json::json!({"id": "8", "name": "old"})).unwrap();
        assert_eq!(
            credential(&v1, None),
            "ID:       8\nName:     old\nType:     -\nCreated:  -\n"
        );
    }

    #[test]
    fn log_lines_escape_terminal_controls() {
        let line = LogLine {
            timestamp: "2024-01-15T10:30:15.123Z".into(),
            log: "ok\tdone\u{1b}[2J".into(),
            offset: 3,
        };
        assert_eq!(log_line(&line), "2024-01-15T10:30:15.123Z  ok\tdone\\u{1b}[2J");
    }
}
