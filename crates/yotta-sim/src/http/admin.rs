//! `/_sim/...`: control and inspection routes for tests and the console. No API key needed.

use std::time::Duration;

use axum::Json;
use axum::Router;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::app::App;
use crate::background::persist;
use crate::faults::FaultSpec;
use crate::http::query::Query;

type AdminResult = Result<Response, (StatusCode, Json<Value>)>;

fn bad(status: StatusCode, message: impl Into<String>) -> (StatusCode, Json<Value>) {
    (status, Json(json!({ "error": message.into() })))
}

fn parse_json<T: for<'de> Deserialize<'de>>(body: &[u8]) -> Result<T, (StatusCode, Json<Value>)> {
    serde_json::from_slice(body).map_err(|e| bad(StatusCode::BAD_REQUEST, format!("invalid JSON: {e}")))
}

fn id_param(raw: &str) -> Result<u64, (StatusCode, Json<Value>)> {
    raw.parse()
        .map_err(|_| bad(StatusCode::BAD_REQUEST, format!("not an id: {raw:?}")))
}

pub fn router() -> Router<App> {
    Router::new()
        .route(
            "/health",
            get(|| async { Json(json!({ "ok": true, "version": env!("CARGO_PKG_VERSION") })) }),
        )
        .route("/reset", post(reset))
        .route("/faults", get(list_faults).post(add_fault).delete(clear_faults))
        .route("/faults/{id}", delete(remove_fault))
        .route("/requests", get(requests).delete(clear_requests))
        .route("/state", get(state))
        .route("/clock", get(clock))
        .route("/clock/advance", post(advance))
        .route("/endpoints/{id}/fail", post(fail))
        .route("/endpoints/{id}/workers/{worker}/logs", post(append_logs))
        .route("/save", post(save))
}

async fn reset(State(app): State<App>) -> Json<Value> {
    app.lock().reset();
    app.faults().clear();
    app.requests().clear();
    app.limiter().clear();
    app.clock.reset();
    app.touch();
    Json(json!({ "ok": true }))
}

async fn list_faults(State(app): State<App>) -> Json<Value> {
    Json(json!({ "faults": app.faults().list() }))
}

/// Body: a fault object (`{"kind":"error","status":502,...}`) or `{"spec": "error,status=502"}`.
async fn add_fault(State(app): State<App>, body: axum::body::Bytes) -> AdminResult {
    let value: Value = parse_json(&body)?;
    let spec = match value.get("spec").and_then(Value::as_str) {
        Some(text) => text.parse::<FaultSpec>(),
        None => serde_json::from_value::<FaultSpec>(value)
            .map_err(|e| e.to_string())
            .and_then(FaultSpec::validate),
    }
    .map_err(|e| bad(StatusCode::BAD_REQUEST, e))?;
    let fault = app.faults().add(spec);
    Ok((StatusCode::CREATED, Json(json!(fault))).into_response())
}

async fn clear_faults(State(app): State<App>) -> Json<Value> {
    app.faults().clear();
    Json(json!({ "ok": true }))
}

async fn remove_fault(State(app): State<App>, Path(id): Path<String>) -> AdminResult {
    let id = id_param(&id)?;
    if !app.faults().remove(id) {
        return Err(bad(StatusCode::NOT_FOUND, format!("no fault {id}")));
    }
    Ok(Json(json!({ "ok": true })).into_response())
}

/// `?limit=N` (default 100), `?since=SEQ`, `?path=PREFIX`.
async fn requests(State(app): State<App>, RawQuery(q): RawQuery) -> AdminResult {
    let q = Query::parse(q.as_deref());
    let limit = q
        .typed::<usize>("limit", "int")
        .map_err(|e| bad(StatusCode::BAD_REQUEST, e.message))?
        .unwrap_or(100);
    let since = q
        .typed::<u64>("since", "long")
        .map_err(|e| bad(StatusCode::BAD_REQUEST, e.message))?
        .unwrap_or(0);
    let list = app.requests().recent(limit, since, q.get("path"));
    Ok(Json(json!({ "requests": list })).into_response())
}

async fn clear_requests(State(app): State<App>) -> Json<Value> {
    app.requests().clear();
    Json(json!({ "ok": true }))
}

/// Every endpoint with exact (string) ids, its full configuration, workers and task counts.
async fn state(State(app): State<App>) -> Json<Value> {
    let now = app.now();
    let mut st = app.lock();
    let ids: Vec<u64> = st.endpoints.keys().copied().collect();
    for id in ids {
        st.settle(id, now);
    }
    let endpoints: Vec<Value> = st
        .endpoints
        .values()
        .map(|ep| {
            let workers: Vec<Value> = ep
                .workers
                .iter()
                .map(|w| {
                    json!({
                        "id": w.id.to_string(),
                        "status": w.status(now).as_str(),
                        "region": w.region,
                        "gpuType": w.gpu_type,
                        "gpuCount": w.gpu_count,
                        "logLines": w.log.len(),
                        "busy": w.busy.is_some(),
                    })
                })
                .collect();
            json!({
                "id": ep.id.to_string(),
                "status": ep.status(now).as_str(),
                "spec": ep.spec,
                "createdAt": ep.created_at,
                "updatedAt": ep.updated_at,
                "workers": workers,
                "tasks": {
                    "total": ep.tasks.len(),
                    "queued": ep.tasks.queued(),
                    "processing": ep.tasks.count(Some(crate::state::tasks::TaskStatus::Processing)),
                },
            })
        })
        .collect();
    let deleted: Vec<String> = st.tombstones.iter().map(u64::to_string).collect();
    // The secret is stored but never shown, here as on the API routes.
    let credentials: Vec<Value> = st
        .credentials
        .values()
        .map(|c| {
            json!({
                "id": c.id.to_string(),
                "name": c.name,
                "type": c.kind,
                "username": c.username,
                "secret": "***",
                "createdAt": c.created_at,
                "updatedAt": c.updated_at,
                "usedBy": st.credential_users(c.id).iter().map(u64::to_string).collect::<Vec<_>>(),
            })
        })
        .collect();
    Json(json!({
        "nowMs": now,
        "clockOffsetMs": app.clock.offset_ms(),
        "endpoints": endpoints,
        "credentials": credentials,
        "deletedEndpointIds": deleted,
    }))
}

async fn clock(State(app): State<App>) -> Json<Value> {
    Json(json!({ "nowMs": app.now(), "offsetMs": app.clock.offset_ms() }))
}

/// Body: `{"ms": 60000}` or `{"by": "1h 30m"}`.
async fn advance(State(app): State<App>, body: axum::body::Bytes) -> AdminResult {
    #[derive(Deserialize)]
    struct Advance {
        ms: Option<u64>,
        by: Option<String>,
    }
    let req: Advance = parse_json(&body)?;
    let by = match (req.ms, req.by) {
        (Some(ms), _) => Duration::from_millis(ms),
        (None, Some(text)) => {
            humantime::parse_duration(&text).map_err(|e| bad(StatusCode::BAD_REQUEST, e.to_string()))?
        }
        (None, None) => return Err(bad(StatusCode::BAD_REQUEST, "expected {\"ms\": N} or {\"by\": \"1h\"}")),
    };
    let now = app.clock.advance(by);
    app.touch();
    Ok(Json(json!({ "nowMs": now, "offsetMs": app.clock.offset_ms() })).into_response())
}

async fn fail(State(app): State<App>, Path(id): Path<String>) -> AdminResult {
    let id = id_param(&id)?;
    let now = app.now();
    app.lock()
        .fail(id, now)
        .map_err(|e| bad(StatusCode::NOT_FOUND, e.message))?;
    app.touch();
    Ok(Json(json!({ "ok": true })).into_response())
}

/// Body: `{"lines": ["text", ...]}`, appended at the current time.
async fn append_logs(
    State(app): State<App>,
    Path((id, worker)): Path<(String, String)>,
    body: axum::body::Bytes,
) -> AdminResult {
    #[derive(Deserialize)]
    struct Lines {
        lines: Vec<String>,
    }
    let (id, worker) = (id_param(&id)?, id_param(&worker)?);
    let Lines { lines } = parse_json(&body)?;
    let now = app.now();
    let mut st = app.lock();
    let ep = st
        .endpoint(id, now, crate::state::Version::V2)
        .map_err(|e| bad(StatusCode::NOT_FOUND, e.message))?;
    let w = ep
        .worker_mut(worker)
        .ok_or_else(|| bad(StatusCode::NOT_FOUND, format!("no worker {worker}")))?;
    w.advance_log(now);
    let appended = lines.len();
    for line in lines {
        w.log.push_text(now, line);
    }
    drop(st);
    app.touch();
    Ok(Json(json!({ "appended": appended })).into_response())
}

async fn save(State(app): State<App>) -> AdminResult {
    let Some(path) = app.cfg.state_file.clone() else {
        return Err(bad(StatusCode::CONFLICT, "no --state file configured"));
    };
    persist::save(&app, &path)
        .await
        .map_err(|e| bad(StatusCode::INTERNAL_SERVER_ERROR, format!("{e:#}")))?;
    Ok(Json(json!({ "ok": true, "path": path })).into_response())
}
