//! What the measurements need built: the release simulator and bench clients (in their own
//! target directory), the npm package, the two browser app bundles, and a wasm module that
//! kept its name section for twiggy.

use super::Ctx;
use super::process::run_command;
use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};
use std::process::Command;

fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())
}

/// `yotta-sim` and `yotta-bench`, release profile, in `target/bench`.
pub fn binaries(ctx: &Ctx) -> Result<()> {
    run_command(
        Command::new(cargo())
            .current_dir(&ctx.root)
            .env("CARGO_TARGET_DIR", &ctx.cargo_target)
            .args(["build", "--release", "--locked", "-p", "yotta-sim", "-p", "yotta-bench"]),
        "cargo build --release -p yotta-sim -p yotta-bench",
    )
}

/// The npm package in `web/dist` (`cargo xtask wasm`, which also writes the module with its
/// names kept for twiggy): rebuilt for a full run, reused by `--quick` when present.
pub fn package(ctx: &Ctx) -> Result<()> {
    if !ctx.quick || !ctx.root.join("web/dist/index.js").exists() || !named_path(ctx).exists() {
        run_command(
            Command::new(cargo())
                .current_dir(&ctx.root)
                .args(["xtask", "wasm", "--named-copy"])
                .arg(named_path(ctx)),
            "cargo xtask wasm",
        )?;
    }
    Ok(())
}

fn named_path(ctx: &Ctx) -> PathBuf {
    ctx.out.join("yotta_wasm_named.wasm")
}

/// `web/node_modules/.bin` (installed by `cargo xtask wasm`).
fn npm_bin(ctx: &Ctx) -> Result<PathBuf> {
    let bin = ctx.root.join("web/node_modules/.bin");
    if !bin.exists() {
        bail!(
            "{} is missing: run `cargo xtask wasm` (it installs the npm tooling)",
            bin.display()
        );
    }
    Ok(bin)
}

/// The staged bench site: the page, both app bundles and the wasm module next to ours.
pub struct Bundles {
    pub site: PathBuf,
    /// Our app (the package's JS, minified) and the wasm module it loads.
    pub ours_js: PathBuf,
    pub ours_wasm: PathBuf,
    /// The peer app: openapi-fetch and the two calls, minified.
    pub peer_js: PathBuf,
}

/// Generates the peer's types from `openapi/yotta.json`, type-checks the peer app, and bundles
/// both apps with esbuild (`--bundle --minify`, ES modules) into the bench site.
pub fn bundles(ctx: &Ctx) -> Result<Bundles> {
    let root = &ctx.root;
    let bin = npm_bin(ctx)?;
    let apps = root.join("web/bench/apps");
    quiet(
        Command::new(bin.join("openapi-typescript"))
            .arg(root.join("openapi/yotta.json"))
            .arg("-o")
            .arg(apps.join("generated/yotta-api.d.ts")),
        "openapi-typescript openapi/yotta.json",
    )?;
    quiet(
        Command::new(bin.join("tsc")).arg("-p").arg(apps.join("tsconfig.json")),
        "tsc -p web/bench/apps (the peer app type-checks against the generated types)",
    )?;
    let site = ctx.out.join("site");
    if site.exists() {
        std::fs::remove_dir_all(&site)?;
    }
    std::fs::create_dir_all(&site)?;
    for entry in std::fs::read_dir(root.join("web/bench/page"))? {
        let entry = entry?;
        std::fs::copy(entry.path(), site.join(entry.file_name()))?;
    }
    let bundles = Bundles {
        ours_js: site.join("ours.js"),
        ours_wasm: site.join("yotta_wasm_bg.wasm"),
        peer_js: site.join("peer.js"),
        site,
    };
    esbuild(&bin, &apps.join("peer.ts"), &bundles.peer_js)?;
    esbuild(&bin, &apps.join("ours.js"), &bundles.ours_js)?;
    std::fs::copy(root.join("web/dist/yotta_wasm_bg.wasm"), &bundles.ours_wasm)
        .context("copying web/dist/yotta_wasm_bg.wasm")?;
    Ok(bundles)
}

fn esbuild(bin: &Path, entry: &Path, out: &Path) -> Result<()> {
    quiet(
        Command::new(bin.join("esbuild"))
            .arg(entry)
            .args([
                "--bundle",
                "--minify",
                "--format=esm",
                "--target=es2022",
                "--log-level=error",
            ])
            .arg(format!("--outfile={}", out.display())),
        &format!("esbuild {}", entry.display()),
    )
}

/// Runs a tool, showing its output only when it fails.
fn quiet(command: &mut Command, what: &str) -> Result<()> {
    let output = command.output().with_context(|| format!("starting {what}"))?;
    if !output.status.success() {
        bail!(
            "{what} failed ({}):\n{}{}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    Ok(())
}

/// The package's wasm module as `cargo xtask wasm` ships it, but with its name section, so
/// twiggy can name every function.
pub fn named_wasm(ctx: &Ctx) -> Result<PathBuf> {
    let named = named_path(ctx);
    if !named.exists() {
        bail!(
            "{} is missing: run `cargo xtask wasm --named-copy {0}`",
            named.display()
        );
    }
    Ok(named)
}

/// twiggy, installed with cargo when missing.
pub fn twiggy() -> Result<PathBuf> {
    let path = home_cargo_bin("twiggy");
    if !path.exists() {
        eprintln!("bench: installing twiggy (once per machine)");
        run_command(
            Command::new(cargo()).args(["install", "twiggy"]),
            "cargo install twiggy",
        )?;
    }
    Ok(path)
}

/// A tool `cargo install` put in `$CARGO_HOME/bin`.
fn home_cargo_bin(tool: &str) -> PathBuf {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cargo"));
    home.join("bin").join(tool)
}
