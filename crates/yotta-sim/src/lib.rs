//! A stateful local simulator of the Yotta Labs Serverless API, v1 and v2 over one shared state.
//!
//! Run it from the command line (`cargo run -p yotta-sim -- --addr 127.0.0.1:8787`), embed its
//! flags in another CLI through [`SimArgs`] and [`run`], or start it inside a test:
//!
//! ```no_run
//! # async fn demo() -> anyhow::Result<()> {
//! let sim = yotta_sim::SimConfig::for_tests().with_api_key("test-key").spawn().await?;
//! let url = format!("{}/v2/serverless", sim.base_url());
//! // ... drive the API over HTTP with `X-API-Key: test-key` ...
//! sim.shutdown().await?;
//! # let _ = url;
//! # Ok(())
//! # }
//! ```
//!
//! The crate's README documents every flag, the `/_sim/...` admin routes, the fault syntax and
//! each behaviour chosen where the vendor docs are silent.

mod api;
mod app;
mod args;
mod background;
mod config;
mod faults;
mod http;
mod server;
mod state;

pub use args::SimArgs;
pub use config::{Capacity, ConfigError, Price, SimConfig, Timing, Upstream};
pub use faults::{ActiveFault, FaultKind, FaultSpec};
pub use http::reqlog::RecordedRequest;
pub use server::Simulator;

/// Serves in the foreground until Ctrl-C (or SIGTERM), then saves the state file if any.
///
/// Prints `yotta-sim listening on http://ADDR` on stdout once the port is bound.
pub async fn run(args: SimArgs) -> anyhow::Result<()> {
    let sim = args.into_config().spawn().await?;
    println!("yotta-sim listening on {}", sim.base_url());
    wait_for_signal().await?;
    sim.shutdown().await
}

#[cfg(unix)]
async fn wait_for_signal() -> anyhow::Result<()> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut term = signal(SignalKind::terminate())?;
    tokio::select! {
        r = tokio::signal::ctrl_c() => r?,
        _ = term.recv() => {}
    }
    Ok(())
}

#[cfg(not(unix))]
async fn wait_for_signal() -> anyhow::Result<()> {
    Ok(tokio::signal::ctrl_c().await?)
}
