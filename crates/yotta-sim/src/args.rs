//! [`SimArgs`]: the command line, embeddable in another CLI with `#[command(flatten)]`.

use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::Args;

use crate::config::{Capacity, Price, SimConfig, Timing, Upstream};
use crate::faults::FaultSpec;
use crate::http::redact::{OptSecret, SecretList};

fn duration(s: &str) -> Result<Duration, String> {
    humantime::parse_duration(s).map_err(|e| e.to_string())
}

/// Every flag of the simulator. Durations are humantime values (`250ms`, `3s`, `1m 30s`).
///
/// Its `Debug` shows the keys (`--api-key`, `--inject-key`) as `***`.
#[derive(Clone, Args)]
pub struct SimArgs {
    /// Address to listen on (port 0 picks a free port; the chosen one is printed).
    #[arg(long, default_value = "127.0.0.1:8787")]
    pub addr: SocketAddr,

    /// Persist state to this file (atomic writes) and restore it at start.
    #[arg(long, value_name = "FILE")]
    pub state: Option<PathBuf>,

    /// Minimum time between two state saves.
    #[arg(long, value_name = "DURATION", default_value = "250ms", value_parser = duration)]
    pub state_interval: Duration,

    /// Serve this directory (e.g. the web console) at `/`, on the API's origin.
    #[arg(long, value_name = "DIR")]
    pub static_dir: Option<PathBuf>,

    /// Proxy mode: forward API routes to this base URL (e.g. `https://api.yottalabs.ai`), injecting
    /// `X-API-Key` from the YOTTA_API_KEY environment variable.
    #[arg(long, value_name = "URL")]
    pub upstream: Option<String>,

    /// Accepted API key (repeatable). Without any, every non-empty key is accepted.
    #[arg(long = "api-key", value_name = "KEY")]
    pub api_keys: Vec<String>,

    /// Serve API requests that carry no X-API-Key as if they carried KEY, standing in for the
    /// same-origin proxy a browser deployment uses (lets the web console run without a key).
    #[arg(long, value_name = "KEY")]
    pub inject_key: Option<String>,

    /// Also accept requests from this origin (e.g. `http://localhost:5173`, a dashboard's dev
    /// server), with a CORS grant for exactly it (repeatable). Otherwise, with --upstream or
    /// --inject-key, only the simulator's own origin is served, and /_sim always.
    #[arg(long = "allow-origin", value_name = "ORIGIN")]
    pub allow_origins: Vec<String>,

    /// Allow a non-loopback --addr together with --upstream or --inject-key: anyone who can reach
    /// the address can then use the key, and the Host check against DNS rebinding is off.
    #[arg(long)]
    pub allow_remote: bool,

    /// Allow a plain-http --upstream on another machine: the API key then travels unencrypted.
    #[arg(long)]
    pub allow_insecure_upstream: bool,

    /// Endpoint INITIALIZING -> RUNNING and worker INITIALIZE -> RUNNING.
    #[arg(long, value_name = "DURATION", default_value = "3s", value_parser = duration)]
    pub init_delay: Duration,

    /// Endpoint STOPPING -> STOPPED and worker TERMINATING -> TERMINATED.
    #[arg(long, value_name = "DURATION", default_value = "2s", value_parser = duration)]
    pub stop_delay: Duration,

    /// Time a worker spends on one task.
    #[arg(long, value_name = "DURATION", default_value = "1s", value_parser = duration)]
    pub task_duration: Duration,

    /// Spacing of health-check lines in worker logs.
    #[arg(long, value_name = "DURATION", default_value = "10s", value_parser = duration)]
    pub health_interval: Duration,

    /// First webhook retry delay (doubles per retry).
    #[arg(long, value_name = "DURATION", default_value = "1s", value_parser = duration)]
    pub webhook_backoff: Duration,

    /// Webhook delivery attempts before MAX_RETRIES_EXCEEDED.
    #[arg(long, value_name = "N", default_value_t = 3)]
    pub webhook_attempts: u32,

    /// GPU capacity in cards, REGION:GPU_TYPE=N (repeatable). Unlisted pairs are unlimited.
    #[arg(long, value_name = "REGION:GPU_TYPE=N")]
    pub capacity: Vec<Capacity>,

    /// Price override in dollars per GPU-second, GPU_TYPE=PRICE (repeatable).
    #[arg(long, value_name = "GPU_TYPE=PRICE")]
    pub price: Vec<Price>,

    /// The organisation's deployment limit (code 24003 beyond it).
    #[arg(long, value_name = "N", default_value_t = 100)]
    pub max_endpoints: usize,

    /// Simulator ceiling on workers per endpoint (code 24009 beyond it).
    #[arg(long, value_name = "N", default_value_t = 1000)]
    pub max_workers: u32,

    /// Inject a fault (repeatable), e.g. `error,status=502,path=/v2/serverless/{id},rate=0.5`.
    #[arg(long, value_name = "SPEC")]
    pub fault: Vec<FaultSpec>,

    /// Synthetic log lines preceding each worker's real lines (generated lazily).
    #[arg(long, value_name = "N", default_value_t = 1000)]
    pub log_backlog: u64,

    /// Seed for fault rates and synthetic log text.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,

    /// Recent API requests kept for GET /_sim/requests.
    #[arg(long, value_name = "N", default_value_t = 1000)]
    pub request_log: usize,
}

impl SimArgs {
    /// The configuration these flags describe; the upstream key comes from `YOTTA_API_KEY`.
    pub fn into_config(self) -> SimConfig {
        let api_key = std::env::var("YOTTA_API_KEY").ok().filter(|k| !k.is_empty());
        SimConfig {
            addr: self.addr,
            api_keys: self.api_keys,
            inject_key: self.inject_key,
            timing: Timing {
                init_delay: self.init_delay,
                stop_delay: self.stop_delay,
                task_duration: self.task_duration,
                health_interval: self.health_interval,
                webhook_backoff: self.webhook_backoff,
                webhook_max_attempts: self.webhook_attempts.max(1),
                ..Timing::console()
            },
            capacity: self.capacity,
            prices: self.price,
            max_endpoints: self.max_endpoints,
            max_workers_per_endpoint: self.max_workers,
            faults: self.fault,
            log_backlog: self.log_backlog,
            seed: self.seed,
            state_file: self.state,
            state_interval: self.state_interval,
            static_dir: self.static_dir,
            upstream: self.upstream.map(|url| Upstream { url, api_key }),
            allowed_origins: self.allow_origins,
            allow_remote: self.allow_remote,
            allow_insecure_upstream: self.allow_insecure_upstream,
            request_log_capacity: self.request_log,
            ..SimConfig::default()
        }
    }
}

impl fmt::Debug for SimArgs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Destructured without `..`: a new flag cannot be added without deciding how it prints.
        let Self {
            addr,
            state,
            state_interval,
            static_dir,
            upstream,
            api_keys,
            inject_key,
            allow_origins,
            allow_remote,
            allow_insecure_upstream,
            init_delay,
            stop_delay,
            task_duration,
            health_interval,
            webhook_backoff,
            webhook_attempts,
            capacity,
            price,
            max_endpoints,
            max_workers,
            fault,
            log_backlog,
            seed,
            request_log,
        } = self;
        f.debug_struct("SimArgs")
            .field("addr", addr)
            .field("state", state)
            .field("state_interval", state_interval)
            .field("static_dir", static_dir)
            .field("upstream", upstream)
            .field("api_keys", &SecretList(api_keys))
            .field("inject_key", &OptSecret(inject_key))
            .field("allow_origins", allow_origins)
            .field("allow_remote", allow_remote)
            .field("allow_insecure_upstream", allow_insecure_upstream)
            .field("init_delay", init_delay)
            .field("stop_delay", stop_delay)
            .field("task_duration", task_duration)
            .field("health_interval", health_interval)
            .field("webhook_backoff", webhook_backoff)
            .field("webhook_attempts", webhook_attempts)
            .field("capacity", capacity)
            .field("price", price)
            .field("max_endpoints", max_endpoints)
            .field("max_workers", max_workers)
            .field("fault", fault)
            .field("log_backlog", log_backlog)
            .field("seed", seed)
            .field("request_log", request_log)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        sim: SimArgs,
    }

    #[test]
    fn the_security_flags_reach_the_configuration() {
        let cli = Cli::try_parse_from([
            "yotta-sim",
            "--allow-origin",
            "http://localhost:5173",
            "--allow-origin",
            "https://dash.example",
            "--allow-remote",
            "--allow-insecure-upstream",
        ])
        .unwrap();
        let cfg = cli.sim.into_config();
        assert_eq!(cfg.allowed_origins, ["http://localhost:5173", "https://dash.example"]);
        assert!(cfg.allow_remote && cfg.allow_insecure_upstream);
        let defaults = Cli::try_parse_from(["yotta-sim"]).unwrap().sim.into_config();
        assert!(defaults.allowed_origins.is_empty() && !defaults.allow_remote && !defaults.allow_insecure_upstream);
    }

    #[test]
    fn debug_never_shows_a_key() {
        let cli =
            Cli::try_parse_from(["yotta-sim", "--api-key", "flag-secret", "--inject-key", "inject-secret"]).unwrap();
        let shown = format!("{:?}", cli.sim);
        assert!(
            !shown.contains("flag-secret") && !shown.contains("inject-secret"),
            "{shown}"
        );
        assert!(shown.contains("inject_key: Some(\"***\")"), "{shown}");
    }
}
