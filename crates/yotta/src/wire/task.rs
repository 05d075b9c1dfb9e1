//! Tasks on the wire (v2 only).

use super::{missing, positive, text};
use crate::error::Result;
use crate::ids::{EndpointId, TaskId};
use crate::model::{DeliveryStatus, Task, TaskPage, TaskSpec, TaskStatus};
use crate::operation::Call;
use yotta_api::types;

/// `processUri` with the leading "/" the vendor's own connector adds when missing.
fn process_uri(uri: &str) -> String {
    if uri.starts_with('/') {
        uri.to_string()
    } else {
        format!("/{uri}")
    }
}

pub fn v2_submit(task: &TaskSpec, task_id: &TaskId) -> Result<types::ElasticV2SubmitTaskRequest> {
    Ok(types::ElasticV2SubmitTaskRequest {
        task_id: Some(text("taskId", task_id.as_str())?),
        input: task.input.clone(),
        worker_port: positive("workerPort", task.worker_port)?,
        process_uri: text("processUri", &process_uri(&task.process_uri))?,
        webhook: task.webhook.as_deref().map(|w| text("webhook", w)).transpose()?,
        webhook_auth_key: task
            .webhook_auth_key
            .as_deref()
            .map(|k| text("webhookAuthKey", k))
            .transpose()?,
        headers: (!task.headers.is_empty()).then(|| task.headers.clone()),
    })
}

/// List items and single-task reads share every field; reads add input, output and headers.
macro_rules! task_from_wire {
    ($call:expr, $wire:expr, |$w:ident| $details:expr) => {{
        let call: Call = $call;
        let $w = $wire;
        let (Some(task_id), Some(status)) = ($w.task_id, $w.status) else {
            return Err(missing(call, "task id or status"));
        };
        let (input, output, headers) = $details;
        Ok(Task {
            task_id: task_id.into(),
            endpoint_id: $w.endpoint_id.map(EndpointId::from_wire),
            endpoint_name: $w.endpoint_name,
            status: TaskStatus::parse(&status),
            worker_url: $w.worker_url,
            webhook: $w.webhook,
            delivery_status: $w.delivery_status.as_deref().map(DeliveryStatus::parse),
            delivery_attempts: $w.delivery_attempts,
            error: $w.error,
            input,
            output,
            headers,
            created_at: $w.created_at,
            updated_at: $w.updated_at,
            delivered_at: $w.delivered_at,
        })
    }};
}

pub fn from_detail(call: Call, wire: types::ElasticV2TaskDetailResponse) -> Result<Task> {
    task_from_wire!(call, wire, |w| (w.input, w.output, w.headers))
}

pub fn from_item(call: Call, wire: types::ElasticV2TaskResponse) -> Result<Task> {
    task_from_wire!(call, wire, |w| (None, None, None))
}

pub fn page_from_wire(call: Call, wire: types::V2PageResponseElasticV2TaskResponse) -> Result<TaskPage> {
    let items = wire
        .items
        .unwrap_or_default()
        .into_iter()
        .map(|t| from_item(call, t))
        .collect::<Result<Vec<_>>>()?;
    Ok(TaskPage {
        page: wire.page.unwrap_or(1),
        size: wire.size.unwrap_or(items.len() as i64),
        total: wire.total.unwrap_or(items.len() as i64),
        pages: wire.pages.unwrap_or(1),
        items,
    })
}
