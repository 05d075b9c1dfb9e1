//! Sending one HTTP request: the seam between the facade's call path and an HTTP stack.
//!
//! The facade builds every request from the generated operation table, then hands it to a
//! [`Transport`]: `ReqwestTransport` natively, `FetchTransport` (the `fetch` of the browser,
//! Node, Deno, Bun or a worker) on wasm32. Both read the whole body, up to a limit, so the rest
//! of the call path (retries, business codes, decoding) is the same code on every target.

#[cfg(target_arch = "wasm32")]
mod fetch;
#[cfg(not(target_arch = "wasm32"))]
mod native;

#[cfg(target_arch = "wasm32")]
pub use fetch::{FetchTransport, JsError};
#[cfg(not(target_arch = "wasm32"))]
pub use native::ReqwestTransport;

use crate::error::Cause;
use std::borrow::Cow;
use std::fmt;
use std::future::Future;
use std::pin::Pin;

pub use yotta_api::operation::Method;

/// The largest response body read by default: far above any answer of this API (a log page of
/// 1,000 lines is well under 1 MiB), low enough that a server streaming without end cannot
/// exhaust memory.
pub const DEFAULT_MAX_BODY_BYTES: usize = 32 * 1024 * 1024;

/// One request, ready to send.
#[derive(Clone, PartialEq, Eq)]
pub struct HttpRequest {
    pub method: Method,
    /// Absolute URL (base URL, path and query).
    pub url: String,
    /// Header names are lowercase.
    pub headers: Vec<(Cow<'static, str>, String)>,
    pub body: Option<Vec<u8>>,
    /// Read at most this many body bytes; more is [`TransportError::BodyTooLarge`].
    pub max_body_bytes: usize,
}

// Headers may carry the API key: Debug shows their names only.
impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.headers.iter().map(|(name, _)| name.as_ref()).collect();
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("headers", &names)
            .field("body_bytes", &self.body.as_ref().map(Vec::len))
            .finish()
    }
}

/// What came back: any status, with the whole body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpResponse {
    pub status: u16,
    /// The `Retry-After` header, as sent.
    pub retry_after: Option<String>,
    pub body: Vec<u8>,
}

/// One line saying what a response body is: an HTML page's title (or first heading), else its
/// first line, cut at 160 bytes. Errors and the CLI's raw `yotta api` describe bodies with it.
pub fn body_summary(body: &str) -> String {
    let body = body.trim();
    if body.starts_with('<') {
        let lower = body.to_ascii_lowercase();
        for (open, close) in [("<title>", "</title>"), ("<h1>", "</h1>")] {
            if let Some(start) = lower.find(open).map(|i| i + open.len())
                && let Some(end) = lower[start..].find(close).map(|i| i + start)
            {
                return format!("{} (HTML page)", body[start..end].trim());
            }
        }
        return "an HTML page".to_string();
    }
    let line = body.lines().next().unwrap_or_default();
    if line.len() > 160 {
        format!("{}…", &line[..line.floor_char_boundary(160)])
    } else {
        line.to_string()
    }
}

/// Why no (whole) response arrived.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum TransportError {
    /// No connection was made, so the server cannot have seen the request. `message` is the
    /// chain of causes on one line; `source` the HTTP stack's own error, when it has one.
    NotSent { message: String, source: Option<Cause> },
    /// The request may have reached the server (connection lost, body interrupted).
    Failed { message: String, source: Option<Cause> },
    /// The body of an HTTP `status` answer exceeded [`HttpRequest::max_body_bytes`].
    BodyTooLarge { limit: usize, status: u16 },
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TransportError::NotSent { message, .. } | TransportError::Failed { message, .. } => f.write_str(message),
            TransportError::BodyTooLarge { limit, status } => {
                write!(
                    f,
                    "the HTTP {status} response body is larger than the limit of {limit} bytes"
                )
            }
        }
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            TransportError::NotSent { source, .. } | TransportError::Failed { source, .. } => {
                source.as_deref().map(|e| e as &(dyn std::error::Error + 'static))
            }
            TransportError::BodyTooLarge { .. } => None,
        }
    }
}

/// The future a transport returns. `Send` natively (tokio may move it between threads); not in
/// the browser, where `fetch` futures are bound to their thread.
#[cfg(not(target_arch = "wasm32"))]
pub type SendFuture<'a> = Pin<Box<dyn Future<Output = Result<HttpResponse, TransportError>> + Send + 'a>>;
#[cfg(target_arch = "wasm32")]
pub type SendFuture<'a> = Pin<Box<dyn Future<Output = Result<HttpResponse, TransportError>> + 'a>>;

/// Sends requests. Implement it to put the SDK on another HTTP stack, or to observe or stub
/// every request in tests.
#[cfg(not(target_arch = "wasm32"))]
pub trait Transport: fmt::Debug + Send + Sync {
    fn send<'a>(&'a self, request: &'a HttpRequest) -> SendFuture<'a>;
}

/// Sends requests. Implement it to put the SDK on another HTTP stack, or to observe or stub
/// every request in tests.
#[cfg(target_arch = "wasm32")]
pub trait Transport: fmt::Debug {
    fn send<'a>(&'a self, request: &'a HttpRequest) -> SendFuture<'a>;
}

/// The transport a client uses when none is given.
pub(crate) fn default_transport() -> crate::Result<std::sync::Arc<dyn Transport>> {
    #[cfg(not(target_arch = "wasm32"))]
    return Ok(std::sync::Arc::new(ReqwestTransport::new()?));
    #[cfg(target_arch = "wasm32")]
    return Ok(std::sync::Arc::new(FetchTransport::new()));
}
