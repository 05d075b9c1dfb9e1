//! The API surfaces a reviewer signs off on, one snapshot each: what the docs define, what the
//! Rust facade exports, what the npm package declares.

mod rust_api;
mod spec_surface;
mod typescript_api;
