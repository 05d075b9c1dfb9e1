//! The project's build tasks (`cargo xtask <task>`), as a library so tests can run them.

pub mod codegen;
pub mod console;
pub mod fetch_docs;
pub mod files;
pub mod public_api;
pub mod spec;
pub mod test_all;
pub mod wasm;

use std::path::PathBuf;

/// The workspace root (the directory holding the top-level Cargo.toml).
pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace root")
        .to_path_buf()
}

/// `cargo xtask bench`: builds the benchmark crate and the simulator (release, in
/// `target/bench`, so the debug builds stay warm) and runs `yotta-bench run`.
pub fn bench(root: &std::path::Path, args: &[String]) -> anyhow::Result<()> {
    let target = root.join("target/bench");
    wasm::run_command(
        std::process::Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .current_dir(root)
            .env("CARGO_TARGET_DIR", &target)
            .args(["build", "--release", "--locked", "-p", "yotta-bench", "-p", "yotta-sim"]),
        "cargo build --release -p yotta-bench -p yotta-sim",
    )?;
    wasm::run_command(
        std::process::Command::new(target.join("release/yotta-bench"))
            .current_dir(root)
            .arg("run")
            .args(args),
        "yotta-bench run",
    )
}
