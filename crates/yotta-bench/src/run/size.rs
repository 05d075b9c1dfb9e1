//! Package size: our npm package and our app bundle against the peer's app bundle (gzip -9),
//! and the wasm breakdown by crate and by concern from twiggy.

use super::build::{self, Bundles};
use super::report::{Report, Row, kb, thousands, times};
use super::twiggy::{self, Breakdown};
use super::{Ctx, levers};
use anyhow::{Context, Result};
use std::path::Path;

const COMMAND: &str = "cargo xtask bench --only size";

/// raw and gzip -9 bytes of a file.
fn sizes(path: &Path) -> Result<(u64, u64)> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    Ok((bytes.len() as u64, gzip_len(&bytes)))
}

/// A file of the package with its raw and gzip -9 bytes.
#[derive(serde::Deserialize)]
struct PackageFile {
    file: String,
    raw: u64,
    gzip: u64,
}

/// The sizes `cargo xtask wasm` measured for its budget check (`target/npm/sizes.json`): what a
/// browser loads, and the server-only modules it does not count.
#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct PackageSizes {
    gzip_total: u64,
    loaded: Vec<PackageFile>,
    server_only: Vec<PackageFile>,
}

fn package_sizes(root: &Path) -> Result<PackageSizes> {
    let path = root.join("target/npm/sizes.json");
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("reading {} (written by `cargo xtask wasm`)", path.display()))?;
    serde_json::from_str(&text).with_context(|| path.display().to_string())
}

pub fn run(ctx: &Ctx, bundles: &Bundles, report: &mut Report) -> Result<()> {
    let package = package_sizes(&ctx.root)?;
    let package_gz = package.gzip_total;
    let (ours_js_raw, ours_js_gz) = sizes(&bundles.ours_js)?;
    let (wasm_raw, wasm_gz) = sizes(&bundles.ours_wasm)?;
    let (peer_raw, peer_gz) = sizes(&bundles.peer_js)?;
    let app_gz = ours_js_gz + wasm_gz;
    let lose = |ours: u64| {
        format!(
            "**we lose**: {} the peer's bytes (+{})",
            times(ours as f64 / peer_gz as f64),
            kb(ours - peer_gz)
        )
    };
    report.rows.push(Row {
        area: "size",
        measurement: "npm package: what a browser loads (wasm + JS), gzip -9".into(),
        ours: kb(package_gz),
        peer: kb(peer_gz),
        floor: String::new(),
        ratio: times(package_gz as f64 / peer_gz as f64),
        verdict: lose(package_gz),
        command: COMMAND.into(),
    });
    report.rows.push(Row {
        area: "size",
        measurement: "app calling getEndpoint + listTasks, esbuild --bundle --minify, gzip -9".into(),
        ours: format!("{} (JS {} + wasm {})", kb(app_gz), kb(ours_js_gz), kb(wasm_gz)),
        peer: kb(peer_gz),
        floor: String::new(),
        ratio: times(app_gz as f64 / peer_gz as f64),
        verdict: lose(app_gz),
        command: COMMAND.into(),
    });
    let mut files_table = String::from("| file | raw bytes | gzip -9 bytes |\n|---|---:|---:|\n");
    let row = |f: &PackageFile, note: &str| {
        format!(
            "| web/dist/{}{note} | {} | {} |\n",
            f.file,
            thousands(f.raw),
            thousands(f.gzip)
        )
    };
    for f in &package.loaded {
        files_table.push_str(&row(f, ""));
    }
    files_table.push_str(&format!("| **total** | | **{}** |\n", thousands(package_gz)));
    for f in &package.server_only {
        files_table.push_str(&row(f, " (server-only or types: not loaded by index.js, not counted)"));
    }
    let bundle_table = format!(
        "| bundle | raw bytes | gzip -9 bytes |\n|---|---:|---:|\n\
         | ours: app JS (package JS + app, minified) | {} | {} |\n\
         | ours: wasm module (wasm-opt -Oz) | {} | {} |\n\
         | **ours: total** | {} | **{}** |\n\
         | peer: app JS (openapi-fetch + app, minified; the generated types compile away) | {} | **{}** |\n",
        thousands(ours_js_raw),
        thousands(ours_js_gz),
        thousands(wasm_raw),
        thousands(wasm_gz),
        thousands(ours_js_raw + wasm_raw),
        thousands(app_gz),
        thousands(peer_raw),
        thousands(peer_gz),
    );
    report.detail(
        "1. Package size",
        format!(
            "Both apps make the same two calls (`web/bench/apps/ours.js`, `web/bench/apps/peer.ts`); the peer's \
             types come from `openapi-typescript openapi/yotta.json` and the peer app type-checks against them \
             (`tsc`). Bundled with `esbuild --bundle --minify --format=esm`; gzip at level 9.\n\n\
             {bundle_table}\nThe package as `cargo xtask wasm` measures it for `web/size-budget.json`: the wasm module and the JavaScript modules `index.js` loads:\n\n\
             {files_table}\nThe peer is a thin typed wrapper over `fetch`. It does not keep int64 ids exact \
             (it parses with `JSON.parse`), returns business errors (HTTP 200, `code` != 10000) as data, and has \
             no retries, validation, waiters or streams; the size gap is the price of those, and most of it is \
             generic Rust code, below.\n"
        ),
    );
    let named = build::named_wasm(ctx)?;
    let breakdown = twiggy::analyse(&build::twiggy()?, &named)?;
    report.detail(
        "Wasm size by crate and by concern (twiggy)",
        breakdown_markdown(&breakdown, wasm_raw),
    );
    report.levers = levers::paragraphs(&breakdown, wasm_gz);
    Ok(())
}

fn pct(part: u64, total: u64) -> String {
    format!("{:.1}%", part as f64 * 100.0 / total as f64)
}

fn breakdown_markdown(b: &Breakdown, shipped_raw: u64) -> String {
    let mut out = format!(
        "`twiggy top` and `twiggy monos` on the package's module rebuilt with `wasm-opt -Oz -g` (same \
         optimisation, name section kept): {} bytes of code and data, against {} bytes shipped. Sizes are \
         raw (before gzip). Generic code counts for the crate that defines it (serde_json's deserializer \
         instantiated for a yotta-api type counts for serde-json).\n\n",
        thousands(b.total),
        thousands(shipped_raw)
    );
    out.push_str("| crate | bytes | share |\n|---|---:|---:|\n");
    let shown = 16;
    for (name, size) in b.by_crate.iter().take(shown) {
        out.push_str(&format!(
            "| {name} | {} | {} |\n",
            thousands(*size),
            pct(*size, b.total)
        ));
    }
    let rest: u64 = b.by_crate.iter().skip(shown).map(|(_, s)| s).sum();
    if rest > 0 {
        let count = b.by_crate.len().saturating_sub(shown);
        out.push_str(&format!(
            "| {count} more | {} | {} |\n",
            thousands(rest),
            pct(rest, b.total)
        ));
    }
    out.push_str("\nBy concern (what the code is for, whatever crate it sits in):\n\n");
    out.push_str("| concern | bytes | share |\n|---|---:|---:|\n");
    for (name, size) in &b.by_concern {
        out.push_str(&format!(
            "| {name} | {} | {} |\n",
            thousands(*size),
            pct(*size, b.total)
        ));
    }
    out.push_str("\nLargest monomorphised generics (`twiggy monos`):\n\n");
    out.push_str("| generic function | copies | bytes | of which duplicated (approx.) |\n|---|---:|---:|---:|\n");
    for mono in b.monos.iter().take(8) {
        out.push_str(&format!(
            "| `{}` | {} | {} | {} |\n",
            mono.generic.replace('|', "\\|"),
            mono.copies,
            thousands(mono.total),
            thousands(mono.bloat)
        ));
    }
    out.push_str("\nLargest single items (`twiggy top`):\n\n| item | bytes |\n|---|---:|\n");
    for (name, size) in b.top_items.iter().take(10) {
        out.push_str(&format!("| `{}` | {} |\n", name.replace('|', "\\|"), thousands(*size)));
    }
    out
}

/// Gzip level 9 size, as `cargo xtask wasm` measures the package (the xtask depends on no crate
/// of the product, this crate on no tool: each keeps these four lines).
fn gzip_len(bytes: &[u8]) -> u64 {
    use std::io::Write as _;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes).expect("writing to memory");
    encoder.finish().expect("finishing in memory").len() as u64
}
