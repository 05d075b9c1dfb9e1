//! The simulator's wall clock: host time plus an offset that `/_sim/clock/advance` pushes forward.
//!
//! Every lifecycle transition, cost and log timestamp is a function of this clock, so advancing it
//! makes an hour of simulated uptime happen instantly without waiting on real timers.

use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Ten years: larger jumps are clamped so arithmetic on epoch milliseconds can never overflow.
const MAX_ADVANCE_MS: u64 = 10 * 365 * 24 * 3600 * 1000;

#[derive(Debug, Default)]
pub struct Clock {
    offset_ms: AtomicI64,
    // The last value handed out: the simulated clock never runs backwards, even if the host's does.
    last_ms: AtomicU64,
}

impl Clock {
    pub fn now_ms(&self) -> u64 {
        let host = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_millis() as u64)
            .unwrap_or(0);
        let now = host.saturating_add_signed(self.offset_ms.load(Ordering::Relaxed));
        self.last_ms.fetch_max(now, Ordering::Relaxed).max(now)
    }

    pub fn advance(&self, by: Duration) -> u64 {
        let ms = (by.as_millis().min(u128::from(MAX_ADVANCE_MS))) as i64;
        // fetch_update never fails here: the closure always returns Some.
        let _ = self
            .offset_ms
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |o| Some(o.saturating_add(ms)));
        self.now_ms()
    }

    pub fn offset_ms(&self) -> i64 {
        self.offset_ms.load(Ordering::Relaxed)
    }

    pub fn set_offset_ms(&self, offset: i64) {
        self.offset_ms.store(offset, Ordering::Relaxed);
    }

    /// Back to host time; used by `/_sim/reset`, where forgetting the monotonic floor is intended.
    pub fn reset(&self) {
        self.offset_ms.store(0, Ordering::Relaxed);
        self.last_ms.store(0, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advance_moves_now_forward_and_clamps_huge_jumps() {
        let clock = Clock::default();
        let before = clock.now_ms();
        let after = clock.advance(Duration::from_secs(3600));
        assert!(after >= before + 3_600_000);
        clock.advance(Duration::from_secs(u64::MAX));
        assert!(clock.now_ms() < before + 2 * MAX_ADVANCE_MS);
    }
}
