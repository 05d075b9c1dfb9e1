//! The Yotta Labs Serverless SDK for JavaScript and TypeScript, exported from the Rust facade
//! (`yotta`) with wasm-bindgen. Built into an npm package by `cargo xtask wasm`.
//!
//! Results are plain objects in the docs' camelCase vocabulary, identical whichever API version
//! served them; every id is an exact string. Errors are `YottaError` instances.

mod abort;
mod client;
mod convert;
mod endpoints;
mod error;
mod iterator;
mod logs;
mod tasks;
mod wait;

pub use client::{ApiVersionName, ClientOptions, YottaClient};
pub use iterator::YottaIterator;
pub use wait::WaitOptions;

use wasm_bindgen::prelude::*;

/// Checks and normalises the body of a task webhook notification (a JSON string or an already
/// parsed object). Throws a `YottaError` of kind `validation` naming the offending field.
#[wasm_bindgen(js_name = parseTaskNotification, unchecked_return_type = "TaskNotification")]
pub fn parse_task_notification(
    #[wasm_bindgen(unchecked_param_type = "string | object")] body: JsValue,
) -> Result<JsValue, JsValue> {
    let parsed = match body.as_string() {
        Some(text) => yotta::webhook::TaskNotification::parse(text.as_bytes()),
        None => yotta::webhook::TaskNotification::from_value(&convert::js_to_json(&body, "body")?),
    };
    parsed
        .map(|note| convert::to_js(&note))
        .map_err(|e| error::to_js(&e, "parseTaskNotification"))
}

#[wasm_bindgen(typescript_custom_section)]
const HAND_WRITTEN_TYPES: &'static str = r#"
/** Options every method accepts. */
export interface CallOptions {
  /** Aborting rejects the call with a YottaError of kind 'aborted' and cancels its request. */
  signal?: AbortSignal;
}

/** A status filter: one status or several. */
export interface StatusFilter<S> {
  status?: S | S[];
}

/** Any JSON; integers beyond 2^53 arrive as bigint rather than rounded. */
export type JsonValue = null | boolean | number | bigint | string | JsonValue[] | { [key: string]: JsonValue };
"#;
