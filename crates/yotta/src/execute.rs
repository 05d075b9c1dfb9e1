//! The one path every call takes: a request encoded from the generated operation table, sent
//! through the client's transport with a time limit per attempt, the envelope's business code
//! checked, retried with backoff, in a tracing span; the body comes back as bytes.
//!
//! Nothing here depends on the operation's types: the future is compiled once, not once per
//! operation (which, in the browser package, was a quarter of the module). Each operation
//! decodes the bytes afterwards ([`crate::decode`]).

use crate::client::Client;
use crate::codes::{SUCCESS, kind_of};
use crate::error::{Error, ErrorKind, Result, excerpt};
use crate::observe::{AttemptEvent, report};
use crate::operation::{Call, Operation};
use crate::retry::parse_retry_after;
use crate::runtime::{Instant, random_fraction, sleep, timeout};
use crate::transport::{HttpRequest, HttpResponse, TransportError};
use std::borrow::Cow;
use std::future::Future;
use std::pin::Pin;
#[cfg(not(target_arch = "wasm32"))]
use tracing::Instrument;
use yotta_api::operation::{EncodeError, Encoded, Request};

/// A successful answer: its HTTP status and body, once the business code said success.
#[derive(Debug)]
pub(crate) struct Reply {
    pub status: u16,
    pub body: Vec<u8>,
}

/// A call in flight.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) type CallFuture<'a> = Pin<Box<dyn Future<Output = Result<Reply>> + Send + 'a>>;
#[cfg(target_arch = "wasm32")]
pub(crate) type CallFuture<'a> = Pin<Box<dyn Future<Output = Result<Reply>> + 'a>>;

/// The success envelope, for a delete found already done (see `execute`).
const ALREADY_DONE: &[u8] = br#"{"code":10000,"message":"success","data":null}"#;

impl Client {
    /// The call `operation` makes with this client's API version.
    pub(crate) fn call_for(&self, operation: Operation) -> Call {
        Call::new(operation, self.inner.version)
    }

    /// Sends `request` as `call`; the body of its successful answer.
    pub(crate) fn send<R: Request>(&self, call: Call, request: &R) -> CallFuture<'_> {
        debug_assert_eq!(
            call.descriptor(),
            R::OPERATION,
            "the facade sends {} for {call}",
            R::OPERATION.id
        );
        self.execute(call, request.encode())
    }

    fn execute(&self, call: Call, request: std::result::Result<Encoded, EncodeError>) -> CallFuture<'_> {
        let work = async move {
            let request = request.map_err(|e| Error::validation("request", e.to_string()))?;
            let started = Instant::now();
            let outcome = self.attempts(call, request).await;
            let span = tracing::Span::current();
            span.record("duration_ms", started.elapsed().as_millis() as u64);
            match &outcome {
                Ok(_) => {
                    span.record("code", SUCCESS);
                    tracing::debug!("ok");
                }
                Err(error) => {
                    if let Some(code) = error.code() {
                        span.record("code", code);
                    }
                    if let Some(status) = error.http_status() {
                        span.record("http_status", status);
                    }
                    tracing::debug!(%error, kind = error.kind().as_str(), "failed");
                }
            }
            outcome
        };
        // The browser package compiles tracing out (no subscriber there): no span to enter.
        #[cfg(not(target_arch = "wasm32"))]
        let work = work.instrument(tracing::info_span!(
            "yotta.call",
            operation = call.operation.name(),
            version = call.version.as_str(),
            wire_operation = call.wire_operation_id(),
            attempt = tracing::field::Empty,
            code = tracing::field::Empty,
            http_status = tracing::field::Empty,
            duration_ms = tracing::field::Empty,
        ));
        Box::pin(work)
    }

    /// The retry loop: a time limit per attempt, backoff between attempts, and the call's
    /// deadline (when one is set) over all of it.
    async fn attempts(&self, call: Call, mut request: Encoded) -> Result<Reply> {
        let mut headers = vec![(Cow::Borrowed("accept"), "application/json".to_string())];
        if request.body.is_some() {
            headers.push((Cow::Borrowed("content-type"), "application/json".to_string()));
        }
        // The operation's own header parameters (the v1 task API's X-Endpoint-ID).
        let limited_by = call
            .descriptor()
            .rate_limit
            .and_then(|limit| {
                request
                    .headers
                    .iter()
                    .find(|(name, _)| name.eq_ignore_ascii_case(limit.endpoint_param))
            })
            .map(|(_, value)| value.clone());
        for (name, value) in std::mem::take(&mut request.headers) {
            headers.push((Cow::Owned(name.to_ascii_lowercase()), value));
        }
        headers.extend(self.request_headers());
        let http = HttpRequest {
            method: request.method,
            url: format!("{}{}", self.inner.base_url.text, request.path_and_query),
            headers,
            body: request.body.take(),
            max_body_bytes: self.inner.max_body_bytes,
        };
        let attempt_timeout = self.attempt_timeout();
        let deadline = self.deadline();
        let retry = self.retry_policy();
        let started = Instant::now();
        let mut number = 0u32;
        loop {
            number += 1;
            tracing::Span::current().record("attempt", number);
            let remaining = deadline.map(|d| d.saturating_sub(started.elapsed()));
            let limit = remaining.map_or(attempt_timeout, |r| r.min(attempt_timeout));
            if let Some(limiter) = &self.inner.limiter {
                loop {
                    let wait = limiter.try_take(call.descriptor(), limited_by.as_deref(), Instant::now());
                    if wait.is_zero() {
                        break;
                    }
                    sleep(wait).await;
                }
            }
            let attempt_started = Instant::now();
            let result = match timeout(limit, self.inner.transport.send(&http)).await {
                Some(Ok(response)) => interpret(call, response),
                Some(Err(error)) => Err(from_transport(call, error)),
                None => Err(Error::Timeout { call, after: limit }),
            };
            let mut event = AttemptEvent {
                call,
                method: request.method,
                path: &request.path_and_query,
                attempt: number,
                status: None,
                error: None,
                duration: attempt_started.elapsed(),
                retry_in: None,
            };
            let error = match result {
                Ok(reply) => {
                    event.status = Some(reply.status);
                    report(self.inner.observer.as_ref(), &event);
                    return Ok(reply);
                }
                Err(error) => error,
            };
            // A delete whose earlier attempt's answer was lost may have gone through.
            if call.operation == Operation::DeleteEndpoint && number > 1 && error.kind() == ErrorKind::NotFound {
                return Ok(Reply {
                    status: 200,
                    body: ALREADY_DONE.to_vec(),
                });
            }
            // No pause that would end past the deadline: the caller gets the error now.
            let delay = retry
                .delay_after(number, &error, call.idempotency(), random_fraction())
                .filter(|delay| deadline.is_none_or(|d| started.elapsed() + *delay < d));
            event.status = error.http_status();
            event.error = Some(&error);
            event.retry_in = delay;
            report(self.inner.observer.as_ref(), &event);
            match delay {
                Some(delay) => sleep(delay).await,
                None => return Err(error),
            }
        }
    }
}

/// An answer's verdict: the reply for a 2xx whose envelope says success, a typed error otherwise.
pub(crate) fn interpret(call: Call, response: HttpResponse) -> Result<Reply> {
    let HttpResponse {
        status,
        retry_after,
        body,
    } = response;
    if (200..300).contains(&status) {
        if leading_code(&body) == Some(i64::from(SUCCESS)) {
            return Ok(Reply { status, body });
        }
        let head = envelope_head(call, status, &body)?;
        return match head.code {
            Some(SUCCESS) => Ok(Reply { status, body }),
            Some(code) => Err(Error::Api {
                call,
                code,
                kind: kind_of(code),
                message: head.message.unwrap_or_default(),
                http_status: status,
            }),
            None => Err(Error::Decode {
                call,
                message: "the response envelope has no code".into(),
                body_excerpt: excerpt(&body),
                http_status: status,
                source: None,
            }),
        };
    }
    // Transient statuses stay HTTP errors so the retry policy sees them, envelope or not.
    let transient = matches!(status, 408 | 429 | 500..=599);
    if !transient
        && let Ok(EnvelopeHead {
            code: Some(code),
            message,
        }) = envelope_head(call, status, &body)
        && code != SUCCESS
    {
        let kind = if matches!(status, 401 | 403) {
            ErrorKind::Unauthorized
        } else {
            kind_of(code)
        };
        return Err(Error::Api {
            call,
            code,
            kind,
            message: message.unwrap_or_default(),
            http_status: status,
        });
    }
    let now = (crate::runtime::now_epoch_millis() / 1000).max(0) as u64;
    Err(Error::Http {
        call,
        status,
        body_excerpt: excerpt(&body),
        retry_after: retry_after.as_deref().and_then(|value| parse_retry_after(value, now)),
    })
}

/// The envelope's `code` and `message`, skipping `data`.
#[derive(serde::Deserialize)]
struct EnvelopeHead {
    code: Option<i32>,
    message: Option<String>,
}

fn envelope_head(call: Call, status: u16, body: &[u8]) -> Result<EnvelopeHead> {
    crate::json_path::from_slice(body).map_err(|e| Error::undecodable(call, status, body, e))
}

/// The envelope's code when it is the first member (`{"code":10000,...`, as the API sends it),
/// read without tokenising the rest: success answers are then parsed once, by the operation's
/// own decoding. `None` when the body starts any other way.
fn leading_code(body: &[u8]) -> Option<i64> {
    let text = body.strip_prefix(b"{")?.trim_ascii_start();
    let text = text.strip_prefix(b"\"code\"")?.trim_ascii_start();
    let text = text.strip_prefix(b":")?.trim_ascii_start();
    let digits = text.iter().take_while(|b| b.is_ascii_digit()).count();
    let after = text.get(digits..)?.trim_ascii_start();
    if digits == 0 || digits > 9 || !matches!(after.first(), Some(b',' | b'}')) {
        return None;
    }
    std::str::from_utf8(&text[..digits]).ok()?.parse().ok()
}

fn from_transport(call: Call, error: TransportError) -> Error {
    match error {
        TransportError::NotSent { message, source } => Error::Network {
            call,
            message,
            connected: false,
            source,
        },
        TransportError::Failed { message, source } => Error::Network {
            call,
            message,
            connected: true,
            source,
        },
        TransportError::BodyTooLarge { limit, status } => Error::decode(
            call,
            status,
            format!("the response body is larger than the limit of {limit} bytes"),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operation::ApiVersion;

    fn call() -> Call {
        Call::new(Operation::GetEndpoint, ApiVersion::V2)
    }

    fn answer(status: u16, body: &str) -> HttpResponse {
        HttpResponse {
            status,
            retry_after: None,
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn the_leading_code_is_read_without_parsing_the_rest() {
        assert_eq!(leading_code(br#"{"code":10000,"data":{"#), Some(10000));
        assert_eq!(leading_code(b"{ \"code\" : 24002 }"), Some(24002));
        assert_eq!(leading_code(br#"{"message":"x","code":10000}"#), None);
        assert_eq!(leading_code(br#"{"code":1e4}"#), None);
        assert_eq!(leading_code(br#"{"code":100001234567}"#), None);
        assert_eq!(leading_code(b"<html>"), None);
    }

    #[test]
    fn envelopes_decide_success_and_errors() {
        let reply = interpret(call(), answer(201, r#"{"message":"ok","code":10000,"data":1}"#)).unwrap();
        assert_eq!(reply.status, 201);
        let error = interpret(
            call(),
            answer(200, r#"{"code":14000,"message":"Endpoint not found","data":null}"#),
        )
        .unwrap_err();
        assert_eq!(
            (error.kind(), error.code(), error.http_status()),
            (ErrorKind::NotFound, Some(14000), Some(200))
        );
        let error = interpret(call(), answer(200, r#"{"data":1}"#)).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Decode);
        let error = interpret(call(), answer(200, r#"{"code":"x"}"#)).unwrap_err();
        assert!(error.to_string().contains("code: invalid type"), "{error}");
        let error = interpret(call(), answer(401, r#"{"code":10001,"message":"bad key"}"#)).unwrap_err();
        assert_eq!((error.kind(), error.code()), (ErrorKind::Unauthorized, Some(10001)));
        let error = interpret(call(), answer(502, "<html><title>502 Bad Gateway</title></html>")).unwrap_err();
        assert_eq!((error.kind(), error.http_status()), (ErrorKind::Http, Some(502)));
        let error = interpret(call(), answer(503, r#"{"code":24000,"message":"busy"}"#)).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Http, "transient statuses stay HTTP errors");
    }

    #[test]
    fn retry_after_reaches_the_error() {
        let mut response = answer(429, "");
        response.retry_after = Some("3".into());
        let error = interpret(call(), response).unwrap_err();
        assert_eq!(error.retry_after(), Some(std::time::Duration::from_secs(3)));
    }
}
