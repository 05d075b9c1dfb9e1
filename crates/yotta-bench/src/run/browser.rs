//! JavaScript call overhead: our package, the peer and raw fetch making the same calls
//! (`web/bench/page/measure.js`), on one page in headless Chromium served with the API by a
//! release simulator (same origin, `--inject-key`), then in Node against the same simulator.

use super::build::Bundles;
use super::process::{Sim, num, nums, run_json, text};
use super::report::{Report, Row, fine_micros, millis, spread, time_verdict};
use super::{Ctx, setup_endpoint};
use crate::stats::{median, paired_ratios};
use anyhow::{Result, bail};
use std::path::Path;
use std::process::Command;

const COMMAND: &str = "cargo xtask bench --only browser";
const CHROMIUM: &str = "/usr/bin/chromium";

pub fn run(ctx: &Ctx, bundles: &Bundles, report: &mut Report) -> Result<()> {
    let chromium = std::env::var("CHROMIUM_PATH").unwrap_or_else(|_| CHROMIUM.into());
    if !Path::new(&chromium).exists() {
        bail!("browser: Chromium not found at {chromium} (apt-get install chromium, or set CHROMIUM_PATH)");
    }
    let site = bundles.site.to_string_lossy().into_owned();
    let flags = [
        "--static-dir",
        &site,
        "--inject-key",
        "bench",
        "--init-delay",
        "10ms",
        "--task-duration",
        "1ms",
    ];
    let sim = Sim::start(ctx, "browser", &flags.map(String::from))?;
    let (endpoint, _) = setup_endpoint(ctx, &sim)?;
    let (calls, batch, warmup) = if ctx.quick { (100, 10, 20) } else { (1000, 20, 50) };
    eprintln!("bench: browser, {calls} sequential calls per client and operation");
    let measure = |script: &str, extra: &[&str]| {
        let mut command = Command::new("node");
        command
            .current_dir(&ctx.root)
            .arg(script)
            .args(extra)
            .args(["--url", &sim.url, "--endpoint", &endpoint]);
        for (flag, count) in [("--calls", calls), ("--batch", batch), ("--warmup", warmup)] {
            command.arg(flag).arg(count.to_string());
        }
        run_json(&mut command, &format!("node {script}"))
    };
    let chromium_result = measure("web/bench/browser.mjs", &[])?;
    eprintln!("bench: node, {calls} sequential calls per client and operation");
    let node_result = measure("web/bench/node.mjs", &["--site", &site])?;
    drop(sim);
    report.raw.insert("browser".into(), chromium_result.clone());
    report.raw.insert("node".into(), node_result.clone());
    rows(report, "browser", &chromium_result, calls)?;
    rows(report, "node", &node_result, calls)?;
    offline_rows(report, "browser", &chromium_result)?;
    offline_rows(report, "node", &node_result)?;
    report.detail(
        "2. JavaScript call overhead",
        format!(
            "{} headless, one page (`web/bench/page`) served by a release `yotta-sim --static-dir ... \
             --inject-key bench` on 127.0.0.1, so every call is same-origin and keyless; then {} with the \
             same bundles and calls against the same simulator. Clients: (a) our \
             package (`web/bench/apps/ours.js` bundled), (b) the openapi-fetch peer (`web/bench/apps/peer.ts` \
             bundled), (c) `fetch` + `JSON.parse`. Each client makes {calls} sequential calls per operation \
             after {warmup} warm-up calls (whose answers are checked), timed in batches of {batch} calls \
             because the page's clock is coarse (~0.1 ms); rounds rotate which client goes first. Figures are \
             the medians of the per-call batch means; ratios are the medians (and ranges) of the ratios of \
             batches made in the same round. `listTasks` asks for one page of 10 finished tasks. The \
             floor is the runtime's own fetch path on this machine, so the absolute overhead per call (ours minus \
             raw) says more than the ratio about other machines. Node has a fine-grained clock and no \
             browser sharing the cores, so its rows vary less between runs. Without the network: (a) \
             and (c) again, ten times the calls in batches ten times as long, over a `fetch` that \
             answers from memory with the simulator's captured answers (a new `Response` each \
             time), so what is left is each client's own work per call.\n\n\
             Drivers: `node web/bench/browser.mjs --url URL --endpoint ID --calls {calls} --batch {batch}` \
             and `node web/bench/node.mjs --site target/bench/out/site --url URL --endpoint ID --calls {calls} \
             --batch {batch}`, against a simulator serving the staged site (`target/bench/out/site`).\n",
            text(&chromium_result, &["browser"]).unwrap_or_else(|_| "Chromium".into()),
            text(&node_result, &["runtime"]).unwrap_or_else(|_| "Node".into()),
        ),
    );
    Ok(())
}

/// One summary row per operation from a driver's result (`samples.<client>.<op>`).
fn rows(report: &mut Report, area: &'static str, result: &serde_json::Value, calls: usize) -> Result<()> {
    for op in ["getEndpoint", "listTasks"] {
        let rounds = |client: &str| nums(result, &["samples", client, op]);
        let (ours, peer, raw) = (
            median(&rounds("ours")?),
            median(&rounds("peer")?),
            median(&rounds("raw")?),
        );
        let ours_raw = paired_ratios(&rounds("ours")?, &rounds("raw")?);
        let peer_raw = paired_ratios(&rounds("peer")?, &rounds("raw")?);
        let ours_peer = paired_ratios(&rounds("ours")?, &rounds("peer")?);
        report.rows.push(Row {
            area,
            measurement: format!("`{op}`, median per call, {calls} sequential calls"),
            ours: millis(ours),
            peer: millis(peer),
            floor: millis(raw),
            ratio: format!(
                "(a)/(c) {}; (b)/(c) {}",
                spread(ours_raw, "rounds"),
                spread(peer_raw, "rounds")
            ),
            verdict: format!(
                "vs the peer: {}; vs raw: +{} per call",
                time_verdict(ours_peer, "the peer"),
                millis(ours - raw)
            ),
            command: COMMAND.into(),
        });
    }
    Ok(())
}

/// One row per operation from a driver's calls over a `fetch` answering from memory
/// (`offline.samples.<client>.<op>`, milliseconds per call).
fn offline_rows(report: &mut Report, area: &'static str, result: &serde_json::Value) -> Result<()> {
    let calls = num(result, &["offline", "calls"])?;
    for op in ["getEndpoint", "listTasks"] {
        let rounds = |client: &str| nums(result, &["offline", "samples", client, op]);
        let (ours, raw) = (median(&rounds("ours")?), median(&rounds("raw")?));
        let ratio = paired_ratios(&rounds("ours")?, &rounds("raw")?);
        report.rows.push(Row {
            area,
            measurement: format!(
                "`{op}` without the network: work per call, fetch answering from memory, {calls} calls"
            ),
            ours: fine_micros(ours * 1000.0),
            peer: String::new(),
            floor: fine_micros(raw * 1000.0),
            ratio: format!("(a)/(c) {}", spread(ratio, "rounds")),
            verdict: format!(
                "the package's own work: +{} per call",
                fine_micros((ours - raw) * 1000.0)
            ),
            command: COMMAND.into(),
        });
    }
    Ok(())
}
