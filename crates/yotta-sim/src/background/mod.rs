//! Work that runs beside the requests: settling endpoints on their timers, delivering task
//! webhooks and saving the state file.

pub mod driver;
pub mod persist;
pub mod webhook;
