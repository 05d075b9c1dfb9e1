//! The one state both API versions share, behind a single mutex held for microseconds per request.

mod backlog;
pub mod capacity;
pub mod catalog;
pub mod clock;
pub mod credentials;
pub mod endpoint;
pub mod ids;
mod lifecycle;
pub mod log_query;
pub mod logs;
mod process;
mod taskops;
pub mod tasks;
pub mod timefmt;
pub mod worker;

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, BinaryHeap};
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use tokio::sync::Notify;
use tokio::sync::mpsc::UnboundedSender;

use crate::config::SimConfig;
use crate::http::envelope::{ApiError, NOT_EXIST, V2_NOT_FOUND};
use crate::state::ids::IdGen;
use capacity::Ledger;
use credentials::Credential;
use endpoint::Endpoint;

pub use lifecycle::UpdateMode;
pub use taskops::{DeliveryOutcome, DeliveryRequest, NewTask, task_output};

/// Deleted endpoint ids remembered so v2 task routes can answer 24001 rather than 14000.
const MAX_TOMBSTONES: usize = 100_000;

/// Which API version is asking: decides the "not found" code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    V1,
    V2,
}

/// A webhook delivery to attempt for one finished task.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeliveryJob {
    /// `State::epoch` when queued: a reset in between cancels the job.
    pub epoch: u64,
    pub endpoint: u64,
    pub task: u32,
}

pub struct State {
    pub cfg: Arc<SimConfig>,
    pub endpoints: BTreeMap<u64, Endpoint>,
    pub credentials: BTreeMap<u64, Credential>,
    pub tombstones: BTreeSet<u64>,
    pub ids: IdGen,
    pub ledger: Ledger,
    /// `(when, endpoint)`: the next moment each busy endpoint has something to settle (a task
    /// finishing, a worker becoming ready for queued tasks). The driver pops only what is due.
    pub timers: BinaryHeap<Reverse<(u64, u64)>>,
    /// When the driver will next wake on its own; an earlier timer wakes it through `wake`.
    pub planned_wake: u64,
    pub wake: Arc<Notify>,
    pub epoch: u64,
    deliveries: Option<UnboundedSender<DeliveryJob>>,
}

/// What `--state` files contain.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Snapshot {
    pub version: u32,
    pub saved_at_ms: u64,
    pub clock_offset_ms: i64,
    pub ids: IdGen,
    pub tombstones: Vec<u64>,
    pub endpoints: Vec<Endpoint>,
    /// Absent from files written before credentials were simulated.
    #[serde(default)]
    pub credentials: Vec<Credential>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SnapshotRef<'a> {
    pub version: u32,
    pub saved_at_ms: u64,
    pub clock_offset_ms: i64,
    pub ids: &'a IdGen,
    pub tombstones: &'a BTreeSet<u64>,
    pub endpoints: Vec<&'a Endpoint>,
    pub credentials: Vec<&'a Credential>,
}

pub const SNAPSHOT_VERSION: u32 = 1;

impl State {
    pub fn new(cfg: Arc<SimConfig>) -> Self {
        Self {
            cfg,
            endpoints: BTreeMap::new(),
            credentials: BTreeMap::new(),
            tombstones: BTreeSet::new(),
            ids: IdGen::default(),
            ledger: Ledger::default(),
            timers: BinaryHeap::new(),
            planned_wake: 0,
            wake: Arc::new(Notify::new()),
            epoch: 0,
            deliveries: None,
        }
    }

    pub fn set_delivery_sender(&mut self, tx: UnboundedSender<DeliveryJob>) {
        self.deliveries = Some(tx);
    }

    pub fn snapshot(&self, saved_at_ms: u64, clock_offset_ms: i64) -> SnapshotRef<'_> {
        SnapshotRef {
            version: SNAPSHOT_VERSION,
            saved_at_ms,
            clock_offset_ms,
            ids: &self.ids,
            tombstones: &self.tombstones,
            endpoints: self.endpoints.values().collect(),
            credentials: self.credentials.values().collect(),
        }
    }

    /// Replaces everything with a loaded snapshot, catches up with the clock and requeues
    /// webhooks that were not yet sent.
    pub fn restore(&mut self, snap: Snapshot, now: u64) {
        self.reset();
        self.ids = snap.ids;
        self.tombstones = snap.tombstones.into_iter().collect();
        self.endpoints = snap.endpoints.into_iter().map(|e| (e.id, e)).collect();
        self.credentials = snap.credentials.into_iter().map(|c| (c.id, c)).collect();
        self.ledger = Ledger::rebuild(self.endpoints.values().flat_map(|e| e.workers.iter()));
        let mut jobs = Vec::new();
        for ep in self.endpoints.values() {
            jobs.extend(ep.tasks.undelivered().map(|task| DeliveryJob {
                epoch: self.epoch,
                endpoint: ep.id,
                task,
            }));
        }
        for job in jobs {
            self.send_delivery(job);
        }
        let ids: Vec<u64> = self.endpoints.keys().copied().collect();
        for id in ids {
            self.settle(id, now);
        }
    }

    /// Forgets every endpoint and credential; ids keep increasing so old ids never come back.
    pub fn reset(&mut self) {
        self.endpoints.clear();
        self.credentials.clear();
        self.tombstones.clear();
        self.timers.clear();
        self.ledger = Ledger::default();
        self.epoch += 1;
    }

    fn send_delivery(&self, job: DeliveryJob) {
        if let Some(tx) = &self.deliveries {
            // A closed channel means the simulator is shutting down: nothing left to deliver to.
            let _ = tx.send(job);
        }
    }

    pub fn not_found(version: Version) -> ApiError {
        match version {
            Version::V1 => ApiError::business(NOT_EXIST, "Elastic does not exist"),
            Version::V2 => ApiError::business(V2_NOT_FOUND, "Endpoint not found"),
        }
    }

    /// The endpoint, brought up to date with the clock.
    pub fn endpoint(&mut self, id: u64, now: u64, version: Version) -> Result<&mut Endpoint, ApiError> {
        if !self.endpoints.contains_key(&id) {
            return Err(Self::not_found(version));
        }
        self.settle(id, now);
        self.endpoints.get_mut(&id).ok_or_else(|| Self::not_found(version))
    }

    pub fn price(&self, gpu_type: &str) -> f64 {
        crate::state::catalog::gpu_info(gpu_type, self.cfg.price_override(gpu_type)).price_per_second
    }

    pub(crate) fn remember_deleted(&mut self, id: u64) {
        self.tombstones.insert(id);
        while self.tombstones.len() > MAX_TOMBSTONES {
            self.tombstones.pop_first();
        }
    }
}
