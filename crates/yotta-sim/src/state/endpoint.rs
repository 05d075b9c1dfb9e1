//! An endpoint (v1 "Elastic Deployment", v2 "Serverless endpoint"): its configuration, lifecycle
//! status, workers and tasks. Both API versions read and write this one record.

use serde::{Deserialize, Serialize};

use super::tasks::TaskStore;
use super::worker::{Worker, WorkerStatus};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum ServiceMode {
    Alb,
    Queue,
    Custom,
}

impl ServiceMode {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Alb => "ALB",
            Self::Queue => "QUEUE",
            Self::Custom => "CUSTOM",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Alb, Self::Queue, Self::Custom]
            .into_iter()
            .find(|m| m.as_str() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Status {
    Initializing,
    Running,
    Stopping,
    Stopped,
    Failed,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Initializing => "INITIALIZING",
            Self::Running => "RUNNING",
            Self::Stopping => "STOPPING",
            Self::Stopped => "STOPPED",
            Self::Failed => "FAILED",
        }
    }

    /// Whether workers are (being) provisioned.
    pub fn is_up(self) -> bool {
        matches!(self, Self::Initializing | Self::Running)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Resource {
    pub region: String,
    pub gpu_type: String,
    pub gpu_count: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Expose {
    pub port: i32,
    pub protocol: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EnvVar {
    pub key: String,
    pub value: String,
}

/// The configuration as the user wrote it (the union of the v1 and v2 request fields).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Spec {
    pub name: String,
    pub image: String,
    pub image_registry: Option<String>,
    pub resources: Vec<Resource>,
    pub min_single_card_vram_in_gb: Option<i32>,
    pub min_single_card_vcpu: Option<i32>,
    pub min_single_card_ram_in_gb: Option<i32>,
    pub credential_id: Option<i64>,
    pub container_volume_in_gb: i32,
    pub initialization_command: Option<String>,
    pub environment_vars: Option<Vec<EnvVar>>,
    pub expose: Option<Expose>,
    pub service_mode: ServiceMode,
    pub webhook: Option<String>,
    /// The requested worker count.
    pub workers: u32,
}

impl Spec {
    /// Fields whose change means the running containers must be replaced.
    pub fn container_differs(&self, other: &Spec) -> bool {
        self.resources != other.resources
            || self.credential_id != other.credential_id
            || self.container_volume_in_gb != other.container_volume_in_gb
            || self.initialization_command != other.initialization_command
            || self.environment_vars != other.environment_vars
            || self.expose != other.expose
    }
}

/// Terminated workers kept for listing per endpoint; older ones are forgotten (their cost is kept).
pub const RETAINED_TERMINATED: usize = 50;

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Endpoint {
    pub id: u64,
    pub spec: Spec,
    pub created_at: u64,
    pub updated_at: u64,
    status: Status,
    /// When INITIALIZING becomes RUNNING, or STOPPING becomes STOPPED.
    until: u64,
    pub workers: Vec<Worker>,
    /// Cost of workers no longer listed.
    pub retired_cost: f64,
    pub tasks: TaskStore,
    /// The due time of this endpoint's newest entry in `State::timers` (0: none).
    #[serde(skip)]
    pub scheduled_at: u64,
}

impl Endpoint {
    pub fn new(id: u64, spec: Spec, now: u64) -> Self {
        Self {
            id,
            spec,
            created_at: now,
            updated_at: now,
            status: Status::Stopped,
            until: 0,
            workers: Vec::new(),
            retired_cost: 0.0,
            tasks: TaskStore::default(),
            scheduled_at: 0,
        }
    }

    pub fn status(&self, now: u64) -> Status {
        match self.status {
            Status::Initializing if now >= self.until => Status::Running,
            Status::Stopping if now >= self.until => Status::Stopped,
            s => s,
        }
    }

    pub fn set_status(&mut self, status: Status, until: u64) {
        self.status = status;
        self.until = until;
    }

    pub fn worker(&self, id: u64) -> Option<&Worker> {
        self.workers.iter().find(|w| w.id == id)
    }

    pub fn worker_mut(&mut self, id: u64) -> Option<&mut Worker> {
        self.workers.iter_mut().find(|w| w.id == id)
    }

    /// When settling next has an effect: a running task finishes, or a worker becomes ready
    /// while tasks wait. `None` when nothing is pending.
    pub fn next_due(&self, now: u64) -> Option<u64> {
        let finishing = self.workers.iter().filter_map(|w| w.busy.map(|b| b.finish)).min();
        let warming = (self.tasks.queued() > 0)
            .then(|| {
                self.workers
                    .iter()
                    .filter(|w| w.is_live() && w.running_at > now)
                    .map(|w| w.running_at)
                    .min()
            })
            .flatten();
        finishing.into_iter().chain(warming).min()
    }

    pub fn live_workers(&self) -> usize {
        self.workers.iter().filter(|w| w.is_live()).count()
    }

    /// Workers not yet TERMINATED or FAILED (the `totalWorkers` figure).
    pub fn total_workers(&self, now: u64) -> usize {
        self.workers
            .iter()
            .filter(|w| !matches!(w.status(now), WorkerStatus::Terminated | WorkerStatus::Failed))
            .count()
    }

    pub fn running_workers(&self, now: u64) -> usize {
        self.workers
            .iter()
            .filter(|w| w.status(now) == WorkerStatus::Running)
            .count()
    }

    pub fn cost(&self, now: u64, price: impl Fn(&str) -> f64) -> f64 {
        self.retired_cost
            + self
                .workers
                .iter()
                .map(|w| w.cost(now, price(&w.gpu_type)))
                .sum::<f64>()
    }

    /// Forgets the oldest terminated workers beyond [`RETAINED_TERMINATED`], keeping their cost.
    pub fn prune_workers(&mut self, now: u64, price: impl Fn(&str) -> f64) {
        let done = |w: &Worker| matches!(w.status(now), WorkerStatus::Terminated | WorkerStatus::Failed);
        let mut excess = self
            .workers
            .iter()
            .filter(|w| done(w))
            .count()
            .saturating_sub(RETAINED_TERMINATED);
        if excess == 0 {
            return;
        }
        let mut retired = 0.0;
        self.workers.retain(|w| {
            if excess > 0 && done(w) && w.busy.is_none() {
                excess -= 1;
                retired += w.cost(now, price(&w.gpu_type));
                return false;
            }
            true
        });
        self.retired_cost += retired;
    }
}
