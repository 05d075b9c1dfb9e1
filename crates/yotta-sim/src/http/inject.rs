//! Applying an injected fault to one API request (see [`crate::faults`] for the rules).

use axum::body::{Body, to_bytes};
use axum::extract::connect_info::ConnectInfo;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::app::App;
use crate::faults::FaultAction;
use crate::http::listener::ConnKill;
use crate::http::middleware::FaultMark;

pub async fn inject(State(app): State<App>, req: Request, next: Next) -> Response {
    let template = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| req.uri().path().to_owned(), |m| m.as_str().to_owned());
    let decision = app.faults().decide(req.method(), &template);
    if decision.fired.is_empty() {
        return next.run(req).await;
    }
    if !decision.delay.is_zero() {
        tokio::time::sleep(decision.delay).await;
    }
    let mut mark = FaultMark {
        fired: decision.fired,
        dropped: false,
    };
    let mut resp = match decision.action {
        None => next.run(req).await,
        Some(FaultAction::Error(status)) => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
            let reason = status.canonical_reason().unwrap_or("Error");
            let html = format!(
                "<html>\r\n<head><title>{code} {reason}</title></head>\r\n<body>\r\n<center><h1>{code} {reason}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n",
                code = status.as_u16()
            );
            (status, [(header::CONTENT_TYPE, "text/html")], html).into_response()
        }
        Some(FaultAction::RateLimit(secs)) => {
            let mut resp = (
                StatusCode::TOO_MANY_REQUESTS,
                [(header::CONTENT_TYPE, "text/plain")],
                "Too Many Requests",
            )
                .into_response();
            resp.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(secs));
            resp
        }
        Some(FaultAction::Drop) => {
            match req.extensions().get::<ConnectInfo<ConnKill>>() {
                Some(ConnectInfo(conn)) => conn.kill(),
                // Not served through our listener (cannot happen in practice): abort the body instead.
                None => {
                    return Response::new(Body::from_stream(futures::stream::once(async {
                        Err::<bytes::Bytes, std::io::Error>(std::io::Error::other("dropped"))
                    })));
                }
            }
            mark.dropped = true;
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
        Some(action @ (FaultAction::Truncate | FaultAction::Malformed)) => {
            let (mut parts, body) = next.run(req).await.into_parts();
            let full = to_bytes(body, usize::MAX).await.unwrap_or_default();
            let mangled = if action == FaultAction::Truncate {
                truncate(&full)
            } else {
                malform(&full)
            };
            parts.headers.remove(header::CONTENT_LENGTH);
            Response::from_parts(parts, Body::from(mangled))
        }
    };
    resp.extensions_mut().insert(mark);
    resp
}

/// The first half of the body: a well-framed HTTP response whose JSON ends abruptly.
fn truncate(full: &[u8]) -> Vec<u8> {
    full[..full.len() / 2].to_vec()
}

/// The body with a trailing comma before its final closing brace, which every JSON parser rejects.
fn malform(full: &[u8]) -> Vec<u8> {
    match full.iter().rposition(|&b| b == b'}') {
        Some(i) => [&full[..i], b",}", &full[i + 1..]].concat(),
        None => [full, b"{,}"].concat(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mangled_bodies_do_not_parse() {
        let body = br#"{"code":10000,"message":"success","data":{"id":1}}"#;
        assert!(serde_json::from_slice::<serde_json::Value>(&truncate(body)).is_err());
        assert!(serde_json::from_slice::<serde_json::Value>(&malform(body)).is_err());
        assert!(serde_json::from_slice::<serde_json::Value>(&malform(b"")).is_err());
        assert!(truncate(b"").is_empty());
    }
}
