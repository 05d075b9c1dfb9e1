//! `cargo xtask console`: the web console on the simulator, one origin, one command.
//!
//! Builds the npm package, stages the site (`web/console` at `/`, the package at `/dist/`) in
//! `target/console-site`, and serves it with the API from a simulator process, or from the real
//! API through the simulator's key-injecting proxy (`--upstream`).

use crate::wasm;
use anyhow::{Context, Result, bail};
use clap::Parser;
use std::path::{Path, PathBuf};
use std::process::Command;

pub struct Options {
    pub addr: String,
    pub upstream: Option<String>,
    pub skip_build: bool,
    pub stage_only: bool,
    /// More simulator flags (`--init-delay 5s`, `--capacity ...`).
    pub simulator_args: Vec<String>,
}

/// Where the staged site lives.
pub fn site_dir(root: &Path) -> PathBuf {
    root.join("target/console-site")
}

pub fn run(root: &Path, options: &Options) -> Result<()> {
    if !options.skip_build || !root.join("web/dist/index.js").exists() {
        wasm::run(
            root,
            &wasm::Options {
                skip_opt: false,
                named_copy: None,
            },
        )?;
    }
    let site = stage(root)?;
    if options.stage_only {
        println!("{}", site.display());
        return Ok(());
    }
    let mut argv = vec!["--addr".to_string(), options.addr.clone(), "--static-dir".into()];
    argv.push(site.to_string_lossy().into_owned());
    match &options.upstream {
        // The real API: the simulator's proxy adds YOTTA_API_KEY from this process's environment.
        Some(upstream) => argv.extend(["--upstream".to_string(), upstream.clone()]),
        // Simulated: the simulator stands in for the proxy too, so the page holds no key.
        None => argv.extend(["--inject-key".to_string(), "console".to_string()]),
    }
    argv.extend(options.simulator_args.iter().cloned());
    eprintln!("web console: open the URL below (Ctrl-C stops it)");
    // The simulator runs as its own process (Ctrl-C reaches both through the terminal's process
    // group), so this crate needs none of the product crates.
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .current_dir(root)
        .args(["run", "--quiet", "--locked", "-p", "yotta-sim", "--"])
        .args(&argv)
        .status()
        .context("starting the simulator with cargo run")?;
    if !status.success() {
        bail!("the simulator stopped ({status})");
    }
    Ok(())
}

/// Copies the console and the package into `target/console-site`.
pub fn stage(root: &Path) -> Result<PathBuf> {
    let site = site_dir(root);
    if site.exists() {
        std::fs::remove_dir_all(&site)?;
    }
    copy_tree(&root.join("web/console"), &site)?;
    copy_tree(&root.join("web/dist"), &site.join("dist"))?;
    Ok(site)
}

fn copy_tree(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from).with_context(|| format!("reading {}", from.display()))? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_tree(&entry.path(), &target)?;
        } else if entry.path().extension().is_none_or(|e| e != "tgz") {
            std::fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}

/// Command-line form, parsed by main.rs.
#[derive(Parser, Debug)]
pub struct ConsoleArgs {
    /// Where to listen.
    #[arg(long, default_value = "127.0.0.1:8787")]
    pub addr: String,
    /// Proxy API calls to this URL (e.g. https://api.yottalabs.ai), adding YOTTA_API_KEY from
    /// this process's environment, instead of simulating the API.
    #[arg(long)]
    pub upstream: Option<String>,
    /// Reuse web/dist if it exists instead of rebuilding the package.
    #[arg(long)]
    pub skip_build: bool,
    /// Only build and stage the site (prints its directory), do not serve it.
    #[arg(long)]
    pub stage_only: bool,
    /// Further simulator flags, after `--` (e.g. `-- --init-delay 5s`).
    #[arg(last = true)]
    pub simulator_args: Vec<String>,
}
