//! Task processing: running workers take queued tasks in FIFO order, one at a time each.
//!
//! Settling computes, from timestamps alone, everything that happened up to `now`: a task that
//! started at `s` on a worker finishes at `s + duration` whether or not anyone looked at `s`.
//! The background driver settles each busy endpoint when its next task finishes (a timer heap),
//! so webhooks go out on time; every request settles the endpoint it touches.

use std::cmp::Reverse;
use std::time::Duration;

use super::endpoint::Endpoint;
use super::tasks::{TaskStatus, TaskStore};
use super::worker::{InFlight, Worker};
use super::{DeliveryJob, State};

impl State {
    pub fn settle(&mut self, id: u64, now: u64) {
        let task_ms = self.cfg.timing.task_duration.as_millis().min(u128::from(u64::MAX / 4)) as u64;
        let Some(ep) = self.endpoints.get_mut(&id) else { return };
        let mut done = Vec::new();
        settle_endpoint(ep, now, task_ms, &mut done);
        if let Some(due) = ep.next_due(now)
            && (ep.scheduled_at == 0 || ep.scheduled_at <= now || due < ep.scheduled_at)
        {
            ep.scheduled_at = due;
            self.timers.push(Reverse((due, id)));
            if due < self.planned_wake {
                self.planned_wake = due;
                self.wake.notify_one();
            }
        }
        for task in done {
            self.send_delivery(DeliveryJob {
                epoch: self.epoch,
                endpoint: id,
                task,
            });
        }
    }

    /// Settles every endpoint whose timer is due; returns how many there were.
    pub fn settle_due(&mut self, now: u64) -> usize {
        let mut settled = 0;
        while let Some(&Reverse((due, id))) = self.timers.peek() {
            if due > now {
                break;
            }
            self.timers.pop();
            // Entries superseded by a later schedule (or of deleted endpoints) are skipped.
            match self.endpoints.get_mut(&id) {
                Some(ep) if ep.scheduled_at == due => ep.scheduled_at = 0,
                _ => continue,
            }
            self.settle(id, now);
            settled += 1;
        }
        settled
    }

    /// How long the driver may sleep before the next timer is due.
    pub fn next_wakeup(&self, now: u64, cap: Duration) -> Duration {
        self.timers.peek().map_or(cap, |Reverse((due, _))| {
            Duration::from_millis(due.saturating_sub(now)).min(cap)
        })
    }
}

fn settle_endpoint(ep: &mut Endpoint, now: u64, task_ms: u64, done: &mut Vec<u32>) {
    let Endpoint { workers, tasks, .. } = ep;
    for w in workers.iter_mut() {
        if let Some(job) = w.busy.filter(|job| job.finish <= now) {
            w.busy = None;
            finish(tasks, w, job.task, job.finish, done);
        }
    }
    while let Some(head) = tasks.queue_front() {
        let Some(task) = tasks.get(head) else {
            tasks.queue_pop();
            continue;
        };
        let (created, duration) = (
            task.created_at,
            task.extra().and_then(|e| e.duration_ms).unwrap_or(task_ms),
        );
        let best = workers
            .iter()
            .enumerate()
            .filter(|(_, w)| w.can_work(now))
            .map(|(i, w)| (w.free_at.max(w.running_at).max(created), i))
            .min();
        let Some((start, wi)) = best else { break };
        tasks.queue_pop();
        let w = &mut workers[wi];
        w.advance_log(start);
        if let Some(t) = tasks.get_mut(head) {
            t.started_at = start;
            t.worker_id = w.id;
            t.updated_at = start;
        }
        w.log.push_task_start(start, head);
        let end = start.saturating_add(duration);
        if end <= now {
            finish(tasks, w, head, end, done);
        } else {
            w.busy = Some(InFlight {
                task: head,
                finish: end,
            });
        }
    }
    for w in workers.iter_mut() {
        w.advance_log(now);
    }
}

fn finish(tasks: &mut TaskStore, w: &mut Worker, idx: u32, at: u64, done: &mut Vec<u32>) {
    w.advance_log(at);
    w.free_at = at;
    let Some(task) = tasks.get_mut(idx) else { return };
    task.finished_at = at;
    task.updated_at = at;
    let failure = task.extra().and_then(|e| e.fail.clone());
    let has_webhook = task.webhook().is_some();
    let status = match failure {
        Some(reason) => {
            task.extra_mut().error = Some(reason);
            TaskStatus::Failed
        }
        None => TaskStatus::Success,
    };
    tasks.set_status(idx, status);
    w.log.push_task_end(at, idx);
    if has_webhook {
        done.push(idx);
    }
}
