//! Browser and JavaScript-runtime transport: the global `fetch` (or one the caller supplies),
//! through web-sys, so the package links no HTTP library of its own.

use super::{HttpRequest, HttpResponse, SendFuture, Transport, TransportError};
use js_sys::{Function, Object, Promise, Reflect, Uint8Array};
use std::fmt;
use std::sync::Arc;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, RequestInit, RequestRedirect, ResponseType};

#[wasm_bindgen]
extern "C" {
    /// `globalThis.fetch`, looked up at each call (a test or polyfill may replace it).
    #[wasm_bindgen(catch, js_name = fetch)]
    fn global_fetch(url: &str, init: &RequestInit) -> Result<Promise, JsValue>;
}

/// Sends requests with `fetch`.
#[derive(Clone, Debug, Default)]
pub struct FetchTransport {
    fetch: Option<Function>,
}

impl FetchTransport {
    /// Uses the global `fetch`.
    pub fn new() -> Self {
        Self::default()
    }

    /// Uses `fetch`, a function with the signature of the global one.
    pub fn with_fetch(fetch: Function) -> Self {
        Self { fetch: Some(fetch) }
    }
}

/// What a failed `fetch` rejected with (a `TypeError`, an `AbortError`...), kept as the
/// `source` of the network error so the JavaScript package can hand it on as the error's `cause`.
pub struct JsError {
    message: String,
    value: JsValue,
}

impl JsError {
    fn new(value: JsValue) -> Self {
        Self {
            message: describe(&value),
            value,
        }
    }

    /// The JavaScript value `fetch` rejected with.
    pub fn value(&self) -> &JsValue {
        &self.value
    }
}

// The message alone: the JavaScript value has no Rust description.
impl fmt::Debug for JsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "JsError({:?})", self.message)
    }
}

impl fmt::Display for JsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for JsError {}

// SAFETY: `Cause` must be `Send + Sync`, which a `JsValue` is not because it indexes the
// JavaScript heap of its thread. This target (wasm32-unknown-unknown without the `atomics`
// feature) runs on one thread only, so the value can never reach another thread.
unsafe impl Send for JsError {}
unsafe impl Sync for JsError {}

/// A transport failure carrying the JavaScript error as its source.
fn failed(message: String, error: JsValue) -> TransportError {
    TransportError::Failed {
        message,
        source: Some(Arc::new(JsError::new(error))),
    }
}

/// Aborts the request's `fetch` when the call is dropped first (a timeout, an `AbortSignal`).
struct AbortOnDrop(Option<AbortController>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        if let Some(controller) = &self.0 {
            controller.abort();
        }
    }
}

/// Redirects followed within one origin; a longer chain is answered with the last redirect.
const MAX_REDIRECTS: usize = 5;

impl Transport for FetchTransport {
    fn send<'a>(&'a self, request: &'a HttpRequest) -> SendFuture<'a> {
        Box::pin(async move {
            let controller = AbortController::new().ok();
            let mut guard = AbortOnDrop(controller);
            let init = RequestInit::new();
            init.set_method(request.method.as_str());
            let headers = Object::new();
            for (name, value) in &request.headers {
                let _ = Reflect::set(&headers, &JsValue::from_str(name.as_ref()), &JsValue::from_str(value));
            }
            init.set_headers(&headers);
            if let Some(body) = &request.body {
                init.set_body(&Uint8Array::from(body.as_slice()));
            }
            if let Some(controller) = &guard.0 {
                init.set_signal(Some(&controller.signal()));
            }
            // `fetch` would carry the API key to wherever a redirect points: with a key, the
            // SDK follows redirects itself, within the origin only.
            let carries_key = request.headers.iter().any(|(name, _)| name == "x-api-key");
            if carries_key {
                init.set_redirect(RequestRedirect::Manual);
            }
            let mut url = request.url.clone();
            let mut hops = 0;
            let response = loop {
                let response = self.fetch(&url, &init).await?;
                let status = response.status();
                if !carries_key {
                    break response;
                }
                if response.type_() == ResponseType::Opaqueredirect {
                    return Err(TransportError::Failed {
                        message: "the API answered with a redirect, which the browser hides from the SDK; it was not followed"
                            .into(),
                        source: None,
                    });
                }
                let follows = matches!(status, 307 | 308) || (matches!(status, 301..=303) && request.body.is_none());
                let target = response
                    .headers()
                    .get("location")
                    .ok()
                    .flatten()
                    .and_then(|location| crate::base_url::same_origin_target(&url, &location));
                match target {
                    Some(next) if follows && hops < MAX_REDIRECTS => {
                        hops += 1;
                        url = next;
                    }
                    // Another origin, or too many hops: the redirect itself is the answer.
                    _ => break response,
                }
            };
            let status = response.status();
            let retry_after = response.headers().get("retry-after").ok().flatten();
            let body = read_body(&response, status, request.max_body_bytes).await?;
            // Complete: nothing left to abort.
            guard.0 = None;
            Ok(HttpResponse {
                status,
                retry_after,
                body,
            })
        })
    }
}

impl FetchTransport {
    /// One `fetch` of `url`.
    async fn fetch(&self, url: &str, init: &RequestInit) -> Result<web_sys::Response, TransportError> {
        let started = match &self.fetch {
            Some(fetch) => fetch
                .call2(&JsValue::UNDEFINED, &JsValue::from_str(url), init)
                .map(|value| Promise::resolve(&value)),
            None => global_fetch(url, init),
        };
        let response = match started {
            Ok(promise) => JsFuture::from(promise).await,
            Err(error) => Err(error),
        }
        // `fetch` does not say whether a failed request left the client: assume it may have.
        .map_err(|e| failed(describe(&e), e))?;
        Ok(response.unchecked_into())
    }
}

/// The whole body, read chunk by chunk so a body that never ends stops at `limit`.
async fn read_body(response: &web_sys::Response, status: u16, limit: usize) -> Result<Vec<u8>, TransportError> {
    let failed = |e: JsValue| failed(format!("reading the HTTP {status} response: {}", describe(&e)), e);
    let declared = response
        .headers()
        .get("content-length")
        .ok()
        .flatten()
        .and_then(|length| length.trim().parse::<u64>().ok());
    if declared.is_some_and(|length| length > limit as u64) {
        return Err(TransportError::BodyTooLarge { limit, status });
    }
    let Some(stream) = response.body() else {
        // No stream support (or no body): the runtime buffers it.
        let buffer = JsFuture::from(response.array_buffer().map_err(failed)?)
            .await
            .map_err(failed)?;
        let bytes = Uint8Array::new(&buffer);
        if bytes.length() as usize > limit {
            return Err(TransportError::BodyTooLarge { limit, status });
        }
        return Ok(bytes.to_vec());
    };
    let reader: Object = Reflect::get(&stream, &JsValue::from_str("getReader"))
        .and_then(|get_reader| get_reader.unchecked_into::<Function>().call0(&stream))
        .map_err(failed)?
        .unchecked_into();
    let read: Function = Reflect::get(&reader, &JsValue::from_str("read"))
        .map_err(failed)?
        .unchecked_into();
    let mut body = Vec::new();
    loop {
        let step = JsFuture::from(Promise::resolve(&read.call0(&reader).map_err(failed)?))
            .await
            .map_err(failed)?;
        if Reflect::get(&step, &JsValue::from_str("done"))
            .map_err(failed)?
            .is_truthy()
        {
            return Ok(body);
        }
        let chunk: Uint8Array = Reflect::get(&step, &JsValue::from_str("value"))
            .map_err(failed)?
            .unchecked_into();
        if body.len() + chunk.length() as usize > limit {
            // Stop the download rather than leave it running.
            if let Ok(cancel) = Reflect::get(&reader, &JsValue::from_str("cancel")) {
                let _ = cancel.unchecked_into::<Function>().call0(&reader);
            }
            return Err(TransportError::BodyTooLarge { limit, status });
        }
        body.extend_from_slice(&chunk.to_vec());
    }
}

/// One line saying why `fetch` failed: the error's message and, when the runtime gives one,
/// its cause's (Node's `fetch failed` hides `connect ECONNREFUSED` there).
fn describe(error: &JsValue) -> String {
    let message = |value: &JsValue| -> Option<String> {
        value
            .dyn_ref::<js_sys::Error>()
            .map(|e| String::from(e.message()))
            .or_else(|| value.as_string())
    };
    let mut text = message(error).unwrap_or_else(|| "fetch failed".to_string());
    if let Some(cause) = Reflect::get(error, &JsValue::from_str("cause"))
        .ok()
        .as_ref()
        .and_then(message)
        && !cause.is_empty()
        && !text.contains(&cause)
    {
        text.push_str(": ");
        text.push_str(&cause);
    }
    text.lines().next().unwrap_or_default().trim().to_string()
}
