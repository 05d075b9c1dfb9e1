//! The `yotta` binary's integration tests: one binary (links once), one module per concern.

mod commands;
mod credentials;
mod follow;
mod help;
mod hostile;
mod offline;
mod operator;
mod support;
mod terminal;
