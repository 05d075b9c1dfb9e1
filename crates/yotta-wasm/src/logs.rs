//! Worker and log methods of `YottaClient`.

use crate::abort::signal_of;
use crate::client::{YottaClient, endpoint_id};
use crate::convert::{self, data_fields, from_js_or_default, property};
use crate::endpoints::{OneOrMany, StatusFilter};
use crate::iterator::YottaIterator;
use js_sys::Promise;
use std::time::Duration;
use wasm_bindgen::prelude::*;
use yotta::{LogQuery, WorkerId, WorkerStatus};

fn worker_id(value: &JsValue) -> Result<WorkerId, JsValue> {
    convert::id_from_js("workerId", value).map(WorkerId::from)
}

#[wasm_bindgen]
impl YottaClient {
    #[wasm_bindgen(js_name = listWorkers, unchecked_return_type = "Promise<Worker[]>")]
    pub fn list_workers(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "StatusFilter<WorkerStatus> & CallOptions")] options: Option<
            JsValue,
        >,
    ) -> Promise {
        self.promise("listWorkers", options, |client, options| {
            let id = endpoint_id(&id)?;
            let filter: StatusFilter<WorkerStatus> = from_js_or_default("options", data_fields(options, &["signal"]))?;
            let statuses = filter.status.map(OneOrMany::into_vec).unwrap_or_default();
            Ok(async move { client.workers().list(id, &statuses).await })
        })
    }

    /// One page of a worker's log; pass the page's `next` as `after` for the following one.
    #[wasm_bindgen(js_name = workerLogsPage, unchecked_return_type = "Promise<LogPage>")]
    pub fn worker_logs_page(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] worker: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "LogQuery & CallOptions")] options: Option<JsValue>,
    ) -> Promise {
        self.promise("workerLogsPage", options, |client, options| {
            let id = endpoint_id(&id)?;
            let worker = worker_id(&worker)?;
            let query: LogQuery = from_js_or_default("options", data_fields(options, &["signal"]))?;
            Ok(async move { client.logs().page(id, worker, &query).await })
        })
    }

    /// Every matching line, fetched page by page as you iterate (`for await`). With
    /// `follow: true` it keeps polling for new lines until you `break` or the signal aborts.
    #[wasm_bindgen(js_name = workerLogs, unchecked_return_type = "AsyncIterableIterator<LogLine>")]
    pub fn worker_logs(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] worker: JsValue,
        #[wasm_bindgen(
            unchecked_optional_param_type = "LogQuery & { follow?: boolean; followIntervalMs?: number } & CallOptions"
        )]
        options: Option<JsValue>,
    ) -> Result<YottaIterator, JsValue> {
        self.worker_logs_iterator(id, worker, options)
            .map_err(|e| crate::error::in_operation(e, "workerLogs"))
    }
}

impl YottaClient {
    fn worker_logs_iterator(
        &self,
        id: JsValue,
        worker: JsValue,
        options: Option<JsValue>,
    ) -> Result<YottaIterator, JsValue> {
        let options = options.unwrap_or(JsValue::UNDEFINED);
        let id = endpoint_id(&id)?;
        let worker = worker_id(&worker)?;
        let signal = signal_of(&options)?;
        let follow = property(&options, "follow")
            .map(|f| {
                f.as_bool()
                    .ok_or_else(|| crate::error::invalid("follow", "must be a boolean"))
            })
            .transpose()?;
        let interval = match property(&options, "followIntervalMs") {
            None => Duration::from_secs(2),
            Some(ms) => Duration::from_millis(convert::from_js::<u32>("followIntervalMs", ms)?.into()),
        };
        let query: LogQuery = from_js_or_default(
            "options",
            data_fields(&options, &["signal", "follow", "followIntervalMs"]),
        )?;
        let logs = self.client.logs();
        Ok(if follow == Some(true) {
            YottaIterator::new("workerLogs", logs.follow(id, worker, query, interval), signal)
        } else {
            YottaIterator::new("workerLogs", logs.stream(id, worker, query), signal)
        })
    }
}
