//! A closed-loop load driver: `concurrency` workers, each issuing its next request when the
//! previous one is answered, for a time window or a number of requests.

use anyhow::Result;
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

#[derive(Clone, Copy)]
pub enum Limit {
    /// Start requests until this much time has passed.
    Time(Duration),
    /// Start exactly this many requests.
    Count(u64),
}

pub struct Outcome {
    pub completed: u64,
    pub elapsed: Duration,
    /// Per-request latencies (empty unless asked for).
    pub latencies: Vec<Duration>,
}

impl Outcome {
    pub fn per_second(&self) -> f64 {
        self.completed as f64 / self.elapsed.as_secs_f64()
    }
}

/// Runs `call(n)` for n = 0, 1, 2, ... with `concurrency` in flight. The first error stops
/// the run and is returned: a benchmark of failing requests measures nothing.
pub async fn closed_loop<F, Fut>(concurrency: usize, limit: Limit, record: bool, call: F) -> Result<Outcome>
where
    F: Fn(u64) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<()>> + Send,
{
    let call = Arc::new(call);
    let next = Arc::new(AtomicU64::new(0));
    let start = Instant::now();
    let workers: Vec<_> = (0..concurrency.max(1))
        .map(|_| {
            let (call, next) = (call.clone(), next.clone());
            tokio::spawn(async move {
                let mut latencies = Vec::new();
                let mut completed = 0u64;
                loop {
                    let n = next.fetch_add(1, Ordering::Relaxed);
                    let more = match limit {
                        Limit::Time(window) => start.elapsed() < window,
                        Limit::Count(total) => n < total,
                    };
                    if !more {
                        return anyhow::Ok((completed, latencies));
                    }
                    let sent = Instant::now();
                    call(n).await?;
                    if record {
                        latencies.push(sent.elapsed());
                    }
                    completed += 1;
                }
            })
        })
        .collect();
    let mut outcome = Outcome {
        completed: 0,
        elapsed: Duration::ZERO,
        latencies: Vec::new(),
    };
    for worker in workers {
        let (completed, latencies) = worker.await??;
        outcome.completed += completed;
        outcome.latencies.extend(latencies);
    }
    outcome.elapsed = start.elapsed();
    Ok(outcome)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn runs_exactly_the_count() {
        let seen = Arc::new(AtomicU64::new(0));
        let counter = seen.clone();
        let outcome = closed_loop(8, Limit::Count(100), true, move |_| {
            let counter = counter.clone();
            async move {
                counter.fetch_add(1, Ordering::Relaxed);
                Ok(())
            }
        })
        .await
        .unwrap();
        assert_eq!(outcome.completed, 100);
        assert_eq!(outcome.latencies.len(), 100);
        assert_eq!(seen.load(Ordering::Relaxed), 100);
    }

    #[tokio::test]
    async fn the_first_error_stops_the_run() {
        let result = closed_loop(4, Limit::Count(1000), false, |n| async move {
            anyhow::ensure!(n != 10, "request {n} failed");
            Ok(())
        })
        .await;
        assert!(result.is_err());
    }
}
