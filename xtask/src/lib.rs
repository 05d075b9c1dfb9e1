//! The project's build tasks (`cargo xtask <task>`), as a library so tests can run them.

pub mod bench;
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
