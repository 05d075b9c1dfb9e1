//! Running one facade call: the generated builder per attempt, a time limit per attempt, the
//! envelope's business code, retries with backoff, and a tracing span.

use crate::client::Client;
use crate::codes::{SUCCESS, kind_of};
use crate::error::{Error, ErrorKind, Result, excerpt};
use crate::operation::{Call, Operation};
use crate::retry::parse_retry_after;
use crate::runtime::{Instant, random_fraction, sleep, timeout};
use crate::wire::envelope::{Envelope, RawEnvelope};
use progenitor_client::ResponseValue;
use serde::de::DeserializeOwned;
use std::any::Any;
use std::future::Future;
use std::pin::Pin;
use tracing::Instrument;

type Sent<E> = std::result::Result<ResponseValue<E>, progenitor_client::Error<()>>;

// One attempt's decoded result, type-erased so the retry loop below is compiled once rather than
// once per operation (it matters for the browser package's size). Futures must be Send natively
// (tokio::spawn), and cannot be in the browser (fetch futures are not).
#[cfg(not(target_arch = "wasm32"))]
type Decoded = Box<dyn Any + Send>;
#[cfg(target_arch = "wasm32")]
type Decoded = Box<dyn Any>;
#[cfg(not(target_arch = "wasm32"))]
type Attempt<'a> = Pin<Box<dyn Future<Output = Result<Decoded>> + Send + 'a>>;
#[cfg(target_arch = "wasm32")]
type Attempt<'a> = Pin<Box<dyn Future<Output = Result<Decoded>> + 'a>>;
#[cfg(not(target_arch = "wasm32"))]
type AttemptFn<'a, 'f> = dyn FnMut() -> Attempt<'a> + Send + 'f;
#[cfg(target_arch = "wasm32")]
type AttemptFn<'a, 'f> = dyn FnMut() -> Attempt<'a> + 'f;

impl Client {
    /// The call `operation` makes with this client's API version.
    pub(crate) fn call_for(&self, operation: Operation) -> Call {
        Call::new(operation, self.inner.version)
    }

    /// Runs `send` (which builds and sends one request with the generated client) until it
    /// succeeds, fails for good, or the retry policy gives up. Returns the envelope's `data`.
    pub(crate) async fn execute<'a, E, F, Fut>(&'a self, operation: Operation, mut send: F) -> Result<Option<E::Data>>
    where
        E: Envelope + DeserializeOwned + MaybeSend,
        E::Data: Any + MaybeSend,
        F: FnMut(&'a yotta_api::Client) -> Fut + MaybeSend,
        Fut: Future<Output = Sent<E>> + MaybeSend + 'a,
    {
        let call = self.call_for(operation);
        let api = &self.inner.api;
        let mut attempt = || -> Attempt<'a> {
            let sent = send(api);
            Box::pin(async move {
                interpret::<E>(call, sent.await)
                    .await
                    .map(|data| Box::new(data) as Decoded)
            })
        };
        let decoded = self.retrying(call, &mut attempt).await?;
        decoded
            .downcast::<Option<E::Data>>()
            .map(|data| *data)
            .map_err(|_| Error::Decode {
                call,
                message: "internal: an attempt returned another type".into(),
                body_excerpt: String::new(),
            })
    }

    /// The retry loop: a time limit per attempt, backoff between attempts, a tracing span.
    async fn retrying<'a>(&self, call: Call, attempt: &mut AttemptFn<'a, '_>) -> Result<Decoded> {
        let operation = call.operation;
        let span = tracing::info_span!(
            "yotta.call",
            operation = operation.name(),
            version = call.version.as_str(),
            wire_operation = call.wire_operation_id(),
            attempt = tracing::field::Empty,
            code = tracing::field::Empty,
            http_status = tracing::field::Empty,
            duration_ms = tracing::field::Empty,
        );
        async move {
            let started = Instant::now();
            let mut number = 0u32;
            let outcome = loop {
                number += 1;
                tracing::Span::current().record("attempt", number);
                let limit = self.inner.timeout;
                let result = match timeout(limit, attempt()).await {
                    Some(result) => result,
                    None => Err(Error::Timeout { call, after: limit }),
                };
                let error = match result {
                    Ok(data) => break Ok(data),
                    Err(error) => error,
                };
                // A delete whose earlier attempt's answer was lost may have gone through.
                if operation == Operation::DeleteEndpoint && number > 1 && error.kind() == ErrorKind::NotFound {
                    break Ok(Box::new(None::<serde_json::Value>) as Decoded);
                }
                let idempotency = operation.idempotency();
                match self
                    .inner
                    .retry
                    .delay_after(number, &error, idempotency, random_fraction())
                {
                    Some(delay) => {
                        tracing::debug!(%error, delay_ms = delay.as_millis() as u64, "retrying");
                        sleep(delay).await;
                    }
                    None => break Err(error),
                }
            };
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
        }
        .instrument(span)
        .await
    }

    /// Like [`Self::execute`] for calls whose success must carry `data`.
    pub(crate) async fn execute_data<'a, E, F, Fut>(&'a self, operation: Operation, send: F) -> Result<E::Data>
    where
        E: Envelope + DeserializeOwned + MaybeSend,
        E::Data: Any + MaybeSend,
        F: FnMut(&'a yotta_api::Client) -> Fut + MaybeSend,
        Fut: Future<Output = Sent<E>> + MaybeSend + 'a,
    {
        let call = self.call_for(operation);
        self.execute(operation, send).await?.ok_or_else(|| Error::Decode {
            call,
            message: "the success response carries no data".into(),
            body_excerpt: String::new(),
        })
    }
}

/// `Send` natively, nothing in the browser (see [`Decoded`]).
#[cfg(not(target_arch = "wasm32"))]
pub(crate) trait MaybeSend: Send {}
#[cfg(not(target_arch = "wasm32"))]
impl<T: Send> MaybeSend for T {}
#[cfg(target_arch = "wasm32")]
pub(crate) trait MaybeSend {}
#[cfg(target_arch = "wasm32")]
impl<T> MaybeSend for T {}

async fn interpret<E>(call: Call, sent: Sent<E>) -> Result<Option<E::Data>>
where
    E: Envelope + DeserializeOwned,
{
    match sent {
        Ok(response) => {
            let status = response.status().as_u16();
            check(call, status, response.into_inner())
        }
        Err(error) => match error {
            progenitor_client::Error::UnexpectedResponse(response) => from_response::<E>(call, response).await,
            other => Err(from_progenitor(call, other)),
        },
    }
}

/// The envelope's verdict: `data` for code 10000, a typed error for any other code.
fn check<E: Envelope>(call: Call, http_status: u16, envelope: E) -> Result<Option<E::Data>> {
    match envelope.code() {
        Some(SUCCESS) => Ok(envelope.into_data()),
        Some(code) => Err(Error::Api {
            call,
            code,
            kind: kind_of(code),
            message: envelope.message().unwrap_or_default().to_string(),
            http_status,
        }),
        None => Err(Error::Decode {
            call,
            message: "the response envelope has no code".into(),
            body_excerpt: String::new(),
        }),
    }
}

/// A response progenitor did not decode: any status but 200 (the only one the spec keeps).
async fn from_response<E>(call: Call, response: reqwest::Response) -> Result<Option<E::Data>>
where
    E: Envelope + DeserializeOwned,
{
    let status = response.status().as_u16();
    let retry_after = response
        .headers()
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| parse_retry_after(v, (crate::runtime::now_epoch_millis() / 1000).max(0) as u64));
    let body = response.bytes().await.map_err(|e| Error::Network {
        call,
        message: format!("reading the HTTP {status} response: {}", chain(&e)),
        connected: true,
    })?;
    if (200..300).contains(&status) {
        return match serde_json::from_slice::<E>(&body) {
            Ok(envelope) => check(call, status, envelope),
            Err(e) => Err(Error::Decode {
                call,
                message: e.to_string(),
                body_excerpt: excerpt(&body),
            }),
        };
    }
    // Transient statuses stay HTTP errors so the retry policy sees them, envelope or not.
    let transient = matches!(status, 408 | 429 | 500..=599);
    if !transient
        && let Ok(RawEnvelope {
            code: Some(code),
            message,
        }) = serde_json::from_slice::<RawEnvelope>(&body)
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
    Err(Error::Http {
        call,
        status,
        body_excerpt: excerpt(&body),
        retry_after,
    })
}

fn from_progenitor(call: Call, error: progenitor_client::Error<()>) -> Error {
    use progenitor_client::Error as P;
    match error {
        P::InvalidRequest(message) => Error::validation("request", message),
        P::CommunicationError(e) | P::InvalidUpgrade(e) => from_reqwest(call, e),
        P::ResponseBodyError(e) => Error::Network {
            call,
            message: format!("reading the response body: {}", chain(&e)),
            connected: true,
        },
        P::InvalidResponsePayload(body, e) => Error::Decode {
            call,
            message: e.to_string(),
            body_excerpt: excerpt(&body),
        },
        P::ErrorResponse(response) => Error::Http {
            call,
            status: response.status().as_u16(),
            body_excerpt: String::new(),
            retry_after: None,
        },
        P::UnexpectedResponse(response) => Error::Http {
            call,
            status: response.status().as_u16(),
            body_excerpt: String::new(),
            retry_after: None,
        },
        P::Custom(message) => Error::Network {
            call,
            message,
            connected: true,
        },
    }
}

fn from_reqwest(call: Call, error: reqwest::Error) -> Error {
    Error::Network {
        call,
        message: chain(&error),
        connected: may_have_reached_server(&error),
    }
}

/// `is_connect` means no connection was made, so the server cannot have seen the request.
#[cfg(not(target_arch = "wasm32"))]
fn may_have_reached_server(error: &reqwest::Error) -> bool {
    !error.is_connect()
}

/// `fetch` does not say whether a failed request left the browser: assume it may have.
#[cfg(target_arch = "wasm32")]
fn may_have_reached_server(_error: &reqwest::Error) -> bool {
    true
}

/// A cause's first line, without the `JsValue(...)` wrapper and stack trace a browser `fetch`
/// failure arrives in.
fn readable(text: &str) -> String {
    let unwrapped = text.replacen("JsValue(", "", 1);
    let line = unwrapped.lines().next().unwrap_or_default().trim();
    let unbalanced = line.matches(')').count() > line.matches('(').count();
    line.strip_suffix(')')
        .filter(|_| unbalanced)
        .unwrap_or(line)
        .to_string()
}

/// An error with its causes ("error sending request: connection refused"), one line.
fn chain(error: &dyn std::error::Error) -> String {
    let mut text = readable(&error.to_string());
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = readable(&cause.to_string());
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::readable;

    #[test]
    fn browser_fetch_failures_read_as_one_line() {
        let raw = "error sending request for url (http://127.0.0.1:9/x): JsValue(TypeError: fetch failed\nTypeError: fetch failed\n    at node:internal/deps/undici:1:1)";
        assert_eq!(
            readable(raw),
            "error sending request for url (http://127.0.0.1:9/x): TypeError: fetch failed"
        );
        assert_eq!(
            readable("JsValue(TypeError: Failed to fetch)"),
            "TypeError: Failed to fetch"
        );
        assert_eq!(
            readable("connection refused (os error 111)"),
            "connection refused (os error 111)"
        );
    }
}
