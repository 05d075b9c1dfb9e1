//! Browser call overhead: our package, the peer and raw fetch on one page in headless
//! Chromium, served with the API by a release simulator (same origin, `--inject-key`).

use super::build::Bundles;
use super::process::{Sim, nums, run_json, text};
use super::report::{Report, Row, millis, spread, time_verdict};
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
    let result = run_json(
        Command::new("node").current_dir(&ctx.root).args([
            "web/bench/browser.mjs",
            "--url",
            &sim.url,
            "--endpoint",
            &endpoint,
            "--calls",
            &calls.to_string(),
            "--batch",
            &batch.to_string(),
            "--warmup",
            &warmup.to_string(),
        ]),
        "node web/bench/browser.mjs",
    )?;
    drop(sim);
    report.raw.insert("browser".into(), result.clone());
    for op in ["getEndpoint", "listTasks"] {
        let rounds = |client: &str| nums(&result, &["samples", client, op]);
        let (ours, peer, raw) = (
            median(&rounds("ours")?),
            median(&rounds("peer")?),
            median(&rounds("raw")?),
        );
        let ours_raw = paired_ratios(&rounds("ours")?, &rounds("raw")?);
        let peer_raw = paired_ratios(&rounds("peer")?, &rounds("raw")?);
        let ours_peer = paired_ratios(&rounds("ours")?, &rounds("peer")?);
        report.rows.push(Row {
            area: "browser",
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
    report.detail(
        "2. Browser call overhead",
        format!(
            "{} headless, one page (`web/bench/page`) served by a release `yotta-sim --static-dir ... \
             --inject-key bench` on 127.0.0.1, so every call is same-origin and keyless. Clients: (a) our \
             package (`web/bench/apps/ours.js` bundled), (b) the openapi-fetch peer (`web/bench/apps/peer.ts` \
             bundled), (c) `fetch` + `JSON.parse`. Each client makes {calls} sequential calls per operation \
             after {warmup} warm-up calls (whose answers are checked), timed in batches of {batch} calls \
             because the page's clock is coarse (~0.1 ms); rounds rotate which client goes first. Figures are \
             the medians of the per-call batch means; ratios are the medians (and ranges) of the ratios of \
             batches made in the same round. `listTasks` asks for one page of 10 finished tasks. The \
             floor is Chromium's own fetch path on this machine, so the absolute overhead per call (ours minus \
             raw) says more than the ratio about other machines.\n\n\
             Driver: `node web/bench/browser.mjs --url URL --endpoint ID --calls {calls} --batch {batch}` \
             against a simulator serving the staged site (`target/bench/out/site`).\n",
            text(&result, &["browser"]).unwrap_or_else(|_| "Chromium".into()),
        ),
    );
    Ok(())
}
