//! The text of worker log lines: the deterministic synthetic backlog, health checks and task lines.
//!
//! Backlog lines are a pure function of (seed, worker, offset): the same line reads the same on
//! every request and after a restart, without storing it.

use std::fmt::Write;

use super::tasks::{TaskStatus, TaskStore};

fn splitmix64(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

pub fn synthetic_line(seed: u64, offset: u64, out: &mut String) {
    let h = splitmix64(seed ^ splitmix64(offset));
    let (a, b, c) = (h & 0xFFFF, (h >> 16) & 0xFFFF, (h >> 32) & 0xFFFF);
    let req = (h >> 24) as u32;
    // Writing into a String cannot fail.
    let _ = match h % 16 {
        0..=6 => write!(
            out,
            "INFO  inference request req-{req:08x} completed: prompt_tokens={} completion_tokens={} latency={}ms",
            a % 2048 + 1,
            b % 512 + 1,
            c % 3000 + 40
        ),
        7..=9 => write!(out, "INFO  GET /health 200 {}ms", a % 9 + 1),
        10 | 11 => write!(out, "DEBUG kv-cache usage {}% ({} blocks free)", a % 100, b % 4096),
        12 => write!(
            out,
            "INFO  batch of {} sequences scheduled on GPU {}",
            a % 64 + 1,
            b % 8
        ),
        13 => write!(
            out,
            "WARN  request req-{req:08x} waited {}ms in queue (batch full)",
            c % 5000 + 500
        ),
        14 => write!(out, "INFO  model weights resident: {} MiB", 14_000 + a % 60_000),
        _ => write!(
            out,
            "ERROR client disconnected before response was sent (req-{req:08x})"
        ),
    };
}

pub fn health_line(ts: u64, out: &mut String) {
    let _ = write!(out, "INFO  GET /health 200 {}ms", splitmix64(ts) % 9 + 1);
}

pub fn task_start_line(tasks: &TaskStore, idx: u32, out: &mut String) {
    match tasks.get(idx) {
        Some(t) => {
            let _ = write!(
                out,
                "INFO  [queue] task {} received: POST {} (port {})",
                t.task_id,
                tasks.uri(t),
                t.worker_port
            );
        }
        None => out.push_str("INFO  [queue] task received"),
    }
}

pub fn task_end_line(tasks: &TaskStore, idx: u32, out: &mut String) {
    let Some(t) = tasks.get(idx) else {
        out.push_str("INFO  [queue] task finished");
        return;
    };
    let ms = t.finished_at.saturating_sub(t.started_at);
    let _ = match t.status {
        TaskStatus::Failed => {
            write!(
                out,
                "ERROR [queue] task {} failed after {ms}ms: {}",
                t.task_id,
                t.error().unwrap_or("error")
            )
        }
        _ => write!(out, "INFO  [queue] task {} succeeded in {ms}ms", t.task_id),
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn synthetic_lines_are_deterministic_and_varied() {
        let render = |seed, off| {
            let mut s = String::new();
            synthetic_line(seed, off, &mut s);
            s
        };
        assert_eq!(render(1, 42), render(1, 42));
        assert_ne!(render(1, 42), render(2, 42));
        let kinds: std::collections::HashSet<String> = (0..200)
            .map(|o| render(3, o).split_whitespace().take(2).collect())
            .collect();
        assert!(kinds.len() >= 5, "{kinds:?}");
    }
}
