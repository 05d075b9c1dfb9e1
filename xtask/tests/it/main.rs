//! xtask's integration tests: the pipeline from vendored pages to committed artefacts, and the
//! README's account of the tree.

mod codegen;
mod fetch_docs;
mod readme;
