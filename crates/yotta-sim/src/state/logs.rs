//! A worker's log as a sequence of compact segments, rendered to text only when read.
//!
//! A line's `offset` is its position in the log, and timestamps never decrease with the offset, so
//! `(timestamp, offset)` order is offset order and every search is a binary search. Backlogs and
//! health-check runs are single segments covering many lines, so a million-line log of a busy
//! worker costs megabytes, not gigabytes.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::backlog;
use super::tasks::TaskStore;

/// Spacing of synthetic backlog lines.
pub const BACKLOG_STEP_MS: u64 = 500;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seg {
    Backlog { first_ts: u64, count: u32 },
    Health { first_ts: u64, count: u32 },
    Text { ts: u64, idx: u32 },
    TaskStart { ts: u64, task: u32 },
    TaskEnd { ts: u64, task: u32 },
}

impl Seg {
    fn lines(self) -> u64 {
        match self {
            Seg::Backlog { count, .. } | Seg::Health { count, .. } => u64::from(count),
            _ => 1,
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct WorkerLog {
    segs: Vec<Seg>,
    /// Offset of the first line of each segment.
    starts: Vec<u64>,
    len: u64,
    texts: Vec<Box<str>>,
    health_ms: u64,
}

/// Where a rendered line's variable parts come from.
pub struct RenderCtx<'a> {
    pub worker_id: u64,
    pub seed: u64,
    pub tasks: &'a TaskStore,
}

impl WorkerLog {
    pub fn new(health_ms: u64) -> Self {
        Self {
            health_ms: health_ms.max(1),
            ..Self::default()
        }
    }

    pub fn len(&self) -> u64 {
        self.len
    }

    pub fn health_ms(&self) -> u64 {
        self.health_ms
    }

    fn push(&mut self, seg: Seg) {
        if seg.lines() == 0 {
            return;
        }
        self.starts.push(self.len);
        self.len += seg.lines();
        self.segs.push(seg);
    }

    pub fn push_backlog(&mut self, first_ts: u64, count: u32) {
        self.push(Seg::Backlog { first_ts, count });
    }

    pub fn push_text(&mut self, ts: u64, text: impl Into<Box<str>>) {
        let idx = u32::try_from(self.texts.len()).unwrap_or(u32::MAX);
        self.texts.push(text.into());
        self.push(Seg::Text { ts, idx });
    }

    pub fn push_task_start(&mut self, ts: u64, task: u32) {
        self.push(Seg::TaskStart { ts, task });
    }

    pub fn push_task_end(&mut self, ts: u64, task: u32) {
        self.push(Seg::TaskEnd { ts, task });
    }

    /// Appends `count` health checks from `first_ts`, growing the previous run when contiguous.
    pub fn push_health(&mut self, first_ts: u64, count: u64) {
        let count = u32::try_from(count).unwrap_or(u32::MAX);
        if let Some(Seg::Health {
            first_ts: prev,
            count: n,
        }) = self.segs.last_mut()
            && prev.saturating_add(u64::from(*n) * self.health_ms) == first_ts
            && let Some(sum) = n.checked_add(count)
        {
            *n = sum;
            self.len += u64::from(count);
            return;
        }
        self.push(Seg::Health { first_ts, count });
    }

    fn locate(&self, offset: u64) -> Option<(Seg, u64)> {
        if offset >= self.len {
            return None;
        }
        let i = self.starts.partition_point(|&s| s <= offset) - 1;
        Some((self.segs[i], offset - self.starts[i]))
    }

    pub fn ts_at(&self, offset: u64) -> u64 {
        match self.locate(offset) {
            Some((Seg::Backlog { first_ts, .. }, k)) => first_ts + k * BACKLOG_STEP_MS,
            Some((Seg::Health { first_ts, .. }, k)) => first_ts + k * self.health_ms,
            Some((Seg::Text { ts, .. } | Seg::TaskStart { ts, .. } | Seg::TaskEnd { ts, .. }, _)) => ts,
            None => u64::MAX,
        }
    }

    /// Renders line `offset` into `out` (cleared first).
    pub(super) fn render(&self, offset: u64, ctx: &RenderCtx<'_>, out: &mut String) {
        out.clear();
        let Some((seg, k)) = self.locate(offset) else { return };
        match seg {
            Seg::Backlog { .. } => backlog::synthetic_line(ctx.seed ^ ctx.worker_id, offset, out),
            Seg::Health { first_ts, .. } => backlog::health_line(first_ts + k * self.health_ms, out),
            Seg::Text { idx, .. } => out.push_str(self.texts.get(idx as usize).map_or("", |t| t)),
            Seg::TaskStart { task, .. } => backlog::task_start_line(ctx.tasks, task, out),
            Seg::TaskEnd { task, .. } => backlog::task_end_line(ctx.tasks, task, out),
        }
    }
}

// Persisted as `[kind, ts, n]` triples: a tenth of the size of serde's default enum encoding.
#[derive(Serialize, Deserialize)]
struct LogRepr {
    segs: Vec<(u8, u64, u32)>,
    texts: Vec<Box<str>>,
    health_ms: u64,
}

impl Serialize for WorkerLog {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let segs = self
            .segs
            .iter()
            .map(|seg| match *seg {
                Seg::Backlog { first_ts, count } => (0, first_ts, count),
                Seg::Health { first_ts, count } => (1, first_ts, count),
                Seg::Text { ts, idx } => (2, ts, idx),
                Seg::TaskStart { ts, task } => (3, ts, task),
                Seg::TaskEnd { ts, task } => (4, ts, task),
            })
            .collect();
        LogRepr {
            segs,
            texts: self.texts.clone(),
            health_ms: self.health_ms,
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for WorkerLog {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let repr = LogRepr::deserialize(d)?;
        let mut log = WorkerLog::new(repr.health_ms);
        log.texts = repr.texts;
        for (kind, ts, n) in repr.segs {
            let seg = match kind {
                0 => Seg::Backlog { first_ts: ts, count: n },
                1 => Seg::Health { first_ts: ts, count: n },
                2 => Seg::Text { ts, idx: n },
                3 => Seg::TaskStart { ts, task: n },
                4 => Seg::TaskEnd { ts, task: n },
                other => return Err(serde::de::Error::custom(format!("unknown log segment kind {other}"))),
            };
            log.push(seg);
        }
        Ok(log)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::state::log_query::LogQuery;

    pub(crate) fn sample() -> (WorkerLog, TaskStore) {
        let mut log = WorkerLog::new(1000);
        log.push_backlog(1_000_000, 10); // offsets 0..10, ts 1_000_000 + 500k
        log.push_text(1_010_000, "Worker is ready");
        log.push_health(1_011_000, 3); // 11..14
        log.push_health(1_014_000, 2); // merges: 14..16
        (log, TaskStore::default())
    }

    pub(crate) fn ctx(tasks: &TaskStore) -> RenderCtx<'_> {
        RenderCtx {
            worker_id: 7,
            seed: 1,
            tasks,
        }
    }

    #[test]
    fn offsets_and_timestamps_line_up() {
        let (log, _) = sample();
        assert_eq!(log.len(), 16);
        assert_eq!(log.segs.len(), 3);
        assert_eq!(log.ts_at(3), 1_001_500);
        assert_eq!(log.ts_at(10), 1_010_000);
        assert_eq!(log.ts_at(15), 1_015_000);
        assert_eq!(log.ts_at(99), u64::MAX);
    }

    #[test]
    fn serde_round_trip_preserves_lines() {
        let (log, tasks) = sample();
        let json = serde_json::to_string(&log).unwrap();
        let back: WorkerLog = serde_json::from_str(&json).unwrap();
        let q = LogQuery {
            page_size: 100,
            ..LogQuery::default()
        };
        assert_eq!(back.query(&q, &ctx(&tasks)).lines, log.query(&q, &ctx(&tasks)).lines);
    }
}
