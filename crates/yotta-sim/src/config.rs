//! [`SimConfig`]: every knob of the simulator, shared by the command line ([`crate::SimArgs`]) and by
//! test suites that run it in-process.

use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

use crate::faults::FaultSpec;
use crate::http::origin::{Origin, is_loopback_name};
use crate::http::redact::{OptSecret, SecretList};

/// How long simulated things take.
#[derive(Debug, Clone, PartialEq)]
pub struct Timing {
    /// INITIALIZING -> RUNNING (endpoint) and INITIALIZE -> RUNNING (worker).
    pub init_delay: Duration,
    /// STOPPING -> STOPPED (endpoint) and TERMINATING -> TERMINATED (worker).
    pub stop_delay: Duration,
    /// Time one worker spends on one task (a task input can override it, see the README).
    pub task_duration: Duration,
    /// Spacing of the health-check lines in worker logs.
    pub health_interval: Duration,
    /// Delay before the first webhook retry; doubles on each further retry.
    pub webhook_backoff: Duration,
    /// Delivery attempts per task before `MAX_RETRIES_EXCEEDED`.
    pub webhook_max_attempts: u32,
    /// Per-attempt timeout of a webhook POST.
    pub webhook_timeout: Duration,
}

impl Timing {
    /// Feels like the real platform in a console: seconds, not minutes.
    pub fn console() -> Self {
        Self {
            init_delay: Duration::from_secs(3),
            stop_delay: Duration::from_secs(2),
            task_duration: Duration::from_secs(1),
            health_interval: Duration::from_secs(10),
            webhook_backoff: Duration::from_secs(1),
            webhook_max_attempts: 3,
            webhook_timeout: Duration::from_secs(5),
        }
    }

    /// A few milliseconds per transition: still observable by waiters, never slow.
    pub fn instant() -> Self {
        Self {
            init_delay: Duration::from_millis(25),
            stop_delay: Duration::from_millis(25),
            task_duration: Duration::from_millis(5),
            health_interval: Duration::from_secs(1),
            webhook_backoff: Duration::from_millis(20),
            webhook_max_attempts: 3,
            webhook_timeout: Duration::from_secs(2),
        }
    }
}

/// GPU capacity of one (region, GPU type) pair, in cards. Pairs without an entry are unlimited.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Capacity {
    pub region: String,
    pub gpu_type: String,
    pub gpus: u64,
}

impl FromStr for Capacity {
    type Err = String;

    /// `REGION:GPU_TYPE=N`, e.g. `us-east-1:NVIDIA_H100_80G=8`.
    fn from_str(s: &str) -> Result<Self, String> {
        let err = || format!("expected REGION:GPU_TYPE=N, got {s:?}");
        let (pair, n) = s.split_once('=').ok_or_else(err)?;
        let (region, gpu_type) = pair.split_once(':').ok_or_else(err)?;
        let gpus = n.trim().parse().map_err(|_| err())?;
        if region.is_empty() || gpu_type.is_empty() {
            return Err(err());
        }
        Ok(Self {
            region: region.to_owned(),
            gpu_type: gpu_type.to_owned(),
            gpus,
        })
    }
}

/// A per-GPU price override in dollars per GPU-second: `GPU_TYPE=PRICE`.
#[derive(Debug, Clone, PartialEq)]
pub struct Price {
    pub gpu_type: String,
    pub per_second: f64,
}

impl FromStr for Price {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let err = || format!("expected GPU_TYPE=DOLLARS_PER_GPU_SECOND, got {s:?}");
        let (gpu_type, price) = s.split_once('=').ok_or_else(err)?;
        let per_second: f64 = price.trim().parse().map_err(|_| err())?;
        if gpu_type.is_empty() || !per_second.is_finite() || per_second < 0.0 {
            return Err(err());
        }
        Ok(Self {
            gpu_type: gpu_type.to_owned(),
            per_second,
        })
    }
}

/// Proxy mode: API routes go to `url`, with `api_key` injected as `X-API-Key`.
///
/// Its `Debug` shows `api_key` as `Some("***")`: configurations end up in logs and panic messages.
#[derive(Clone, PartialEq, Eq)]
pub struct Upstream {
    pub url: String,
    pub api_key: Option<String>,
}

impl fmt::Debug for Upstream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Self { url, api_key } = self;
        f.debug_struct("Upstream")
            .field("url", url)
            .field("api_key", &OptSecret(api_key))
            .finish()
    }
}

/// A configuration [`SimConfig::spawn`] refuses, naming the flag (the [`SimConfig`] field of the
/// same name in-process) and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// A key-injecting mode (proxy or `--inject-key`) listening beyond this machine.
    #[error(
        "--addr {addr}: not a loopback address, and this mode injects an API key (--upstream or \
         --inject-key), so anyone who can reach {addr} could use the key; listen on 127.0.0.1, or \
         pass --allow-remote to accept that"
    )]
    RemoteAddr { addr: SocketAddr },
    /// Plain `http://` to another machine: the injected key would cross the network unencrypted.
    #[error(
        "--upstream {url}: plain http to a host other than this machine would send the API key \
         unencrypted; use https, or pass --allow-insecure-upstream to accept that"
    )]
    InsecureUpstream { url: String },
    #[error("--upstream {url}: {reason}")]
    InvalidUpstream { url: String, reason: String },
    #[error("--allow-origin {origin}: {reason}")]
    InvalidAllowOrigin { origin: String, reason: String },
}

/// Everything the simulator can be told. Build one with [`SimConfig::default`] (console timing) or
/// [`SimConfig::for_tests`] (millisecond timing), adjust it with the `with_*` methods or the public
/// fields, then [`SimConfig::spawn`] it.
///
/// Its `Debug` never shows a key: `api_keys`, `inject_key` and the upstream's key print as `***`.
#[derive(Clone)]
pub struct SimConfig {
    /// Where to listen; port 0 picks a free port (see [`crate::Simulator::addr`]).
    pub addr: SocketAddr,
    /// Accepted `X-API-Key` values. Empty: any non-empty key is accepted (a missing key is still 401).
    pub api_keys: Vec<String>,
    /// Serve requests that carry no `X-API-Key` as if they carried this one, as the same-origin
    /// proxy of a browser deployment would add it (so a console page needs no key).
    pub inject_key: Option<String>,
    pub timing: Timing,
    pub capacity: Vec<Capacity>,
    pub prices: Vec<Price>,
    /// The organisation's deployment limit (24003 beyond it).
    pub max_endpoints: usize,
    /// The simulator's own ceiling on workers per endpoint (24009 beyond it), which bounds memory.
    pub max_workers_per_endpoint: u32,
    pub faults: Vec<FaultSpec>,
    /// Synthetic log lines that precede each worker's real lines (generated lazily, never stored).
    pub log_backlog: u64,
    /// Seeds fault rates and the synthetic log text.
    pub seed: u64,
    pub state_file: Option<PathBuf>,
    /// Minimum time between two state saves (saves happen only after changes).
    pub state_interval: Duration,
    pub static_dir: Option<PathBuf>,
    pub upstream: Option<Upstream>,
    /// Further origins (`https://dashboard.example:8443`) allowed to call the API and the admin
    /// routes, with a CORS grant for exactly that origin. Besides these, a key-injecting
    /// simulator answers only its own origin (see the README's "Browser and proxy").
    pub allowed_origins: Vec<String>,
    /// Accept a non-loopback `addr` while a key is injected (and stop checking `Host`).
    pub allow_remote: bool,
    /// Accept a plain-`http` upstream on another machine (the key would travel unencrypted).
    pub allow_insecure_upstream: bool,
    /// How many recent API requests `/_sim/requests` keeps.
    pub request_log_capacity: usize,
    /// The `creator` reported for every endpoint.
    pub creator: String,
}

impl Default for SimConfig {
    fn default() -> Self {
        Self {
            addr: SocketAddr::from(([127, 0, 0, 1], 8787)),
            api_keys: Vec::new(),
            inject_key: None,
            timing: Timing::console(),
            capacity: Vec::new(),
            prices: Vec::new(),
            max_endpoints: 100,
            max_workers_per_endpoint: 1000,
            faults: Vec::new(),
            log_backlog: 0,
            seed: 0,
            state_file: None,
            state_interval: Duration::from_millis(250),
            static_dir: None,
            upstream: None,
            allowed_origins: Vec::new(),
            allow_remote: false,
            allow_insecure_upstream: false,
            request_log_capacity: 1000,
            creator: "developer@example.com".to_owned(),
        }
    }
}

impl fmt::Debug for SimConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Destructured without `..`: a new field cannot be added without deciding how it prints.
        let Self {
            addr,
            api_keys,
            inject_key,
            timing,
            capacity,
            prices,
            max_endpoints,
            max_workers_per_endpoint,
            faults,
            log_backlog,
            seed,
            state_file,
            state_interval,
            static_dir,
            upstream,
            allowed_origins,
            allow_remote,
            allow_insecure_upstream,
            request_log_capacity,
            creator,
        } = self;
        f.debug_struct("SimConfig")
            .field("addr", addr)
            .field("api_keys", &SecretList(api_keys))
            .field("inject_key", &OptSecret(inject_key))
            .field("timing", timing)
            .field("capacity", capacity)
            .field("prices", prices)
            .field("max_endpoints", max_endpoints)
            .field("max_workers_per_endpoint", max_workers_per_endpoint)
            .field("faults", faults)
            .field("log_backlog", log_backlog)
            .field("seed", seed)
            .field("state_file", state_file)
            .field("state_interval", state_interval)
            .field("static_dir", static_dir)
            .field("upstream", upstream)
            .field("allowed_origins", allowed_origins)
            .field("allow_remote", allow_remote)
            .field("allow_insecure_upstream", allow_insecure_upstream)
            .field("request_log_capacity", request_log_capacity)
            .field("creator", creator)
            .finish()
    }
}

impl SimConfig {
    /// 127.0.0.1 on a free port, millisecond timing, no state file.
    pub fn for_tests() -> Self {
        Self {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            timing: Timing::instant(),
            ..Self::default()
        }
    }

    pub fn with_addr(mut self, addr: SocketAddr) -> Self {
        self.addr = addr;
        self
    }

    pub fn with_inject_key(mut self, key: impl Into<String>) -> Self {
        self.inject_key = Some(key.into());
        self
    }

    pub fn with_api_key(mut self, key: impl Into<String>) -> Self {
        self.api_keys.push(key.into());
        self
    }

    pub fn with_timing(mut self, timing: Timing) -> Self {
        self.timing = timing;
        self
    }

    pub fn with_capacity(mut self, region: &str, gpu_type: &str, gpus: u64) -> Self {
        self.capacity.push(Capacity {
            region: region.to_owned(),
            gpu_type: gpu_type.to_owned(),
            gpus,
        });
        self
    }

    pub fn with_price(mut self, gpu_type: &str, per_second: f64) -> Self {
        self.prices.push(Price {
            gpu_type: gpu_type.to_owned(),
            per_second,
        });
        self
    }

    pub fn with_max_endpoints(mut self, n: usize) -> Self {
        self.max_endpoints = n;
        self
    }

    pub fn with_fault(mut self, fault: FaultSpec) -> Self {
        self.faults.push(fault);
        self
    }

    pub fn with_log_backlog(mut self, lines: u64) -> Self {
        self.log_backlog = lines;
        self
    }

    pub fn with_seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    pub fn with_state_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.state_file = Some(path.into());
        self
    }

    pub fn with_static_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.static_dir = Some(dir.into());
        self
    }

    pub fn with_upstream(mut self, url: impl Into<String>, api_key: Option<String>) -> Self {
        self.upstream = Some(Upstream {
            url: url.into(),
            api_key,
        });
        self
    }

    /// Grants one more origin (`http://localhost:5173`) access and a CORS grant; see
    /// [`SimConfig::allowed_origins`].
    pub fn with_allowed_origin(mut self, origin: impl Into<String>) -> Self {
        self.allowed_origins.push(origin.into());
        self
    }

    /// See [`SimConfig::allow_remote`].
    pub fn with_allow_remote(mut self, allow: bool) -> Self {
        self.allow_remote = allow;
        self
    }

    /// See [`SimConfig::allow_insecure_upstream`].
    pub fn with_allow_insecure_upstream(mut self, allow: bool) -> Self {
        self.allow_insecure_upstream = allow;
        self
    }

    /// Whether requests can reach something that holds an API key: proxy mode (which adds
    /// `YOTTA_API_KEY`, or forwards the caller's key when it is unset) or `inject_key`. Such a
    /// simulator serves only its own origin; a plain simulator holds no secret.
    pub(crate) fn injects_key(&self) -> bool {
        self.upstream.is_some() || self.inject_key.is_some()
    }

    /// The origins of [`SimConfig::allowed_origins`], parsed.
    pub(crate) fn parsed_allowed_origins(&self) -> Result<Vec<Origin>, ConfigError> {
        self.allowed_origins
            .iter()
            .map(|text| {
                Origin::parse(text).map_err(|reason| ConfigError::InvalidAllowOrigin {
                    origin: text.clone(),
                    reason,
                })
            })
            .collect()
    }

    /// Refuses what would expose a key, and returns warnings for what the `allow_*` flags let
    /// through (the caller logs them).
    pub fn validate(&self) -> Result<Vec<String>, ConfigError> {
        let mut warnings = Vec::new();
        self.parsed_allowed_origins()?;
        if let Some(upstream) = &self.upstream {
            let url = upstream.url.clone();
            let invalid = |reason: &str| ConfigError::InvalidUpstream {
                url: url.clone(),
                reason: reason.to_owned(),
            };
            let uri: http::Uri = upstream.url.parse().map_err(|_| invalid("not a URL"))?;
            let host = uri
                .host()
                .ok_or_else(|| invalid("expected http://HOST or https://HOST"))?;
            if uri.authority().is_some_and(|a| a.as_str().contains('@')) || uri.query().is_some() {
                return Err(invalid(
                    "user names, passwords and queries are not accepted in the base URL",
                ));
            }
            match uri.scheme_str() {
                Some("https") => {}
                // `*.localhost` is not accepted here: browsers resolve it to loopback, but the
                // system resolver the proxy uses need not.
                Some("http") if is_loopback_name(host) && !host.ends_with(".localhost") => {}
                Some("http") if self.allow_insecure_upstream => warnings.push(format!(
                    "--allow-insecure-upstream: the API key is sent unencrypted to {}",
                    upstream.url
                )),
                Some("http") => return Err(ConfigError::InsecureUpstream { url }),
                _ => return Err(invalid("the scheme must be http or https")),
            }
        }
        if self.injects_key() && !self.addr.ip().is_loopback() {
            if !self.allow_remote {
                return Err(ConfigError::RemoteAddr { addr: self.addr });
            }
            warnings.push(format!(
                "--allow-remote: listening on {} with an API key injected: anyone who can reach \
                 this address can use the key, and the Host check against DNS rebinding is off",
                self.addr
            ));
        }
        Ok(warnings)
    }

    /// Starts serving in the background; see [`crate::Simulator`].
    pub async fn spawn(self) -> anyhow::Result<crate::Simulator> {
        crate::Simulator::start(self).await
    }

    pub(crate) fn price_override(&self, gpu_type: &str) -> Option<f64> {
        self.prices
            .iter()
            .rev()
            .find(|p| p.gpu_type.eq_ignore_ascii_case(gpu_type))
            .map(|p| p.per_second)
    }

    pub(crate) fn capacity_of(&self, region: &str, gpu_type: &str) -> Option<u64> {
        self.capacity
            .iter()
            .rev()
            .find(|c| c.region == region && c.gpu_type == gpu_type)
            .map(|c| c.gpus)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capacity_and_price_syntax() {
        let c: Capacity = "us-east-1:NVIDIA_H100_80G=8".parse().unwrap();
        assert_eq!(
            (c.region.as_str(), c.gpu_type.as_str(), c.gpus),
            ("us-east-1", "NVIDIA_H100_80G", 8)
        );
        for bad in ["us-east-1=8", ":X=1", "a:b=-1", "a:b=x"] {
            assert!(bad.parse::<Capacity>().is_err(), "{bad}");
        }
        let p: Price = "NVIDIA_H100_80G=0.0007".parse().unwrap();
        assert_eq!(p.per_second, 0.0007);
        assert!("X=-1".parse::<Price>().is_err() && "X=NaN".parse::<Price>().is_err());
    }

    #[test]
    fn debug_never_shows_a_key() {
        let cfg = SimConfig::for_tests()
            .with_api_key("accepted-secret")
            .with_inject_key("injected-secret")
            .with_upstream("https://api.example", Some("upstream-secret".into()));
        let shown = format!("{cfg:?} {cfg:#?}");
        for secret in ["accepted-secret", "injected-secret", "upstream-secret"] {
            assert!(!shown.contains(secret), "{secret} in {shown}");
        }
        assert!(shown.contains("inject_key: Some(\"***\")"), "{shown}");
        assert!(shown.contains("api_keys: [\"***\"]"), "{shown}");
        assert!(shown.contains("https://api.example"), "the rest still shows: {shown}");
    }

    fn refused(cfg: SimConfig) -> ConfigError {
        cfg.validate().expect_err("refused")
    }

    #[test]
    fn key_injecting_modes_stay_on_this_machine_unless_told_otherwise() {
        let lan = SocketAddr::from(([0, 0, 0, 0], 8787));
        let injecting = SimConfig::for_tests().with_inject_key("k").with_addr(lan);
        assert_eq!(refused(injecting.clone()), ConfigError::RemoteAddr { addr: lan });
        assert!(refused(injecting.clone()).to_string().contains("--allow-remote"));
        let warnings = injecting.with_allow_remote(true).validate().unwrap();
        assert!(warnings[0].starts_with("--allow-remote"), "{warnings:?}");
        let proxy = SimConfig::for_tests()
            .with_upstream("https://api.example", None)
            .with_addr(lan);
        assert!(matches!(refused(proxy), ConfigError::RemoteAddr { .. }));
        // A plain simulator holds no key: any address is fine.
        assert_eq!(
            SimConfig::for_tests().with_addr(lan).validate().unwrap(),
            Vec::<String>::new()
        );
    }

    #[test]
    fn the_key_goes_to_a_remote_upstream_over_https_only_unless_told_otherwise() {
        let with = |url: &str| SimConfig::for_tests().with_upstream(url, Some("k".into()));
        for ok in [
            "https://api.yottalabs.ai",
            "http://127.0.0.1:9000/",
            "http://localhost:1",
            "http://[::1]:80",
        ] {
            assert_eq!(with(ok).validate(), Ok(Vec::new()), "{ok}");
        }
        let plain = "http://api.yottalabs.ai";
        assert_eq!(
            refused(with(plain)),
            ConfigError::InsecureUpstream { url: plain.into() }
        );
        assert!(
            refused(with("http://app.localhost:9000"))
                .to_string()
                .contains("--allow-insecure-upstream")
        );
        let warnings = with(plain).with_allow_insecure_upstream(true).validate().unwrap();
        assert!(warnings[0].contains("unencrypted"), "{warnings:?}");
        for bad in [
            "api.yottalabs.ai",
            "ftp://x",
            "https://",
            "https://u:p@x",
            "https://x/?q=1",
            "",
        ] {
            let err = refused(with(bad));
            assert!(matches!(err, ConfigError::InvalidUpstream { .. }), "{bad}: {err:?}");
            assert!(err.to_string().starts_with("--upstream"), "{err}");
        }
    }

    #[test]
    fn allowed_origins_must_be_origins() {
        let cfg = SimConfig::for_tests().with_allowed_origin("http://localhost:5173/");
        assert_eq!(cfg.validate(), Ok(Vec::new()));
        let err = refused(SimConfig::for_tests().with_allowed_origin("localhost:5173"));
        assert!(err.to_string().starts_with("--allow-origin localhost:5173: "), "{err}");
        assert!(matches!(
            refused(SimConfig::for_tests().with_allowed_origin("*")),
            ConfigError::InvalidAllowOrigin { .. }
        ));
    }
}
