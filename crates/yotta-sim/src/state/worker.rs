//! One worker: its lifecycle timestamps, the task it is running, and its log.
//!
//! Status, uptime and cost are functions of the clock, so reading them never needs a timer; only
//! log lines that depend on the passage of time (ready, health checks, terminated) are appended
//! lazily by [`Worker::advance_log`], always in timestamp order.

use serde::{Deserialize, Serialize};

use super::logs::WorkerLog;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorkerStatus {
    Initialize,
    Running,
    Terminating,
    Terminated,
    Failed,
}

impl WorkerStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Initialize => "INITIALIZE",
            Self::Running => "RUNNING",
            Self::Terminating => "TERMINATING",
            Self::Terminated => "TERMINATED",
            Self::Failed => "FAILED",
        }
    }

    /// Matches a `statusList` filter value; `INITIALIZING` (the v1 guide's example spelling) is
    /// accepted for `INITIALIZE`.
    pub fn matches(self, filter: &str) -> bool {
        filter.eq_ignore_ascii_case(self.as_str())
            || (self == Self::Initialize && filter.eq_ignore_ascii_case("INITIALIZING"))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct InFlight {
    pub task: u32,
    pub finish: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Worker {
    pub id: u64,
    pub region: String,
    pub gpu_type: String,
    pub gpu_count: u32,
    pub created_at: u64,
    pub running_at: u64,
    pub terminating_at: Option<u64>,
    pub terminated_at: Option<u64>,
    pub failed_at: Option<u64>,
    pub busy: Option<InFlight>,
    /// When the worker finished its last task (or became ready).
    pub free_at: u64,
    pub log: WorkerLog,
    ready_logged: bool,
    next_health: u64,
    end_logged: bool,
}

impl Worker {
    pub fn new(id: u64, region: &str, gpu_type: &str, gpu_count: u32, now: u64, init_ms: u64, health_ms: u64) -> Self {
        let running_at = now.saturating_add(init_ms);
        Self {
            id,
            region: region.to_owned(),
            gpu_type: gpu_type.to_owned(),
            gpu_count,
            created_at: now,
            running_at,
            terminating_at: None,
            terminated_at: None,
            failed_at: None,
            busy: None,
            free_at: running_at,
            log: WorkerLog::new(health_ms),
            ready_logged: false,
            next_health: 0,
            end_logged: false,
        }
    }

    pub fn status(&self, now: u64) -> WorkerStatus {
        let reached = |t: Option<u64>| t.is_some_and(|t| t <= now);
        if reached(self.failed_at) {
            WorkerStatus::Failed
        } else if reached(self.terminated_at) {
            WorkerStatus::Terminated
        } else if reached(self.terminating_at) {
            WorkerStatus::Terminating
        } else if self.running_at <= now {
            WorkerStatus::Running
        } else {
            WorkerStatus::Initialize
        }
    }

    /// Still holding (or about to hold) its GPUs: not told to stop and not failed.
    pub fn is_live(&self) -> bool {
        self.terminating_at.is_none() && self.failed_at.is_none()
    }

    /// Able to take a task at `now`.
    pub fn can_work(&self, now: u64) -> bool {
        self.is_live() && self.busy.is_none() && self.running_at <= now
    }

    /// Milliseconds spent RUNNING (or TERMINATING) up to `now`: the billed and reported uptime.
    pub fn uptime_ms(&self, now: u64) -> u64 {
        let end = [self.terminated_at, self.failed_at]
            .into_iter()
            .flatten()
            .fold(now, u64::min);
        end.saturating_sub(self.running_at)
    }

    pub fn cost(&self, now: u64, price_per_gpu_second: f64) -> f64 {
        self.uptime_ms(now) as f64 / 1000.0 * f64::from(self.gpu_count) * price_per_gpu_second
    }

    /// Appends the time-driven lines (ready, health checks, terminated) with timestamps `<= upto`.
    pub fn advance_log(&mut self, upto: u64) {
        let health = self.log.health_ms();
        let end = self.terminating_at.or(self.failed_at).unwrap_or(u64::MAX);
        if !self.ready_logged && self.running_at <= upto && self.running_at < end {
            self.log.push_text(
                self.running_at,
                "INFO  worker ready: health check passed, accepting requests",
            );
            self.ready_logged = true;
            self.next_health = self.running_at.saturating_add(health);
        }
        if self.ready_logged && self.next_health <= upto && self.next_health < end {
            let last = upto.min(end - 1);
            let n = (last - self.next_health) / health + 1;
            self.log.push_health(self.next_health, n);
            self.next_health = self.next_health.saturating_add(n.saturating_mul(health));
        }
        if let Some(t) = self.terminated_at
            && !self.end_logged
            && t <= upto
            && self.failed_at.is_none()
        {
            self.log
                .push_text(t, "INFO  container exited with code 0; worker terminated");
            self.end_logged = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_uptime_and_cost_follow_the_clock() {
        let mut w = Worker::new(1, "us-east-1", "NVIDIA_H100_80G", 2, 1000, 100, 50);
        assert_eq!(w.status(1099), WorkerStatus::Initialize);
        assert_eq!(w.status(1100), WorkerStatus::Running);
        assert_eq!(w.uptime_ms(3100), 2000);
        assert!((w.cost(3100, 0.5) - 2.0).abs() < 1e-9);
        w.terminating_at = Some(3100);
        w.terminated_at = Some(3200);
        assert_eq!(w.status(3150), WorkerStatus::Terminating);
        assert_eq!(w.status(3200), WorkerStatus::Terminated);
        assert_eq!(w.uptime_ms(10_000), 2100);
    }

    #[test]
    fn time_driven_lines_are_appended_once_in_order() {
        let mut w = Worker::new(1, "r", "g", 1, 1000, 100, 50);
        w.advance_log(1099);
        assert_eq!(w.log.len(), 0);
        w.advance_log(1260); // ready at 1100, health at 1150, 1200, 1250
        assert_eq!(w.log.len(), 4);
        w.advance_log(1260);
        assert_eq!(w.log.len(), 4);
        w.terminating_at = Some(1300);
        w.terminated_at = Some(1400);
        w.advance_log(5000); // health at 1300 is excluded: the worker was told to stop
        assert_eq!(w.log.len(), 5);
        assert!((1..w.log.len()).all(|o| w.log.ts_at(o - 1) <= w.log.ts_at(o)));
    }
}
