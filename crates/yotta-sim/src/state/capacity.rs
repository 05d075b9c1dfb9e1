//! GPU capacity per (region, GPU type): where new workers fit, and which GPUs are taken.
//!
//! GPUs are taken when a worker is launched and given back the moment it is told to stop, so a
//! stop followed by a start never fails for want of the GPUs it just released.

use std::collections::HashMap;

use super::endpoint::Resource;
use super::worker::Worker;
use crate::config::SimConfig;
use crate::http::envelope::{ApiError, INSUFFICIENT_GPUS};

type Pair = (String, String);

#[derive(Debug, Default)]
pub struct Ledger {
    used: HashMap<Pair, u64>,
}

impl Ledger {
    pub fn rebuild<'a>(workers: impl Iterator<Item = &'a Worker>) -> Self {
        let mut ledger = Self::default();
        for w in workers.filter(|w| w.is_live()) {
            ledger.take(w);
        }
        ledger
    }

    pub fn take(&mut self, w: &Worker) {
        *self.used.entry((w.region.clone(), w.gpu_type.clone())).or_default() += u64::from(w.gpu_count);
    }

    pub fn release(&mut self, w: &Worker) {
        if let Some(n) = self.used.get_mut(&(w.region.clone(), w.gpu_type.clone())) {
            *n = n.saturating_sub(u64::from(w.gpu_count));
        }
    }

    /// Chooses a resource (by index) for each of `count` new workers, filling resources in order.
    ///
    /// `credit` lists workers whose GPUs count as free (an endpoint replacing its own workers);
    /// `ignore_used` checks against total capacity only (reconfiguring a stopped endpoint).
    pub fn place(
        &self,
        cfg: &SimConfig,
        resources: &[Resource],
        count: u32,
        credit: &[&Worker],
        ignore_used: bool,
    ) -> Result<Vec<usize>, ApiError> {
        let mut planned: HashMap<Pair, u64> = HashMap::new();
        let mut placement = Vec::new();
        let mut remaining = u64::from(count);
        for (i, r) in resources.iter().enumerate() {
            if remaining == 0 {
                break;
            }
            let pair = (r.region.clone(), r.gpu_type.clone());
            let per_worker = u64::from(r.gpu_count.max(1));
            let fits = match cfg.capacity_of(&r.region, &r.gpu_type) {
                None => remaining,
                Some(cap) => {
                    let used = if ignore_used {
                        0
                    } else {
                        self.used.get(&pair).copied().unwrap_or(0)
                    };
                    let credited: u64 = credit
                        .iter()
                        .filter(|w| w.region == r.region && w.gpu_type == r.gpu_type)
                        .map(|w| u64::from(w.gpu_count))
                        .sum();
                    let taken = planned.get(&pair).copied().unwrap_or(0);
                    cap.saturating_sub(used.saturating_sub(credited)).saturating_sub(taken) / per_worker
                }
            };
            let n = fits.min(remaining);
            *planned.entry(pair).or_default() += n * per_worker;
            placement.extend(std::iter::repeat_n(i, n as usize));
            remaining -= n;
        }
        if remaining > 0 {
            let wanted: Vec<String> = resources
                .iter()
                .map(|r| format!("{}x {} in {}", r.gpu_count, r.gpu_type, r.region))
                .collect();
            return Err(ApiError::business(
                INSUFFICIENT_GPUS,
                format!(
                    "Insufficient GPUs available to start the requested number of workers: {remaining} of {count} \
                     worker(s) cannot be placed ({})",
                    wanted.join(", ")
                ),
            ));
        }
        Ok(placement)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn res(region: &str, gpu: &str, n: u32) -> Resource {
        Resource {
            region: region.into(),
            gpu_type: gpu.into(),
            gpu_count: n,
        }
    }

    #[test]
    fn fills_resources_in_order_within_capacity() {
        let cfg = SimConfig::for_tests()
            .with_capacity("a", "G", 4)
            .with_capacity("b", "G", 2);
        let ledger = Ledger::default();
        let resources = [res("a", "G", 2), res("b", "G", 2)];
        assert_eq!(ledger.place(&cfg, &resources, 3, &[], false).unwrap(), [0, 0, 1]);
        let err = ledger.place(&cfg, &resources, 4, &[], false).unwrap_err();
        assert_eq!(err.code, INSUFFICIENT_GPUS);
        assert!(err.message.contains("1 of 4"), "{}", err.message);
        // unconfigured pairs are unlimited
        assert_eq!(
            ledger.place(&cfg, &[res("c", "G", 8)], 1000, &[], false).unwrap().len(),
            1000
        );
    }

    #[test]
    fn used_credit_and_release() {
        let cfg = SimConfig::for_tests().with_capacity("a", "G", 2);
        let mut ledger = Ledger::default();
        let w = Worker::new(1, "a", "G", 2, 0, 0, 1000);
        ledger.take(&w);
        let resources = [res("a", "G", 2)];
        assert!(ledger.place(&cfg, &resources, 1, &[], false).is_err());
        assert!(ledger.place(&cfg, &resources, 1, &[&w], false).is_ok());
        assert!(ledger.place(&cfg, &resources, 1, &[], true).is_ok());
        ledger.release(&w);
        assert!(ledger.place(&cfg, &resources, 1, &[], false).is_ok());
    }
}
