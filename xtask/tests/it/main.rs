//! xtask's integration tests: the pipeline from vendored pages to committed artefacts.

mod codegen;
mod fetch_docs;
