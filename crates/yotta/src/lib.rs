//! Rust client for Yotta Labs Serverless (Elastic Deployment): run GPU workloads from Rust
//! services and, through the `yotta-wasm` package, from browser dashboards.
//!
//! One vocabulary over both versions of the API: the same types whichever version serves a call,
//! ids as exact strings, business codes inside HTTP 200 turned into typed [`Error`]s, input
//! validated before it is sent, retries with backoff, pagination streams and waiters.
//!
//! ```no_run
//! # async fn demo() -> yotta::Result<()> {
//! use yotta::{Client, EndpointSpec, EndpointStatus, ServiceMode, TaskSpec, WaitOptions};
//!
//! let client = Client::builder().api_key("...").build()?;
//! let spec = EndpointSpec::new("llama-inference", "vllm/vllm-openai:latest", ServiceMode::Queue)
//!     .resource("us-east-1", "NVIDIA_RTX_4090_24G", 1)
//!     .workers(2)
//!     .container_volume_in_gb(120);
//! let endpoint = client.endpoints().create(&spec).await?;
//! client.endpoints().wait_for_status(&endpoint.id, EndpointStatus::Running, WaitOptions::default()).await?;
//!
//! let task = TaskSpec::new(serde_json::json!({"prompt": "Hello"}), 8000, "/v1/chat/completions");
//! let task_id = client.tasks().submit(&endpoint.id, &task).await?;
//! let done = client.tasks().wait(&endpoint.id, &task_id, WaitOptions::default()).await?;
//! println!("{:?}", done.output);
//! # Ok(()) }
//! ```
//!
//! # Routing
//!
//! | operation | v1 (`/openapi/v1/elastic/deploy`) | v2 (`/v2/serverless`) |
//! |---|---|---|
//! | `endpoints().list` | `GET /list?statusList=` | `GET ?statusList=` |
//! | `endpoints().get` | `GET /{id}` | `GET /{id}` |
//! | `endpoints().create` | `POST /create` | `POST` |
//! | `endpoints().update` | `POST /{id}/update` (STOPPED only) | `PATCH /{id}` |
//! | `endpoints().start` / `stop` | `POST /{id}/start`, `/stop` | same |
//! | `endpoints().delete` | `DELETE /{id}` | `DELETE /{id}` |
//! | `endpoints().scale` | `POST /{id}/workers` `{"workers":n}` | `PUT /{id}/workers?count=n` |
//! | `workers().list` | `GET /{id}/workers` | `GET /{id}/workers` (v2 guide) |
//! | `logs()` | `GET /{id}/workers/{workerId}/logs` | same path under v2 (v2 guide) |
//! | `tasks()` | v2, whichever version the client uses: tasks exist only in v2 | `.../{id}/tasks...` |
//!
//! Field spellings are translated per version: `environmentVars` (v1) / `envVars` (v2 requests),
//! `webhookUrl` (v1) / `webhook` (v2), `credentialId` as a string (v1) or an integer (v2, so it
//! must be numeric). Responses accept every documented form (ids and amounts as numbers or
//! strings), and unknown status values are kept, not rejected.
//!
//! # Errors and retries
//!
//! Every failure is an [`Error`] with an [`ErrorKind`]; API errors keep the business code, the
//! message and the [`Call`] (operation and version). Calls are retried (twice by default, with
//! exponential backoff and jitter, honouring `Retry-After`) after connection errors, timeouts,
//! HTTP 408/429/5xx and code 24000; calls that are not idempotent (create, start, stop) only when
//! the request certainly was not processed. Each call runs in a `tracing` span `yotta.call` with
//! its operation, version, attempt, business code and duration.

// The workspace README's Rust example compiles as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
struct WorkspaceReadme;

mod base_url;
mod client;
mod codes;
mod credentials;
pub mod decode;
mod endpoints;
mod error;
mod execute;
mod ids;
pub mod json_path;
mod logs;
mod model;
pub mod observe;
mod operation;
mod options;
mod ratelimit;
mod retry;
mod runtime;
mod tasks;
pub mod transport;
mod validate;
mod wait;
pub mod webhook;
mod wire;
mod workers;

pub use client::{API_KEY_VARIABLE, Client, ClientBuilder, DEFAULT_BASE_URL, DEFAULT_TIMEOUT};
pub use codes::kind_of as business_code_kind;
pub use credentials::Credentials;
pub use endpoints::Endpoints;
pub use error::{Cause, Error, ErrorKind, Result};
pub use ids::{CredentialId, EndpointId, TaskId, WorkerId};
pub use logs::Logs;
pub use model::*;
pub use operation::{ApiVersion, Call, Idempotency, Operation};
pub use options::RequestOptions;
pub use retry::RetryPolicy;
pub use tasks::Tasks;
pub use validate::{MAX_LOG_PAGE_SIZE, max_name_length};
pub use wait::WaitOptions;
pub use workers::Workers;
/// The GPU types the docs list (code, display name, VRAM), generated from the API guides.
pub use yotta_api::catalog::{GPU_TYPES, GpuType};
