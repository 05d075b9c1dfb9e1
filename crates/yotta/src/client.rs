//! The client and its configuration.

use crate::base_url::BaseUrl;
use crate::error::{Error, Result};
use crate::operation::ApiVersion;
use crate::retry::RetryPolicy;
use crate::transport::{DEFAULT_MAX_BODY_BYTES, Transport, default_transport};
use crate::{Endpoints, Logs, Tasks, Workers};
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// Where the Yotta API lives.
pub const DEFAULT_BASE_URL: &str = "https://api.yottalabs.ai";

/// How long one attempt of a call may take before it fails with [`Error::Timeout`].
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// A Yotta Labs Serverless client. Cheap to clone (clones share one connection pool).
///
/// ```no_run
/// # async fn demo() -> yotta::Result<()> {
/// use yotta::{Client, EndpointStatus};
/// let client = Client::from_env()?; // YOTTA_API_KEY, YOTTA_BASE_URL, YOTTA_API_VERSION
/// for endpoint in client.endpoints().list(&[EndpointStatus::Running]).await? {
///     println!("{} {} {}", endpoint.id, endpoint.name, endpoint.status);
/// }
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) transport: Arc<dyn Transport>,
    pub(crate) version: ApiVersion,
    pub(crate) base_url: BaseUrl,
    pub(crate) api_key: Option<ApiKey>,
    pub(crate) timeout: Duration,
    pub(crate) retry: RetryPolicy,
    pub(crate) max_body_bytes: usize,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.inner;
        f.debug_struct("Client")
            .field("base_url", &inner.base_url.text)
            .field("api_version", &inner.version)
            .field("api_key", &inner.api_key.as_ref().map_or("<none>", |_| "<redacted>"))
            .field("timeout", &inner.timeout)
            .field("retry", &inner.retry)
            .field("max_body_bytes", &inner.max_body_bytes)
            .field("transport", &inner.transport)
            .finish()
    }
}

impl Client {
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client for the production API with `api_key` and every default.
    pub fn new(api_key: impl Into<String>) -> Result<Self> {
        Self::builder().api_key(api_key).build()
    }

    /// A client configured from `YOTTA_API_KEY`, `YOTTA_BASE_URL` and `YOTTA_API_VERSION`.
    pub fn from_env() -> Result<Self> {
        ClientBuilder::from_env()?.build()
    }

    pub fn api_version(&self) -> ApiVersion {
        self.inner.version
    }

    pub fn base_url(&self) -> &str {
        &self.inner.base_url.text
    }

    /// Create, inspect, start, stop, scale and delete endpoints.
    pub fn endpoints(&self) -> Endpoints<'_> {
        Endpoints { client: self }
    }

    /// List an endpoint's workers.
    pub fn workers(&self) -> Workers<'_> {
        Workers { client: self }
    }

    /// Read workers' logs, one page at a time or as a stream.
    pub fn logs(&self) -> Logs<'_> {
        Logs { client: self }
    }

    /// Submit and track tasks of QUEUE-mode endpoints.
    pub fn tasks(&self) -> Tasks<'_> {
        Tasks { client: self }
    }
}

/// An API key; never shown by `Debug`.
#[derive(Clone)]
pub(crate) struct ApiKey(String);

impl ApiKey {
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// Configures a [`Client`].
#[derive(Debug, Clone, Default)]
pub struct ClientBuilder {
    api_key: Option<ApiKey>,
    base_url: Option<String>,
    version: ApiVersion,
    timeout: Option<Duration>,
    retry: RetryPolicy,
    max_body_bytes: Option<usize>,
    transport: Option<Arc<dyn Transport>>,
}

impl ClientBuilder {
    /// A builder preset from `YOTTA_API_KEY`, `YOTTA_BASE_URL` and `YOTTA_API_VERSION` (each
    /// optional), for further settings before `build`.
    pub fn from_env() -> Result<Self> {
        let mut builder = Self::default();
        if let Some(key) = env("YOTTA_API_KEY") {
            builder = builder.api_key(key);
        }
        if let Some(url) = env("YOTTA_BASE_URL") {
            builder = builder.base_url(url);
        }
        if let Some(version) = env("YOTTA_API_VERSION") {
            builder = builder.api_version(
                version
                    .parse()
                    .map_err(|rule| Error::validation("YOTTA_API_VERSION", rule))?,
            );
        }
        Ok(builder)
    }

    /// The key sent as `X-API-Key`. Without one, requests carry no key (for a proxy that adds it).
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = Some(ApiKey(key.into()));
        self
    }

    /// Default `https://api.yottalabs.ai`.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Default v2.
    pub fn api_version(mut self, version: ApiVersion) -> Self {
        self.version = version;
        self
    }

    /// Per-attempt time limit (default 30 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Shorthand for changing only the retry count (default 2).
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.retry.max_retries = retries;
        self
    }

    /// The largest response body accepted (default [`DEFAULT_MAX_BODY_BYTES`], 32 MiB); a
    /// longer one fails the call with a decode error instead of filling memory.
    pub fn max_body_bytes(mut self, bytes: usize) -> Self {
        self.max_body_bytes = Some(bytes);
        self
    }

    /// Send requests through `transport` instead of the default (reqwest natively, `fetch`
    /// in JavaScript runtimes).
    pub fn transport(mut self, transport: Arc<dyn Transport>) -> Self {
        self.transport = Some(transport);
        self
    }

    /// Use this reqwest client (proxies, TLS roots, connection pool). The API key is added per
    /// request, so the client needs no default headers; its redirect policy applies (the
    /// default client follows redirects only within the API's origin).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn http_client(self, client: reqwest::Client) -> Self {
        self.transport(Arc::new(crate::transport::ReqwestTransport::with_client(client)))
    }

    pub fn build(self) -> Result<Client> {
        let base_url = BaseUrl::parse(self.base_url.as_deref().unwrap_or(DEFAULT_BASE_URL))?;
        if let Some(ApiKey(key)) = &self.api_key {
            let key = key.trim();
            if key.is_empty() {
                return Err(Error::validation("apiKey", "must not be empty"));
            }
            if !key.bytes().all(|b| (0x20..0x7f).contains(&b)) {
                return Err(Error::validation(
                    "apiKey",
                    "contains characters that cannot be sent in an HTTP header",
                ));
            }
            if !base_url.https && !base_url.is_loopback() {
                return Err(Error::validation(
                    "baseUrl",
                    "refusing to send the API key over plain http to a non-loopback host: use https",
                ));
            }
        }
        let transport = match self.transport {
            Some(transport) => transport,
            None => default_transport()?,
        };
        // Browsers have one thread: there the transport need not be Send or Sync.
        #[cfg_attr(target_arch = "wasm32", allow(clippy::arc_with_non_send_sync))]
        let inner = Arc::new(Inner {
            transport,
            version: self.version,
            base_url,
            api_key: self.api_key.map(|ApiKey(key)| ApiKey(key.trim().to_string())),
            timeout: self.timeout.unwrap_or(DEFAULT_TIMEOUT),
            retry: self.retry,
            max_body_bytes: self.max_body_bytes.unwrap_or(DEFAULT_MAX_BODY_BYTES),
        });
        Ok(Client { inner })
    }
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_key() {
        let client = Client::builder().api_key("sk-live-secret").build().unwrap();
        let text = format!("{client:?} {:?}", Client::builder().api_key("sk-live-secret"));
        assert!(!text.contains("sk-live-secret"), "{text}");
        assert!(text.contains("<redacted>"));
    }

    #[test]
    fn a_key_is_never_sent_over_plain_http_to_another_host() {
        let error = Client::builder()
            .api_key("k")
            .base_url("http://api.example.com")
            .build()
            .unwrap_err();
        assert_eq!(error.field(), Some("baseUrl"));
        assert!(error.to_string().contains("plain http"));
        for local in ["http://127.0.0.1:8787", "http://localhost:9", "http://[::1]:80/"] {
            Client::builder().api_key("k").base_url(local).build().unwrap();
        }
        // Without a key (a same-origin proxy adds it), plain http is fine.
        Client::builder().base_url("http://console.internal").build().unwrap();
    }

    #[test]
    fn bad_settings_name_their_field() {
        assert_eq!(
            Client::builder().base_url("not a url").build().unwrap_err().field(),
            Some("baseUrl")
        );
        assert_eq!(
            Client::builder().base_url("ftp://x").build().unwrap_err().field(),
            Some("baseUrl")
        );
        assert_eq!(
            Client::builder().api_key(" ").build().unwrap_err().field(),
            Some("apiKey")
        );
        assert_eq!(
            Client::builder().api_key("a\nb").build().unwrap_err().field(),
            Some("apiKey")
        );
    }

    #[test]
    fn defaults() {
        let client = Client::new("k").unwrap();
        assert_eq!(client.base_url(), DEFAULT_BASE_URL);
        assert_eq!(client.api_version(), ApiVersion::V2);
        assert_eq!(client.inner.timeout, DEFAULT_TIMEOUT);
        assert_eq!(client.inner.retry.max_retries, 2);
        let trimmed = Client::builder().base_url("http://127.0.0.1:1/").build().unwrap();
        assert_eq!(trimmed.base_url(), "http://127.0.0.1:1");
    }
}
