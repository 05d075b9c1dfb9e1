//! The option objects of the package's methods, as JavaScript passes them (callbacks and the
//! signal already taken out). Unknown fields are refused, naming the field, so a misspelt option
//! is not silently ignored.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::time::Duration;

/// Options of `new YottaClient(options)`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(any(test, feature = "schema"), derive(schemars::JsonSchema))]
pub struct ClientOptions {
    /// Default: `YOTTA_BASE_URL` in Node, Bun and Deno; in a browser without `apiKey`, the
    /// page's origin (a same-origin proxy adds the key; a path such as `'/api/yotta'` is taken
    /// on that origin); else `https://api.yottalabs.ai`.
    pub base_url: Option<String>,
    /// Sent as `X-API-Key`. Default: `YOTTA_API_KEY` in Node, Bun and Deno. Leave it out in
    /// browsers and serve the API through a proxy that adds it (`createProxyHandler`).
    pub api_key: Option<String>,
    /// Default: `YOTTA_API_VERSION` in Node, Bun and Deno, else `"v2"`.
    pub api_version: Option<ApiVersionName>,
    /// Per-attempt time limit in milliseconds (default 30000).
    pub timeout_ms: Option<u32>,
    /// Retries after transient failures (default 2).
    pub max_retries: Option<u32>,
    /// Headers sent with every request, e.g. `{ 'x-team': 'ml' }` (the SDK's own headers, such
    /// as `x-api-key` and `content-type`, cannot be replaced).
    pub default_headers: Option<BTreeMap<String, String>>,
}

/// The facade's per-call options from a method's last argument (`timeoutMs`, `maxRetries`,
/// `headers` as name, value, name, value...), or `None` when nothing is set (the client's own
/// settings apply). Passed as plain values, not JSON, which keeps the package smaller.
pub fn request_options(
    timeout_ms: Option<u32>,
    max_retries: Option<u32>,
    headers: &[String],
) -> yotta::Result<Option<yotta::RequestOptions>> {
    if timeout_ms.is_none() && max_retries.is_none() && headers.is_empty() {
        return Ok(None);
    }
    let mut options = yotta::RequestOptions::new();
    if let Some(ms) = timeout_ms {
        options = options.deadline(Duration::from_millis(ms.into()));
    }
    if let Some(retries) = max_retries {
        options = options.max_retries(retries);
    }
    for pair in headers.chunks(2) {
        options = options.header(&pair[0], pair.get(1).map_or("", String::as_str))?;
    }
    Ok(Some(options))
}

#[derive(Debug, Clone, Copy, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(any(test, feature = "schema"), derive(schemars::JsonSchema))]
pub enum ApiVersionName {
    V1,
    V2,
}

impl From<ApiVersionName> for yotta::ApiVersion {
    fn from(name: ApiVersionName) -> Self {
        match name {
            ApiVersionName::V1 => yotta::ApiVersion::V1,
            ApiVersionName::V2 => yotta::ApiVersion::V2,
        }
    }
}

/// How a wait polls (the callback and signal are passed beside these).
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(any(test, feature = "schema"), derive(schemars::JsonSchema))]
pub struct WaitOptions {
    /// Give up after this many milliseconds (default 600000).
    pub timeout_ms: Option<u32>,
    /// First pause between polls in milliseconds (default 1000; grows to 10000).
    pub interval_ms: Option<u32>,
}

impl From<WaitOptions> for yotta::WaitOptions {
    fn from(options: WaitOptions) -> Self {
        let mut wait = yotta::WaitOptions::default();
        if let Some(ms) = options.timeout_ms {
            wait = wait.timeout(Duration::from_millis(ms.into()));
        }
        if let Some(ms) = options.interval_ms {
            wait = wait.interval(Duration::from_millis(ms.into()));
        }
        wait
    }
}

/// One value or several (`{ status: 'RUNNING' }` or `{ status: ['RUNNING', 'STOPPED'] }`).
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum OneOrMany<T> {
    One(T),
    Many(Vec<T>),
}

/// The status filter of `listEndpoints` and `listWorkers`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatusFilter<T> {
    pub status: Option<OneOrMany<T>>,
}

impl<T: Clone> StatusFilter<T> {
    pub fn statuses(&self) -> Vec<T> {
        match &self.status {
            None => Vec::new(),
            Some(OneOrMany::One(one)) => vec![one.clone()],
            Some(OneOrMany::Many(many)) => many.clone(),
        }
    }
}

/// The filter of `tasks()`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaskFilter {
    pub status: Option<yotta::TaskStatus>,
}

/// `follow` and `followIntervalMs` of `workerLogs()`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FollowOptions {
    pub follow: Option<bool>,
    pub follow_interval_ms: Option<u32>,
}

impl FollowOptions {
    /// Default 2 s between polls at the end of the log.
    pub fn interval_ms(&self) -> u32 {
        self.follow_interval_ms.unwrap_or(2000)
    }
}
