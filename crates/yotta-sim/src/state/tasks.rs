//! Tasks of one QUEUE endpoint: compact records, a FIFO queue and a lookup by user task id.
//!
//! A task costs about 130 bytes plus its id and input text: rarely used fields live behind one
//! optional box, process URIs are interned, and the output is derived from the input on read.

use std::collections::hash_map::{DefaultHasher, Entry};
use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::hash::{Hash, Hasher};

use serde::{Deserialize, Serialize};

use crate::http::redact::OptSecret;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum TaskStatus {
    Processing,
    Delivered,
    Success,
    Failed,
}

impl TaskStatus {
    pub const ALL: [TaskStatus; 4] = [Self::Processing, Self::Delivered, Self::Success, Self::Failed];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Processing => "PROCESSING",
            Self::Delivered => "DELIVERED",
            Self::Success => "SUCCESS",
            Self::Failed => "FAILED",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str().eq_ignore_ascii_case(s))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum DeliveryStatus {
    Init,
    Success,
    Failed,
    MaxRetriesExceeded,
}

impl DeliveryStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Init => "INIT",
            Self::Success => "SUCCESS",
            Self::Failed => "FAILED",
            Self::MaxRetriesExceeded => "MAX_RETRIES_EXCEEDED",
        }
    }
}

/// `Debug` shows the webhook auth key as `***`.
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskExtra {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub headers: Option<Box<str>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub webhook: Option<Box<str>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub webhook_auth_key: Option<Box<str>>,
    /// Submitted through the v1 task API (its callback carries the key as `X-API-Key`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub v1: bool,
    /// From `"simulateFailure"` in the input: the task fails with this reason.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fail: Option<Box<str>>,
    /// From `"simulateDurationMs"` in the input.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_ms: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<Box<str>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivered_at: Option<u64>,
}

impl fmt::Debug for TaskExtra {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Self {
            headers,
            webhook,
            webhook_auth_key,
            fail,
            duration_ms,
            error,
            delivered_at,
            v1,
        } = self;
        f.debug_struct("TaskExtra")
            .field("headers", headers)
            .field("webhook", webhook)
            .field("webhook_auth_key", &OptSecret(webhook_auth_key))
            .field("fail", fail)
            .field("duration_ms", duration_ms)
            .field("error", error)
            .field("delivered_at", delivered_at)
            .field("v1", v1)
            .finish()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Task {
    /// The platform's numeric task id (the webhook body's `task_id`).
    pub uid: u64,
    pub task_id: Box<str>,
    /// The input as compact JSON text.
    pub input: Box<str>,
    pub uri: u32,
    pub worker_port: u16,
    pub status: TaskStatus,
    pub delivery: DeliveryStatus,
    pub attempts: u16,
    pub created_at: u64,
    pub updated_at: u64,
    #[serde(default)]
    pub started_at: u64,
    #[serde(default)]
    pub finished_at: u64,
    /// 0 until a worker picks the task up.
    #[serde(default)]
    pub worker_id: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra: Option<Box<TaskExtra>>,
}

impl Task {
    pub fn extra(&self) -> Option<&TaskExtra> {
        self.extra.as_deref()
    }

    pub fn extra_mut(&mut self) -> &mut TaskExtra {
        self.extra.get_or_insert_with(Box::default)
    }

    pub fn webhook(&self) -> Option<&str> {
        self.extra().and_then(|e| e.webhook.as_deref())
    }

    pub fn error(&self) -> Option<&str> {
        self.extra().and_then(|e| e.error.as_deref())
    }

    pub fn delivered_at(&self) -> Option<u64> {
        self.extra().and_then(|e| e.delivered_at)
    }

    pub fn is_finished(&self) -> bool {
        self.status != TaskStatus::Processing
    }
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(from = "TaskStoreRepr")]
pub struct TaskStore {
    tasks: Vec<Task>,
    uris: Vec<Box<str>>,
    queue: VecDeque<u32>,
    #[serde(skip)]
    by_hash: HashMap<u64, u32>,
    // User task ids whose hash collides with another task's id.
    #[serde(skip)]
    by_id: HashMap<Box<str>, u32>,
    #[serde(skip)]
    uri_index: HashMap<Box<str>, u32>,
    #[serde(skip)]
    counts: [u64; 4],
}

#[derive(Deserialize)]
struct TaskStoreRepr {
    tasks: Vec<Task>,
    uris: Vec<Box<str>>,
    queue: VecDeque<u32>,
}

impl From<TaskStoreRepr> for TaskStore {
    fn from(repr: TaskStoreRepr) -> Self {
        let mut store = TaskStore {
            uris: repr.uris,
            ..TaskStore::default()
        };
        store.uri_index = store
            .uris
            .iter()
            .enumerate()
            .map(|(i, u)| (u.clone(), i as u32))
            .collect();
        for task in repr.tasks {
            store.index(task);
        }
        let len = store.tasks.len();
        store.queue = repr.queue.into_iter().filter(|&i| (i as usize) < len).collect();
        store
    }
}

fn hash_id(id: &str) -> u64 {
    let mut h = DefaultHasher::new();
    id.hash(&mut h);
    h.finish()
}

impl TaskStore {
    pub fn len(&self) -> usize {
        self.tasks.len()
    }

    pub fn find(&self, task_id: &str) -> Option<u32> {
        match self.by_hash.get(&hash_id(task_id)) {
            Some(&i) if &*self.tasks[i as usize].task_id == task_id => Some(i),
            _ => self.by_id.get(task_id).copied(),
        }
    }

    pub fn get(&self, idx: u32) -> Option<&Task> {
        self.tasks.get(idx as usize)
    }

    pub fn get_mut(&mut self, idx: u32) -> Option<&mut Task> {
        self.tasks.get_mut(idx as usize)
    }

    pub fn uri(&self, task: &Task) -> &str {
        self.uris.get(task.uri as usize).map_or("/", |u| u)
    }

    pub fn intern_uri(&mut self, uri: &str) -> u32 {
        if let Some(&i) = self.uri_index.get(uri) {
            return i;
        }
        let i = self.uris.len() as u32;
        self.uris.push(uri.into());
        self.uri_index.insert(uri.into(), i);
        i
    }

    fn index(&mut self, task: Task) -> u32 {
        let idx = self.tasks.len() as u32;
        let h = hash_id(&task.task_id);
        match self.by_hash.entry(h) {
            Entry::Occupied(_) => {
                self.by_id.insert(task.task_id.clone(), idx);
            }
            Entry::Vacant(slot) => {
                slot.insert(idx);
            }
        }
        self.counts[task.status as usize] += 1;
        self.tasks.push(task);
        idx
    }

    /// Adds a new task (the caller has checked its id is unused) at the back of the queue.
    pub fn push(&mut self, task: Task) -> u32 {
        let idx = self.index(task);
        self.queue.push_back(idx);
        idx
    }

    pub fn set_status(&mut self, idx: u32, status: TaskStatus) {
        if let Some(task) = self.tasks.get_mut(idx as usize) {
            self.counts[task.status as usize] -= 1;
            self.counts[status as usize] += 1;
            task.status = status;
        }
    }

    pub fn count(&self, status: Option<TaskStatus>) -> u64 {
        status.map_or(self.tasks.len() as u64, |s| self.counts[s as usize])
    }

    pub fn queue_front(&self) -> Option<u32> {
        self.queue.front().copied()
    }

    pub fn queue_pop(&mut self) -> Option<u32> {
        self.queue.pop_front()
    }

    /// Puts an interrupted task back at the head of the queue.
    pub fn requeue(&mut self, idx: u32) {
        self.queue.push_front(idx);
    }

    pub fn queued(&self) -> usize {
        self.queue.len()
    }

    /// One page of task indexes, newest first, optionally filtered by status.
    pub fn page(&self, status: Option<TaskStatus>, page: u64, size: u64) -> Vec<u32> {
        let skip = usize::try_from(page.saturating_sub(1).saturating_mul(size)).unwrap_or(usize::MAX);
        let size = usize::try_from(size).unwrap_or(usize::MAX);
        let newest_first = (0..self.tasks.len()).rev();
        match status {
            None => newest_first.skip(skip).take(size).map(|i| i as u32).collect(),
            Some(s) => {
                if skip as u64 >= self.counts[s as usize] {
                    return Vec::new();
                }
                newest_first
                    .filter(|&i| self.tasks[i].status == s)
                    .skip(skip)
                    .take(size)
                    .map(|i| i as u32)
                    .collect()
            }
        }
    }

    /// Tasks with a finished status and an undelivered webhook: redelivered after a restart.
    pub fn undelivered(&self) -> impl Iterator<Item = u32> + '_ {
        self.tasks
            .iter()
            .enumerate()
            .filter(|(_, t)| t.is_finished() && t.webhook().is_some() && t.delivery == DeliveryStatus::Init)
            .map(|(i, _)| i as u32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn task(id: &str, created_at: u64) -> Task {
        Task {
            uid: created_at,
            task_id: id.into(),
            input: "{}".into(),
            uri: 0,
            worker_port: 8000,
            status: TaskStatus::Processing,
            delivery: DeliveryStatus::Init,
            attempts: 0,
            created_at,
            updated_at: created_at,
            started_at: 0,
            finished_at: 0,
            worker_id: 0,
            extra: None,
        }
    }

    #[test]
    fn lookup_counts_and_pages() {
        let mut store = TaskStore::default();
        for i in 0..25 {
            store.push(task(&format!("t{i}"), i));
        }
        assert_eq!(store.find("t7"), Some(7));
        assert_eq!(store.find("nope"), None);
        store.set_status(3, TaskStatus::Success);
        assert_eq!((store.count(None), store.count(Some(TaskStatus::Processing))), (25, 24));
        assert_eq!(store.page(None, 1, 10)[0], 24);
        assert_eq!(store.page(None, 3, 10).len(), 5);
        assert_eq!(store.page(Some(TaskStatus::Success), 1, 10), [3]);
        assert!(store.page(Some(TaskStatus::Success), 2, 10).is_empty());
        assert!(store.page(None, u64::MAX, u64::MAX).is_empty());
    }

    #[test]
    fn records_stay_compact() {
        // A million tasks must fit in a few hundred MiB: guard the fixed part of each record.
        assert!(size_of::<Task>() <= 104, "Task grew to {} bytes", size_of::<Task>());
        assert_eq!(size_of::<crate::state::logs::Seg>(), 16);
    }

    #[test]
    fn serde_round_trip_rebuilds_indexes() {
        let mut store = TaskStore::default();
        let uri = store.intern_uri("/run");
        let mut t = task("abc", 1);
        t.uri = uri;
        store.push(t);
        store.set_status(0, TaskStatus::Failed);
        let back: TaskStore = serde_json::from_str(&serde_json::to_string(&store).unwrap()).unwrap();
        assert_eq!(back.find("abc"), Some(0));
        assert_eq!(back.count(Some(TaskStatus::Failed)), 1);
        assert_eq!(back.uri(back.get(0).unwrap()), "/run");
        assert_eq!(back.queued(), 1);
    }
}
