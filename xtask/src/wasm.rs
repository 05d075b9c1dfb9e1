//! `cargo xtask wasm`: builds the npm package into `web/dist` on a fresh machine.
//!
//! wasm32 release build (size profile) → wasm-bindgen (the CLI pinned to the version in
//! Cargo.lock, installed on demand) → `wasm-opt -Oz` (the npm `binaryen` package: Debian's
//! binaryen 108 miscompiles wasm-bindgen 0.2.130 output) → the TypeScript entry module
//! (web/package/src) compiled beside it, its JavaScript (and wasm-bindgen's) without comments
//! and whitespace (esbuild; names are kept, so stack traces stay readable; the declarations keep
//! their documentation) → package.json, README → `npm pack`; then prints raw and gzip sizes and
//! enforces the budget on what a browser loads: the wasm and the modules `index.js` imports.

use anyhow::{Context, Result, bail};
use flate2::Compression;
use flate2::write::GzEncoder;
use serde_json::{Value, json};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

pub const PACKAGE_NAME: &str = "yotta-serverless";
const CRATE: &str = "yotta-wasm";
const ARTIFACT: &str = "yotta_wasm";

pub struct Options {
    /// Skip `wasm-opt` (faster local iterations; the budget is then not enforced).
    pub skip_opt: bool,
    /// Also write the optimised module with its name section kept (`wasm-opt -g`) here, for
    /// size analysis (`twiggy`; the benchmarks use it).
    pub named_copy: Option<PathBuf>,
}

pub fn run(root: &Path, options: &Options) -> Result<()> {
    let pkg = root.join("web/dist");
    run_command(
        Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]),
        "rustup target add",
    )?;
    run_command(
        Command::new(cargo()).current_dir(root).args([
            "build",
            "--locked",
            "-p",
            CRATE,
            "--target",
            "wasm32-unknown-unknown",
            "--profile",
            "wasm",
        ]),
        "cargo build (wasm32)",
    )?;
    let wasm = root.join(format!("target/wasm32-unknown-unknown/wasm/{ARTIFACT}.wasm"));
    let bindgen = ensure_wasm_bindgen(root)?;
    if pkg.exists() {
        std::fs::remove_dir_all(&pkg).with_context(|| format!("clearing {}", pkg.display()))?;
    }
    run_command(
        Command::new(&bindgen)
            .arg("--target")
            .arg("web")
            .arg("--out-dir")
            .arg(&pkg)
            .arg("--out-name")
            .arg(ARTIFACT)
            .arg(&wasm),
        "wasm-bindgen",
    )?;
    let optimised = pkg.join(format!("{ARTIFACT}_bg.wasm"));
    let before_opt = std::fs::metadata(&optimised)?.len();
    if let Some(named) = &options.named_copy {
        let wasm_opt = ensure_npm_tools(root)?.join("wasm-opt");
        run_command(
            Command::new(wasm_opt)
                .args(["-Oz", "--converge", "-g"])
                .args(WASM_FEATURES)
                .arg(&optimised)
                .arg("-o")
                .arg(named),
            "wasm-opt -Oz -g (named copy)",
        )?;
    }
    if !options.skip_opt {
        let wasm_opt = ensure_npm_tools(root)?.join("wasm-opt");
        run_command(
            Command::new(wasm_opt)
                // --converge repeats the passes while they still shrink the module (~1%).
                .args(["-Oz", "--converge"])
                .args(WASM_FEATURES)
                .arg(&optimised)
                .arg("-o")
                .arg(&optimised),
            "wasm-opt -Oz",
        )?;
    }
    write_package_files(root, &pkg)?;
    let tarball = npm_pack(root, &pkg)?;
    let report = sizes(&pkg, before_opt)?;
    println!("{}", report.table(&tarball));
    let sizes_file = tarball.with_file_name(SIZES_FILE);
    std::fs::write(&sizes_file, serde_json::to_string_pretty(&report.json())?)
        .with_context(|| sizes_file.display().to_string())?;
    if !options.skip_opt {
        check_budget(root, &report)?;
    }
    Ok(())
}

/// The wasm features rustc enables by default for wasm32-unknown-unknown; wasm-opt must accept
/// them to validate the module.
pub const WASM_FEATURES: [&str; 6] = [
    "--enable-bulk-memory",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-mutable-globals",
    "--enable-reference-types",
    "--enable-multivalue",
];

fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())
}

pub fn run_command(command: &mut Command, what: &str) -> Result<()> {
    let status = command.status().with_context(|| format!("starting {what}"))?;
    if !status.success() {
        bail!("{what} failed ({status})");
    }
    Ok(())
}

/// The version of `package` in Cargo.lock.
fn locked_version(root: &Path, package: &str) -> Result<String> {
    let lock = std::fs::read_to_string(root.join("Cargo.lock"))?;
    let marker = format!("name = \"{package}\"\nversion = \"");
    let start = lock
        .find(&marker)
        .with_context(|| format!("{package} is not in Cargo.lock"))?
        + marker.len();
    let end = lock[start..].find('"').context("malformed Cargo.lock")? + start;
    Ok(lock[start..end].to_string())
}

/// A `wasm-bindgen` CLI of exactly the wasm-bindgen crate's locked version (the two must
/// match), installed with cargo when missing.
fn ensure_wasm_bindgen(root: &Path) -> Result<PathBuf> {
    let version = locked_version(root, "wasm-bindgen")?;
    let installed = home_cargo_bin("wasm-bindgen");
    let current = Command::new(&installed)
        .arg("--version")
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned());
    if current
        .as_deref()
        .is_some_and(|v| v.trim() == format!("wasm-bindgen {version}"))
    {
        return Ok(installed);
    }
    eprintln!("installing wasm-bindgen-cli {version} (a few minutes, once per machine)");
    // Not --locked: the CLI's own lockfile pins a webpki-roots release the registry may lack.
    run_command(
        Command::new(cargo()).args(["install", "wasm-bindgen-cli", "--version", &format!("={version}")]),
        "cargo install wasm-bindgen-cli",
    )?;
    Ok(installed)
}

pub fn home_cargo_bin(tool: &str) -> PathBuf {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cargo"));
    home.join("bin").join(tool)
}

/// `web/node_modules/.bin`, installed from web/package-lock.json when missing.
pub fn ensure_npm_tools(root: &Path) -> Result<PathBuf> {
    let web = root.join("web");
    let bin = web.join("node_modules/.bin");
    if !bin.join("wasm-opt").exists() || lockfile_changed_since_install(&web) {
        run_command(
            Command::new("npm")
                .current_dir(&web)
                .args(["ci", "--no-audit", "--no-fund"]),
            "npm ci (web/)",
        )?;
    }
    Ok(bin)
}

/// Whether `package-lock.json` changed after the last install (npm records one in
/// `node_modules/.package-lock.json`): a pull that adds a runtime or bumps a tool reinstalls.
fn lockfile_changed_since_install(web: &Path) -> bool {
    let modified = |path: PathBuf| std::fs::metadata(path).and_then(|m| m.modified()).ok();
    match (
        modified(web.join("package-lock.json")),
        modified(web.join("node_modules/.package-lock.json")),
    ) {
        (Some(lock), Some(installed)) => lock > installed,
        _ => true,
    }
}

/// The entry module (TypeScript in web/package/src, compiled by tsc beside the wasm-bindgen
/// output), package.json and README.
fn write_package_files(root: &Path, pkg: &Path) -> Result<()> {
    let tsc = ensure_npm_tools(root)?.join("tsc");
    run_command(
        Command::new(tsc).arg("-p").arg(root.join("web/package/tsconfig.json")),
        "tsc (web/package)",
    )?;
    let esbuild = ensure_npm_tools(root)?.join("esbuild");
    for file in javascript_files(pkg)? {
        let path = pkg.join(&file);
        let mut command = Command::new(&esbuild);
        // wasm-bindgen's glue has nothing to debug: its local names may be shortened too.
        if file == format!("{ARTIFACT}.js") {
            command.arg("--minify-identifiers");
        }
        run_command(
            command
                .arg(&path)
                .args([
                    "--format=esm",
                    "--minify-whitespace",
                    "--minify-syntax",
                    "--legal-comments=none",
                    "--log-level=warning",
                    "--allow-overwrite",
                ])
                .arg(format!("--outfile={}", path.display())),
            "esbuild (compacting the JavaScript)",
        )?;
    }
    std::fs::copy(root.join("web/package/README.md"), pkg.join("README.md")).context("copying the README")?;
    // wasm-bindgen's own package.json and .gitignore are replaced by ours, and its declarations
    // of the core (`Core.free()` and the rest of the wasm plumbing) are not part of the package.
    let _ = std::fs::remove_file(pkg.join(".gitignore"));
    for internal in [format!("{ARTIFACT}.d.ts"), format!("{ARTIFACT}_bg.wasm.d.ts")] {
        let _ = std::fs::remove_file(pkg.join(internal));
    }
    let manifest = package_json(root, pkg)?;
    std::fs::write(
        pkg.join("package.json"),
        serde_json::to_string_pretty(&manifest)? + "\n",
    )?;
    Ok(())
}

/// The JavaScript files of the package (the entry module's and wasm-bindgen's glue).
fn javascript_files(pkg: &Path) -> Result<Vec<String>> {
    let mut files: Vec<String> = std::fs::read_dir(pkg)?
        .filter_map(|entry| entry.ok())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".js"))
        .collect();
    files.sort();
    Ok(files)
}

fn package_json(root: &Path, pkg: &Path) -> Result<Value> {
    let version = locked_version(root, CRATE)?;
    let mut files = javascript_files(pkg)?;
    let declarations: Vec<String> = files
        .iter()
        .map(|js| js.replace(".js", ".d.ts"))
        .filter(|dts| pkg.join(dts).exists())
        .collect();
    files.extend(declarations);
    files.extend([format!("{ARTIFACT}_bg.wasm"), "README.md".into()]);
    files.sort();
    Ok(json!({
        "name": PACKAGE_NAME,
        "version": version,
        "description": "Run GPU workloads on Yotta Labs Serverless from browser dashboards and Node: typed client for API v1 and v2, exact ids, typed errors, retries, streams and waiters.",
        "license": "MIT OR Apache-2.0",
        "repository": {"type": "git", "url": "https://github.com/yottalabs/yotta-sdk"},
        "keywords": ["yotta", "serverless", "gpu", "wasm", "sdk"],
        "type": "module",
        "main": "./index.js",
        "module": "./index.js",
        "types": "./index.d.ts",
        "exports": {
            ".": {"types": "./index.d.ts", "default": "./index.js"},
            "./proxy": {"types": "./proxy.d.ts", "default": "./proxy.js"},
            "./yotta_wasm_bg.wasm": "./yotta_wasm_bg.wasm",
            "./package.json": "./package.json"
        },
        "files": files,
        "sideEffects": false,
        "engines": {"node": ">=20.16"}
    }))
}

fn npm_pack(root: &Path, pkg: &Path) -> Result<PathBuf> {
    let destination = root.join("target/npm");
    std::fs::create_dir_all(&destination)?;
    let output = Command::new("npm")
        .current_dir(pkg)
        .args(["pack", "--json", "--pack-destination"])
        .arg(&destination)
        .output()
        .context("running npm pack")?;
    if !output.status.success() {
        bail!("npm pack failed: {}", String::from_utf8_lossy(&output.stderr));
    }
    let report: Value = serde_json::from_slice(&output.stdout).context("npm pack --json output")?;
    let file = report[0]["filename"]
        .as_str()
        .context("npm pack did not name its tarball")?;
    Ok(destination.join(file))
}

/// Beside the tarball in `target/npm/`: the sizes this build measured, for `cargo xtask bench`
/// to report without measuring them another way.
pub const SIZES_FILE: &str = "sizes.json";

pub struct SizeReport {
    rows: Vec<(String, u64, u64)>,
    /// Modules no browser loads (not counted in the total).
    server_only: Vec<(String, u64, u64)>,
    wasm_before_opt: u64,
}

impl SizeReport {
    pub fn gzip_total(&self) -> u64 {
        self.rows.iter().map(|(_, _, gz)| gz).sum()
    }

    /// `{"gzipTotal", "loaded": [{"file", "raw", "gzip"}], "serverOnly": [...]}`.
    fn json(&self) -> Value {
        let rows = |rows: &[(String, u64, u64)]| -> Vec<Value> {
            rows.iter()
                .map(|(file, raw, gzip)| serde_json::json!({"file": file, "raw": raw, "gzip": gzip}))
                .collect()
        };
        serde_json::json!({
            "gzipTotal": self.gzip_total(),
            "loaded": rows(&self.rows),
            "serverOnly": rows(&self.server_only),
        })
    }

    fn table(&self, tarball: &Path) -> String {
        let mut out = String::from("\n| file | raw bytes | gzip -9 bytes |\n|---|---:|---:|\n");
        for (name, raw, gz) in &self.rows {
            out.push_str(&format!("| {name} | {raw} | {gz} |\n"));
        }
        let raw: u64 = self.rows.iter().map(|(_, r, _)| r).sum();
        out.push_str(&format!("| **total** | {raw} | **{}** |\n", self.gzip_total()));
        for (name, raw, gz) in &self.server_only {
            out.push_str(&format!(
                "| {name} (not loaded by index.js, not counted) | {raw} | {gz} |\n"
            ));
        }
        out.push_str(&format!("\nwasm before wasm-opt: {} bytes\n", self.wasm_before_opt));
        let packed = std::fs::metadata(tarball).map(|m| m.len()).unwrap_or_default();
        out.push_str(&format!("npm pack: {} ({packed} bytes)\n", tarball.display()));
        out
    }
}

pub fn gzip_len(bytes: &[u8]) -> u64 {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
    encoder.write_all(bytes).expect("writing to memory");
    encoder.finish().expect("finishing in memory").len() as u64
}

/// Sizes of what a browser loads: the wasm module and the JavaScript modules `index.js` imports,
/// directly or not. Server-only entry points (`proxy.js`) are listed apart and not counted.
fn sizes(pkg: &Path, wasm_before_opt: u64) -> Result<SizeReport> {
    let mut files = vec![format!("{ARTIFACT}_bg.wasm")];
    files.extend(loaded_modules(pkg, "index.js")?);
    let mut rows = Vec::new();
    for name in files {
        let bytes = std::fs::read(pkg.join(&name)).with_context(|| name.clone())?;
        rows.push((name, bytes.len() as u64, gzip_len(&bytes)));
    }
    let mut server_only = Vec::new();
    for name in javascript_files(pkg)? {
        if !rows.iter().any(|(loaded, _, _)| *loaded == name) {
            let bytes = std::fs::read(pkg.join(&name)).with_context(|| name.clone())?;
            server_only.push((name, bytes.len() as u64, gzip_len(&bytes)));
        }
    }
    Ok(SizeReport {
        rows,
        server_only,
        wasm_before_opt,
    })
}

/// `entry` and every module it imports (quoted `./name.js` specifiers of existing files), in the
/// order found.
pub fn loaded_modules(pkg: &Path, entry: &str) -> Result<Vec<String>> {
    let mut found = vec![entry.to_string()];
    let mut next = 0;
    while let Some(module) = found.get(next).cloned() {
        next += 1;
        let text = std::fs::read_to_string(pkg.join(&module)).with_context(|| module.clone())?;
        for (start, _) in text.match_indices("./") {
            let name: String = text[start + 2..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '.')
                .collect();
            let quoted = start > 0 && matches!(&text[start - 1..start], "\"" | "'");
            // wasm-bindgen's glue names its import object "./yotta_wasm_bg.js": no such module.
            if quoted && name.ends_with(".js") && pkg.join(&name).exists() && !found.contains(&name) {
                found.push(name);
            }
        }
    }
    Ok(found)
}

/// Fails when the gzipped package outgrows `web/size-budget.json`.
fn check_budget(root: &Path, report: &SizeReport) -> Result<()> {
    let budget: Value = serde_json::from_str(&std::fs::read_to_string(root.join("web/size-budget.json"))?)?;
    let limit = budget["maxGzipBytes"]
        .as_u64()
        .context("web/size-budget.json needs maxGzipBytes")?;
    let total = report.gzip_total();
    println!(
        "size budget: {total} of {limit} gzip bytes ({:.1}%)",
        total as f64 * 100.0 / limit as f64
    );
    if total > limit {
        bail!("the package grew past its size budget: {total} > {limit} gzip bytes (web/size-budget.json)");
    }
    Ok(())
}
