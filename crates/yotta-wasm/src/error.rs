//! Errors for JavaScript: the package's `YottaError` is built in JavaScript from the fields the
//! core sends as JSON, so the module needs no binding per error field.

use serde::Serialize;
use wasm_bindgen::JsValue;
use yotta::transport::JsError;
use yotta::{Error, ErrorKind};

/// The fields of a `YottaError`, camelCase as in JavaScript.
#[derive(Serialize, Default)]
#[serde(rename_all = "camelCase")]
struct Fields<'a> {
    message: String,
    kind: &'a str,
    code: Option<i32>,
    http_status: Option<u16>,
    field: Option<&'a str>,
    operation: &'a str,
    advice: Option<&'static str>,
    /// The start of the body of an HTTP or decode error's response.
    body_excerpt: Option<&'a str>,
    /// For kind `taskFailed`: the task, its endpoint and the task's own error.
    task_id: Option<&'a str>,
    endpoint_id: Option<&'a str>,
    task_error: Option<&'a str>,
}

/// `error`, raised by the method `operation`, as the JSON text the package turns into a
/// `YottaError`; with the JavaScript error that caused it (a failed `fetch`'s `TypeError`), the
/// pair `[text, cause]`.
pub fn to_js(error: &Error, operation: &str) -> JsValue {
    let mut fields = Fields {
        message: error.to_string(),
        kind: error.kind().as_str(),
        code: error.code(),
        http_status: error.http_status(),
        field: error.field(),
        operation: error.call().map_or(operation, |call| call.operation.name()),
        advice: error.advice(),
        body_excerpt: error.body_excerpt(),
        ..Fields::default()
    };
    if let Error::TaskFailed {
        endpoint_id,
        task_id,
        reason,
    } = error
    {
        fields.task_id = Some(task_id);
        fields.endpoint_id = Some(endpoint_id);
        fields.task_error = reason.as_deref();
    }
    let text = JsValue::from_str(&serde_json::to_string(&fields).unwrap_or_default());
    // The variant's own field: through `Error::source` the `Arc` would hide the concrete type.
    let cause = match error {
        Error::Network {
            source: Some(source), ..
        } => source.downcast_ref::<JsError>(),
        _ => None,
    };
    match cause {
        Some(cause) => js_sys::Array::of2(&text, cause.value()).into(),
        None => text,
    }
}

/// The call was cancelled through its `AbortSignal`.
pub fn aborted(operation: &str) -> JsValue {
    let fields = Fields {
        message: format!("{operation} was aborted"),
        kind: ErrorKind::Aborted.as_str(),
        operation,
        ..Fields::default()
    };
    JsValue::from_str(&serde_json::to_string(&fields).unwrap_or_default())
}
