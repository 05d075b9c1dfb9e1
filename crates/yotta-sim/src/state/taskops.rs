//! Task submission (v2, QUEUE endpoints) and the bookkeeping of webhook deliveries.

use std::fmt;

use serde_json::{Map, Value, json};

use super::endpoint::{Endpoint, ServiceMode, Status};
use super::tasks::{DeliveryStatus, Task, TaskExtra, TaskStatus, TaskStore};
use super::{DeliveryJob, State, Version};
use crate::http::envelope::{ApiError, NOT_EXIST, UNAVAILABLE};
use crate::http::redact::OptSecret;
use crate::state::timefmt::iso_ms;

/// The longest `simulateDurationMs` honoured: one day.
const MAX_SIMULATED_MS: u64 = 86_400_000;

/// A validated task submission. `Debug` shows the webhook auth key as `***`.
#[derive(Clone)]
pub struct NewTask {
    pub task_id: Option<String>,
    pub input: Value,
    pub worker_port: u16,
    pub process_uri: String,
    pub webhook: Option<String>,
    pub webhook_auth_key: Option<String>,
    pub headers: Option<Map<String, Value>>,
    /// Submitted through the v1 task API, whose callback presents the auth key as `X-API-Key`.
    pub v1: bool,
}

/// One webhook POST to make. `Debug` shows the auth key as `***`.
#[derive(Clone)]
pub struct DeliveryRequest {
    pub url: String,
    pub auth_key: Option<String>,
    /// Present the key as `X-API-Key` (the v1 task page's callback) rather than as a bearer token.
    pub key_as_api_key: bool,
    pub body: Value,
}

impl fmt::Debug for NewTask {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Self {
            task_id,
            input,
            worker_port,
            process_uri,
            webhook,
            webhook_auth_key,
            headers,
            v1,
        } = self;
        f.debug_struct("NewTask")
            .field("task_id", task_id)
            .field("input", input)
            .field("worker_port", worker_port)
            .field("process_uri", process_uri)
            .field("webhook", webhook)
            .field("webhook_auth_key", &OptSecret(webhook_auth_key))
            .field("headers", headers)
            .field("v1", v1)
            .finish()
    }
}

impl fmt::Debug for DeliveryRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Self {
            url,
            auth_key,
            key_as_api_key,
            body,
        } = self;
        f.debug_struct("DeliveryRequest")
            .field("url", url)
            .field("auth_key", &OptSecret(auth_key))
            .field("key_as_api_key", key_as_api_key)
            .field("body", body)
            .finish()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeliveryOutcome {
    Delivered,
    /// A 4xx answer other than 408/429: retrying cannot help.
    Rejected,
    /// A 5xx, 408, 429, timeout or connection failure.
    Retryable,
    /// Not a loopback URL: never contacted.
    Refused,
}

impl State {
    /// The endpoint behind a v2 task route: 14000 if it never existed, 24001 if it was deleted.
    pub fn task_endpoint(&mut self, id: u64, now: u64) -> Result<&mut Endpoint, ApiError> {
        if !self.endpoints.contains_key(&id) && self.tombstones.contains(&id) {
            return Err(ApiError::business(NOT_EXIST, "Serverless does not exist"));
        }
        self.endpoint(id, now, Version::V2)
    }

    /// Queues a task; a `taskId` already used on this endpoint returns the existing task's id.
    pub fn submit_task(&mut self, id: u64, new: NewTask, now: u64) -> Result<String, ApiError> {
        let ep = self.task_endpoint(id, now)?;
        if ep.spec.service_mode != ServiceMode::Queue {
            return Err(ApiError::param(format!(
                "endpoint {id} has serviceMode {}; tasks can only be submitted to QUEUE endpoints",
                ep.spec.service_mode.as_str()
            )));
        }
        let status = ep.status(now);
        if matches!(status, Status::Stopping | Status::Stopped | Status::Failed) {
            return Err(ApiError::business(
                UNAVAILABLE,
                format!("Serverless unavailable: endpoint is {}", status.as_str()),
            ));
        }
        if let Some(existing) = new.task_id.as_deref().filter(|t| !t.is_empty())
            && ep.tasks.find(existing).is_some()
        {
            return Ok(existing.to_owned());
        }
        let webhook = new.webhook.or_else(|| ep.spec.webhook.clone());
        let task_id = match new.task_id.filter(|t| !t.is_empty()) {
            Some(t) => t,
            None => loop {
                // The simple (hyphen-less) form, so generated ids match `^[A-Za-z0-9_]*$` like user ids.
                let candidate = uuid::Uuid::new_v4().simple().to_string();
                if ep.tasks.find(&candidate).is_none() {
                    break candidate;
                }
            },
        };
        let extra = TaskExtra {
            headers: new.headers.map(|h| Value::Object(h).to_string().into()),
            webhook: webhook.map(Into::into),
            webhook_auth_key: new.webhook_auth_key.map(Into::into),
            v1: new.v1,
            fail: new
                .input
                .get("simulateFailure")
                .filter(|v| !v.is_null())
                .map(|v| match v {
                    Value::String(s) => s.as_str().into(),
                    other => other.to_string().into(),
                }),
            duration_ms: new
                .input
                .get("simulateDurationMs")
                .and_then(Value::as_u64)
                .map(|d| d.min(MAX_SIMULATED_MS)),
            ..TaskExtra::default()
        };
        let uri = ep.tasks.intern_uri(&new.process_uri);
        let uid = self.ids.next(now);
        let ep = self
            .endpoints
            .get_mut(&id)
            .ok_or_else(|| Self::not_found(Version::V2))?;
        ep.tasks.push(Task {
            uid,
            task_id: task_id.as_str().into(),
            input: new.input.to_string().into(),
            uri,
            worker_port: new.worker_port,
            status: TaskStatus::Processing,
            delivery: DeliveryStatus::Init,
            attempts: 0,
            created_at: now,
            updated_at: now,
            started_at: 0,
            finished_at: 0,
            worker_id: 0,
            extra: (extra != TaskExtra::default()).then(|| Box::new(extra)),
        });
        self.settle(id, now);
        Ok(task_id)
    }

    fn job_task(&self, job: DeliveryJob) -> Option<(&Endpoint, &Task)> {
        if job.epoch != self.epoch {
            return None;
        }
        let ep = self.endpoints.get(&job.endpoint)?;
        Some((ep, ep.tasks.get(job.task)?))
    }

    /// The next POST for `job`, or `None` when there is nothing (left) to deliver.
    pub fn delivery_request(&self, job: DeliveryJob, now: u64) -> Option<DeliveryRequest> {
        let (ep, task) = self.job_task(job)?;
        if !task.is_finished() || task.delivery != DeliveryStatus::Init {
            return None;
        }
        let success = task.status != TaskStatus::Failed;
        let mut body = json!({
            "task_id": task.uid,
            "user_task_id": &*task.task_id,
            "endpoint_id": ep.id.to_string(),
            "status": if success { "Success" } else { "Failed" },
            "success": success,
            "timestamp": iso_ms(now),
            "retry_count": task.attempts + 1,
        });
        if let Some(output) = task_output(&ep.tasks, task) {
            body["result"] = output;
        }
        if let Some(reason) = task.error() {
            body["failed_reason"] = Value::String(reason.to_owned());
        }
        Some(DeliveryRequest {
            url: task.webhook()?.to_owned(),
            auth_key: task
                .extra()
                .and_then(|e| e.webhook_auth_key.as_deref())
                .map(str::to_owned),
            key_as_api_key: task.extra().is_some_and(|e| e.v1),
            body,
        })
    }

    /// Records one attempt; returns whether another attempt should follow.
    pub fn record_delivery(&mut self, job: DeliveryJob, outcome: DeliveryOutcome, now: u64, max_attempts: u32) -> bool {
        if self.job_task(job).is_none() {
            return false;
        }
        let Some(ep) = self.endpoints.get_mut(&job.endpoint) else {
            return false;
        };
        let tasks = &mut ep.tasks;
        let Some(task) = tasks.get_mut(job.task) else {
            return false;
        };
        task.updated_at = now;
        if outcome != DeliveryOutcome::Refused {
            task.attempts = task.attempts.saturating_add(1);
        }
        let (delivery, retry) = match outcome {
            DeliveryOutcome::Delivered => (DeliveryStatus::Success, false),
            DeliveryOutcome::Rejected | DeliveryOutcome::Refused => (DeliveryStatus::Failed, false),
            DeliveryOutcome::Retryable if u32::from(task.attempts) >= max_attempts => {
                (DeliveryStatus::MaxRetriesExceeded, false)
            }
            DeliveryOutcome::Retryable => (DeliveryStatus::Init, true),
        };
        task.delivery = delivery;
        if delivery == DeliveryStatus::Success {
            task.extra_mut().delivered_at = Some(now);
            if task.status == TaskStatus::Success {
                tasks.set_status(job.task, TaskStatus::Delivered);
            }
        }
        retry
    }
}

/// What a finished task "returned": its input echoed back with where and how it ran.
pub fn task_output(tasks: &TaskStore, task: &Task) -> Option<Value> {
    if !matches!(task.status, TaskStatus::Success | TaskStatus::Delivered) {
        return None;
    }
    Some(json!({
        "workerId": task.worker_id.to_string(),
        "processUri": tasks.uri(task),
        "durationMs": task.finished_at.saturating_sub(task.started_at),
        "echo": serde_json::from_str::<Value>(&task.input).unwrap_or(Value::Null),
    }))
}
