//! v2 task routes (QUEUE endpoints): submit, list, count, get.

use axum::extract::{RawQuery, State as Ax};
use axum::http::HeaderMap;
use bytes::Bytes;
use serde_json::{Value, json};

use super::common::{OnePath, TwoPaths, id, id_and};
use super::fields::{Obj, Violations, http_url_ok, json_object, task_id_ok};
use super::wire;
use crate::app::App;
use crate::http::envelope::{ApiError, ApiResult, TASK_NOT_EXIST, ok};
use crate::http::query::Query;
use crate::state::NewTask;
use crate::state::tasks::TaskStatus;

/// The simulator's ceiling on `pageSize` for task lists (the docs give none).
const MAX_TASK_PAGE: i32 = 1000;

fn bind_task(body: Obj<'_>) -> Result<NewTask, ApiError> {
    let task_id = body.string("taskId")?;
    let input = body.any("input").cloned();
    let worker_port = body.int32("workerPort")?;
    let process_uri = body.string("processUri")?;
    let webhook = body.string("webhook")?;
    let webhook_auth_key = body.string("webhookAuthKey")?;
    let headers = body.object("headers")?;
    if let Some(h) = &headers
        && let Some((k, v)) = h.iter().find(|(_, v)| !v.is_string())
    {
        return Err(ApiError::bad_request(format!(
            "JSON parse error: headers.{k}: expected a string, got {}",
            if v.is_number() {
                "a number"
            } else {
                "a non-string value"
            }
        )));
    }

    let mut v = Violations::default();
    v.length(task_id, "taskId", 0, Some(255));
    v.check(
        task_id.is_none_or(task_id_ok),
        "taskId",
        "must match \"^[A-Za-z0-9_]*$\"",
    );
    v.require(input.as_ref(), "input");
    let port = v.require(worker_port, "workerPort");
    v.range(port.map(i64::from), "workerPort", Some(1), Some(65535));
    let uri = v.require(process_uri, "processUri");
    v.length(uri, "processUri", 0, Some(255));
    if let Some(url) = webhook {
        v.length(Some(url), "webhook", 0, Some(512));
        v.check(http_url_ok(url), "webhook", "must match \"^https?://.*\"");
    }
    v.length(webhook_auth_key, "webhookAuthKey", 0, Some(255));
    v.into_result()?;
    Ok(NewTask {
        task_id: task_id.map(str::to_owned),
        input: input.unwrap_or(Value::Null),
        worker_port: worker_port.and_then(|p| u16::try_from(p).ok()).unwrap_or(1),
        process_uri: process_uri.unwrap_or("/").to_owned(),
        webhook: webhook.map(str::to_owned),
        webhook_auth_key: webhook_auth_key.map(str::to_owned),
        headers,
        v1: false,
    })
}

pub async fn submit(Ax(app): Ax<App>, path: OnePath, headers: HeaderMap, body: Bytes) -> ApiResult {
    let id = id(path)?;
    let map = json_object(&headers, &body)?;
    let task = bind_task(Obj::root(&map))?;
    let now = app.now();
    let task_id = app.lock().submit_task(id, task, now)?;
    app.touch();
    Ok(ok(json!({ "taskId": task_id })))
}

pub async fn list(Ax(app): Ax<App>, path: OnePath, RawQuery(q): RawQuery) -> ApiResult {
    let id = id(path)?;
    let q = Query::parse(q.as_deref());
    let page = q.typed::<i32>("pageNumber", "int")?.unwrap_or(1);
    let size = q.typed::<i32>("pageSize", "int")?.unwrap_or(10);
    let status = q.get("status");
    let mut v = Violations::default();
    v.range(Some(i64::from(page)), "pageNumber", Some(1), None);
    v.range(
        Some(i64::from(size)),
        "pageSize",
        Some(1),
        Some(i64::from(MAX_TASK_PAGE)),
    );
    let status = match status {
        None => None,
        Some(s) => {
            let parsed = TaskStatus::parse(s);
            v.check(
                parsed.is_some(),
                "status",
                "must be one of PROCESSING, DELIVERED, SUCCESS, FAILED",
            );
            parsed
        }
    };
    v.into_result()?;
    let (page, size) = (page as u64, size as u64);
    let now = app.now();
    let mut st = app.lock();
    let ep = &*st.task_endpoint(id, now)?;
    let total = ep.tasks.count(status);
    let items = ep
        .tasks
        .page(status, page, size)
        .into_iter()
        .filter_map(|i| ep.tasks.get(i))
        .map(|t| wire::task(ep, &ep.tasks, t, false))
        .collect();
    Ok(ok(wire::TaskPageWire {
        items,
        page,
        size,
        total,
        pages: total.div_ceil(size),
    }))
}

pub async fn count(Ax(app): Ax<App>, path: OnePath) -> ApiResult {
    let id = id(path)?;
    let now = app.now();
    let mut st = app.lock();
    let processing = st.task_endpoint(id, now)?.tasks.count(Some(TaskStatus::Processing));
    Ok(ok(json!({ "processing": processing })))
}

pub async fn get(Ax(app): Ax<App>, path: TwoPaths) -> ApiResult {
    let (id, task_id) = id_and(path)?;
    let now = app.now();
    let mut st = app.lock();
    let ep = &*st.task_endpoint(id, now)?;
    let task = ep
        .tasks
        .find(&task_id)
        .and_then(|i| ep.tasks.get(i))
        .ok_or_else(|| ApiError::business(TASK_NOT_EXIST, "Task does not exist"))?;
    Ok(ok(wire::task(ep, &ep.tasks, task, true)))
}
