//! What differs between native and browser builds: timers, clocks and randomness.
//!
//! Native builds use tokio's timer (the facade's futures then need a tokio runtime, as reqwest
//! does); wasm32 builds use the browser's `setTimeout` through gloo-timers. `web_time::Instant`
//! is `std::time::Instant` natively and `performance.now()` in the browser, where std's panics.

use std::future::Future;
use std::time::Duration;

pub use web_time::Instant;

pub async fn sleep(duration: Duration) {
    #[cfg(not(target_arch = "wasm32"))]
    tokio::time::sleep(duration).await;
    #[cfg(target_arch = "wasm32")]
    {
        // setTimeout takes a 32-bit signed delay: a longer one fires at once (and gloo-timers
        // throws past u32). Sleep in steps instead.
        const MAX_TIMER: Duration = Duration::from_millis(i32::MAX as u64);
        let mut left = duration;
        while left > MAX_TIMER {
            gloo_timers::future::sleep(MAX_TIMER).await;
            left -= MAX_TIMER;
        }
        gloo_timers::future::sleep(left).await;
    }
}

/// Runs `future` for at most `limit`; `None` when the limit passed first.
pub async fn timeout<F: Future>(limit: Duration, future: F) -> Option<F::Output> {
    use futures::future::{Either, select};
    let future = std::pin::pin!(future);
    let timer = std::pin::pin!(sleep(limit));
    match select(future, timer).await {
        Either::Left((output, _)) => Some(output),
        Either::Right(((), _)) => None,
    }
}

/// Random bytes from the OS (native) or `crypto.getRandomValues` (browser). Used for task ids,
/// which must not collide across clients, and for backoff jitter.
pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    // The only failure modes are an unavailable OS source or missing Web Crypto, where a
    // time-derived fallback is better than refusing to send: ids still carry the clock.
    if getrandom::fill(&mut bytes).is_err() {
        let nanos = web_time::SystemTime::now()
            .duration_since(web_time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default();
        for (i, byte) in bytes.iter_mut().enumerate() {
            *byte = (nanos >> ((i % 16) * 8)) as u8 ^ (i as u8).wrapping_mul(151);
        }
    }
    bytes
}

/// A uniformly random fraction in [0, 1).
pub fn random_fraction() -> f64 {
    let bytes = random_bytes::<8>();
    (u64::from_le_bytes(bytes) >> 11) as f64 / (1u64 << 53) as f64
}

/// Milliseconds since the Unix epoch, for log time bounds.
pub fn now_epoch_millis() -> i64 {
    web_time::SystemTime::now()
        .duration_since(web_time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or_default()
}
