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

/// The v1 task API's request: the same task, in that API's words (`userTaskId`, `taskData`,
/// `notifyUrl`, `notifyAuthKey`, `header`).
pub fn v1_submit(task: &TaskSpec, task_id: &TaskId) -> Result<types::OpenapiTaskCreateRequest> {
    Ok(types::OpenapiTaskCreateRequest {
        user_task_id: text("taskId", task_id.as_str())?,
        worker_port: positive("workerPort", task.worker_port)?,
        process_uri: text("processUri", &process_uri(&task.process_uri))?,
        notify_url: task.webhook.as_deref().map(|w| text("webhook", w)).transpose()?,
        notify_auth_key: task
            .webhook_auth_key
            .as_deref()
            .map(|k| text("webhookAuthKey", k))
            .transpose()?,
        task_data: task.input.clone(),
        header: (!task.headers.is_empty()).then(|| task.headers.clone()),
    })
}

/// A v1 task (detail and list items share the shape). Its statuses are integer codes, named
/// through the generated tables; its times are `YYYY-MM-DD HH:mm:ss.SSS` without a zone, read
/// as UTC.
pub fn from_v1(call: Call, endpoint: Option<&EndpointId>, wire: types::OpenapiTaskDetail) -> Result<Task> {
    use yotta_api::catalog::{OPENAPI_TASK_DETAIL_RESULT_SEND_STATUS_NAMES, OPENAPI_TASK_DETAIL_STATUS_NAMES};
    let (Some(task_id), Some(status)) = (wire.user_task_id, wire.status) else {
        return Err(missing(call, "task id or status"));
    };
    let status = match status.name(&OPENAPI_TASK_DETAIL_STATUS_NAMES) {
        Some(name) => TaskStatus::parse(name),
        None => TaskStatus::Other(status.to_string()),
    };
    let delivery_status =
        wire.result_send_status
            .map(|s| match s.name(&OPENAPI_TASK_DETAIL_RESULT_SEND_STATUS_NAMES) {
                Some(name) => DeliveryStatus::parse(name),
                None => DeliveryStatus::Other(s.to_string()),
            });
    Ok(Task {
        task_id: task_id.into(),
        endpoint_id: endpoint.cloned(),
        endpoint_name: None,
        status,
        worker_url: wire.worker_url,
        webhook: wire.notify_url,
        delivery_status,
        delivery_attempts: wire.result_send_count.or(wire.notify_send_count),
        error: wire.failed_reason,
        input: wire.task_data,
        output: wire.task_result,
        headers: wire.header,
        created_at: wire.created_at.as_deref().and_then(epoch_millis),
        updated_at: wire.updated_at.as_deref().and_then(epoch_millis),
        delivered_at: wire.last_notified_at.as_deref().and_then(epoch_millis),
    })
}

pub fn v1_page_from_wire(call: Call, endpoint: Option<&EndpointId>, wire: types::OpenapiTaskPage) -> Result<TaskPage> {
    let items = wire
        .items
        .unwrap_or_default()
        .into_iter()
        .map(|t| from_v1(call, endpoint, t))
        .collect::<Result<Vec<_>>>()?;
    let pagination = wire.pagination;
    let field = |get: fn(&types::OpenapiPagination) -> Option<i64>| pagination.as_ref().and_then(get);
    Ok(TaskPage {
        page: field(|p| p.page.map(i64::from)).unwrap_or(1),
        size: field(|p| p.page_size.map(i64::from)).unwrap_or(items.len() as i64),
        total: field(|p| p.total_count).unwrap_or(items.len() as i64),
        pages: field(|p| p.total_pages).unwrap_or(1),
        items,
    })
}

/// `YYYY-MM-DD HH:mm:ss[.SSS]` (or RFC 3339) as epoch milliseconds, UTC when no zone is given.
fn epoch_millis(text: &str) -> Option<i64> {
    let at = humantime::parse_rfc3339_weak(text.trim()).ok()?;
    i64::try_from(at.duration_since(std::time::UNIX_EPOCH).ok()?.as_millis()).ok()
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

#[cfg(test)]
mod tests {
    use super::epoch_millis;

    #[test]
    fn v1_times_read_as_utc_milliseconds() {
        assert_eq!(epoch_millis("2024-01-15 08:11:00.123"), Some(1_705_306_260_123));
        assert_eq!(epoch_millis("2024-01-15 08:11:00"), Some(1_705_306_260_000));
        assert_eq!(epoch_millis("not a time"), None);
    }
}
