//! The v1 task API (`/openapi/v1/skywalker/tasks...`, "Queue-based Elastic Execution") on the
//! same task engine as the v2 task routes: a task submitted through one is visible through the
//! other (the v1 `userTaskId` is the v2 `taskId`).
//!
//! What differs is the page's contract: the endpoint comes in the `X-Endpoint-ID` header, every
//! call is rate limited (`Operation::rate_limit`), statuses are integers, the list pages as
//! `{items, pagination}`, and errors use the page's own codes (40001 parameter, 40101 auth
//! context, 40402 task not found, 50001 creation failed, 429 too many requests).

use std::time::Instant;

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State as Ax};
use axum::http::HeaderMap;
use bytes::Bytes;
use serde::Serialize;
use serde_json::{Map, Value, json};
use yotta_api::catalog::{
    OPENAPI_TASK_DETAIL_RESULT_SEND_STATUS_NAMES as SEND_STATUS_NAMES, OPENAPI_TASK_DETAIL_STATUS_NAMES as STATUS_NAMES,
};
use yotta_api::operation::Operation;
use yotta_api::operations::{V1_GET_TASK, V1_GET_TASK_COUNT, V1_LIST_TASKS, V1_SUBMIT_TASK};

use super::fields::{Obj, json_object, task_id_ok, utf16_len};
use crate::app::App;
use crate::http::envelope::{
    ApiError, ApiResult, PARAM_ERROR, TASK_AUTH_CONTEXT, TASK_CREATE_FAILED, TASK_NOT_FOUND, TASK_PARAM_ERROR,
    UNAVAILABLE, ok,
};
use crate::http::query::Query;
use crate::state::endpoint::Endpoint;
use crate::state::tasks::{Task, TaskStatus, TaskStore};
use crate::state::timefmt::iso_ms;
use crate::state::{NewTask, State, Version, task_output};

/// The header naming the endpoint (the page's 'Authorizations' tables).
const ENDPOINT_HEADER: &str = "X-Endpoint-ID";
/// The simulator's ceiling on `pageSize` (the page gives none), as on the v2 task list.
const MAX_PAGE_SIZE: i64 = 1000;

/// A documented rate limit of `op`, counted per `X-Endpoint-ID` value and globally.
fn admit(app: &App, op: &'static Operation, headers: &HeaderMap) -> Result<(), ApiError> {
    let endpoint = headers
        .get(ENDPOINT_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::trim);
    app.limiter().admit(op, endpoint, Instant::now())
}

fn auth_context(detail: impl AsRef<str>) -> ApiError {
    ApiError::business(
        TASK_AUTH_CONTEXT,
        format!("Authentication context not found: {}", detail.as_ref()),
    )
}

/// The endpoint `X-Endpoint-ID` names. Missing, not an id, or not an endpoint of this
/// organisation: 40101, the page's code for a missing authentication context (the page does not
/// say which code an unknown endpoint gets; see the README's assumptions).
fn endpoint_id(headers: &HeaderMap) -> Result<u64, ApiError> {
    let raw = headers
        .get(ENDPOINT_HEADER)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).trim().to_owned())
        .filter(|v| !v.is_empty())
        .ok_or_else(|| auth_context(format!("missing {ENDPOINT_HEADER} header")))?;
    raw.parse()
        .map_err(|_| auth_context(format!("{ENDPOINT_HEADER} {raw:?} is not an endpoint id")))
}

/// The endpoint, settled to `now`, under the caller's lock.
fn endpoint(st: &mut State, id: u64, now: u64) -> Result<&mut Endpoint, ApiError> {
    if !st.endpoints.contains_key(&id) {
        return Err(auth_context(format!(
            "{ENDPOINT_HEADER} {id} is not an endpoint of this organization"
        )));
    }
    st.endpoint(id, now, Version::V1)
}

/// The shared engine's and the body reader's errors in this API's codes, HTTP status kept.
fn translate(error: ApiError) -> ApiError {
    match error.code {
        PARAM_ERROR => error.with_code(TASK_PARAM_ERROR),
        UNAVAILABLE => ApiError::business(
            TASK_CREATE_FAILED,
            format!("Failed to create a task: {}", error.message),
        ),
        _ => error,
    }
}

/// RFC 3986 characters a path may carry (space excluded: it has its own message).
fn uri_char_ok(c: char) -> bool {
    c.is_ascii_alphanumeric() || "-._~:/?#[]@!$&'()*+,;=%".contains(c)
}

/// `http(s)://host...` with a host and no whitespace: what "a valid URL" is taken to mean.
fn url_ok(url: &str) -> bool {
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"));
    rest.is_some_and(|rest| {
        let host = rest.split(['/', '?', '#']).next().unwrap_or("");
        !host.is_empty() && !url.chars().any(|c| c.is_whitespace() || c.is_control())
    })
}

fn is_empty(value: &Value) -> bool {
    match value {
        Value::Object(map) => map.is_empty(),
        Value::Array(items) => items.is_empty(),
        Value::String(text) => text.is_empty(),
        _ => false,
    }
}

/// Binds a Create Task body, with the page's messages (all reported together, code 40001).
fn bind(body: Obj<'_>) -> Result<NewTask, ApiError> {
    let user_task_id = body.string("userTaskId").map_err(translate)?;
    let worker_port = body.int32("workerPort").map_err(translate)?;
    let process_uri = body.string("processUri").map_err(translate)?;
    let notify_url = body.string("notifyUrl").map_err(translate)?;
    let notify_auth_key = body.string("notifyAuthKey").map_err(translate)?;
    let task_data = body.any("taskData");
    let header = body.any("header");

    let mut problems: Vec<String> = Vec::new();
    let mut problem = |ok: bool, message: &str| {
        if !ok {
            problems.push(message.to_owned());
        }
    };
    match user_task_id.filter(|t| !t.is_empty()) {
        None => problem(false, "userTaskId is required"),
        Some(id) => {
            problem(utf16_len(id) <= 255, "userTaskId exceeds maximum length of 255");
            problem(
                task_id_ok(id),
                "userTaskId can only contain letters, numbers, and underscores",
            );
        }
    }
    match worker_port {
        None => problem(false, "workerPort is required"),
        Some(port) => {
            problem(port >= 1, "workerPort must be at least 1");
            problem(port <= 65535, "workerPort must not exceed 65535");
        }
    }
    match process_uri.filter(|u| !u.is_empty()) {
        None => problem(false, "processUri is required"),
        Some(uri) => {
            problem(!uri.contains(' '), "processUri must not contain spaces");
            problem(
                uri.chars().all(|c| c == ' ' || uri_char_ok(c)),
                "processUri contains invalid characters",
            );
            problem(utf16_len(uri) <= 255, "processUri exceeds maximum length of 255");
        }
    }
    if let Some(url) = notify_url {
        problem(url_ok(url), "notifyUrl must be a valid URL");
        problem(utf16_len(url) <= 512, "notifyUrl exceeds maximum length of 512");
    }
    if let Some(key) = notify_auth_key {
        problem(utf16_len(key) <= 255, "notifyAuthKey exceeds maximum length of 255");
    }
    match task_data {
        None => problem(false, "taskData is required"),
        Some(data) => problem(!is_empty(data), "taskData cannot be empty"),
    }
    let headers: Option<Map<String, Value>> = match header {
        None => None,
        Some(Value::Object(map)) if map.values().all(Value::is_string) => Some(map.clone()),
        Some(_) => {
            problem(false, "header must be a kv structure");
            None
        }
    };
    if !problems.is_empty() {
        return Err(ApiError::business(TASK_PARAM_ERROR, problems.join("; ")));
    }
    let uri = process_uri.unwrap_or("/");
    Ok(NewTask {
        task_id: user_task_id.map(str::to_owned),
        input: task_data.cloned().unwrap_or(Value::Null),
        worker_port: worker_port.and_then(|p| u16::try_from(p).ok()).unwrap_or(1),
        // "A leading slash is automatically added."
        process_uri: if uri.starts_with('/') {
            uri.to_owned()
        } else {
            format!("/{uri}")
        },
        webhook: notify_url.map(str::to_owned),
        webhook_auth_key: notify_auth_key.map(str::to_owned),
        headers,
        v1: true,
    })
}

/// The code of a status name in a generated code table.
fn code_of(names: &[(i32, &str)], name: &str) -> Option<i32> {
    names.iter().find(|(_, n)| *n == name).map(|(code, _)| *code)
}

/// "2025-11-12 18:02:22.030", the form of the page's examples (UTC).
fn page_time(ms: u64) -> String {
    iso_ms(ms).replacen('T', " ", 1).trim_end_matches('Z').to_owned()
}

/// A task as this API renders it: every field of 'Get Task Details', or (`detail` false) the
/// subset the list's TaskDetail structure lists.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TaskWire {
    user_task_id: String,
    worker_url: Option<String>,
    notify_url: Option<String>,
    created_at: String,
    updated_at: String,
    status: Option<i32>,
    result_send_status: Option<i32>,
    result_send_count: u16,
    notify_send_count: u16,
    #[serde(flatten)]
    detail: Option<TaskDetailWire>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TaskDetailWire {
    failed_reason: Option<String>,
    next_result_send_time: Option<String>,
    task_data: Value,
    header: Option<Value>,
    task_result: Option<Value>,
    last_notified_at: Option<String>,
}

fn wire(tasks: &TaskStore, task: &Task, detail: bool) -> TaskWire {
    let parse = |text: &str| serde_json::from_str::<Value>(text).unwrap_or(Value::Null);
    TaskWire {
        user_task_id: task.task_id.to_string(),
        worker_url: (task.worker_id != 0).then(|| {
            format!(
                "http://worker-{}.sim.local:{}{}",
                task.worker_id,
                task.worker_port,
                tasks.uri(task)
            )
        }),
        notify_url: task.webhook().map(str::to_owned),
        created_at: page_time(task.created_at),
        updated_at: page_time(task.updated_at),
        status: code_of(&STATUS_NAMES, task.status.as_str()),
        result_send_status: code_of(&SEND_STATUS_NAMES, task.delivery.as_str()),
        result_send_count: task.attempts,
        notify_send_count: task.attempts,
        detail: detail.then(|| TaskDetailWire {
            failed_reason: task.error().map(str::to_owned),
            // Retries are scheduled by the delivery worker, which does not publish its plan.
            next_result_send_time: None,
            task_data: parse(&task.input),
            header: task.extra().and_then(|e| e.headers.as_deref()).map(parse),
            task_result: task_output(tasks, task),
            last_notified_at: task.delivered_at().map(page_time),
        }),
    }
}

pub async fn create(Ax(app): Ax<App>, headers: HeaderMap, body: Bytes) -> ApiResult {
    admit(&app, &V1_SUBMIT_TASK, &headers)?;
    let id = endpoint_id(&headers)?;
    let map = json_object(&headers, &body).map_err(translate)?;
    let task = bind(Obj::root(&map))?;
    let user_task_id = task.task_id.clone().unwrap_or_default();
    let now = app.now();
    let mut st = app.lock();
    let ep = endpoint(&mut st, id, now)?;
    // Idempotent on userTaskId: a repeat answers with the task it names, whatever the
    // endpoint's state, and creates nothing.
    if ep.tasks.find(&user_task_id).is_none() {
        let limit = V1_SUBMIT_TASK.rate_limit;
        if let Some(total) = limit.and_then(|l| l.per_endpoint_total) {
            let unfinished = ep.tasks.count(Some(TaskStatus::Processing));
            if unfinished >= u64::from(total) {
                return Err(ApiError::too_many_requests(
                    format!(
                        "endpoint {id} already holds {unfinished} unfinished tasks, the most allowed ({total} Total Tasks, {})",
                        limit.map_or("", |l| l.source)
                    ),
                    1,
                ));
            }
        }
        st.submit_task(id, task, now).map_err(translate)?;
        app.touch();
    }
    Ok(ok(json!({ "userTaskId": user_task_id })))
}

pub async fn get(Ax(app): Ax<App>, headers: HeaderMap, path: Result<Path<String>, PathRejection>) -> ApiResult {
    admit(&app, &V1_GET_TASK, &headers)?;
    let id = endpoint_id(&headers)?;
    let Path(user_task_id) = path.map_err(|e| translate(ApiError::bad_request(e.body_text())))?;
    let now = app.now();
    let mut st = app.lock();
    let ep = endpoint(&mut st, id, now)?;
    let task = ep
        .tasks
        .find(&user_task_id)
        .and_then(|i| ep.tasks.get(i))
        .ok_or_else(|| ApiError::business(TASK_NOT_FOUND, "Task not found"))?;
    Ok(ok(wire(&ep.tasks, task, true)))
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PaginationWire {
    page: i64,
    page_size: i64,
    total_count: u64,
    total_pages: u64,
}

/// An integer query value, or the page's 40001 with `message`.
fn integer(q: &Query, key: &str, message: &str) -> Result<Option<i64>, ApiError> {
    q.get(key)
        .map(|v| {
            v.trim()
                .parse::<i64>()
                .map_err(|_| ApiError::business(TASK_PARAM_ERROR, message))
        })
        .transpose()
}

pub async fn list(Ax(app): Ax<App>, headers: HeaderMap, RawQuery(raw): RawQuery) -> ApiResult {
    admit(&app, &V1_LIST_TASKS, &headers)?;
    let id = endpoint_id(&headers)?;
    let q = Query::parse(raw.as_deref());
    let status = match integer(&q, "status", "status must be between 0 and 3")? {
        None => None,
        Some(code) => {
            let name = STATUS_NAMES
                .iter()
                .find(|(c, _)| i64::from(*c) == code)
                .map(|(_, name)| *name)
                .ok_or_else(|| ApiError::business(TASK_PARAM_ERROR, "status must be between 0 and 3"))?;
            Some(TaskStatus::parse(name).ok_or_else(|| ApiError::internal(format!("status {name} is not simulated")))?)
        }
    };
    let page = integer(&q, "page", "page must be an integer")?.unwrap_or(1);
    let size = integer(&q, "pageSize", "pageSize must be an integer")?.unwrap_or(10);
    if page < 1 {
        return Err(ApiError::business(TASK_PARAM_ERROR, "page must be at least 1"));
    }
    if !(1..=MAX_PAGE_SIZE).contains(&size) {
        return Err(ApiError::business(
            TASK_PARAM_ERROR,
            format!("pageSize must be between 1 and {MAX_PAGE_SIZE}"),
        ));
    }
    let now = app.now();
    let mut st = app.lock();
    let ep = &*endpoint(&mut st, id, now)?;
    let total = ep.tasks.count(status);
    let (page_u, size_u) = (page.unsigned_abs(), size.unsigned_abs());
    let items: Vec<TaskWire> = ep
        .tasks
        .page(status, page_u, size_u)
        .into_iter()
        .filter_map(|i| ep.tasks.get(i))
        .map(|t| wire(&ep.tasks, t, false))
        .collect();
    Ok(ok(json!({
        "items": items,
        "pagination": PaginationWire { page, page_size: size, total_count: total, total_pages: total.div_ceil(size_u) },
    })))
}

pub async fn count(Ax(app): Ax<App>, headers: HeaderMap) -> ApiResult {
    admit(&app, &V1_GET_TASK_COUNT, &headers)?;
    let id = endpoint_id(&headers)?;
    let now = app.now();
    let mut st = app.lock();
    let processing = endpoint(&mut st, id, now)?.tasks.count(Some(TaskStatus::Processing));
    Ok(ok(json!({ "processingCount": processing })))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_simulated_status_has_its_documented_code() {
        for status in TaskStatus::ALL {
            assert!(code_of(&STATUS_NAMES, status.as_str()).is_some(), "{status:?}");
        }
        assert_eq!(code_of(&STATUS_NAMES, "FAILED"), Some(3));
        assert_eq!(code_of(&SEND_STATUS_NAMES, "MAX_RETRIES_EXCEEDED"), Some(3));
    }

    #[test]
    fn urls_uris_and_times() {
        assert!(url_ok("http://127.0.0.1:9/notify") && url_ok("https://a.b"));
        assert!(!url_ok("http://") && !url_ok("ftp://a") && !url_ok("http://a b") && !url_ok("notify"));
        assert!("/v1/chat?x=1&y=%20".chars().all(uri_char_ok));
        assert!(!"/a<b>".chars().all(uri_char_ok));
        assert_eq!(page_time(0), "1970-01-01 00:00:00.000");
    }

    #[test]
    fn bodies_report_the_pages_messages_together() {
        let body: Map<String, Value> = serde_json::from_value(
            json!({"userTaskId": "a-b", "workerPort": 0, "processUri": "/a b", "taskData": {}, "header": {"k": 1}}),
        )
        .unwrap();
        let error = bind(Obj::root(&body)).unwrap_err();
        assert_eq!(error.code, TASK_PARAM_ERROR);
        for message in [
            "userTaskId can only contain letters, numbers, and underscores",
            "workerPort must be at least 1",
            "processUri must not contain spaces",
            "taskData cannot be empty",
            "header must be a kv structure",
        ] {
            assert!(error.message.contains(message), "{}", error.message);
        }
        let body: Map<String, Value> = serde_json::from_value(
            json!({"userTaskId": "t_1", "workerPort": 8000, "processUri": "run", "taskData": [1]}),
        )
        .unwrap();
        let task = bind(Obj::root(&body)).unwrap();
        assert_eq!((task.process_uri.as_str(), task.v1), ("/run", true));
        let wrong_type: Map<String, Value> = serde_json::from_value(json!({"workerPort": "8000"})).unwrap();
        let error = bind(Obj::root(&wrong_type)).unwrap_err();
        assert_eq!((error.code, error.http_status()), (TASK_PARAM_ERROR, 400));
    }
}
