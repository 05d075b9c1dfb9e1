//! Integration tests over real HTTP. Every JSON response is validated against the specs
//! (see `support::schema`).

mod support;

mod admin;
mod browser;
mod codes;
mod credentials;
mod faults;
mod lifecycle;
mod logs;
mod persistence;
mod security;
mod tasks;
mod v1;
mod v1_tasks;
mod v2;
mod webhooks;
