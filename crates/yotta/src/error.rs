//! The one error type of the facade.

use crate::operation::{Call, Operation};
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// The underlying error of a network or decode failure, shared so [`Error`] stays `Clone`.
pub type Cause = Arc<dyn std::error::Error + Send + Sync>;

/// Result alias for the facade.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What kind of failure an [`Error`] is, independent of how it arrived. The same names (in
/// camelCase) are the `kind` of the JavaScript `YottaError`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The endpoint does not exist (codes 14000, 24001).
    NotFound,
    /// The API rejected a parameter (code 10001, or HTTP 400).
    InvalidParameter,
    /// The endpoint's state forbids the action, e.g. deleting a running endpoint (code 24002).
    NotAllowed,
    /// The organisation's deployment limit is reached (code 24003).
    QuotaExceeded,
    /// Not enough GPUs of the requested type in the region (code 24009).
    InsufficientGpus,
    /// The task does not exist (code 24011).
    TaskNotFound,
    /// The service is unavailable (code 24000), or a waited-for endpoint failed.
    Unavailable,
    /// The API failed internally (codes 10002, 50001).
    Internal,
    /// Too many requests (HTTP 429 or the v1 task API's code 429).
    RateLimited,
    /// The API key is missing or rejected (HTTP 401/403).
    Unauthorized,
    /// The SDK refused the input before sending anything.
    Validation,
    /// An HTTP error whose body is not an API envelope (e.g. a gateway's HTML page).
    Http,
    /// No response in time, or a waiter's deadline passed.
    Timeout,
    /// The connection failed.
    Network,
    /// A response that could not be decoded.
    Decode,
    /// The caller cancelled the call (JavaScript `AbortSignal`).
    Aborted,
    /// A setting the client needs is missing or unusable (e.g. no API key anywhere).
    Configuration,
    /// A task ran and FAILED (from `tasks().run`, which returns a task's output).
    TaskFailed,
    /// A business code the docs do not list.
    Unknown,
}

impl ErrorKind {
    /// camelCase name, as in JavaScript.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::NotFound => "notFound",
            ErrorKind::InvalidParameter => "invalidParameter",
            ErrorKind::NotAllowed => "notAllowed",
            ErrorKind::QuotaExceeded => "quotaExceeded",
            ErrorKind::InsufficientGpus => "insufficientGpus",
            ErrorKind::TaskNotFound => "taskNotFound",
            ErrorKind::Unavailable => "unavailable",
            ErrorKind::Internal => "internal",
            ErrorKind::RateLimited => "rateLimited",
            ErrorKind::Unauthorized => "unauthorized",
            ErrorKind::Validation => "validation",
            ErrorKind::Http => "http",
            ErrorKind::Timeout => "timeout",
            ErrorKind::Network => "network",
            ErrorKind::Decode => "decode",
            ErrorKind::Aborted => "aborted",
            ErrorKind::Configuration => "configuration",
            ErrorKind::TaskFailed => "taskFailed",
            ErrorKind::Unknown => "unknown",
        }
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for ErrorKind {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "ErrorKind".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let kinds: Vec<&str> = ErrorKind::ALL.iter().map(|k| k.as_str()).collect();
        schemars::json_schema!({"enum": kinds})
    }
}

impl ErrorKind {
    /// Every kind, in declaration order.
    pub const ALL: [ErrorKind; 19] = [
        ErrorKind::NotFound,
        ErrorKind::InvalidParameter,
        ErrorKind::NotAllowed,
        ErrorKind::QuotaExceeded,
        ErrorKind::InsufficientGpus,
        ErrorKind::TaskNotFound,
        ErrorKind::Unavailable,
        ErrorKind::Internal,
        ErrorKind::RateLimited,
        ErrorKind::Unauthorized,
        ErrorKind::Validation,
        ErrorKind::Http,
        ErrorKind::Timeout,
        ErrorKind::Network,
        ErrorKind::Decode,
        ErrorKind::Aborted,
        ErrorKind::Configuration,
        ErrorKind::TaskFailed,
        ErrorKind::Unknown,
    ];
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Everything that can go wrong in a call.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The API refused the call with a business code in its envelope. Usually HTTP 200; an
    /// envelope on an HTTP error status (e.g. 400 for unparsable input) lands here too.
    #[error("{call}: {message} (code {code}, {kind})")]
    Api {
        call: Call,
        code: i32,
        kind: ErrorKind,
        message: String,
        http_status: u16,
    },

    /// The SDK refused the input before sending anything: `field` names the input (e.g.
    /// `resources[1].gpuCount`), `rule` says what it must satisfy.
    #[error("invalid {field}: {rule}")]
    Validation { field: String, rule: String },

    /// The client cannot be configured: `setting` names what is missing or unusable (e.g.
    /// `YOTTA_API_KEY`), `message` says how to provide it.
    #[error("{setting}: {message}")]
    Configuration { setting: String, message: String },

    /// An HTTP error status whose body is not an API envelope (gateway HTML page, empty 503...).
    /// `body_excerpt` keeps the start of the body; the message shows a one-line summary of it.
    #[error("{call}: HTTP {status}{}", excerpt_suffix(&crate::transport::body_summary(body_excerpt)))]
    Http {
        call: Call,
        status: u16,
        body_excerpt: String,
        retry_after: Option<Duration>,
    },

    /// A response that could not be decoded (or was larger than the client accepts);
    /// `message` names the field when one is at fault, `body_excerpt` is the start of the text
    /// that failed, `source` the decoder's own error.
    #[error("{call}: could not decode the response: {message}{}", excerpt_suffix(body_excerpt))]
    Decode {
        call: Call,
        message: String,
        body_excerpt: String,
        http_status: u16,
        #[source]
        source: Option<Cause>,
    },

    /// No response within the configured timeout (per attempt).
    #[error("{call}: no response within {}", humanize(*after))]
    Timeout { call: Call, after: Duration },

    /// The connection failed; `connected` is false when the request never left the client.
    /// `message` is the whole chain of causes on one line; `source` is the transport's error.
    #[error("{call}: network error: {message}")]
    Network {
        call: Call,
        message: String,
        connected: bool,
        #[source]
        source: Option<Cause>,
    },

    /// A waiter gave up at its deadline; `last_status` is the last state it saw.
    #[error("gave up waiting for {target} after {}: last status {}", humanize(*waited), last_status.as_deref().unwrap_or("unknown"))]
    WaitTimeout {
        target: String,
        waited: Duration,
        last_status: Option<String>,
    },

    /// A waited-for endpoint entered FAILED, so the wanted status will not come.
    #[error("endpoint {endpoint_id} entered FAILED while waiting for {wanted}")]
    EndpointFailed { endpoint_id: String, wanted: String },

    /// A task run with `tasks().run` ended FAILED; `reason` is the task's own error.
    #[error("task {task_id} on endpoint {endpoint_id} failed: {}", reason.as_deref().unwrap_or("no reason given"))]
    TaskFailed {
        endpoint_id: String,
        task_id: String,
        reason: Option<String>,
    },
}

fn excerpt_suffix(excerpt: &str) -> String {
    if excerpt.is_empty() {
        String::new()
    } else {
        format!(": {excerpt}")
    }
}

fn humanize(duration: Duration) -> String {
    if duration.as_millis() < 1000 {
        format!("{} ms", duration.as_millis())
    } else {
        format!("{:.1} s", duration.as_secs_f64())
    }
}

/// At most this much of a body is kept in errors: enough to recognise an HTML error page or
/// the JSON that failed to decode, without holding megabytes.
pub(crate) const EXCERPT_LIMIT: usize = 512;

pub(crate) fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let text = text.trim();
    if text.len() <= EXCERPT_LIMIT {
        return text.to_string();
    }
    format!("{}…", &text[..text.floor_char_boundary(EXCERPT_LIMIT)])
}

impl Error {
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Api { kind, .. } => *kind,
            Error::Validation { .. } => ErrorKind::Validation,
            Error::Configuration { .. } => ErrorKind::Configuration,
            Error::Http { status: 401 | 403, .. } => ErrorKind::Unauthorized,
            Error::Http { status: 429, .. } => ErrorKind::RateLimited,
            Error::Http { .. } => ErrorKind::Http,
            Error::Decode { .. } => ErrorKind::Decode,
            Error::Timeout { .. } | Error::WaitTimeout { .. } => ErrorKind::Timeout,
            Error::Network { .. } => ErrorKind::Network,
            Error::EndpointFailed { .. } => ErrorKind::Unavailable,
            Error::TaskFailed { .. } => ErrorKind::TaskFailed,
        }
    }

    /// The business code, for API errors.
    pub fn code(&self) -> Option<i32> {
        match self {
            Error::Api { code, .. } => Some(*code),
            _ => None,
        }
    }

    /// The HTTP status of the response that carried the error, if there was one.
    pub fn http_status(&self) -> Option<u16> {
        match self {
            Error::Api { http_status, .. } | Error::Decode { http_status, .. } => Some(*http_status),
            Error::Http { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The input field a validation error is about (or the setting a configuration error is).
    pub fn field(&self) -> Option<&str> {
        match self {
            Error::Validation { field, .. } => Some(field),
            Error::Configuration { setting, .. } => Some(setting),
            _ => None,
        }
    }

    /// The start of the body of the response that failed, for HTTP and decode errors.
    pub fn body_excerpt(&self) -> Option<&str> {
        match self {
            Error::Http { body_excerpt, .. } | Error::Decode { body_excerpt, .. } => Some(body_excerpt),
            _ => None,
        }
    }

    /// The call that failed, for errors that come from one.
    pub fn call(&self) -> Option<Call> {
        match self {
            Error::Api { call, .. }
            | Error::Http { call, .. }
            | Error::Decode { call, .. }
            | Error::Timeout { call, .. }
            | Error::Network { call, .. } => Some(*call),
            _ => None,
        }
    }

    /// The server's requested delay before retrying (HTTP `Retry-After`).
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::Http { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// A sentence for people, naming what to do where the cause is known (e.g. "cannot delete
    /// an endpoint that is not stopped: stop it first").
    pub fn advice(&self) -> Option<&'static str> {
        let operation = self.call().map(|c| c.operation);
        Some(match (self, self.kind(), operation) {
            (Error::EndpointFailed { .. }, ..) => {
                "the endpoint failed: read its workers' logs, fix the cause, then stop and start it"
            }
            (Error::WaitTimeout { .. }, ..) => "the wait ended first: the endpoint or task may still get there",
            (Error::TaskFailed { .. }, ..) => "the task failed on the worker: read its error and the worker's logs",
            (Error::Configuration { .. }, ..) => {
                "set YOTTA_API_KEY (or pass an API key); to call a proxy that adds the key, set the base URL"
            }
            (_, ErrorKind::NotAllowed, Some(Operation::DeleteEndpoint)) => {
                "cannot delete an endpoint that is not stopped: stop it first"
            }
            (_, ErrorKind::NotAllowed, Some(Operation::UpdateEndpoint)) => {
                "an endpoint can only be updated while it is stopped: stop it first"
            }
            (_, ErrorKind::NotAllowed, Some(Operation::StartEndpoint)) => {
                "only a stopped endpoint can be started: wait until it has stopped"
            }
            (_, ErrorKind::NotAllowed, Some(Operation::StopEndpoint)) => {
                "the endpoint cannot be stopped now: it may already be stopped or stopping"
            }
            (_, ErrorKind::NotAllowed, Some(Operation::DeleteCredential)) => {
                "the credential is in use: delete the endpoints that use it (or point them at another) first"
            }
            (_, ErrorKind::NotAllowed, _) => "the endpoint's current state does not allow this action",
            (
                _,
                ErrorKind::NotFound,
                Some(
                    Operation::GetCredential
                    | Operation::UpdateCredential
                    | Operation::DeleteCredential
                    | Operation::CreateEndpoint
                    | Operation::UpdateEndpoint,
                ),
            ) if self.code() == Some(10_007) => "no such record: check the credential id",
            (_, ErrorKind::NotFound, _) => "no such endpoint: it may have been deleted",
            (_, ErrorKind::TaskNotFound, _) => "no such task on this endpoint",
            (_, ErrorKind::QuotaExceeded, _) => {
                "the deployment limit is reached: delete an endpoint you no longer need"
            }
            (_, ErrorKind::InsufficientGpus, _) => {
                "not enough GPUs of this type in this region: lower the worker count or pick another region or GPU type"
            }
            (_, ErrorKind::Unavailable, Some(Operation::SubmitTask)) => {
                "the endpoint is not taking tasks now: start it, or try again once it is running"
            }
            (_, ErrorKind::Unavailable, _) => "the service is unavailable right now: try again shortly",
            (_, ErrorKind::Internal, _) => "the API failed internally: try again shortly, and report it if it persists",
            (_, ErrorKind::RateLimited, _) => "too many requests: wait a moment and try again",
            (_, ErrorKind::Unauthorized, _) => "the API key is missing or was rejected",
            (_, ErrorKind::InvalidParameter, Some(Operation::SubmitTask)) => {
                "the task was rejected: tasks need a QUEUE-mode endpoint and valid parameters"
            }
            (_, ErrorKind::Network, _) => "the API could not be reached: check the network connection and the base URL",
            (Error::Timeout { .. }, ..) => "the API did not answer in time: try again, or allow a longer timeout",
            (Error::Http { status: 404 | 405, .. }, ..) => {
                "nothing serves this call at the base URL: check the base URL and the API version"
            }
            (Error::Http { status: 500..=599, .. }, ..) => {
                "the API or a gateway in front of it failed: try again shortly"
            }
            (_, ErrorKind::Decode, _) => "the API's answer could not be read: this SDK may be older than the API",
            _ => return None,
        })
    }

    pub(crate) fn validation(field: impl Into<String>, rule: impl Into<String>) -> Self {
        Error::Validation {
            field: field.into(),
            rule: rule.into(),
        }
    }

    /// A decode error with nothing more than a message.
    pub(crate) fn decode(call: Call, http_status: u16, message: impl Into<String>) -> Self {
        Error::Decode {
            call,
            message: message.into(),
            body_excerpt: String::new(),
            http_status,
            source: None,
        }
    }

    /// A body that is not the JSON expected: the field at fault, the body's start, the cause.
    pub(crate) fn undecodable(call: Call, http_status: u16, body: &[u8], error: crate::json_path::PathError) -> Self {
        Error::Decode {
            call,
            message: error.to_string(),
            body_excerpt: excerpt(body),
            http_status,
            source: Some(Arc::new(error)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operation::{ApiVersion, Call};

    #[test]
    fn display_names_the_call_code_and_kind() {
        let call = Call::new(Operation::DeleteEndpoint, ApiVersion::V1);
        let error = Error::Api {
            call,
            code: 24002,
            kind: ErrorKind::NotAllowed,
            message: "Elastic action not allowed".into(),
            http_status: 200,
        };
        assert_eq!(
            error.to_string(),
            "deleteEndpoint (v1): Elastic action not allowed (code 24002, notAllowed)"
        );
        assert_eq!(
            error.advice(),
            Some("cannot delete an endpoint that is not stopped: stop it first")
        );
        assert_eq!(error.code(), Some(24002));
        assert_eq!(error.http_status(), Some(200));
    }

    #[test]
    fn excerpts_are_bounded_and_keep_utf8_whole() {
        let body = "é".repeat(1000);
        let cut = excerpt(body.as_bytes());
        assert!(cut.len() <= EXCERPT_LIMIT + '…'.len_utf8());
        assert!(cut.ends_with('…'));
        assert_eq!(excerpt(b"  <html>502</html>\n"), "<html>502</html>");
    }

    #[test]
    fn html_pages_are_summarised_in_messages_but_kept_in_the_excerpt() {
        let call = Call::new(Operation::ListEndpoints, ApiVersion::V2);
        let page = "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>";
        let error = Error::Http {
            call,
            status: 502,
            body_excerpt: page.into(),
            retry_after: None,
        };
        assert_eq!(
            error.to_string(),
            "listEndpoints (v2): HTTP 502: 502 Bad Gateway (HTML page)"
        );
        assert_eq!(
            error.advice(),
            Some("the API or a gateway in front of it failed: try again shortly")
        );
        let plain = Error::Http {
            call,
            status: 503,
            body_excerpt: "busy\nmore".into(),
            retry_after: None,
        };
        assert_eq!(plain.to_string(), "listEndpoints (v2): HTTP 503: busy");
    }

    #[test]
    fn transport_failures_have_advice() {
        let call = Call::new(Operation::GetEndpoint, ApiVersion::V1);
        let network = Error::Network {
            call,
            message: "refused".into(),
            connected: false,
            source: None,
        };
        assert!(network.advice().unwrap().contains("base URL"));
        assert!(
            Error::Timeout {
                call,
                after: Duration::from_secs(1)
            }
            .advice()
            .unwrap()
            .contains("timeout")
        );
        let decode = Error::decode(call, 200, "eof");
        assert!(decode.advice().is_some());
        assert_eq!(Error::validation("name", "too long").advice(), None);
    }

    #[test]
    fn http_401_is_unauthorized() {
        let call = Call::new(Operation::GetEndpoint, ApiVersion::V2);
        let error = Error::Http {
            call,
            status: 401,
            body_excerpt: String::new(),
            retry_after: None,
        };
        assert_eq!(error.kind(), ErrorKind::Unauthorized);
        assert_eq!(error.to_string(), "getEndpoint (v2): HTTP 401");
    }
}
