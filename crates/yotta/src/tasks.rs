//! Tasks of QUEUE-mode endpoints: v2's task routes, or for a v1 client the v1 task API
//! (`/openapi/v1/skywalker/tasks`, the endpoint in the `X-Endpoint-ID` header), in one model.

use crate::client::Client;
use crate::decode;
use crate::error::{Error, ErrorKind, Result};
use crate::ids::{EndpointId, TaskId, as_int64};
use crate::model::{Task, TaskCount, TaskListQuery, TaskPage, TaskSpec, TaskStatus};
use crate::operation::{ApiVersion, Idempotency, Operation};
use crate::retry::is_retryable;
use crate::runtime::{random_fraction, sleep};
use crate::wait::{Verdict, WaitOptions, poll_until};
use crate::{validate, wire};
use futures::{Stream, TryStreamExt, stream};
use yotta_api::operations as op;

/// Task operations of a [`Client`] (`client.tasks()`).
#[derive(Clone, Copy, Debug)]
pub struct Tasks<'a> {
    pub(crate) client: &'a Client,
}

impl Tasks<'_> {
    /// Queues a task and returns its id. Without a `task_id` one is generated first, so the
    /// task can be found after a failure that leaves it unknown whether it was queued.
    ///
    /// Retries: a failure that proves nothing was sent (no connection, HTTP 429, code 24000)
    /// is retried as any call is. After an ambiguous one (a timeout, a dropped connection, a
    /// 5xx), v1 sends the same `userTaskId` again (its task page documents that creation is
    /// idempotent on it); v2 first asks for the task: found, it was queued and its id is
    /// returned; not found (code 24011), the submission is sent again. The v2 pages do not say
    /// that the API deduplicates task ids, so the SDK does not rely on it there.
    pub async fn submit(&self, endpoint: impl Into<EndpointId>, task: &TaskSpec) -> Result<TaskId> {
        let endpoint = endpoint.into();
        let id = as_int64("id", endpoint.as_str())?;
        validate::task_spec(task)?;
        let task_id = match &task.task_id {
            Some(given) if !given.as_str().is_empty() => given.clone(),
            _ => TaskId::generate(),
        };
        let call = self.client.call_for(Operation::SubmitTask);
        if call.version == ApiVersion::V1 {
            // Idempotent on userTaskId (the v1 task page says so): the call path may repeat it.
            let request = op::V1SubmitTask {
                x_endpoint_id: endpoint.to_string(),
                body: wire::task::v1_submit(task, &task_id)?,
            };
            let answer = self.client.send(call, &request).await?;
            return Ok(decode::submitted(call, &answer)?.unwrap_or(task_id));
        }
        let request = op::V2SubmitTask {
            id,
            body: wire::task::v2_submit(task, &task_id)?,
        };
        let policy = self.client.retry_policy();
        let mut lookups = 0;
        loop {
            let error = match self.client.send(call, &request).await {
                // The id the API reports, or (when it reports none) the one this call sent.
                Ok(answer) => return Ok(decode::submitted(call, &answer)?.unwrap_or(task_id)),
                Err(error) => error,
            };
            if lookups >= policy.max_retries || !is_retryable(&error, Idempotency::Idempotent) {
                return Err(error);
            }
            lookups += 1;
            match self.get(&endpoint, &task_id).await {
                Ok(_) => return Ok(task_id),
                Err(lookup) if lookup.kind() == ErrorKind::TaskNotFound => {
                    let pause = policy.delay_after(lookups, &error, Idempotency::Idempotent, random_fraction());
                    sleep(pause.unwrap_or_default()).await;
                }
                // The lookup failed too: report the submission's own failure.
                Err(_) => return Err(error),
            }
        }
    }

    /// Submits a task, waits until it finishes and returns its output: what most callers of
    /// a QUEUE endpoint want. A task that ends FAILED is an [`Error::TaskFailed`] with the
    /// task's id and its error; the wait ends as [`Self::wait`] does.
    ///
    /// [`Error::TaskFailed`]: crate::Error::TaskFailed
    pub async fn run(
        &self,
        endpoint: impl Into<EndpointId>,
        task: &TaskSpec,
        options: WaitOptions,
    ) -> Result<Option<serde_json::Value>> {
        self.run_with(endpoint, task, options, |_| {}).await
    }

    /// [`Self::run`], calling `progress` with every state of the task observed.
    pub async fn run_with(
        &self,
        endpoint: impl Into<EndpointId>,
        task: &TaskSpec,
        options: WaitOptions,
        progress: impl FnMut(&Task),
    ) -> Result<Option<serde_json::Value>> {
        let endpoint = endpoint.into();
        let task_id = self.submit(&endpoint, task).await?;
        let done = self.wait_with(&endpoint, &task_id, options, progress).await?;
        if done.status == TaskStatus::Failed {
            return Err(Error::TaskFailed {
                endpoint_id: endpoint.into_string(),
                task_id: task_id.into_string(),
                reason: done.error,
            });
        }
        Ok(done.output)
    }

    /// One task, with its input, output and headers.
    pub async fn get(&self, endpoint: impl Into<EndpointId>, task: impl Into<TaskId>) -> Result<Task> {
        let endpoint = endpoint.into();
        let id = as_int64("id", endpoint.as_str())?;
        let task = task.into();
        validate::task_id(task.as_str())?;
        let call = self.client.call_for(Operation::GetTask);
        let body = match call.version {
            ApiVersion::V1 => {
                let request = op::V1GetTask {
                    x_endpoint_id: endpoint.to_string(),
                    user_task_id: task.into_string(),
                };
                self.client.send(call, &request).await?
            }
            ApiVersion::V2 => {
                let request = op::V2GetTask {
                    id,
                    task_id: task.into_string(),
                };
                self.client.send(call, &request).await?
            }
        };
        decode::task(call, &body, Some(&endpoint))
    }

    /// One page of tasks (newest first, as the API orders them).
    pub async fn page(&self, endpoint: impl Into<EndpointId>, query: &TaskListQuery) -> Result<TaskPage> {
        fetch_page(self.client, &endpoint.into(), query).await
    }

    /// Every task (optionally of one status), page after page.
    pub fn stream(
        &self,
        endpoint: impl Into<EndpointId>,
        status: Option<TaskStatus>,
    ) -> impl Stream<Item = Result<Task>> + 'static {
        let client = self.client.clone();
        let endpoint = endpoint.into();
        // (next page number, first task of the previous page)
        let start: (Option<i64>, Option<TaskId>) = (Some(1), None);
        let pages = stream::try_unfold(start, move |(next, previous_first)| {
            let client = client.clone();
            let endpoint = endpoint.clone();
            let status = status.clone();
            async move {
                let Some(number) = next else { return Ok(None) };
                let query = TaskListQuery {
                    status,
                    page_number: Some(number),
                    page_size: Some(PAGE_SIZE),
                };
                let page = fetch_page(&client, &endpoint, &query).await?;
                // A server that ignores the page number would be paged through forever.
                let first = page.items.first().map(|task| task.task_id.clone());
                if first.is_some() && first == previous_first {
                    let call = client.call_for(Operation::ListTasks);
                    return Err(crate::Error::decode(
                        call,
                        200,
                        format!("page {number} of the task list repeats the previous page"),
                    ));
                }
                let next = (page.page < page.pages && !page.items.is_empty()).then_some(number + 1);
                Ok(Some((page.items, (next, first))))
            }
        });
        pages
            .map_ok(|items| stream::iter(items.into_iter().map(Ok)))
            .try_flatten()
    }

    /// How many tasks are processing.
    pub async fn count(&self, endpoint: impl Into<EndpointId>) -> Result<TaskCount> {
        let endpoint = endpoint.into();
        let id = as_int64("id", endpoint.as_str())?;
        let call = self.client.call_for(Operation::TaskCount);
        let body = match call.version {
            ApiVersion::V1 => {
                let request = op::V1GetTaskCount {
                    x_endpoint_id: endpoint.to_string(),
                };
                self.client.send(call, &request).await?
            }
            ApiVersion::V2 => self.client.send(call, &op::V2GetTaskCount { id }).await?,
        };
        decode::task_count(call, &body)
    }

    /// Polls until the task is SUCCESS, FAILED or DELIVERED, and returns it.
    pub async fn wait(
        &self,
        endpoint: impl Into<EndpointId>,
        task: impl Into<TaskId>,
        options: WaitOptions,
    ) -> Result<Task> {
        self.wait_with(endpoint, task, options, |_| {}).await
    }

    /// [`Self::wait`], calling `progress` with every state observed.
    pub async fn wait_with(
        &self,
        endpoint: impl Into<EndpointId>,
        task: impl Into<TaskId>,
        options: WaitOptions,
        mut progress: impl FnMut(&Task),
    ) -> Result<Task> {
        let (endpoint, task) = (endpoint.into(), task.into());
        let target = format!("task {task} to finish");
        poll_until(
            &options,
            &target,
            || self.get(&endpoint, &task),
            |current| {
                progress(current);
                if current.status.is_terminal() {
                    Verdict::Done
                } else {
                    Verdict::Continue(current.status.to_string())
                }
            },
        )
        .await
    }
}

/// Page size of task streams: large pages, few calls.
const PAGE_SIZE: i64 = 100;

async fn fetch_page(client: &Client, endpoint: &EndpointId, query: &TaskListQuery) -> Result<TaskPage> {
    let id = as_int64("id", endpoint.as_str())?;
    validate::task_list_query(query)?;
    let page_number = query.page_number.map(|n| wire::int32("pageNumber", n)).transpose()?;
    let page_size = query.page_size.map(|n| wire::int32("pageSize", n)).transpose()?;
    let call = client.call_for(Operation::ListTasks);
    let body = match call.version {
        ApiVersion::V1 => {
            use yotta_api::catalog::OPENAPI_TASK_DETAIL_STATUS_NAMES as NAMES;
            // v1 filters by the status's integer code.
            let status = match &query.status {
                None => None,
                Some(status) => Some(
                    NAMES
                        .iter()
                        .find(|(_, name)| *name == status.as_str())
                        .map(|(code, _)| *code)
                        .ok_or_else(|| {
                            crate::Error::validation("status", format!("{status} has no code in the v1 task API"))
                        })?,
                ),
            };
            let request = op::V1ListTasks {
                x_endpoint_id: endpoint.to_string(),
                status,
                page: page_number,
                page_size,
            };
            client.send(call, &request).await?
        }
        ApiVersion::V2 => {
            let request = op::V2ListTasks {
                id,
                status: query.status.as_ref().map(|s| s.as_str().to_string()),
                page_number,
                page_size,
            };
            client.send(call, &request).await?
        }
    };
    decode::task_page(call, &body, Some(endpoint))
}
