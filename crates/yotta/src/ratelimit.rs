//! The documented rate limits (each operation's `rate_limit` in the generated table), kept on
//! the client side with token buckets: a call waits for its turn instead of collecting HTTP 429s.
//! One bucket per (operation, endpoint) and one per operation, for `per_endpoint_qps` and
//! `global_qps`. The client's buckets are stricter than the server's: they hold half a second's
//! worth of tokens and refill at 90% of the documented rate. The server's bucket starts when the
//! first request arrives, and later requests (on a warm connection) travel faster than the first,
//! so a client keeping exactly the documented arithmetic could still be a few requests ahead of
//! the server; the margin absorbs that. The global bucket is per client: several clients of one
//! organisation share the API's global limit, and a 429 that still arrives is retried as any 429
//! is.

use crate::runtime::Instant;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;
use yotta_api::operation::Operation;

/// Per-endpoint buckets kept at most; beyond it the oldest are forgotten (a bucket left alone
/// for a second is full again, so forgetting an idle one loses nothing).
const MAX_BUCKETS: usize = 4096;

#[derive(Clone, Copy, Debug)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

/// The share of the documented rate the client refills at.
const RATE_MARGIN: f64 = 0.9;
/// The share of a second's worth of tokens a bucket holds.
const BURST_SHARE: f64 = 0.5;

impl Bucket {
    fn full(documented: f64, now: Instant) -> Self {
        Self {
            tokens: capacity(documented),
            at: now,
        }
    }

    /// Refills up to the capacity at the client's rate.
    fn refill(&mut self, documented: f64, now: Instant) {
        let elapsed = now.saturating_duration_since(self.at).as_secs_f64();
        self.tokens = (self.tokens + elapsed * documented * RATE_MARGIN).min(capacity(documented));
        self.at = now;
    }

    /// How long until a token is there.
    fn wait(&self, documented: f64) -> Duration {
        if self.tokens >= 1.0 {
            Duration::ZERO
        } else {
            Duration::from_secs_f64((1.0 - self.tokens) / (documented * RATE_MARGIN))
        }
    }
}

/// Tokens a bucket holds for a documented rate (at least one).
fn capacity(documented: f64) -> f64 {
    (documented * BURST_SHARE).floor().max(1.0)
}

#[derive(Debug, Default)]
pub(crate) struct Limiter {
    buckets: Mutex<HashMap<(&'static str, Option<String>), Bucket>>,
}

impl Limiter {
    /// Takes a token for a call of `operation` about `endpoint` if both buckets have one, else
    /// says how long to wait before asking again (nothing is taken then).
    pub(crate) fn try_take(&self, operation: &'static Operation, endpoint: Option<&str>, now: Instant) -> Duration {
        let Some(limit) = operation.rate_limit else {
            return Duration::ZERO;
        };
        let mut buckets = self.buckets.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if buckets.len() > MAX_BUCKETS {
            let stale: Vec<_> = buckets
                .iter()
                .filter(|(_, b)| now.saturating_duration_since(b.at) > Duration::from_secs(1))
                .map(|(k, _)| k.clone())
                .collect();
            for key in stale {
                buckets.remove(&key);
            }
        }
        let mut keys: Vec<((&'static str, Option<String>), f64)> = Vec::with_capacity(2);
        if let (Some(rate), Some(endpoint)) = (limit.per_endpoint_qps, endpoint) {
            keys.push(((operation.id, Some(endpoint.to_string())), f64::from(rate)));
        }
        if let Some(rate) = limit.global_qps {
            keys.push(((operation.id, None), f64::from(rate)));
        }
        let mut wait = Duration::ZERO;
        for (key, rate) in &keys {
            let bucket = buckets.entry(key.clone()).or_insert_with(|| Bucket::full(*rate, now));
            bucket.refill(*rate, now);
            wait = wait.max(bucket.wait(*rate));
        }
        if wait.is_zero() {
            for (key, _) in &keys {
                if let Some(bucket) = buckets.get_mut(key) {
                    bucket.tokens -= 1.0;
                }
            }
        }
        wait
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use yotta_api::operations::{V1_SUBMIT_TASK, V2_GET_ENDPOINT};

    #[test]
    fn a_burst_gets_half_a_seconds_worth_then_waits_for_the_rate() {
        let limiter = Limiter::default();
        let start = Instant::now();
        let per_endpoint = V1_SUBMIT_TASK.rate_limit.unwrap().per_endpoint_qps.unwrap();
        for _ in 0..per_endpoint / 2 {
            assert_eq!(limiter.try_take(&V1_SUBMIT_TASK, Some("1"), start), Duration::ZERO);
        }
        let wait = limiter.try_take(&V1_SUBMIT_TASK, Some("1"), start);
        let interval = Duration::from_secs_f64(1.0 / (f64::from(per_endpoint) * RATE_MARGIN));
        assert!(wait > Duration::ZERO && wait <= interval, "{wait:?}");
        // Another endpoint has its own bucket (the global one still has room).
        assert_eq!(limiter.try_take(&V1_SUBMIT_TASK, Some("2"), start), Duration::ZERO);
        // After the wait, one more.
        assert_eq!(
            limiter.try_take(&V1_SUBMIT_TASK, Some("1"), start + wait),
            Duration::ZERO
        );
        // Operations without a documented limit never wait.
        for _ in 0..1000 {
            assert_eq!(limiter.try_take(&V2_GET_ENDPOINT, Some("1"), start), Duration::ZERO);
        }
    }

    #[test]
    fn the_global_limit_holds_across_endpoints() {
        let limiter = Limiter::default();
        let start = Instant::now();
        let global = V1_SUBMIT_TASK.rate_limit.unwrap().global_qps.unwrap();
        let mut taken = 0;
        for endpoint in 0..1000 {
            if limiter
                .try_take(&V1_SUBMIT_TASK, Some(&endpoint.to_string()), start)
                .is_zero()
            {
                taken += 1;
            }
        }
        assert_eq!(taken, global / 2);
    }
}
