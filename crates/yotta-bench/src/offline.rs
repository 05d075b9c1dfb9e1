//! The SDK's own work per call, without the network: the facade over a transport that answers
//! from memory with the simulator's captured answer, against decoding the same bytes into the
//! generated types (all a call of the typed floor does besides HTTP). Network timings on a
//! shared 2-core machine swing by more than this difference; these do not.

use crate::stats::median;
use crate::target::{KEY, Op, Target, typed_decode};
use anyhow::Result;
use serde_json::{Map, Value, json};
use std::sync::Arc;
use std::time::Instant;
use yotta::transport::{HttpRequest, HttpResponse, SendFuture, Transport};

/// Answers every request with the captured body of the operation its URL names.
#[derive(Debug)]
struct Canned {
    endpoint: Vec<u8>,
    tasks: Vec<u8>,
}

impl Transport for Canned {
    fn send<'a>(&'a self, request: &'a HttpRequest) -> SendFuture<'a> {
        let body = if request.url.contains("/tasks") {
            &self.tasks
        } else {
            &self.endpoint
        };
        let response = HttpResponse {
            status: 200,
            retry_after: None,
            body: body.clone(),
        };
        Box::pin(async move { Ok(response) })
    }
}

/// `rounds` rounds of `calls` calls per operation, alternating which side goes first; per-call
/// nanoseconds of each round, and their medians.
pub async fn measure(target: &Target, rounds: usize, calls: usize) -> Result<Value> {
    let canned = Arc::new(Canned {
        endpoint: target.answer(Op::GetEndpoint).await?.to_vec(),
        tasks: target.answer(Op::ListTasks).await?.to_vec(),
    });
    let facade = yotta::Client::builder()
        .api_key(KEY)
        .base_url(target.base())
        .transport(canned.clone())
        .build()?;
    let mut out = Map::new();
    for op in Op::ALL {
        let body = match op {
            Op::GetEndpoint => &canned.endpoint,
            Op::ListTasks => &canned.tasks,
        };
        // The floor decodes its own copy, as the facade's transport hands over one.
        let typed = || typed_decode(op, &body.clone());
        for _ in 0..calls {
            target.facade_call(&facade, op).await?;
            typed()?;
        }
        let (mut ours, mut floor) = (Vec::new(), Vec::new());
        for round in 0..rounds.max(1) {
            for facade_turn in [round % 2 == 0, round % 2 == 1] {
                let started = Instant::now();
                for _ in 0..calls {
                    if facade_turn {
                        target.facade_call(&facade, op).await?;
                    } else {
                        typed()?;
                    }
                }
                let per_call = started.elapsed().as_nanos() as f64 / calls as f64;
                if facade_turn { &mut ours } else { &mut floor }.push(per_call);
            }
        }
        out.insert(
            op.name().into(),
            json!({
                "facade": { "median_ns": median(&ours), "round_ns": ours },
                "raw_typed": { "median_ns": median(&floor), "round_ns": floor },
            }),
        );
    }
    Ok(out.into())
}
