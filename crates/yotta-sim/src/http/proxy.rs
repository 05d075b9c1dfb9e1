//! Proxy mode (`--upstream <url>`): API routes are forwarded to the real API, with the server's
//! `YOTTA_API_KEY` injected as `X-API-Key`, so a browser console never holds the key.

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderName, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::on;

use crate::api::ops;
use crate::app::App;
use crate::config::Upstream;
use crate::http::envelope::ApiError;

/// Request headers passed on; everything else (cookies, origin, hop-by-hop headers) stays here.
const FORWARDED_REQUEST: [HeaderName; 4] = [
    header::CONTENT_TYPE,
    header::ACCEPT,
    header::ACCEPT_LANGUAGE,
    header::USER_AGENT,
];
const FORWARDED_RESPONSE: [HeaderName; 3] = [header::CONTENT_TYPE, header::RETRY_AFTER, header::CACHE_CONTROL];
const MAX_BODY: usize = 16 * 1024 * 1024;

pub fn router() -> Router<App> {
    ops::all().fold(Router::new(), |router, op| {
        router.route(op.path, on(ops::method_filter(op), forward))
    })
}

async fn forward(State(app): State<App>, req: Request) -> Response {
    let Some(Upstream { url, api_key }) = app.cfg.upstream.clone() else {
        return ApiError::internal("proxy mode without an upstream").into_response();
    };
    let (parts, body) = req.into_parts();
    let path_and_query = parts.uri.path_and_query().map_or("/", |p| p.as_str());
    let target = format!("{}{}", url.trim_end_matches('/'), path_and_query);
    let Ok(body) = to_bytes(body, MAX_BODY).await else {
        return ApiError::bad_request("request body too large")
            .with_status(StatusCode::PAYLOAD_TOO_LARGE)
            .into_response();
    };
    let mut out = app.upstream_client.request(parts.method.clone(), &target).body(body);
    for name in FORWARDED_REQUEST {
        for value in parts.headers.get_all(&name) {
            out = out.header(&name, value);
        }
    }
    let key = api_key.or_else(|| {
        parts
            .headers
            .get("x-api-key")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    });
    if let Some(key) = key {
        out = out.header("X-API-Key", key);
    }
    let upstream = match out.send().await {
        Ok(resp) => resp,
        Err(e) => {
            return ApiError::internal(format!("upstream {url} unreachable: {e}"))
                .with_status(StatusCode::BAD_GATEWAY)
                .into_response();
        }
    };
    let status = upstream.status();
    let headers: Vec<(HeaderName, _)> = FORWARDED_RESPONSE
        .iter()
        .flat_map(|name| {
            upstream
                .headers()
                .get_all(name)
                .iter()
                .map(|v| (name.clone(), v.clone()))
        })
        .collect();
    let bytes = match upstream.bytes().await {
        Ok(bytes) => bytes,
        Err(e) => {
            return ApiError::internal(format!("upstream response unreadable: {e}"))
                .with_status(StatusCode::BAD_GATEWAY)
                .into_response();
        }
    };
    let mut resp = Response::new(Body::from(bytes));
    *resp.status_mut() = status;
    for (name, value) in headers {
        resp.headers_mut().append(name, value);
    }
    resp
}
