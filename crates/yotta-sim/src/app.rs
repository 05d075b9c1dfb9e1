//! What every handler and background task shares.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use tokio::sync::Notify;

use crate::config::SimConfig;
use crate::faults::Faults;
use crate::http::origin::OriginPolicy;
use crate::http::ratelimit::Limiter;
use crate::http::reqlog::RequestLog;
use crate::state::State;
use crate::state::clock::Clock;

pub type App = Arc<Shared>;

pub struct Shared {
    pub cfg: Arc<SimConfig>,
    pub clock: Clock,
    state: Mutex<State>,
    faults: Mutex<Faults>,
    requests: Mutex<RequestLog>,
    limiter: Mutex<Limiter>,
    /// Bumped on every change worth persisting; the saver compares it with what it last wrote.
    pub generation: AtomicU64,
    /// Wakes the state saver.
    pub changed: Notify,
    /// Webhook deliveries: no proxies, no redirects, the configured timeout.
    pub webhook_client: reqwest::Client,
    /// Proxy mode's client for the real API.
    pub upstream_client: reqwest::Client,
    /// Which origins and hosts may call (see `origin.rs`), fixed once the port is bound.
    pub origin: OriginPolicy,
    /// Held for a whole state save (snapshot and write), so saves never interleave and the file
    /// always ends up holding the newest snapshot.
    pub save_lock: tokio::sync::Mutex<()>,
}

// A panic while a lock is held cannot leave these structures half-updated in a way that matters
// more than refusing every later request would, so poisoning is ignored.
fn relock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Shared {
    pub fn new(cfg: SimConfig, origin: OriginPolicy) -> anyhow::Result<Self> {
        let cfg = Arc::new(cfg);
        let webhook_client = reqwest::Client::builder()
            .no_proxy()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(cfg.timing.webhook_timeout)
            .user_agent(concat!("yotta-sim-webhook/", env!("CARGO_PKG_VERSION")))
            .build()?;
        let upstream_client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(std::time::Duration::from_secs(60))
            .build()?;
        Ok(Self {
            clock: Clock::default(),
            state: Mutex::new(State::new(cfg.clone())),
            faults: Mutex::new(Faults::new(cfg.seed, cfg.faults.iter().cloned())),
            requests: Mutex::new(RequestLog::new(cfg.request_log_capacity)),
            limiter: Mutex::new(Limiter::default()),
            generation: AtomicU64::new(0),
            changed: Notify::new(),
            webhook_client,
            upstream_client,
            origin,
            save_lock: tokio::sync::Mutex::new(()),
            cfg,
        })
    }

    pub fn lock(&self) -> MutexGuard<'_, State> {
        relock(&self.state)
    }

    pub fn faults(&self) -> MutexGuard<'_, Faults> {
        relock(&self.faults)
    }

    pub fn requests(&self) -> MutexGuard<'_, RequestLog> {
        relock(&self.requests)
    }

    /// The documented rate limits of `op` (token buckets in real time; see `crate::http::ratelimit`).
    pub fn limiter(&self) -> MutexGuard<'_, Limiter> {
        relock(&self.limiter)
    }

    pub fn now(&self) -> u64 {
        self.clock.now_ms()
    }

    /// Records that the state changed: schedules a save.
    pub fn touch(&self) {
        self.generation.fetch_add(1, Ordering::Relaxed);
        self.changed.notify_one();
    }
}
