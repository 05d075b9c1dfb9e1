//! Test-only helpers shared by the workspace-level tests in `tests/tests/`.

pub mod raw_http;
pub mod sim;
