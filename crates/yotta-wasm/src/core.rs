//! `Core`: the facade behind the package's `YottaClient`. JavaScript calls one method, `call`,
//! with the SDK method's name and its data arguments as a JSON array; the result comes back as
//! JSON text. One promise shim and one conversion path (JSON text each way) serve every
//! method, instead of a wasm export and a JavaScript-object conversion per method and type.

use crate::abort::abortable;
use crate::args::read;
use crate::error;
use crate::options::{ClientOptions, FollowOptions, StatusFilter, TaskFilter, WaitOptions, request_options};
use crate::stream::CoreStream;
use futures::StreamExt;
use futures::future::LocalBoxFuture;
use futures::stream::LocalBoxStream;
use js_sys::{Function, Promise};
use serde::Serialize;
use std::sync::Arc;
use std::time::Duration;
use wasm_bindgen::prelude::*;
use web_sys::AbortSignal;
use yotta::observe::AttemptEvent;
use yotta::transport::FetchTransport;
use yotta::{
    Client, CredentialId, CredentialSpec, CredentialUpdate, EndpointId, EndpointPatch, EndpointSpec, EndpointStatus,
    EndpointUpdate, Error, LogQuery, TaskId, TaskListQuery, TaskSpec, WorkerId, WorkerStatus,
};

/// The client a `YottaClient` wraps.
#[wasm_bindgen]
pub struct Core {
    client: Client,
}

/// A result as the JSON text JavaScript parses.
fn json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "null".to_string())
}

type Work = LocalBoxFuture<'static, yotta::Result<String>>;

/// Boxes a facade call whose result becomes JSON text.
fn work<T: Serialize + 'static>(call: impl Future<Output = yotta::Result<T>> + 'static) -> Work {
    Box::pin(async move { call.await.map(|value| json(&value)) })
}

/// A facade call with no result: empty text, which JavaScript turns into `undefined` (a result
/// that is JSON `null`, such as a task's missing output, stays `null`).
fn done(call: impl Future<Output = yotta::Result<()>> + 'static) -> Work {
    Box::pin(async move { call.await.map(|()| String::new()) })
}

/// Calls `progress` with each state a waiter observes.
fn reporter<T: Serialize>(progress: Option<Function>) -> impl FnMut(&T) {
    move |state: &T| {
        if let Some(progress) = &progress {
            let _ = progress.call1(&JsValue::NULL, &JsValue::from_str(&json(state)));
        }
    }
}

#[wasm_bindgen]
impl Core {
    /// `options`: the JSON of `ClientOptions`; `fetch`: the function to send requests with
    /// (the global `fetch` when absent); `observer`: called after every HTTP attempt with its
    /// one-line description, the error kind when it failed, and whether it will be retried.
    #[wasm_bindgen(constructor)]
    pub fn new(options: &str, fetch: Option<Function>, observer: Option<Function>) -> Result<Core, JsValue> {
        let build = || -> yotta::Result<Client> {
            let (options,): (ClientOptions,) = read(options, &["options"])?;
            let mut builder = Client::builder();
            if let Some(url) = options.base_url {
                builder = builder.base_url(url);
            }
            if let Some(key) = options.api_key {
                builder = builder.api_key(key);
            }
            if let Some(version) = options.api_version {
                builder = builder.api_version(version.into());
            }
            if let Some(ms) = options.timeout_ms {
                builder = builder.timeout(Duration::from_millis(ms.into()));
            }
            if let Some(retries) = options.max_retries {
                builder = builder.max_retries(retries);
            }
            for (name, value) in options.default_headers.into_iter().flatten() {
                builder = builder.default_header(name, value);
            }
            if let Some(observer) = observer {
                builder = builder.observe(Arc::new(move |event: &AttemptEvent<'_>| {
                    let kind = event.error.map(|e| JsValue::from_str(e.kind().as_str()));
                    let _ = observer.call3(
                        &JsValue::NULL,
                        &JsValue::from_str(&event.to_string()),
                        &kind.unwrap_or(JsValue::UNDEFINED),
                        &JsValue::from_bool(event.retry_in.is_some()),
                    );
                }));
            }
            let transport = fetch.map_or_else(FetchTransport::new, FetchTransport::with_fetch);
            builder.transport(Arc::new(transport)).build()
        };
        build()
            .map(|client| Core { client })
            .map_err(|e| error::to_js(&e, "YottaClient"))
    }

    /// Runs the SDK method `method` with `args` (a JSON array) and the call's own settings
    /// (`timeout_ms`, `max_retries`, `headers` as name, value, ...); resolves with the result's
    /// JSON text, rejects with a `YottaError`'s fields as JSON text. Argument errors reject too
    /// (nothing is sent), as callers of async functions expect.
    #[allow(clippy::too_many_arguments)]
    pub fn call(
        &self,
        method: String,
        args: &str,
        timeout_ms: Option<u32>,
        max_retries: Option<u32>,
        headers: Vec<String>,
        signal: Option<AbortSignal>,
        progress: Option<Function>,
    ) -> Promise {
        let started = self
            .view(timeout_ms, max_retries, &headers)
            .and_then(|client| dispatch(client, &method, args, progress));
        wasm_bindgen_futures::future_to_promise(async move {
            let work = started.map_err(|e| error::to_js(&e, &method))?;
            let outcome = abortable(&method, signal, async {
                work.await.map_err(|e| error::to_js(&e, &method))
            })
            .await?;
            Ok(JsValue::from_str(&outcome))
        })
    }

    /// A listing fetched page by page as it is consumed (`workerLogs`, `tasks`).
    pub fn stream(
        &self,
        method: String,
        args: &str,
        timeout_ms: Option<u32>,
        max_retries: Option<u32>,
        headers: Vec<String>,
    ) -> Result<CoreStream, JsValue> {
        let items = self
            .view(timeout_ms, max_retries, &headers)
            .and_then(|client| listing(client, &method, args))
            .map_err(|e| error::to_js(&e, &method))?;
        Ok(CoreStream::new(method, items))
    }
}

impl Core {
    /// The client a call uses: this one, or a view of it with the call's own settings.
    fn view(&self, timeout_ms: Option<u32>, max_retries: Option<u32>, headers: &[String]) -> yotta::Result<Client> {
        Ok(match request_options(timeout_ms, max_retries, headers)? {
            Some(options) => self.client.with_options(options),
            None => self.client.clone(),
        })
    }
}

// Ids are passed by reference where the facade's own composite calls (waits, `run`, `patch`) do,
// so each generic facade method is compiled once: the package's size is budgeted.
fn dispatch(client: Client, method: &str, args: &str, progress: Option<Function>) -> yotta::Result<Work> {
    let one = |name: &'static str| [name];
    Ok(match method {
        "listEndpoints" => {
            let (filter,): (StatusFilter<EndpointStatus>,) = read(args, &one("options"))?;
            work(async move { client.endpoints().list(&filter.statuses()).await })
        }
        "getEndpoint" => {
            let (id,): (EndpointId,) = read(args, &one("id"))?;
            work(async move { client.endpoints().get(&id).await })
        }
        "createEndpoint" => {
            let (spec,): (EndpointSpec,) = read(args, &one("spec"))?;
            work(async move { client.endpoints().create(&spec).await })
        }
        "updateEndpoint" => {
            let (id, update): (EndpointId, EndpointUpdate) = read(args, &["id", "update"])?;
            work(async move { client.endpoints().update(id, &update).await })
        }
        "patchEndpoint" => {
            let (id, patch): (EndpointId, EndpointPatch) = read(args, &["id", "changes"])?;
            work(async move { client.endpoints().patch(id, &patch).await })
        }
        "startEndpoint" => {
            let (id,): (EndpointId,) = read(args, &one("id"))?;
            done(async move { client.endpoints().start(id).await })
        }
        "stopEndpoint" => {
            let (id,): (EndpointId,) = read(args, &one("id"))?;
            done(async move { client.endpoints().stop(id).await })
        }
        "deleteEndpoint" => {
            let (id,): (EndpointId,) = read(args, &one("id"))?;
            done(async move { client.endpoints().delete(id).await })
        }
        "scaleWorkers" => {
            let (id, count): (EndpointId, i64) = read(args, &["id", "count"])?;
            done(async move { client.endpoints().scale(id, count).await })
        }
        "waitForStatus" => {
            let (id, status, wait): (EndpointId, EndpointStatus, WaitOptions) =
                read(args, &["id", "status", "options"])?;
            work(async move {
                let endpoints = client.endpoints();
                endpoints
                    .wait_for_status_with(id, status, wait.into(), reporter(progress))
                    .await
            })
        }
        "listWorkers" => {
            let (id, filter): (EndpointId, StatusFilter<WorkerStatus>) = read(args, &["id", "options"])?;
            work(async move { client.workers().list(id, &filter.statuses()).await })
        }
        "workerLogsPage" => {
            let (id, worker, query): (EndpointId, WorkerId, LogQuery) = read(args, &["id", "workerId", "options"])?;
            work(async move { client.logs().page(id, worker, &query).await })
        }
        "submitTask" => {
            let (id, task): (EndpointId, TaskSpec) = read(args, &["id", "task"])?;
            work(async move { client.tasks().submit(&id, &task).await })
        }
        "getTask" => {
            let (id, task): (EndpointId, TaskId) = read(args, &["id", "taskId"])?;
            work(async move { client.tasks().get(&id, &task).await })
        }
        "listTasks" => {
            let (id, query): (EndpointId, TaskListQuery) = read(args, &["id", "options"])?;
            work(async move { client.tasks().page(id, &query).await })
        }
        "taskCount" => {
            let (id,): (EndpointId,) = read(args, &one("id"))?;
            work(async move { client.tasks().count(id).await })
        }
        "waitForTask" => {
            let (id, task, wait): (EndpointId, TaskId, WaitOptions) = read(args, &["id", "taskId", "options"])?;
            work(async move {
                client
                    .tasks()
                    .wait_with(&id, &task, wait.into(), reporter(progress))
                    .await
            })
        }
        "run" => {
            let (id, task, wait): (EndpointId, TaskSpec, WaitOptions) = read(args, &["id", "task", "options"])?;
            work(async move {
                client
                    .tasks()
                    .run_with(id, &task, wait.into(), reporter(progress))
                    .await
            })
        }
        "listCredentials" => work(async move { client.credentials().list().await }),
        "getCredential" => {
            let (id,): (CredentialId,) = read(args, &one("id"))?;
            work(async move { client.credentials().get(id).await })
        }
        "createCredential" => {
            let (spec,): (CredentialSpec,) = read(args, &one("spec"))?;
            work(async move { client.credentials().create(&spec).await })
        }
        "updateCredential" => {
            let (id, update): (CredentialId, CredentialUpdate) = read(args, &["id", "update"])?;
            work(async move { client.credentials().update(id, &update).await })
        }
        "deleteCredential" => {
            let (id,): (CredentialId,) = read(args, &one("id"))?;
            done(async move { client.credentials().delete(id).await })
        }
        other => return Err(unknown(other)),
    })
}

type Items = LocalBoxStream<'static, yotta::Result<String>>;

fn listing(client: Client, method: &str, args: &str) -> yotta::Result<Items> {
    Ok(match method {
        "workerLogs" => {
            let (id, worker, query, follow): (EndpointId, WorkerId, LogQuery, FollowOptions) =
                read(args, &["id", "workerId", "options", "options"])?;
            let logs = client.logs();
            let lines = match follow.follow {
                Some(true) => logs
                    .follow(id, worker, query, Duration::from_millis(follow.interval_ms().into()))
                    .boxed_local(),
                _ => logs.stream(id, worker, query).boxed_local(),
            };
            lines.map(|line| line.map(|line| json(&line))).boxed_local()
        }
        "tasks" => {
            let (id, filter): (EndpointId, TaskFilter) = read(args, &["id", "options"])?;
            client
                .tasks()
                .stream(id, filter.status)
                .map(|task| task.map(|task| json(&task)))
                .boxed_local()
        }
        other => return Err(unknown(other)),
    })
}

fn unknown(method: &str) -> Error {
    Error::Validation {
        field: "method".into(),
        rule: format!("{method:?} is not a method of this package"),
    }
}
