//! Commands that change an endpoint's lifecycle: create, start, stop, scale, update, delete, fail.
//!
//! Every command first settles the endpoint to `now`, so its effects are stamped after everything
//! that already happened; the state rules (24002, 24003, 24009) are checked before anything changes.

use std::time::Duration;

use super::capacity::Ledger;
use super::endpoint::{Endpoint, Spec, Status};
use super::logs::BACKLOG_STEP_MS;
use super::tasks::TaskStore;
use super::worker::Worker;
use super::{State, Version};
use crate::config::SimConfig;
use crate::http::envelope::{ApiError, INSUFFICIENT_GPUS, LIMIT_REACHED, NOT_ALLOWED};
use crate::state::catalog::{gpu_info, region_display_name};
use crate::state::ids::IdGen;

/// How an update may touch a live endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpdateMode {
    /// v1: only a STOPPED endpoint may be updated (the v1 guide says so).
    StoppedOnly,
    /// v2: any endpoint but a STOPPING one; a running endpoint is reconfigured live.
    Live,
}

fn ms(d: Duration) -> u64 {
    d.as_millis().min(u128::from(u64::MAX / 4)) as u64
}

fn not_allowed(action: &str, status: Status) -> ApiError {
    ApiError::business(
        NOT_ALLOWED,
        format!(
            "Elastic action not allowed: cannot {action} an endpoint that is {}",
            status.as_str()
        ),
    )
}

impl State {
    pub fn create(&mut self, spec: Spec, now: u64) -> Result<u64, ApiError> {
        if self.endpoints.len() >= self.cfg.max_endpoints {
            return Err(ApiError::business(
                LIMIT_REACHED,
                format!("You've reached the limit of {} deployment", self.cfg.max_endpoints),
            ));
        }
        let placement = self.plan(&spec, spec.workers, &[], false)?;
        let id = self.ids.next(now);
        let mut ep = Endpoint::new(id, spec, now);
        launch(&mut ep, &placement, now, &self.cfg, &mut self.ids, &mut self.ledger);
        self.endpoints.insert(id, ep);
        Ok(id)
    }

    pub fn start(&mut self, id: u64, now: u64, version: Version) -> Result<(), ApiError> {
        let status = self.endpoint(id, now, version)?.status(now);
        if !matches!(status, Status::Stopped | Status::Failed) {
            return Err(not_allowed("start", status));
        }
        let spec = self.endpoints[&id].spec.clone();
        let placement = self.plan(&spec, spec.workers, &[], false)?;
        if let Some(ep) = self.endpoints.get_mut(&id) {
            launch(ep, &placement, now, &self.cfg, &mut self.ids, &mut self.ledger);
        }
        Ok(())
    }

    pub fn stop(&mut self, id: u64, now: u64, version: Version) -> Result<(), ApiError> {
        let stop_ms = ms(self.cfg.timing.stop_delay);
        self.endpoint(id, now, version)?;
        let Self { ledger, endpoints, .. } = &mut *self;
        let ep = endpoints.get_mut(&id).ok_or_else(|| Self::not_found(version))?;
        let status = ep.status(now);
        if !matches!(status, Status::Initializing | Status::Running | Status::Failed) {
            return Err(not_allowed("stop", status));
        }
        terminate_all(ep, now, stop_ms, ledger);
        ep.set_status(Status::Stopping, now + stop_ms);
        ep.updated_at = now;
        Ok(())
    }

    /// Deletion needs a STOPPED endpoint in both versions (the v2 docs are silent; same backend).
    pub fn delete(&mut self, id: u64, now: u64, version: Version) -> Result<(), ApiError> {
        let status = self.endpoint(id, now, version)?.status(now);
        if status != Status::Stopped {
            return Err(not_allowed("delete", status));
        }
        // Its timers, if any, find no endpoint and are dropped when they come due.
        self.endpoints.remove(&id);
        self.remember_deleted(id);
        Ok(())
    }

    pub fn scale(&mut self, id: u64, workers: i64, now: u64, version: Version) -> Result<(), ApiError> {
        let status = self.endpoint(id, now, version)?.status(now);
        let workers = u32::try_from(workers)
            .map_err(|_| ApiError::param(format!("workers: must be between 0 and {}", i32::MAX)))?;
        if status == Status::Stopping {
            return Err(not_allowed("scale", status));
        }
        self.check_worker_ceiling(workers)?;
        self.resize(id, workers, now)
    }

    pub fn update(
        &mut self,
        id: u64,
        spec: Spec,
        mode: UpdateMode,
        now: u64,
        version: Version,
    ) -> Result<(), ApiError> {
        let ep = self.endpoint(id, now, version)?;
        let status = ep.status(now);
        let old = ep.spec.clone();
        match (mode, status) {
            (UpdateMode::StoppedOnly, s) if s != Status::Stopped => return Err(not_allowed("update", s)),
            (UpdateMode::Live, Status::Stopping) => return Err(not_allowed("update", status)),
            _ => {}
        }
        self.check_worker_ceiling(spec.workers)?;
        if !status.is_up() {
            self.plan(&spec, spec.workers, &[], true)?;
            if let Some(ep) = self.endpoints.get_mut(&id) {
                ep.spec = spec;
                ep.updated_at = now;
            }
            return Ok(());
        }
        if spec.container_differs(&old) {
            // Replace every container: the endpoint initializes again with the new configuration.
            let ep = &self.endpoints[&id];
            let live: Vec<&Worker> = ep.workers.iter().filter(|w| w.is_live()).collect();
            let placement = self.plan(&spec, spec.workers, &live, false)?;
            let stop_ms = ms(self.cfg.timing.stop_delay);
            if let Some(ep) = self.endpoints.get_mut(&id) {
                terminate_all(ep, now, stop_ms, &mut self.ledger);
                ep.spec = spec;
                launch(ep, &placement, now, &self.cfg, &mut self.ids, &mut self.ledger);
            }
            return Ok(());
        }
        // Check capacity before touching anything, so a 24009 leaves the endpoint as it was.
        let live = self.endpoints.get(&id).map_or(0, |ep| ep.live_workers() as u32);
        if spec.workers > live {
            self.plan(&spec, spec.workers - live, &[], false)?;
        }
        let workers = spec.workers;
        if let Some(ep) = self.endpoints.get_mut(&id) {
            ep.spec = spec;
            ep.updated_at = now;
        }
        self.resize(id, workers, now)
    }

    /// Admin: every live worker crashes and the endpoint turns FAILED.
    pub fn fail(&mut self, id: u64, now: u64) -> Result<(), ApiError> {
        self.endpoint(id, now, Version::V2)?;
        let Self { ledger, endpoints, .. } = &mut *self;
        let ep = endpoints.get_mut(&id).ok_or_else(|| Self::not_found(Version::V2))?;
        let Endpoint { workers, tasks, .. } = &mut *ep;
        for w in workers.iter_mut().filter(|w| w.is_live()) {
            w.advance_log(now);
            interrupt(tasks, w, now);
            w.log.push_text(
                now,
                "ERROR container crashed: CUDA error: an illegal memory access was encountered",
            );
            w.failed_at = Some(now);
            ledger.release(w);
        }
        ep.set_status(Status::Failed, 0);
        ep.updated_at = now;
        Ok(())
    }

    fn check_worker_ceiling(&self, workers: u32) -> Result<(), ApiError> {
        let max = self.cfg.max_workers_per_endpoint;
        if workers > max {
            return Err(ApiError::business(
                INSUFFICIENT_GPUS,
                format!("Insufficient GPUs available to start the requested number of workers: {workers} > {max}"),
            ));
        }
        Ok(())
    }

    fn plan(&self, spec: &Spec, count: u32, credit: &[&Worker], ignore_used: bool) -> Result<Vec<usize>, ApiError> {
        self.check_worker_ceiling(count)?;
        self.ledger
            .place(&self.cfg, &spec.resources, count, credit, ignore_used)
    }

    /// Sets the requested worker count, launching or stopping workers if the endpoint is up.
    fn resize(&mut self, id: u64, workers: u32, now: u64) -> Result<(), ApiError> {
        let Some(ep) = self.endpoints.get(&id) else {
            return Ok(());
        };
        let up = ep.status(now).is_up();
        let live = ep.live_workers() as u32;
        let placement = if up && workers > live {
            self.plan(&ep.spec, workers - live, &[], false)?
        } else {
            Vec::new()
        };
        let stop_ms = ms(self.cfg.timing.stop_delay);
        let Some(ep) = self.endpoints.get_mut(&id) else {
            return Ok(());
        };
        ep.spec.workers = workers;
        ep.updated_at = now;
        if !up {
            return Ok(());
        }
        let Endpoint {
            workers: list, tasks, ..
        } = &mut *ep;
        // Newest workers go first: they are the least likely to be warm.
        let excess = live.saturating_sub(workers) as usize;
        for w in list.iter_mut().rev().filter(|w| w.is_live()).take(excess) {
            terminate(tasks, w, now, stop_ms, &mut self.ledger);
        }
        spawn(ep, &placement, now, &self.cfg, &mut self.ids, &mut self.ledger);
        Ok(())
    }
}

/// Starts the endpoint's workers: INITIALIZING until the init delay has passed.
fn launch(ep: &mut Endpoint, placement: &[usize], now: u64, cfg: &SimConfig, ids: &mut IdGen, ledger: &mut Ledger) {
    ep.set_status(Status::Initializing, now + ms(cfg.timing.init_delay));
    ep.updated_at = now;
    spawn(ep, placement, now, cfg, ids, ledger);
}

fn spawn(ep: &mut Endpoint, placement: &[usize], now: u64, cfg: &SimConfig, ids: &mut IdGen, ledger: &mut Ledger) {
    let (init_ms, health_ms) = (ms(cfg.timing.init_delay), ms(cfg.timing.health_interval).max(1));
    for &ri in placement {
        let Some(r) = ep.spec.resources.get(ri) else { continue };
        let mut w = Worker::new(
            ids.next(now),
            &r.region,
            &r.gpu_type,
            r.gpu_count,
            now,
            init_ms,
            health_ms,
        );
        let backlog = cfg.log_backlog.min(u64::from(u32::MAX));
        if backlog > 0 {
            w.log
                .push_backlog(now.saturating_sub(backlog * BACKLOG_STEP_MS), backlog as u32);
        }
        let s = &ep.spec;
        let gpu = gpu_info(&r.gpu_type, None);
        let mut lines = vec![
            format!(
                "INFO  scheduling worker {} on {}x {} in {}",
                w.id,
                r.gpu_count,
                gpu.display_name,
                region_display_name(&r.region)
            ),
            format!(
                "INFO  pulling image {}{}",
                s.image_registry.as_deref().map_or(String::new(), |r| format!("{r}/")),
                s.image
            ),
            format!(
                "INFO  image pulled; starting container with a {} GB volume",
                s.container_volume_in_gb
            ),
        ];
        if let Some(env) = s.environment_vars.as_ref().filter(|e| !e.is_empty()) {
            let keys: Vec<&str> = env.iter().map(|e| e.key.as_str()).collect();
            lines.push(format!("INFO  environment: {} (values hidden)", keys.join(", ")));
        }
        if let Some(cmd) = &s.initialization_command {
            lines.push(format!("INFO  running initialization command: {cmd}"));
        }
        if let Some(e) = &s.expose {
            lines.push(format!(
                "INFO  exposing port {}/{}",
                e.port,
                e.protocol.as_deref().unwrap_or("http")
            ));
        }
        for line in lines {
            w.log.push_text(now, line);
        }
        ledger.take(&w);
        ep.workers.push(w);
    }
    let price = |g: &str| gpu_info(g, cfg.price_override(g)).price_per_second;
    ep.prune_workers(now, price);
}

fn terminate_all(ep: &mut Endpoint, now: u64, stop_ms: u64, ledger: &mut Ledger) {
    let Endpoint { workers, tasks, .. } = ep;
    for w in workers.iter_mut().filter(|w| w.is_live()) {
        terminate(tasks, w, now, stop_ms, ledger);
    }
}

fn terminate(tasks: &mut TaskStore, w: &mut Worker, now: u64, stop_ms: u64, ledger: &mut Ledger) {
    w.advance_log(now);
    interrupt(tasks, w, now);
    w.log
        .push_text(now, "INFO  received SIGTERM: draining connections and shutting down");
    w.terminating_at = Some(now);
    w.terminated_at = Some(now + stop_ms);
    ledger.release(w);
}

/// A task running on a worker that goes away returns to the head of the queue.
fn interrupt(tasks: &mut TaskStore, w: &mut Worker, now: u64) {
    let Some(job) = w.busy.take() else { return };
    if let Some(t) = tasks.get_mut(job.task) {
        w.log.push_text(
            now,
            format!(
                "WARN  [queue] task {} interrupted by shutdown; returned to the queue",
                t.task_id
            ),
        );
        t.started_at = 0;
        t.worker_id = 0;
        t.updated_at = now;
        tasks.requeue(job.task);
    }
}
