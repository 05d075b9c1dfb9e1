//! Per-client request context and the request hook that applies it (progenitor's
//! `ClientHooks`, implemented for `Client` itself so it takes precedence over the generated
//! default for `&Client`).

use crate::Client;
use progenitor_client::{ClientHooks, ClientInfo, Error, OperationInfo};
use reqwest::header::{HeaderName, HeaderValue};
use std::fmt;

/// The header progenitor adds to every request with the spec's `info.version`. The API ignores
/// it, and as a non-safelisted header it makes browsers send a CORS preflight before every call.
const PROGENITOR_VERSION_HEADER: &str = "api-version";

/// What every request of one [`Client`] carries: the API key, if any. Its `Debug` output never
/// shows the key.
#[derive(Clone, Default)]
pub struct RequestContext {
    api_key: Option<HeaderValue>,
}

impl RequestContext {
    /// A context sending `api_key` as `X-API-Key`. Fails when the key cannot be a header value
    /// (control characters or non-visible bytes).
    pub fn with_api_key(api_key: &str) -> Result<Self, InvalidApiKey> {
        let mut value = HeaderValue::from_str(api_key).map_err(|_| InvalidApiKey)?;
        value.set_sensitive(true);
        Ok(Self { api_key: Some(value) })
    }

    /// A context without credentials, e.g. behind a proxy that adds the key itself.
    pub fn anonymous() -> Self {
        Self::default()
    }

    pub fn has_api_key(&self) -> bool {
        self.api_key.is_some()
    }
}

impl fmt::Debug for RequestContext {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let key = if self.api_key.is_some() { "<redacted>" } else { "<none>" };
        f.debug_struct("RequestContext").field("api_key", &key).finish()
    }
}

/// An API key that cannot be sent as an HTTP header value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InvalidApiKey;

impl fmt::Display for InvalidApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the API key contains characters that cannot be sent in an HTTP header")
    }
}

impl std::error::Error for InvalidApiKey {}

impl ClientHooks<RequestContext> for Client {
    async fn pre<E>(&self, request: &mut reqwest::Request, _info: &OperationInfo) -> Result<(), Error<E>> {
        let headers = request.headers_mut();
        headers.remove(PROGENITOR_VERSION_HEADER);
        if let Some(key) = &self.inner().api_key {
            headers.insert(HeaderName::from_static("x-api-key"), key.clone());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_key() {
        let context = RequestContext::with_api_key("sk-very-secret").unwrap();
        let shown = format!("{context:?}");
        assert!(!shown.contains("very-secret"), "{shown}");
        assert!(shown.contains("<redacted>"));
        let client = Client::new_with_client("http://127.0.0.1:1", reqwest::Client::new(), context);
        assert!(!format!("{client:?}").contains("very-secret"));
    }

    #[test]
    fn keys_that_cannot_be_headers_are_refused() {
        assert_eq!(RequestContext::with_api_key("line\nbreak").unwrap_err(), InvalidApiKey);
    }
}
