//! Options of `waitForStatus` and `waitForTask`.

use crate::convert::{data_fields, from_js_or_default};
use serde::Deserialize;
use std::time::Duration;
use wasm_bindgen::JsValue;

/// How a wait polls (the callback and signal are passed beside these).
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct WaitOptions {
    /// Give up after this many milliseconds (default 600000).
    pub timeout_ms: Option<u32>,
    /// First pause between polls in milliseconds (default 1000; grows to 10000).
    pub interval_ms: Option<u32>,
}

pub(crate) fn wait_options(options: &JsValue) -> Result<yotta::WaitOptions, JsValue> {
    let parsed: WaitOptions = from_js_or_default("options", data_fields(options, &["signal", "onProgress"]))?;
    let mut wait = yotta::WaitOptions::default();
    if let Some(ms) = parsed.timeout_ms {
        wait = wait.timeout(Duration::from_millis(ms.into()));
    }
    if let Some(ms) = parsed.interval_ms {
        wait = wait.interval(Duration::from_millis(ms.into()));
    }
    Ok(wait)
}
