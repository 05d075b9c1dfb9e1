//! Native transport: reqwest (rustls), one connection pool per client.

use super::{HttpRequest, HttpResponse, Method, SendFuture, Transport, TransportError};
use crate::error::Cause;
use std::sync::Arc;
use std::time::Duration;

/// Sends requests with a `reqwest::Client`.
#[derive(Clone, Debug)]
pub struct ReqwestTransport {
    client: reqwest::Client,
}

/// Redirects followed within one origin; a longer chain is answered with the last redirect.
const MAX_REDIRECTS: usize = 5;

impl ReqwestTransport {
    /// The default client: 10 s to connect, a `yotta-rust/<version>` user agent, and
    /// redirects followed only within the origin they start from (the API key is a header
    /// reqwest would otherwise carry to another host).
    pub fn new() -> crate::Result<Self> {
        let client = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .user_agent(concat!("yotta-rust/", env!("CARGO_PKG_VERSION")))
            .redirect(reqwest::redirect::Policy::custom(|attempt| {
                let same_origin = attempt.previous().first().is_some_and(|first| {
                    crate::base_url::same_origin_target(first.as_str(), attempt.url().as_str()).is_some()
                });
                if same_origin && attempt.previous().len() <= MAX_REDIRECTS {
                    attempt.follow()
                } else {
                    attempt.stop()
                }
            }))
            .build()
            .map_err(|e| crate::Error::validation("httpClient", format!("could not be built: {e}")))?;
        Ok(Self { client })
    }

    /// Sends with `client` (proxies, TLS roots, a shared pool). Its redirect policy applies:
    /// one that follows redirects to other hosts would carry the API key there.
    pub fn with_client(client: reqwest::Client) -> Self {
        Self { client }
    }
}

impl Transport for ReqwestTransport {
    fn send<'a>(&'a self, request: &'a HttpRequest) -> SendFuture<'a> {
        Box::pin(async move {
            let method = match request.method {
                Method::Get => reqwest::Method::GET,
                Method::Post => reqwest::Method::POST,
                Method::Put => reqwest::Method::PUT,
                Method::Patch => reqwest::Method::PATCH,
                Method::Delete => reqwest::Method::DELETE,
            };
            let mut builder = self.client.request(method, &request.url);
            for (name, value) in &request.headers {
                builder = builder.header(name.as_ref(), value);
            }
            if let Some(body) = &request.body {
                builder = builder.body(body.clone());
            }
            let mut response = builder.send().await.map_err(|e| {
                let message = chain(&e);
                let connect = e.is_connect();
                let source: Option<Cause> = Some(Arc::new(e));
                if connect {
                    TransportError::NotSent { message, source }
                } else {
                    TransportError::Failed { message, source }
                }
            })?;
            let status = response.status().as_u16();
            let retry_after = response
                .headers()
                .get(reqwest::header::RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string);
            let limit = request.max_body_bytes;
            if response.content_length().is_some_and(|length| length > limit as u64) {
                return Err(TransportError::BodyTooLarge { limit, status });
            }
            let mut body = Vec::new();
            while let Some(chunk) = response.chunk().await.map_err(|e| TransportError::Failed {
                message: format!("reading the HTTP {status} response: {}", chain(&e)),
                source: Some(Arc::new(e)),
            })? {
                if body.len() + chunk.len() > limit {
                    return Err(TransportError::BodyTooLarge { limit, status });
                }
                body.extend_from_slice(&chunk);
            }
            Ok(HttpResponse {
                status,
                retry_after,
                body,
            })
        })
    }
}

/// An error with its causes on one line ("error sending request: connection refused").
fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}
