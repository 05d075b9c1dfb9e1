//! The response envelope `{code, message, data}` and the documented business codes.
//!
//! Business errors travel in HTTP 200 like the platform's; only malformed requests (unparseable
//! JSON, wrong JSON types, unconvertible path or query values) get HTTP 400, as Spring reports them.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

pub const SUCCESS: i32 = 10000;
pub const PARAM_ERROR: i32 = 10001;
pub const V2_NOT_FOUND: i32 = 14000;
pub const UNAVAILABLE: i32 = 24000;
pub const NOT_EXIST: i32 = 24001;
pub const NOT_ALLOWED: i32 = 24002;
pub const LIMIT_REACHED: i32 = 24003;
pub const INSUFFICIENT_GPUS: i32 = 24009;
pub const TASK_NOT_EXIST: i32 = 24011;
/// The API guides overview's platform-wide "Record not exist": a credential that is not there.
pub const RECORD_NOT_EXIST: i32 = 10007;
/// Not documented by any page: the vendor SDK's fixtures show it for deleting a credential in use.
pub const CREDENTIAL_IN_USE: i32 = 25002;
/// The v1 task API's own codes (v1-guide-queue-based-execution.md, 'Response Codes').
pub const TOO_MANY_REQUESTS: i32 = 429;
pub const TASK_PARAM_ERROR: i32 = 40001;
pub const TASK_AUTH_CONTEXT: i32 = 40101;
pub const TASK_NOT_FOUND: i32 = 40402;
pub const TASK_CREATE_FAILED: i32 = 50001;
/// Not a documented code: the docs are silent on authentication failures (see the README).
pub const UNAUTHORIZED: i32 = 401;

#[derive(Serialize)]
struct Envelope<'a, T> {
    code: i32,
    message: &'a str,
    data: Option<T>,
}

/// A successful envelope (`code` 10000) around `data`.
pub fn ok<T: Serialize>(data: T) -> Response {
    json_response(
        StatusCode::OK,
        &Envelope {
            code: SUCCESS,
            message: "success",
            data: Some(data),
        },
    )
}

/// A successful envelope with `"data": null`, as the void operations return.
pub fn ok_void() -> Response {
    json_response(
        StatusCode::OK,
        &Envelope::<()> {
            code: SUCCESS,
            message: "success",
            data: None,
        },
    )
}

pub fn json_response<T: Serialize>(status: StatusCode, body: &T) -> Response {
    match serde_json::to_vec(body) {
        Ok(bytes) => {
            let mut resp = (status, bytes).into_response();
            resp.headers_mut()
                .insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
            resp
        }
        Err(e) => ApiError::internal(format!("response serialisation failed: {e}")).into_response(),
    }
}

/// Every failure an API handler can report, rendered as an envelope with `"data": null`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    status: StatusCode,
    pub code: i32,
    pub message: String,
    /// Seconds for a `Retry-After` header (rate limiting).
    retry_after: Option<u64>,
}

impl ApiError {
    pub fn business(code: i32, message: impl Into<String>) -> Self {
        Self {
            status: StatusCode::OK,
            code,
            message: message.into(),
            retry_after: None,
        }
    }

    /// A documented rate limit exceeded: HTTP 429 with `Retry-After`, and the v1 task page's
    /// code 429 "too many requests" in the envelope (the page lists it among its codes without
    /// saying whether it is an HTTP status or an envelope code, so it is both).
    pub fn too_many_requests(message: impl AsRef<str>, retry_after_secs: u64) -> Self {
        Self {
            status: StatusCode::TOO_MANY_REQUESTS,
            code: TOO_MANY_REQUESTS,
            message: format!("too many requests: {}", message.as_ref()),
            retry_after: Some(retry_after_secs.max(1)),
        }
    }

    /// A rule violation: HTTP 200, code 10001, the message naming the field and the rule.
    pub fn param(message: impl AsRef<str>) -> Self {
        Self::business(PARAM_ERROR, format!("parameter error: {}", message.as_ref()))
    }

    /// A request that cannot be read at all: HTTP 400 with code 10001.
    pub fn bad_request(message: impl AsRef<str>) -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            code: PARAM_ERROR,
            message: format!("bad request: {}", message.as_ref()),
            retry_after: None,
        }
    }

    pub fn unsupported_media_type(message: impl Into<String>) -> Self {
        Self {
            status: StatusCode::UNSUPPORTED_MEDIA_TYPE,
            code: PARAM_ERROR,
            message: message.into(),
            retry_after: None,
        }
    }

    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self {
            status: StatusCode::UNAUTHORIZED,
            code: UNAUTHORIZED,
            message: message.into(),
            retry_after: None,
        }
    }

    pub fn internal(message: impl Into<String>) -> Self {
        Self {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            code: 500,
            message: message.into(),
            retry_after: None,
        }
    }

    pub fn with_status(mut self, status: StatusCode) -> Self {
        self.status = status;
        self
    }

    /// The same error under another business code (the v1 task API speaks its own codes).
    pub fn with_code(mut self, code: i32) -> Self {
        self.code = code;
        self
    }

    #[cfg(test)]
    pub fn http_status(&self) -> u16 {
        self.status.as_u16()
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut resp = json_response(
            self.status,
            &Envelope::<()> {
                code: self.code,
                message: &self.message,
                data: None,
            },
        );
        if let Some(secs) = self.retry_after {
            resp.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        resp
    }
}

/// What every API handler returns.
pub type ApiResult = Result<Response, ApiError>;
