//! `cargo xtask test`: every check CI runs, in one command, with timings.
//!
//! Installs what it needs and can (the wasm target, wasm-bindgen-cli, the npm tooling with the
//! runtimes the smoke suite runs in, Chromium and Firefox when running as root); prints each step
//! as it starts so a failure is easy to place.

use anyhow::{Context, Result, bail};
use std::path::Path;
use std::process::Command;
use std::time::Instant;

/// Set for every step: tests that read the built npm package (`web/dist`) fail without it
/// instead of skipping, as they may in a plain `cargo test` on a fresh clone.
pub const PACKAGE_BUILT: &str = "YOTTA_PACKAGE_BUILT";

/// Where the browser tests find Chromium and Firefox (Debian's packages of those names).
const CHROMIUM: &str = "/usr/bin/chromium";
const FIREFOX: &str = "/usr/bin/firefox-esr";

enum Action {
    /// A program with arguments, run from the workspace root (or `web/` for `in_web`).
    Run {
        program: &'static str,
        args: &'static [&'static str],
        in_web: bool,
    },
    /// A step of this crate.
    Call(fn(&Path) -> Result<()>),
}

struct Step {
    name: &'static str,
    action: Action,
}

const fn run(name: &'static str, program: &'static str, args: &'static [&'static str]) -> Step {
    Step {
        name,
        action: Action::Run {
            program,
            args,
            in_web: false,
        },
    }
}

const fn run_in_web(name: &'static str, program: &'static str, args: &'static [&'static str]) -> Step {
    Step {
        name,
        action: Action::Run {
            program,
            args,
            in_web: true,
        },
    }
}

const fn call(name: &'static str, f: fn(&Path) -> Result<()>) -> Step {
    Step {
        name,
        action: Action::Call(f),
    }
}

const STEPS: &[Step] = &[
    run("wasm target", "rustup", &["target", "add", "wasm32-unknown-unknown"]),
    run("format", "cargo", &["fmt", "--all", "--check"]),
    run("generated code is current", "cargo", &["xtask", "codegen", "--check"]),
    run(
        "clippy (native)",
        "cargo",
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--locked",
            "--",
            "-D",
            "warnings",
        ],
    ),
    run(
        "clippy (wasm32: generated client, facade, package)",
        "cargo",
        &[
            "clippy",
            "--locked",
            "--target",
            "wasm32-unknown-unknown",
            "-p",
            "yotta-api",
            "-p",
            "yotta",
            "-p",
            "yotta-wasm",
            "--",
            "-D",
            "warnings",
        ],
    ),
    run(
        "wasm32 build of the generated client",
        "cargo",
        &[
            "build",
            "--locked",
            "--target",
            "wasm32-unknown-unknown",
            "-p",
            "yotta-api",
        ],
    ),
    call("npm tooling", |root| crate::wasm::ensure_npm_tools(root).map(drop)),
    call("Chromium", |_| ensure_debian_package(CHROMIUM, "chromium")),
    call("Firefox", |_| ensure_debian_package(FIREFOX, "firefox-esr")),
    run(
        "npm package (wasm-bindgen, wasm-opt, size budget)",
        "cargo",
        &["xtask", "wasm"],
    ),
    run("simulator binary", "cargo", &["build", "--locked", "-p", "yotta-sim"]),
    run("Rust tests", "cargo", &["test", "--workspace", "--locked"]),
    run_in_web(
        "TypeScript declarations (tsc --strict)",
        "node_modules/.bin/tsc",
        &["-p", "tests/types/tsconfig.json"],
    ),
    run_in_web(
        "JavaScript tests (Node, Vite, browser, the runtimes smoke suite)",
        "node",
        &[
            "--test",
            "--test-concurrency=1",
            "tests/node/",
            "tests/vite/",
            "tests/browser/",
            "tests/runtimes/",
        ],
    ),
];

pub fn run_all(root: &Path) -> Result<()> {
    let started = Instant::now();
    for step in STEPS {
        let begun = Instant::now();
        match &step.action {
            Action::Run { program, args, in_web } => {
                eprintln!("==> {} ({program} {})", step.name, args.join(" "));
                let directory = if *in_web { root.join("web") } else { root.to_path_buf() };
                let status = Command::new(program)
                    .args(*args)
                    .current_dir(directory)
                    // The package is built by an earlier step: tests that read it must find it.
                    .env(PACKAGE_BUILT, "1")
                    .status()
                    .with_context(|| format!("starting {program}"))?;
                if !status.success() {
                    bail!("step '{}' failed ({status})", step.name);
                }
            }
            Action::Call(f) => {
                eprintln!("==> {}", step.name);
                f(root).with_context(|| format!("step '{}'", step.name))?;
            }
        }
        eprintln!("    ok in {:.1}s", begun.elapsed().as_secs_f64());
    }
    eprintln!("all checks passed in {:.1}s", started.elapsed().as_secs_f64());
    Ok(())
}

/// A browser from Debian (`package`, providing `path`), installed with apt when missing and this
/// runs as root (test tools cannot download browser builds here).
fn ensure_debian_package(path: &str, package: &str) -> Result<()> {
    if Path::new(path).exists() {
        return Ok(());
    }
    let root_user = Command::new("id")
        .arg("-u")
        .output()
        .map(|o| o.stdout.starts_with(b"0"))
        .unwrap_or(false);
    if !root_user {
        bail!("{path} is missing: install Debian's {package} package (apt-get install {package})");
    }
    for args in [
        &["update"][..],
        &["install", "-y", "--no-install-recommends", package][..],
    ] {
        crate::wasm::run_command(
            Command::new("apt-get")
                .args(args)
                .env("DEBIAN_FRONTEND", "noninteractive"),
            "apt-get",
        )?;
    }
    Ok(())
}
