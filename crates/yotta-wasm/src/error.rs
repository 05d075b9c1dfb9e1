//! `YottaError`: the one error class JavaScript callers catch, a real `Error` subclass.

use wasm_bindgen::prelude::*;
use yotta::{Error, ErrorKind};

#[wasm_bindgen(inline_js = r#"
export class YottaError extends Error {
  constructor(message, kind, code, httpStatus, field, operation, advice) {
    super(message);
    this.name = 'YottaError';
    this.kind = kind;
    this.code = code ?? null;
    this.httpStatus = httpStatus ?? null;
    this.field = field ?? null;
    this.operation = operation ?? null;
    this.advice = advice ?? null;
  }
}
"#)]
extern "C" {
    #[wasm_bindgen(js_name = YottaError)]
    pub type JsYottaError;

    #[wasm_bindgen(constructor, js_class = YottaError)]
    fn new(
        message: &str,
        kind: &str,
        code: Option<i32>,
        http_status: Option<u16>,
        field: Option<String>,
        operation: Option<String>,
        advice: Option<String>,
    ) -> JsYottaError;
}

/// The JavaScript error for a facade error raised by the method `operation`.
pub fn to_js(error: &Error, operation: &str) -> JsValue {
    let operation = error.call().map_or(operation, |c| c.operation.name());
    new_error(
        &error.to_string(),
        error.kind(),
        error.code(),
        error.http_status(),
        error.field().map(str::to_string),
        Some(operation.to_string()),
        error.advice().map(str::to_string),
    )
}

pub fn new_error(
    message: &str,
    kind: ErrorKind,
    code: Option<i32>,
    http_status: Option<u16>,
    field: Option<String>,
    operation: Option<String>,
    advice: Option<String>,
) -> JsValue {
    JsYottaError::new(message, kind.as_str(), code, http_status, field, operation, advice).into()
}

/// `error` with `operation` filled in when it names none (argument errors are raised before
/// the SDK knows which call they belong to).
pub fn in_operation(error: JsValue, operation: &str) -> JsValue {
    let key = JsValue::from_str("operation");
    if js_sys::Reflect::get(&error, &key).is_ok_and(|current| current.is_null() || current.is_undefined()) {
        let _ = js_sys::Reflect::set(&error, &key, &JsValue::from_str(operation));
    }
    error
}

/// A validation error about a JavaScript argument.
pub fn invalid(field: &str, rule: &str) -> JsValue {
    new_error(
        &format!("invalid {field}: {rule}"),
        ErrorKind::Validation,
        None,
        None,
        Some(field.to_string()),
        None,
        None,
    )
}

/// The call was cancelled through its `AbortSignal`.
pub fn aborted(operation: &str) -> JsValue {
    new_error(
        &format!("{operation} was aborted"),
        ErrorKind::Aborted,
        None,
        None,
        None,
        Some(operation.to_string()),
        None,
    )
}
