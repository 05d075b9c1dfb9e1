//! Everything between the socket and the API handlers: who may call (origin, key), what is
//! recorded and redacted, rate limits, injected faults, the envelope every answer wears, the
//! `/_sim` admin routes and proxy mode.

pub mod admin;
pub mod envelope;
pub mod inject;
pub mod listener;
pub mod middleware;
pub mod origin;
pub mod proxy;
pub mod query;
pub mod ratelimit;
pub mod redact;
pub mod reqlog;
