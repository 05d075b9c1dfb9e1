//! Task methods of `YottaClient`.

use crate::abort::signal_of;
use crate::client::{YottaClient, endpoint_id};
use crate::convert::{self, data_fields, from_js, from_js_or_default, property};
use crate::iterator::YottaIterator;
use crate::wait::wait_options;
use js_sys::{Function, Promise};
use serde::Deserialize;
use wasm_bindgen::prelude::*;
use yotta::{TaskId, TaskListQuery, TaskSpec, TaskStatus};

fn task_id(value: &JsValue) -> Result<TaskId, JsValue> {
    convert::id_from_js("taskId", value).map(TaskId::from)
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct TaskFilter {
    status: Option<TaskStatus>,
}

#[wasm_bindgen]
impl YottaClient {
    /// Queues a task on a QUEUE-mode endpoint; resolves with its task id (generated when the
    /// task has none, so a retried submission cannot queue it twice).
    #[wasm_bindgen(js_name = submitTask, unchecked_return_type = "Promise<string>")]
    pub fn submit_task(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "TaskSpec")] task: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: Option<JsValue>,
    ) -> Promise {
        self.promise("submitTask", options, |client, _| {
            let id = endpoint_id(&id)?;
            let task: TaskSpec = from_js("task", task)?;
            Ok(async move { client.tasks().submit(id, &task).await })
        })
    }

    #[wasm_bindgen(js_name = getTask, unchecked_return_type = "Promise<Task>")]
    pub fn get_task(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] task: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: Option<JsValue>,
    ) -> Promise {
        self.promise("getTask", options, |client, _| {
            let id = endpoint_id(&id)?;
            let task = task_id(&task)?;
            Ok(async move { client.tasks().get(id, task).await })
        })
    }

    #[wasm_bindgen(js_name = listTasks, unchecked_return_type = "Promise<TaskPage>")]
    pub fn list_tasks(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "TaskListQuery & CallOptions")] options: Option<JsValue>,
    ) -> Promise {
        self.promise("listTasks", options, |client, options| {
            let id = endpoint_id(&id)?;
            let query: TaskListQuery = from_js_or_default("options", data_fields(options, &["signal"]))?;
            Ok(async move { client.tasks().page(id, &query).await })
        })
    }

    /// Every task (optionally of one status), fetched page by page as you iterate.
    #[wasm_bindgen(js_name = tasks, unchecked_return_type = "AsyncIterableIterator<Task>")]
    pub fn tasks(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "{ status?: TaskStatus } & CallOptions")] options: Option<
            JsValue,
        >,
    ) -> Result<YottaIterator, JsValue> {
        self.tasks_iterator(id, options)
            .map_err(|e| crate::error::in_operation(e, "tasks"))
    }

    #[wasm_bindgen(js_name = taskCount, unchecked_return_type = "Promise<TaskCount>")]
    pub fn task_count(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: Option<JsValue>,
    ) -> Promise {
        self.promise("taskCount", options, |client, _| {
            let id = endpoint_id(&id)?;
            Ok(async move { client.tasks().count(id).await })
        })
    }

    /// Resolves with the task once it is SUCCESS, FAILED or DELIVERED.
    #[wasm_bindgen(js_name = waitForTask, unchecked_return_type = "Promise<Task>")]
    pub fn wait_for_task(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] task: JsValue,
        #[wasm_bindgen(
            unchecked_optional_param_type = "WaitOptions & { onProgress?: (task: Task) => void } & CallOptions"
        )]
        options: Option<JsValue>,
    ) -> Promise {
        self.promise("waitForTask", options, |client, options| {
            let id = endpoint_id(&id)?;
            let task = task_id(&task)?;
            let wait = wait_options(options)?;
            let progress = property(options, "onProgress").and_then(|f| f.dyn_into::<Function>().ok());
            Ok(async move {
                client
                    .tasks()
                    .wait_with(id, task, wait, |current| {
                        if let Some(progress) = &progress {
                            let _ = progress.call1(&JsValue::NULL, &convert::to_js(current));
                        }
                    })
                    .await
            })
        })
    }
}

impl YottaClient {
    fn tasks_iterator(&self, id: JsValue, options: Option<JsValue>) -> Result<YottaIterator, JsValue> {
        let options = options.unwrap_or(JsValue::UNDEFINED);
        let id = endpoint_id(&id)?;
        let signal = signal_of(&options)?;
        let filter: TaskFilter = from_js_or_default("options", data_fields(&options, &["signal"]))?;
        Ok(YottaIterator::new(
            "tasks",
            self.client.tasks().stream(id, filter.status),
            signal,
        ))
    }
}
