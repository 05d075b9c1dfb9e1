//! Snowflake-like identifiers, as the platform issues them (`378888638324150969` in the docs).
//!
//! They are deliberately above 2^53 so that clients which parse ids as IEEE doubles (JavaScript's
//! `JSON.parse`) lose precision here exactly as they would in production.

use serde::{Deserialize, Serialize};

/// 2022-01-01T00:00:00Z: with a 22-bit sequence this yields ids of the same magnitude as the docs'.
const EPOCH_MS: u64 = 1_640_995_200_000;
/// Every id is at least this large, even with a host clock set before the epoch.
pub const MIN_ID: u64 = 1 << 58;

#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub struct IdGen {
    last: u64,
}

impl IdGen {
    pub fn next(&mut self, now_ms: u64) -> u64 {
        let from_time = now_ms.saturating_sub(EPOCH_MS).saturating_mul(1 << 22);
        let id = from_time.max(self.last.saturating_add(1)).max(MIN_ID);
        self.last = id;
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_increasing_and_above_2_pow_53() {
        let mut ids = IdGen::default();
        let a = ids.next(1_700_000_000_000);
        let b = ids.next(1_700_000_000_000);
        let c = ids.next(0);
        assert!(a > (1 << 53) && b > a && c > b);
    }
}
