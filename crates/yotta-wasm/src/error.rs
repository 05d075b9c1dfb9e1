//! Errors for JavaScript: the package's `YottaError` is built in JavaScript from the fields the
//! core sends as JSON, so the module needs no binding per error field.

use serde::Serialize;
use wasm_bindgen::JsValue;
use yotta::{Error, ErrorKind};

/// The fields of a `YottaError`, camelCase as in JavaScript.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Fields<'a> {
    message: String,
    kind: &'a str,
    code: Option<i32>,
    http_status: Option<u16>,
    field: Option<&'a str>,
    operation: &'a str,
    advice: Option<&'static str>,
}

/// `error`, raised by the method `operation`, as the JSON text the package turns into a
/// `YottaError`.
pub fn to_js(error: &Error, operation: &str) -> JsValue {
    let fields = Fields {
        message: error.to_string(),
        kind: error.kind().as_str(),
        code: error.code(),
        http_status: error.http_status(),
        field: error.field(),
        operation: error.call().map_or(operation, |call| call.operation.name()),
        advice: error.advice(),
    };
    JsValue::from_str(&serde_json::to_string(&fields).unwrap_or_default())
}

/// The call was cancelled through its `AbortSignal`.
pub fn aborted(operation: &str) -> JsValue {
    let fields = Fields {
        message: format!("{operation} was aborted"),
        kind: ErrorKind::Aborted.as_str(),
        code: None,
        http_status: None,
        field: None,
        operation,
        advice: None,
    };
    JsValue::from_str(&serde_json::to_string(&fields).unwrap_or_default())
}
