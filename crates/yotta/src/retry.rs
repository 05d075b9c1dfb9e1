//! When and how long to wait before repeating a failed call.

use crate::error::{Error, ErrorKind};
use crate::operation::Idempotency;
use std::time::Duration;

/// Retry behaviour of a client. The default retries twice with exponential backoff and full
/// jitter (200 ms, then 400 ms, ... capped at 10 s), honouring `Retry-After` up to 60 s.
#[derive(Clone, Debug, PartialEq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (0 disables retrying).
    pub max_retries: u32,
    /// Upper bound of the first backoff.
    pub initial_backoff: Duration,
    /// Upper bound of any computed backoff.
    pub max_backoff: Duration,
    /// The longest `Retry-After` honoured; a server asking for more gets the error instead.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 2,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(10),
            max_retry_after: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// No retries at all.
    pub fn none() -> Self {
        Self {
            max_retries: 0,
            ..Self::default()
        }
    }

    /// How long to wait before attempt `attempt + 1` after `error`, or `None` to give up.
    /// `attempt` counts from 1; `random` is a fraction in [0, 1) for the jitter.
    pub(crate) fn delay_after(
        &self,
        attempt: u32,
        error: &Error,
        idempotency: Idempotency,
        random: f64,
    ) -> Option<Duration> {
        if attempt > self.max_retries || !is_retryable(error, idempotency) {
            return None;
        }
        if let Some(wait) = error.retry_after() {
            return (wait <= self.max_retry_after).then_some(wait);
        }
        let exponent = attempt.saturating_sub(1).min(20);
        let ceiling = self.initial_backoff.saturating_mul(1 << exponent).min(self.max_backoff);
        // Full jitter (AWS architecture blog): spreads retries of many clients evenly.
        Some(ceiling.mul_f64(random.clamp(0.0, 1.0)))
    }
}

/// Whether `error` may be retried for a call of the given idempotency.
///
/// A failure that proves the request was not processed (no connection made, HTTP 429 or code
/// 429, business code 24000 "serverless unavailable") is retried for every call; an ambiguous
/// one (timeout, dropped connection, 408/5xx, a "system error") only for idempotent calls, so an
/// endpoint is never created twice.
pub fn is_retryable(error: &Error, idempotency: Idempotency) -> bool {
    let not_processed = matches!(
        error,
        Error::Network { connected: false, .. }
            | Error::Http { status: 429, .. }
            | Error::Api {
                kind: ErrorKind::Unavailable | ErrorKind::RateLimited,
                ..
            }
    );
    let ambiguous = match error {
        Error::Network { connected: true, .. } | Error::Timeout { .. } => true,
        Error::Http { status, .. } => matches!(status, 408 | 500 | 502 | 503 | 504),
        // A "system error" (10002, 50001) may have struck before or after the change was made.
        Error::Api {
            kind: ErrorKind::Internal,
            ..
        } => true,
        _ => false,
    };
    not_processed || (ambiguous && idempotency == Idempotency::Idempotent)
}

/// Parses `Retry-After`: delay-seconds, or an HTTP date (compared with `now_epoch_secs`). A
/// date in the past is no wait; values far in the future stay large (the policy's
/// `max_retry_after` then refuses to wait) rather than overflowing.
pub fn parse_retry_after(value: &str, now_epoch_secs: u64) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = httpdate::parse_http_date(value)
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?;
    Some(at.saturating_sub(Duration::from_secs(now_epoch_secs)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operation::{ApiVersion, Call, Operation};

    fn call() -> Call {
        Call::new(Operation::GetEndpoint, ApiVersion::V2)
    }

    fn http(status: u16, retry_after: Option<Duration>) -> Error {
        Error::Http {
            call: call(),
            status,
            body_excerpt: String::new(),
            retry_after,
        }
    }

    #[test]
    fn backoff_grows_caps_and_jitters() {
        let policy = RetryPolicy {
            max_retries: 10,
            ..RetryPolicy::default()
        };
        let timeout = Error::Timeout {
            call: call(),
            after: Duration::from_secs(1),
        };
        let ceiling = |attempt| {
            policy
                .delay_after(attempt, &timeout, Idempotency::Idempotent, 0.999_999)
                .unwrap()
        };
        assert!(ceiling(1) <= Duration::from_millis(200) && ceiling(1) > Duration::from_millis(199));
        assert!(ceiling(2) > Duration::from_millis(399));
        assert_eq!(ceiling(10).as_secs(), 9, "capped at max_backoff");
        assert_eq!(
            policy.delay_after(1, &timeout, Idempotency::Idempotent, 0.0),
            Some(Duration::ZERO)
        );
    }

    #[test]
    fn gives_up_after_max_retries() {
        let policy = RetryPolicy::default();
        let error = http(503, None);
        assert!(policy.delay_after(2, &error, Idempotency::Idempotent, 0.5).is_some());
        assert!(policy.delay_after(3, &error, Idempotency::Idempotent, 0.5).is_none());
        assert!(
            RetryPolicy::none()
                .delay_after(1, &error, Idempotency::Idempotent, 0.5)
                .is_none()
        );
    }

    #[test]
    fn retry_after_is_honoured_within_its_cap() {
        let policy = RetryPolicy::default();
        let error = http(429, Some(Duration::from_secs(3)));
        assert_eq!(
            policy.delay_after(1, &error, Idempotency::NotIdempotent, 0.1),
            Some(Duration::from_secs(3))
        );
        let too_long = http(429, Some(Duration::from_secs(3600)));
        assert_eq!(policy.delay_after(1, &too_long, Idempotency::Idempotent, 0.1), None);
    }

    #[test]
    fn creation_is_retried_only_when_certainly_not_processed() {
        let refused = Error::Network {
            call: call(),
            message: "refused".into(),
            connected: false,
            source: None,
        };
        let reset = Error::Network {
            call: call(),
            message: "reset".into(),
            connected: true,
            source: None,
        };
        assert!(is_retryable(&refused, Idempotency::NotIdempotent));
        assert!(!is_retryable(&reset, Idempotency::NotIdempotent));
        assert!(is_retryable(&reset, Idempotency::Idempotent));
        assert!(!is_retryable(&http(502, None), Idempotency::NotIdempotent));
        assert!(is_retryable(&http(502, None), Idempotency::Idempotent));
        assert!(is_retryable(&http(429, None), Idempotency::NotIdempotent));
        assert!(!is_retryable(&http(404, None), Idempotency::Idempotent));
        let unavailable = Error::Api {
            call: call(),
            code: 24000,
            kind: ErrorKind::Unavailable,
            message: String::new(),
            http_status: 200,
        };
        assert!(is_retryable(&unavailable, Idempotency::NotIdempotent));
        let not_allowed = Error::Api {
            call: call(),
            code: 24002,
            kind: ErrorKind::NotAllowed,
            message: String::new(),
            http_status: 200,
        };
        assert!(!is_retryable(&not_allowed, Idempotency::Idempotent));
    }

    #[test]
    fn retry_after_parses_seconds_and_http_dates() {
        assert_eq!(parse_retry_after(" 7 ", 0), Some(Duration::from_secs(7)));
        // 1994-11-06T08:49:37Z is 784111777.
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", 784_111_770),
            Some(Duration::from_secs(7))
        );
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", 784_111_800),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", 0), None);
        assert_eq!(parse_retry_after("Sun, 32 Nov 1994 08:49:37 GMT", 0), None);
        // Extremes clamp instead of overflowing: the policy then declines to wait that long.
        let far = parse_retry_after("Fri, 31 Dec 9999 23:59:59 GMT", 0).unwrap();
        assert!(far > Duration::from_secs(250_000_000_000));
        assert_eq!(
            parse_retry_after("18446744073709551615", 0),
            Some(Duration::from_secs(u64::MAX))
        );
        assert_eq!(
            RetryPolicy::default().delay_after(1, &http(503, Some(far)), Idempotency::Idempotent, 0.5),
            None
        );
    }
}
