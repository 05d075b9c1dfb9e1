//! The core of the Yotta Labs Serverless SDK for JavaScript and TypeScript: the Rust facade
//! (`yotta`) exported with wasm-bindgen, behind the package's TypeScript entry module
//! (`web/package/src/index.ts`), which `cargo xtask wasm` builds into the npm package.
//!
//! The boundary is deliberately narrow: one `Core` per client with one `call` method and one
//! `stream` method, JSON text in both directions, and errors as JSON the entry module turns into
//! `YottaError`s. Ids are exact strings; integers beyond 2^53 inside task data are written as
//! exact JSON integers, which the entry module parses into `BigInt`s.
//!
//! The package's data types (`web/package/src/types.ts`) are generated from the Rust types by
//! this crate's tests (`cargo test -p yotta-wasm` rewrites the file when it is stale, and fails).

#![cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]

// What talks to JavaScript exists only in the wasm32 build; argument reading, the option types
// and the TypeScript generation are also built natively, for their tests.
#[cfg(target_arch = "wasm32")]
mod abort;
mod args;
#[cfg(target_arch = "wasm32")]
mod core;
#[cfg(target_arch = "wasm32")]
mod error;
mod options;
#[cfg(target_arch = "wasm32")]
mod stream;
#[cfg(test)]
mod typescript;

#[cfg(target_arch = "wasm32")]
pub use crate::core::Core;
pub use options::{ApiVersionName, ClientOptions, WaitOptions};
#[cfg(target_arch = "wasm32")]
pub use stream::CoreStream;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen::prelude::*;

/// Checks and normalises the JSON text of a task webhook notification; returns the
/// notification's JSON text, or throws a `YottaError`'s fields as JSON naming the bad field.
/// Checks a task webhook request (its `Authorization` header against the task's
/// `webhookAuthKey`, and its age when `max_age_ms` is given) and parses its body; returns the
/// notification's JSON text, or throws a `YottaError`'s fields as JSON.
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen(js_name = verifyTaskNotification)]
pub fn verify_task_notification(
    body: &str,
    authorization: Option<String>,
    expected_key: &str,
    max_age_ms: Option<f64>,
) -> Result<String, JsValue> {
    let verify = || -> yotta::Result<yotta::webhook::TaskNotification> {
        let mut verifier = yotta::webhook::Verifier::new(expected_key)?;
        if let Some(ms) = max_age_ms {
            if !(ms.is_finite() && ms >= 0.0) {
                return Err(yotta::Error::Validation {
                    field: "maxAgeMs".into(),
                    rule: "must be a non-negative number of milliseconds".into(),
                });
            }
            verifier = verifier.max_age(std::time::Duration::from_millis(ms as u64));
        }
        verifier.verify(authorization.as_deref(), body.as_bytes())
    };
    verify()
        .map(|note| serde_json::to_string(&note).unwrap_or_default())
        .map_err(|e| error::to_js(&e, "verifyTaskNotification"))
}

#[cfg(target_arch = "wasm32")]
#[wasm_bindgen(js_name = parseTaskNotification)]
pub fn parse_task_notification(body: &str) -> Result<String, JsValue> {
    yotta::webhook::TaskNotification::parse(body.as_bytes())
        .map(|note| serde_json::to_string(&note).unwrap_or_default())
        .map_err(|e| error::to_js(&e, "parseTaskNotification"))
}
