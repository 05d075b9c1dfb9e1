//! Middleware around the API routes: the request log (outermost) and API-key checking.

use std::collections::BTreeMap;

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::app::App;
use crate::faults::FaultKind;
use crate::http::envelope::ApiError;
use crate::http::redact;
use crate::http::reqlog::RecordedRequest;

/// Request bodies larger than this are refused with 413.
const MAX_REQUEST_BODY: usize = 16 * 1024 * 1024;

/// Response extension set by the fault layer: which faults hit, and whether the connection was dropped.
#[derive(Debug, Clone, Default)]
pub struct FaultMark {
    pub fired: Vec<FaultKind>,
    pub dropped: bool,
}

pub async fn record(State(app): State<App>, req: Request, next: Next) -> Response {
    let (parts, body) = req.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_REQUEST_BODY).await else {
        return ApiError::bad_request("request body too large or unreadable")
            .with_status(StatusCode::PAYLOAD_TOO_LARGE)
            .into_response();
    };
    // The log is readable at `/_sim/requests`: credentials never enter it (see `redact.rs`).
    let headers: BTreeMap<String, String> =
        parts
            .headers
            .iter()
            .fold(BTreeMap::new(), |mut map: BTreeMap<String, String>, (name, value)| {
                let text = String::from_utf8_lossy(value.as_bytes());
                let shown = redact::header_value(name.as_str(), &text);
                map.entry(name.as_str().to_owned())
                    .and_modify(|v| {
                        v.push_str(", ");
                        v.push_str(shown);
                    })
                    .or_insert_with(|| shown.to_owned());
                map
            });
    let content_type = parts
        .headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    let mut entry = RecordedRequest {
        seq: 0,
        timestamp_ms: app.now(),
        method: parts.method.to_string(),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().map(redact::query),
        headers,
        body: redact::body(&String::from_utf8_lossy(&bytes), content_type),
        status: None,
        faults: Vec::new(),
    };
    let resp = next.run(Request::from_parts(parts, Body::from(bytes))).await;
    let mark = resp.extensions().get::<FaultMark>().cloned().unwrap_or_default();
    entry.status = (!mark.dropped).then(|| resp.status().as_u16());
    entry.faults = mark
        .fired
        .iter()
        .map(|k| {
            serde_json::to_value(k)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default()
        })
        .collect();
    app.requests().push(entry);
    resp
}

/// Missing key: 401, unless `inject_key` stands in for the same-origin proxy that would add it.
/// Keys configured and this one not among them: 401. Otherwise let it through.
pub async fn require_key(State(app): State<App>, mut req: Request, next: Next) -> Response {
    let key = req
        .headers()
        .get("x-api-key")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .map(str::to_owned);
    let key = match (key, &app.cfg.inject_key) {
        (Some(key), _) => key,
        (None, Some(injected)) => {
            if let Ok(value) = http::HeaderValue::from_str(injected) {
                req.headers_mut().insert("x-api-key", value);
            }
            injected.clone()
        }
        (None, None) => return ApiError::unauthorized("Unauthorized: missing X-API-Key header").into_response(),
    };
    if !app.cfg.api_keys.is_empty() && !app.cfg.api_keys.contains(&key) {
        return ApiError::unauthorized("Unauthorized: invalid X-API-Key").into_response();
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credential_secrets_never_reach_the_request_log() {
        let body = r#"{"name":"r","username":"u","password":"hunter2","token":"t0k"}"#;
        let shown = redact::body(body, Some("application/json"));
        assert!(!shown.contains("hunter2") && !shown.contains("t0k"), "{shown}");
        assert!(shown.contains("\"username\":\"u\""), "{shown}");
        let broken = redact::body("{\"token\": \"t0k", Some("application/json"));
        assert!(!broken.contains("t0k"), "{broken}");
    }
}
