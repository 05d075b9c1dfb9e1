//! The client and its configuration.

use crate::base_url::BaseUrl;
use crate::error::{Error, Result};
use crate::observe::Observer;
use crate::operation::ApiVersion;
use crate::options::{RequestOptions, check_header};
use crate::ratelimit::Limiter;
use crate::retry::RetryPolicy;
use crate::transport::{DEFAULT_MAX_BODY_BYTES, Transport, default_transport};
use crate::{Credentials, Endpoints, Logs, Tasks, Workers};
use secrecy::{ExposeSecret, SecretString};
use std::borrow::Cow;
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
    /// Set on a view made by [`Client::with_options`].
    pub(crate) options: Option<Arc<RequestOptions>>,
}

pub(crate) struct Inner {
    pub(crate) transport: Arc<dyn Transport>,
    pub(crate) version: ApiVersion,
    pub(crate) base_url: BaseUrl,
    pub(crate) api_key: Option<SecretString>,
    pub(crate) timeout: Duration,
    pub(crate) deadline: Option<Duration>,
    pub(crate) retry: RetryPolicy,
    pub(crate) max_body_bytes: usize,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) observer: Option<Observer>,
    /// The documented rate limits, kept on this side (on by default).
    pub(crate) limiter: Option<Limiter>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.inner;
        f.debug_struct("Client")
            .field("base_url", &inner.base_url.text)
            .field("api_version", &inner.version)
            .field("api_key", &inner.api_key.as_ref().map_or("<none>", |_| "<redacted>"))
            .field("timeout", &inner.timeout)
            .field("deadline", &inner.deadline)
            .field("retry", &inner.retry)
            .field("max_body_bytes", &inner.max_body_bytes)
            .field("headers", &inner.headers)
            .field("options", &self.options)
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

    /// A client configured from `YOTTA_API_KEY` (required), `YOTTA_BASE_URL` and
    /// `YOTTA_API_VERSION`. Without a key it fails with [`ErrorKind::Configuration`] naming
    /// `YOTTA_API_KEY`, before any request; for a proxy that adds the key, use [`Client::keyless`].
    ///
    /// [`ErrorKind::Configuration`]: crate::ErrorKind::Configuration
    pub fn from_env() -> Result<Self> {
        ClientBuilder::from_env()?.build()
    }

    /// A client that sends no API key, for a proxy at `base_url` that adds it (a dashboard's
    /// same-origin proxy, `yotta-sim --upstream`).
    pub fn keyless(base_url: impl Into<String>) -> Result<Self> {
        Self::builder().base_url(base_url).build()
    }

    /// A view of this client whose calls use `options` (timeout, deadline, retries, extra
    /// headers) instead of the client's settings. Cheap: it shares the connection pool.
    pub fn with_options(&self, options: RequestOptions) -> Client {
        Client {
            inner: self.inner.clone(),
            options: Some(Arc::new(options)),
        }
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

    /// Registry credentials, for endpoints with private images.
    pub fn credentials(&self) -> Credentials<'_> {
        Credentials { client: self }
    }

    /// The per-attempt time limit of this client's calls.
    pub(crate) fn attempt_timeout(&self) -> Duration {
        self.options
            .as_ref()
            .and_then(|o| o.timeout)
            .unwrap_or(self.inner.timeout)
    }

    /// The time limit of a whole call, if any.
    pub(crate) fn deadline(&self) -> Option<Duration> {
        self.options.as_ref().and_then(|o| o.deadline).or(self.inner.deadline)
    }

    /// The retry policy of this client's calls.
    pub(crate) fn retry_policy(&self) -> RetryPolicy {
        let mut policy = self.inner.retry.clone();
        if let Some(retries) = self.options.as_ref().and_then(|o| o.max_retries) {
            policy.max_retries = retries;
        }
        policy
    }

    /// Every header a request carries besides `accept` and `content-type`.
    pub(crate) fn request_headers(&self) -> Vec<(Cow<'static, str>, String)> {
        let mut headers = Vec::new();
        if let Some(key) = &self.inner.api_key {
            headers.push((Cow::Borrowed("x-api-key"), key.expose_secret().to_string()));
        }
        let extra = self.options.iter().flat_map(|o| o.headers.iter());
        for (name, value) in self.inner.headers.iter().chain(extra) {
            headers.push((Cow::Owned(name.clone()), value.clone()));
        }
        headers
    }
}

/// Configures a [`Client`].
#[derive(Debug, Clone, Default)]
pub struct ClientBuilder {
    api_key: Option<SecretString>,
    base_url: Option<String>,
    version: ApiVersion,
    timeout: Option<Duration>,
    deadline: Option<Duration>,
    retry: RetryPolicy,
    max_body_bytes: Option<usize>,
    headers: Vec<(String, String)>,
    transport: Option<Arc<dyn Transport>>,
    observer: Option<Installed>,
    /// `Some(false)` turns the client-side rate limiting off.
    rate_limits: Option<bool>,
}

/// An installed observer, shown by `Debug` as such (closures have no `Debug`).
#[derive(Clone)]
struct Installed(Observer);

impl fmt::Debug for Installed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<observer>")
    }
}

/// The environment variable holding the API key.
pub const API_KEY_VARIABLE: &str = "YOTTA_API_KEY";

impl ClientBuilder {
    /// A builder preset from `YOTTA_API_KEY` (required), `YOTTA_BASE_URL` and
    /// `YOTTA_API_VERSION`, for further settings before `build`.
    pub fn from_env() -> Result<Self> {
        Self::from_variables(|name| std::env::var(name).ok())
    }

    /// `from_env` over any source of variables; an empty or blank value counts as unset.
    fn from_variables(lookup: impl Fn(&str) -> Option<String>) -> Result<Self> {
        let var = |name: &str| lookup(name).filter(|value| !value.trim().is_empty());
        let mut builder = Self::default();
        match var(API_KEY_VARIABLE) {
            Some(key) => builder = builder.api_key(key),
            None => {
                return Err(Error::Configuration {
                    setting: API_KEY_VARIABLE.into(),
                    message: "is not set: export your API key (the SDK sends it as X-API-Key)".into(),
                });
            }
        }
        if let Some(url) = var("YOTTA_BASE_URL") {
            builder = builder.base_url(url);
        }
        if let Some(version) = var("YOTTA_API_VERSION") {
            builder = builder.api_version(
                version
                    .parse()
                    .map_err(|rule| Error::validation("YOTTA_API_VERSION", rule))?,
            );
        }
        Ok(builder)
    }

    /// The key sent as `X-API-Key`. Without one, `build` needs an explicit base URL (a proxy
    /// that adds the key).
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = Some(SecretString::from(key.into()));
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

    /// Time limit of a whole call, retries and their pauses included (default none: at most
    /// `(max_retries + 1) × timeout` plus backoff).
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
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

    /// A header sent with every request (checked when the client is built).
    pub fn default_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Calls `observer` after every HTTP attempt (method, path, status, attempt, duration, the
    /// retry delay): for logging and metrics. Natively the same events also go to `tracing`
    /// (target `yotta`, DEBUG). They never include the API key.
    pub fn observe(mut self, observer: Observer) -> Self {
        self.observer = Some(Installed(observer));
        self
    }

    /// Whether calls wait for the documented rate limits (today the v1 task API's: per endpoint
    /// and global QPS) instead of collecting HTTP 429s. On by default; turn it off when
    /// something else in front of the client already paces the calls.
    pub fn rate_limits(mut self, on: bool) -> Self {
        self.rate_limits = Some(on);
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
        if self.api_key.is_none() && self.base_url.is_none() {
            return Err(Error::Configuration {
                setting: API_KEY_VARIABLE.into(),
                message: "no API key: set YOTTA_API_KEY or pass one; for a proxy that adds the key, set the base URL"
                    .into(),
            });
        }
        let base_url = BaseUrl::parse(self.base_url.as_deref().unwrap_or(DEFAULT_BASE_URL))?;
        let api_key = match self.api_key {
            None => None,
            Some(key) => {
                let key = key.expose_secret().trim();
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
                Some(SecretString::from(key.to_string()))
            }
        };
        let headers = self
            .headers
            .iter()
            .map(|(name, value)| check_header(name, value))
            .collect::<Result<Vec<_>>>()?;
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
            api_key,
            timeout: self.timeout.unwrap_or(DEFAULT_TIMEOUT),
            deadline: self.deadline,
            retry: self.retry,
            max_body_bytes: self.max_body_bytes.unwrap_or(DEFAULT_MAX_BODY_BYTES),
            headers,
            observer: self.observer.map(|Installed(observer)| observer),
            limiter: self.rate_limits.unwrap_or(true).then(Limiter::default),
        });
        Ok(Client { inner, options: None })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

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

    /// `from_env` read through a map instead of the process environment, which tests must not
    /// change while other threads may read it.
    fn from_map(variables: &[(&str, &str)]) -> Result<Client> {
        let lookup = |name: &str| {
            variables
                .iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| value.to_string())
        };
        ClientBuilder::from_variables(lookup)?.build()
    }

    #[test]
    fn configuration_comes_from_the_environment() {
        let client = from_map(&[
            ("YOTTA_API_KEY", "env-key"),
            ("YOTTA_BASE_URL", "http://127.0.0.1:8787/"),
            ("YOTTA_API_VERSION", "v1"),
        ])
        .unwrap();
        assert_eq!(client.base_url(), "http://127.0.0.1:8787");
        assert_eq!(client.api_version(), ApiVersion::V1);
        assert!(format!("{client:?}").contains("<redacted>"));

        let error = from_map(&[("YOTTA_API_KEY", "k"), ("YOTTA_API_VERSION", "v3")]).unwrap_err();
        assert_eq!(
            (error.kind(), error.field()),
            (ErrorKind::Validation, Some("YOTTA_API_VERSION"))
        );

        let error = from_map(&[("YOTTA_API_KEY", "k"), ("YOTTA_BASE_URL", "http://api.example.com")]).unwrap_err();
        assert_eq!(
            error.field(),
            Some("baseUrl"),
            "the key is never sent over plain http to another host"
        );

        // No key anywhere (or a blank one): a configuration error naming the variable, before
        // any request.
        for variables in [&[][..], &[("YOTTA_API_KEY", "  ")][..]] {
            let error = from_map(variables).unwrap_err();
            assert_eq!(
                (error.kind(), error.field()),
                (ErrorKind::Configuration, Some("YOTTA_API_KEY"))
            );
            assert!(error.advice().unwrap().contains("YOTTA_API_KEY"));
        }
        // A blank version is unset, so the default holds.
        let client = from_map(&[("YOTTA_API_KEY", "k"), ("YOTTA_API_VERSION", "")]).unwrap();
        assert_eq!(client.api_version(), ApiVersion::V2);
    }

    #[test]
    fn a_keyless_client_needs_its_proxy_url() {
        assert_eq!(Client::builder().build().unwrap_err().kind(), ErrorKind::Configuration);
        let proxied = Client::keyless("http://127.0.0.1:8787").unwrap();
        assert_eq!(
            (proxied.base_url(), proxied.api_version()),
            ("http://127.0.0.1:8787", ApiVersion::V2)
        );
    }
}
