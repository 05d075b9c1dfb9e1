//! `YottaIterator`: what `workerLogs()` and `tasks()` return, usable with `for await`.
//! `index.js` adds `[Symbol.asyncIterator]` to its prototype (wasm-bindgen cannot name symbols).

use crate::abort::abortable;
use crate::{convert, error};
use futures::StreamExt;
use futures::lock::Mutex;
use futures::stream::LocalBoxStream;
use js_sys::{Object, Promise, Reflect};
use serde::Serialize;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use web_sys::AbortSignal;

type Items = LocalBoxStream<'static, Result<JsValue, JsValue>>;

/// An async iterator over the pages of a listing, fetched as it is consumed.
#[wasm_bindgen]
pub struct YottaIterator {
    operation: &'static str,
    // An async mutex: a second `next()` waits for the first instead of failing.
    items: Rc<Mutex<Option<Items>>>,
    signal: Option<AbortSignal>,
}

impl YottaIterator {
    pub(crate) fn new<T: Serialize + 'static>(
        operation: &'static str,
        stream: impl futures::Stream<Item = yotta::Result<T>> + 'static,
        signal: Option<AbortSignal>,
    ) -> Self {
        let items = stream
            .map(move |item| {
                item.map(|value| convert::to_js(&value))
                    .map_err(move |e| error::to_js(&e, operation))
            })
            .boxed_local();
        Self {
            operation,
            items: Rc::new(Mutex::new(Some(items))),
            signal,
        }
    }
}

fn step(value: JsValue, done: bool) -> JsValue {
    let result = Object::new();
    let _ = Reflect::set(&result, &"value".into(), &value);
    let _ = Reflect::set(&result, &"done".into(), &JsValue::from_bool(done));
    result.into()
}

#[wasm_bindgen]
impl YottaIterator {
    /// The next item, as `{ value, done }`. After an error or the end, always `{ done: true }`.
    #[wasm_bindgen(unchecked_return_type = "Promise<IteratorResult<unknown, undefined>>")]
    pub fn next(&self) -> Promise {
        let items = self.items.clone();
        let (operation, signal) = (self.operation, self.signal.clone());
        wasm_bindgen_futures::future_to_promise(async move {
            let mut guard = items.lock().await;
            let Some(stream) = guard.as_mut() else {
                return Ok(step(JsValue::UNDEFINED, true));
            };
            match abortable(operation, signal, async { Ok(stream.next().await) }).await {
                Ok(Some(Ok(value))) => Ok(step(value, false)),
                Ok(None) => {
                    *guard = None;
                    Ok(step(JsValue::UNDEFINED, true))
                }
                Ok(Some(Err(error))) | Err(error) => {
                    *guard = None;
                    Err(error)
                }
            }
        })
    }

    /// Stops the iteration early (what `break` in `for await` calls): nothing more is fetched.
    #[wasm_bindgen(
        js_name = "return",
        unchecked_return_type = "Promise<IteratorResult<unknown, undefined>>"
    )]
    pub fn finish(&self) -> Promise {
        let items = self.items.clone();
        wasm_bindgen_futures::future_to_promise(async move {
            items.lock().await.take();
            Ok(step(JsValue::UNDEFINED, true))
        })
    }
}
