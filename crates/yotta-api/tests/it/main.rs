//! The generated client's integration tests: what it puts on the wire and how it decodes.

mod generated_client;
