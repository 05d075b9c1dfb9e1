//! `YottaClient`: construction and the machinery every method shares.

use crate::abort::{abortable, signal_of};
use crate::convert::{self, from_js_or_default};
use crate::error;
use futures::future::LocalBoxFuture;
use js_sys::Promise;
use serde::{Deserialize, Serialize};
use std::future::Future;
use std::time::Duration;
use wasm_bindgen::prelude::*;

/// Options of `new YottaClient(options)`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ClientOptions {
    /// Default: the page's origin when no `apiKey` is given (a same-origin proxy adds the key),
    /// else `https://api.yottalabs.ai`.
    pub base_url: Option<String>,
    /// Sent as `X-API-Key`. Leave it out in browsers and use a proxy that adds it server-side.
    pub api_key: Option<String>,
    /// Default `"v2"`.
    pub api_version: Option<ApiVersionName>,
    /// Per-attempt time limit in milliseconds (default 30000).
    pub timeout_ms: Option<u32>,
    /// Retries after transient failures (default 2).
    pub max_retries: Option<u32>,
}

#[derive(Debug, Clone, Copy, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum ApiVersionName {
    V1,
    V2,
}

/// A client of the Yotta Labs Serverless API. Every method is async and accepts `{ signal }`.
#[wasm_bindgen]
pub struct YottaClient {
    pub(crate) client: yotta::Client,
}

#[wasm_bindgen]
impl YottaClient {
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_optional_param_type = "ClientOptions")] options: Option<JsValue>,
    ) -> Result<YottaClient, JsValue> {
        let options: ClientOptions = from_js_or_default("options", options.unwrap_or(JsValue::UNDEFINED))?;
        let mut builder = yotta::Client::builder();
        let base_url = options
            .base_url
            .clone()
            .or_else(|| options.api_key.is_none().then(page_origin).flatten());
        if let Some(url) = base_url {
            builder = builder.base_url(url);
        }
        if let Some(key) = options.api_key {
            builder = builder.api_key(key);
        }
        if let Some(version) = options.api_version {
            builder = builder.api_version(match version {
                ApiVersionName::V1 => yotta::ApiVersion::V1,
                ApiVersionName::V2 => yotta::ApiVersion::V2,
            });
        }
        if let Some(ms) = options.timeout_ms {
            builder = builder.timeout(Duration::from_millis(ms.into()));
        }
        if let Some(retries) = options.max_retries {
            builder = builder.max_retries(retries);
        }
        let client = builder.build().map_err(|e| error::to_js(&e, "YottaClient"))?;
        Ok(YottaClient { client })
    }

    /// The API version this client speaks (`"v1"` or `"v2"`).
    #[wasm_bindgen(getter, js_name = apiVersion, unchecked_return_type = "'v1' | 'v2'")]
    pub fn api_version(&self) -> String {
        self.client.api_version().as_str().to_string()
    }

    #[wasm_bindgen(getter, js_name = baseUrl)]
    pub fn base_url(&self) -> String {
        self.client.base_url().to_string()
    }
}

/// `location.origin` of the page or worker, when there is one.
fn page_origin() -> Option<String> {
    let location = js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("location")).ok()?;
    js_sys::Reflect::get(&location, &JsValue::from_str("origin"))
        .ok()?
        .as_string()
        .filter(|o| o.starts_with("http"))
}

impl YottaClient {
    /// Runs a facade call as a Promise that honours the options' `signal`. `prepare` reads the
    /// arguments (the options default to `{}`) and returns the call on a handle to this client.
    /// Argument errors reject the promise too (never a synchronous throw), as callers of async
    /// functions expect.
    pub(crate) fn promise<T, F, Fut>(&self, operation: &'static str, options: Option<JsValue>, prepare: F) -> Promise
    where
        T: Serialize + 'static,
        F: FnOnce(yotta::Client, &JsValue) -> Result<Fut, JsValue>,
        Fut: Future<Output = yotta::Result<T>> + 'static,
    {
        let options = options.unwrap_or(JsValue::UNDEFINED);
        let work =
            prepare(self.client.clone(), &options).map(|work| -> LocalBoxFuture<'static, Result<JsValue, JsValue>> {
                Box::pin(async move {
                    work.await
                        .map(|value| result_to_js(&value))
                        .map_err(move |e| error::to_js(&e, operation))
                })
            });
        settle(operation, &options, work)
    }
}

/// A result for JavaScript; methods with nothing to return resolve with `undefined`, as their
/// `Promise<void>` declarations say.
fn result_to_js<T: Serialize + 'static>(value: &T) -> JsValue {
    if std::any::TypeId::of::<T>() == std::any::TypeId::of::<()>() {
        JsValue::UNDEFINED
    } else {
        convert::to_js(value)
    }
}

/// The part of [`promise`] that does not depend on the result type, compiled once.
fn settle(
    operation: &'static str,
    options: &JsValue,
    work: Result<LocalBoxFuture<'static, Result<JsValue, JsValue>>, JsValue>,
) -> Promise {
    let signal = match signal_of(options) {
        Ok(signal) => signal,
        Err(error) => return Promise::reject(&error::in_operation(error, operation)),
    };
    match work {
        Ok(work) => wasm_bindgen_futures::future_to_promise(abortable(operation, signal, work)),
        Err(error) => Promise::reject(&error::in_operation(error, operation)),
    }
}

/// An endpoint id argument.
pub(crate) fn endpoint_id(value: &JsValue) -> Result<yotta::EndpointId, JsValue> {
    convert::id_from_js("id", value).map(yotta::EndpointId::from)
}
