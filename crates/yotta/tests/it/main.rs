//! The facade's integration tests: one binary (links once), one module per concern.

mod hostile;
mod hostile_server;
