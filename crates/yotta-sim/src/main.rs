//! `yotta-sim`: the simulator's command line (flags in [`yotta_sim::SimArgs`]).

use clap::Parser;

#[derive(Parser)]
#[command(
    name = "yotta-sim",
    version,
    about = "Stateful local simulator of the Yotta Labs Serverless API (v1 and v2)"
)]
struct Cli {
    #[command(flatten)]
    sim: yotta_sim::SimArgs,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "yotta_sim=info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    yotta_sim::run(Cli::parse().sim).await
}
