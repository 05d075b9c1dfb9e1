//! The documented rate limits (`Operation::rate_limit`, from the v1 task page), enforced with
//! token buckets: one per (operation, endpoint) holding `per_endpoint_qps` tokens and one per
//! operation holding `global_qps`, each refilled at its QPS. A burst of up to one second's worth
//! passes; a client pacing itself under the QPS never waits. The clock is real time, not the
//! simulated one: request rates are about wall-clock seconds, and the admin clock may jump.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use yotta_api::operation::Operation;

use crate::http::envelope::ApiError;

/// Per-endpoint buckets kept at most; beyond it, full (idle) ones are forgotten first, so a
/// client inventing endpoint ids cannot grow memory without bound.
const MAX_BUCKETS: usize = 10_000;

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

impl Bucket {
    fn full(capacity: f64, now: Instant) -> Self {
        Self {
            tokens: capacity,
            at: now,
        }
    }

    /// Refills up to `capacity` at `rate` tokens per second.
    fn refill(&mut self, capacity: f64, rate: f64, now: Instant) {
        let elapsed = now.saturating_duration_since(self.at).as_secs_f64();
        self.tokens = (self.tokens + elapsed * rate).min(capacity);
        self.at = now;
    }

    /// Seconds until one token is there (0 if it is).
    fn wait(&self, rate: f64) -> f64 {
        if self.tokens >= 1.0 {
            0.0
        } else {
            (1.0 - self.tokens) / rate
        }
    }
}

#[derive(Debug, Default)]
pub struct Limiter {
    /// (operation id, endpoint key; `None` for the operation's global bucket).
    buckets: HashMap<(&'static str, Option<String>), Bucket>,
}

impl Limiter {
    /// Takes one request of `op` for endpoint `endpoint` (the raw value of the limit's header,
    /// `None` when absent: it then counts only globally). `Err` is the 429 to answer.
    pub fn admit(&mut self, op: &'static Operation, endpoint: Option<&str>, now: Instant) -> Result<(), ApiError> {
        let Some(limit) = op.rate_limit else { return Ok(()) };
        if self.buckets.len() > MAX_BUCKETS {
            self.forget_idle(now);
        }
        let mut keys = Vec::with_capacity(2);
        if let (Some(qps), Some(endpoint)) = (limit.per_endpoint_qps, endpoint) {
            keys.push(((op.id, Some(endpoint.to_owned())), f64::from(qps), "per endpoint"));
        }
        if let Some(qps) = limit.global_qps {
            keys.push(((op.id, None), f64::from(qps), "global"));
        }
        // Every bucket must have a token before any is taken, so a refused request costs nothing.
        let mut refused: Option<(f64, &str, f64)> = None;
        for (key, qps, scope) in &keys {
            let bucket = self
                .buckets
                .entry(key.clone())
                .or_insert_with(|| Bucket::full(*qps, now));
            bucket.refill(*qps, *qps, now);
            let wait = bucket.wait(*qps);
            if wait > 0.0 && refused.is_none_or(|(w, _, _)| wait > w) {
                refused = Some((wait, scope, *qps));
            }
        }
        if let Some((wait, scope, qps)) = refused {
            return Err(ApiError::too_many_requests(
                format!("{} exceeds its {scope} limit of {qps} QPS ({})", op.id, limit.source),
                Duration::from_secs_f64(wait).as_secs() + 1,
            ));
        }
        for (key, _, _) in &keys {
            if let Some(bucket) = self.buckets.get_mut(key) {
                bucket.tokens -= 1.0;
            }
        }
        Ok(())
    }

    fn forget_idle(&mut self, now: Instant) {
        self.buckets.retain(|(op, endpoint), bucket| {
            let capacity = crate::api::ops::by_id(op)
                .and_then(|o| o.rate_limit)
                .and_then(|l| {
                    if endpoint.is_some() {
                        l.per_endpoint_qps
                    } else {
                        l.global_qps
                    }
                })
                .map_or(0.0, f64::from);
            bucket.refill(capacity, capacity, now);
            endpoint.is_none() || bucket.tokens < capacity
        });
    }

    pub fn clear(&mut self) {
        self.buckets.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use yotta_api::operations::{V1_GET_TASK_COUNT, V1_SUBMIT_TASK, V2_GET_ENDPOINT};

    #[test]
    fn a_burst_beyond_the_qps_is_refused_and_refills() {
        let mut limiter = Limiter::default();
        let start = Instant::now();
        for _ in 0..40 {
            limiter.admit(&V1_SUBMIT_TASK, Some("7"), start).unwrap();
        }
        let refused = limiter.admit(&V1_SUBMIT_TASK, Some("7"), start).unwrap_err();
        assert_eq!(refused.code, 429);
        assert!(
            refused.message.contains("per endpoint limit of 40 QPS"),
            "{}",
            refused.message
        );
        // Another endpoint has its own bucket; the global one (200) still has room.
        limiter.admit(&V1_SUBMIT_TASK, Some("8"), start).unwrap();
        // 25 ms later one token (40/s) is back.
        limiter
            .admit(&V1_SUBMIT_TASK, Some("7"), start + Duration::from_millis(26))
            .unwrap();
        // Other operations count separately; unlimited ones always pass.
        limiter.admit(&V1_GET_TASK_COUNT, Some("7"), start).unwrap();
        for _ in 0..1000 {
            limiter.admit(&V2_GET_ENDPOINT, Some("7"), start).unwrap();
        }
    }

    #[test]
    fn the_global_limit_spans_endpoints_and_refusals_cost_nothing() {
        let mut limiter = Limiter::default();
        let start = Instant::now();
        for i in 0..200 {
            limiter.admit(&V1_SUBMIT_TASK, Some(&i.to_string()), start).unwrap();
        }
        let refused = limiter.admit(&V1_SUBMIT_TASK, Some("fresh"), start).unwrap_err();
        assert!(
            refused.message.contains("global limit of 200 QPS"),
            "{}",
            refused.message
        );
        // The refused request took no token from its endpoint's bucket.
        let endpoint = &limiter.buckets[&(V1_SUBMIT_TASK.id, Some("fresh".to_string()))];
        assert_eq!(endpoint.tokens, 40.0);
    }

    #[test]
    fn idle_endpoint_buckets_are_forgotten_beyond_the_cap() {
        let mut limiter = Limiter::default();
        let start = Instant::now();
        for i in 0..3 * MAX_BUCKETS {
            let _ = limiter.admit(&V1_GET_TASK_COUNT, Some(&i.to_string()), start);
            assert!(limiter.buckets.len() <= MAX_BUCKETS + 1, "{}", limiter.buckets.len());
        }
        // The buckets that admitted a request (400, the global limit) are kept until refilled;
        // the rest, never drawn from, were forgotten.
        assert!(limiter.buckets.len() < MAX_BUCKETS / 2, "{}", limiter.buckets.len());
    }
}
