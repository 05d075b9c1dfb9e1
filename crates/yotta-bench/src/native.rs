//! The facade against raw reqwest + serde_json (into a Value, or into the generated types) on
//! the same routes: sequential latency
//! (interleaved rounds, so drift hits both alike) and throughput at a fixed concurrency; then the
//! same calls without the network ([`crate::offline`]).

use crate::driver::{Limit, closed_loop};
use crate::stats::{latency, median, micros};
use crate::target::{Client, Op, Target};
use anyhow::Result;
use serde_json::{Map, Value, json};
use std::sync::Arc;
use std::time::{Duration, Instant};

#[derive(clap::Args)]
pub struct Args {
    /// The simulator's base URL.
    #[arg(long)]
    base: String,
    /// An endpoint with finished tasks (from `setup`).
    #[arg(long)]
    endpoint: String,
    /// Sequential calls per client and operation.
    #[arg(long, default_value_t = 2100)]
    samples: usize,
    /// Rounds the sequential calls are split into, rotating which client goes first.
    #[arg(long, default_value_t = 21)]
    rounds: usize,
    /// Unmeasured calls per client and operation before measuring.
    #[arg(long, default_value_t = 100)]
    warmup: usize,
    /// Requests in flight for the throughput figure.
    #[arg(long, default_value_t = 64)]
    concurrency: usize,
    /// Seconds per throughput run.
    #[arg(long, default_value_t = 1.5)]
    seconds: f64,
    /// Throughput runs per client and operation (rotating the order of the clients); the median is kept.
    #[arg(long, default_value_t = 6)]
    runs: usize,
}

/// Calls per round of the measurement without the network (a few microseconds each).
const OFFLINE_CALLS: usize = 2000;

pub async fn run(args: Args) -> Result<Value> {
    let target = Arc::new(Target::new(&args.base, &args.endpoint)?);
    let mut sequential = Map::new();
    let mut throughput = Map::new();
    for op in Op::ALL {
        eprintln!("native: {} sequential", op.name());
        sequential.insert(op.name().into(), sequential_latency(&target, op, &args).await?);
        eprintln!("native: {} at concurrency {}", op.name(), args.concurrency);
        throughput.insert(op.name().into(), rates(&target, op, &args).await?);
    }
    eprintln!("native: the same calls without the network");
    let offline = crate::offline::measure(&target, args.rounds, OFFLINE_CALLS).await?;
    Ok(json!({
        "samples": args.samples,
        "offline_calls": OFFLINE_CALLS,
        "offline": offline,
        "concurrency": args.concurrency,
        "seconds": args.seconds,
        "sequential": sequential,
        "throughput": throughput,
    }))
}

/// Clients in the order they go in round `round`.
fn order(round: usize) -> [Client; 3] {
    let mut clients = Client::ALL;
    clients.rotate_left(round % Client::ALL.len());
    clients
}

async fn sequential_latency(target: &Target, op: Op, args: &Args) -> Result<Value> {
    for client in Client::ALL {
        for _ in 0..args.warmup {
            target.call(client, op).await?;
        }
    }
    let rounds = args.rounds.max(1);
    let per_round = args.samples.div_ceil(rounds);
    let mut samples: [Vec<Duration>; 3] = Default::default();
    // Per-round medians, paired by round: the orchestrator's ratios cancel slow drift in load.
    let mut round_medians: [Vec<f64>; 3] = Default::default();
    for round in 0..rounds {
        for client in order(round) {
            let mut this_round = Vec::with_capacity(per_round);
            for _ in 0..per_round {
                let started = Instant::now();
                target.call(client, op).await?;
                this_round.push(started.elapsed());
            }
            let micros: Vec<f64> = this_round.iter().map(|d| micros(*d)).collect();
            round_medians[client as usize].push(median(&micros));
            samples[client as usize].extend(this_round);
        }
    }
    let mut out = Map::new();
    for client in Client::ALL {
        let mut figures = latency(&mut samples[client as usize]);
        figures["round_medians_us"] = json!(round_medians[client as usize]);
        out.insert(client.name().into(), figures);
    }
    Ok(out.into())
}

async fn rates(target: &Arc<Target>, op: Op, args: &Args) -> Result<Value> {
    let mut runs: [Vec<f64>; 3] = Default::default();
    for run in 0..args.runs.max(1) {
        for client in order(run) {
            let target = target.clone();
            let window = Limit::Time(Duration::from_secs_f64(args.seconds));
            let outcome = closed_loop(args.concurrency, window, false, move |_| {
                let target = target.clone();
                async move { target.call(client, op).await }
            })
            .await?;
            runs[client as usize].push(outcome.per_second());
        }
    }
    let mut out = Map::new();
    for client in Client::ALL {
        let figures = &runs[client as usize];
        out.insert(
            client.name().into(),
            json!({ "median_per_s": median(figures), "runs_per_s": figures }),
        );
    }
    Ok(out.into())
}
