//! The facade's integration tests: one binary (links once), one module per concern.

mod decode_fuzz;
mod errors;
mod guide_examples;
mod hostile;
mod operations;
mod sim;
mod tracing_spans;
