//! Tasks of QUEUE-mode endpoints (served by v2 whatever the client's version).

use crate::client::Client;
use crate::decode;
use crate::error::Result;
use crate::ids::{EndpointId, TaskId, as_int64};
use crate::model::{Task, TaskCount, TaskListQuery, TaskPage, TaskSpec, TaskStatus};
use crate::operation::Operation;
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
    /// Queues a task and returns its id. Without a `task_id` one is generated first, so a
    /// retry after a lost response finds the same task instead of queueing it twice.
    pub async fn submit(&self, endpoint: impl Into<EndpointId>, task: &TaskSpec) -> Result<TaskId> {
        let id = as_int64("id", endpoint.into().as_str())?;
        validate::task_spec(task)?;
        let task_id = match &task.task_id {
            Some(given) if !given.as_str().is_empty() => given.clone(),
            _ => TaskId::generate(),
        };
        let body = wire::task::v2_submit(task, &task_id)?;
        let call = self.client.call_for(Operation::SubmitTask);
        let answer = self.client.send(call, &op::V2SubmitTask { id, body }).await?;
        // The id the API reports, or (when it reports none) the one this call sent.
        Ok(decode::submitted(call, &answer)?.unwrap_or(task_id))
    }

    /// One task, with its input, output and headers.
    pub async fn get(&self, endpoint: impl Into<EndpointId>, task: impl Into<TaskId>) -> Result<Task> {
        let id = as_int64("id", endpoint.into().as_str())?;
        let task = task.into();
        validate::task_id(task.as_str())?;
        let call = self.client.call_for(Operation::GetTask);
        let request = op::V2GetTask {
            id,
            task_id: task.into_string(),
        };
        let body = self.client.send(call, &request).await?;
        decode::task(call, &body)
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
        let pages = stream::try_unfold(Some(1i64), move |next| {
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
                let next = (page.page < page.pages && !page.items.is_empty()).then_some(number + 1);
                Ok(Some((page.items, next)))
            }
        });
        pages
            .map_ok(|items| stream::iter(items.into_iter().map(Ok)))
            .try_flatten()
    }

    /// How many tasks are processing.
    pub async fn count(&self, endpoint: impl Into<EndpointId>) -> Result<TaskCount> {
        let id = as_int64("id", endpoint.into().as_str())?;
        let call = self.client.call_for(Operation::TaskCount);
        let body = self.client.send(call, &op::V2GetTaskCount { id }).await?;
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
    let request = op::V2ListTasks {
        id,
        status: query.status.as_ref().map(|s| s.as_str().to_string()),
        page_number,
        page_size,
    };
    let body = client.send(call, &request).await?;
    decode::task_page(call, &body)
}
