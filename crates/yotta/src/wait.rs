//! Waiting for a state by polling with backoff, up to a deadline.

use crate::error::{Error, Result};
use crate::runtime::{Instant, sleep};
use std::future::Future;
use std::time::Duration;

/// How a waiter polls.
#[derive(Clone, Debug, PartialEq)]
pub struct WaitOptions {
    /// Give up after this long (default 10 minutes).
    pub timeout: Duration,
    /// First pause between polls (default 1 s); grows by half each poll up to `max_interval`.
    pub interval: Duration,
    /// Longest pause between polls (default 10 s).
    pub max_interval: Duration,
}

impl Default for WaitOptions {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(600),
            interval: Duration::from_secs(1),
            max_interval: Duration::from_secs(10),
        }
    }
}

impl WaitOptions {
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    pub fn interval(mut self, interval: Duration) -> Self {
        self.interval = interval;
        self.max_interval = self.max_interval.max(interval);
        self
    }
}

/// What an observed state means for a waiter.
pub(crate) enum Verdict {
    Done,
    Fail(Error),
    /// Keep polling; the text names the state seen (for the deadline error).
    Continue(String),
}

/// Polls `fetch` until `judge` says done or failed, or the deadline passes.
pub(crate) async fn poll_until<T, F, Fut>(
    options: &WaitOptions,
    target: &str,
    mut fetch: F,
    mut judge: impl FnMut(&T) -> Verdict,
) -> Result<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T>>,
{
    let started = Instant::now();
    let mut interval = options.interval;
    loop {
        let value = fetch().await?;
        let last = match judge(&value) {
            Verdict::Done => return Ok(value),
            Verdict::Fail(error) => return Err(error),
            Verdict::Continue(state) => state,
        };
        let waited = started.elapsed();
        if waited >= options.timeout {
            return Err(Error::WaitTimeout {
                target: target.to_string(),
                waited,
                last_status: Some(last),
            });
        }
        // The last pause is cut short so the final poll happens at the deadline, not after it.
        sleep(interval.min(options.timeout - waited)).await;
        // Grows by half, saturating (a caller's huge interval must not overflow).
        interval = interval.saturating_add(interval / 2).min(options.max_interval);
    }
}
