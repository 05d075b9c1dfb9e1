//! `AbortSignal` support: a call races its signal and, when aborted, is dropped (which aborts
//! its `fetch`) and rejects with a `YottaError` of kind `aborted`.

use crate::error::aborted;
use futures::channel::oneshot;
use futures::future::{Either, select};
use std::future::Future;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::AbortSignal;

/// Runs `work` unless `signal` aborts first.
pub async fn abortable<T>(
    operation: &str,
    signal: Option<AbortSignal>,
    work: impl Future<Output = Result<T, JsValue>>,
) -> Result<T, JsValue> {
    let Some(signal) = signal else { return work.await };
    if signal.aborted() {
        return Err(aborted(operation));
    }
    let (tx, rx) = oneshot::channel::<()>();
    let mut tx = Some(tx);
    let on_abort = Closure::<dyn FnMut()>::new(move || {
        if let Some(tx) = tx.take() {
            let _ = tx.send(());
        }
    });
    // A listener, not `onabort`, so a handler the caller set stays in place.
    let listener: &js_sys::Function = on_abort.as_ref().unchecked_ref();
    let _ = signal.add_event_listener_with_callback("abort", listener);
    let work = std::pin::pin!(work);
    let outcome = match select(work, rx).await {
        Either::Left((result, _)) => result,
        Either::Right(_) => Err(aborted(operation)),
    };
    let _ = signal.remove_event_listener_with_callback("abort", listener);
    outcome
}
