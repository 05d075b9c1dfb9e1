//! `CoreStream`: a listing for JavaScript's async iterators, one item (as JSON text) per `next`.

use crate::abort::abortable;
use crate::error;
use futures::StreamExt;
use futures::lock::Mutex;
use futures::stream::LocalBoxStream;
use js_sys::Promise;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use web_sys::AbortSignal;

type Items = LocalBoxStream<'static, yotta::Result<String>>;

/// Pages fetched as the items are consumed.
#[wasm_bindgen]
pub struct CoreStream {
    operation: String,
    // An async mutex: a second `next()` waits for the first instead of failing.
    items: Rc<Mutex<Option<Items>>>,
}

impl CoreStream {
    pub(crate) fn new(operation: String, items: Items) -> Self {
        Self {
            operation,
            items: Rc::new(Mutex::new(Some(items))),
        }
    }
}

#[wasm_bindgen]
impl CoreStream {
    /// The next item's JSON text, or `undefined` at the end. After an error or the end, always
    /// `undefined`.
    pub fn next(&self, signal: Option<AbortSignal>) -> Promise {
        let items = self.items.clone();
        let operation = self.operation.clone();
        wasm_bindgen_futures::future_to_promise(async move {
            let mut guard = items.lock().await;
            let Some(stream) = guard.as_mut() else {
                return Ok(JsValue::UNDEFINED);
            };
            match abortable(&operation, signal, async { Ok(stream.next().await) }).await {
                Ok(Some(Ok(value))) => Ok(JsValue::from_str(&value)),
                Ok(None) => {
                    *guard = None;
                    Ok(JsValue::UNDEFINED)
                }
                Ok(Some(Err(e))) => {
                    *guard = None;
                    Err(error::to_js(&e, &operation))
                }
                Err(aborted) => {
                    *guard = None;
                    Err(aborted)
                }
            }
        })
    }

    /// Stops early: nothing more is fetched.
    pub fn close(&self) -> Promise {
        let items = self.items.clone();
        wasm_bindgen_futures::future_to_promise(async move {
            items.lock().await.take();
            Ok(JsValue::UNDEFINED)
        })
    }
}
