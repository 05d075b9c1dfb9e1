//! Tasks of QUEUE-mode endpoints.

use super::enums::{DeliveryStatus, TaskStatus};
use crate::ids::{EndpointId, TaskId};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// A task: its input, its state, its output once done.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Task {
    pub task_id: TaskId,
    pub endpoint_id: Option<EndpointId>,
    pub endpoint_name: Option<String>,
    pub status: TaskStatus,
    pub worker_url: Option<String>,
    pub webhook: Option<String>,
    pub delivery_status: Option<DeliveryStatus>,
    pub delivery_attempts: Option<i32>,
    /// Why the task failed.
    pub error: Option<String>,
    /// Present in single-task reads, not in lists.
    pub input: Option<serde_json::Value>,
    pub output: Option<serde_json::Value>,
    pub headers: Option<BTreeMap<String, String>>,
    /// Epoch milliseconds.
    pub created_at: Option<i64>,
    pub updated_at: Option<i64>,
    pub delivered_at: Option<i64>,
}

/// One page of tasks.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskPage {
    pub items: Vec<Task>,
    /// 1-based page number.
    pub page: i64,
    pub size: i64,
    pub total: i64,
    pub pages: i64,
}

/// Task counters of an endpoint (today the API reports only the processing count).
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskCount {
    pub processing: i64,
}

/// Which tasks to list.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TaskListQuery {
    #[serde(default)]
    pub status: Option<TaskStatus>,
    /// 1-based (default 1).
    #[serde(default)]
    pub page_number: Option<i64>,
    /// Default 10.
    #[serde(default)]
    pub page_size: Option<i64>,
}

/// A task to submit.
///
/// Without a `task_id` the SDK generates one, so that retrying a submission after a lost
/// response cannot queue the task twice (the API deduplicates by task id).
///
/// ```
/// use yotta::TaskSpec;
/// let task = TaskSpec::new(serde_json::json!({"prompt": "Hello"}), 8000, "/v1/chat/completions")
///     .task_id("my_task_001")
///     .header("Authorization", "Bearer token123");
/// assert_eq!(task.worker_port, 8000);
/// ```
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TaskSpec {
    #[serde(default)]
    pub task_id: Option<TaskId>,
    /// Any JSON.
    pub input: serde_json::Value,
    pub worker_port: i64,
    pub process_uri: String,
    #[serde(default)]
    pub webhook: Option<String>,
    /// Sent to the webhook with the result; never shown in `Debug` output.
    #[serde(default)]
    pub webhook_auth_key: Option<String>,
    /// Headers forwarded to the worker with the task.
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
}

impl TaskSpec {
    pub fn new(input: serde_json::Value, worker_port: i64, process_uri: impl Into<String>) -> Self {
        Self {
            task_id: None,
            input,
            worker_port,
            process_uri: process_uri.into(),
            webhook: None,
            webhook_auth_key: None,
            headers: BTreeMap::new(),
        }
    }

    pub fn task_id(mut self, id: impl Into<TaskId>) -> Self {
        self.task_id = Some(id.into());
        self
    }

    pub fn webhook(mut self, url: impl Into<String>, auth_key: Option<String>) -> Self {
        self.webhook = Some(url.into());
        self.webhook_auth_key = auth_key;
        self
    }

    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.insert(name.into(), value.into());
        self
    }
}

impl fmt::Debug for TaskSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TaskSpec")
            .field("task_id", &self.task_id)
            .field("input", &self.input)
            .field("worker_port", &self.worker_port)
            .field("process_uri", &self.process_uri)
            .field("webhook", &self.webhook)
            .field(
                "webhook_auth_key",
                &self.webhook_auth_key.as_ref().map(|_| "<redacted>"),
            )
            .field("headers", &self.headers.keys().collect::<Vec<_>>())
            .finish()
    }
}
