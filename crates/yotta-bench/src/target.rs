//! The native clients under test, on the same simulator routes: the facade (`yotta::Client`)
//! and two floors, raw reqwest + serde_json into a `serde_json::Value` (what a developer without
//! types writes) or into the generated wire types of `yotta-api` (the tightest floor: the same
//! decoding work the facade must do, none of its logic).

use anyhow::{Context, Result, ensure};
use serde_json::Value;
use std::time::Duration;
use yotta::TaskListQuery;
use yotta_api::types;

/// The key sent to the simulator (which accepts any non-empty key).
pub const KEY: &str = "bench";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Client {
    Facade,
    Raw,
    RawTyped,
}

impl Client {
    pub const ALL: [Client; 3] = [Client::Facade, Client::Raw, Client::RawTyped];

    pub fn name(self) -> &'static str {
        match self {
            Client::Facade => "facade",
            Client::Raw => "raw",
            Client::RawTyped => "raw_typed",
        }
    }
}

#[derive(Clone, Copy, Debug)]
pub enum Op {
    GetEndpoint,
    ListTasks,
}

impl Op {
    pub const ALL: [Op; 2] = [Op::GetEndpoint, Op::ListTasks];

    pub fn name(self) -> &'static str {
        match self {
            Op::GetEndpoint => "getEndpoint",
            Op::ListTasks => "listTasks",
        }
    }
}

/// One endpoint of the simulator, reachable through either client.
pub struct Target {
    base: String,
    endpoint: String,
    facade: yotta::Client,
    http: reqwest::Client,
    get_url: String,
    list_url: String,
    query: TaskListQuery,
}

/// The facade's client for `base` (a loopback simulator).
pub fn facade(base: &str) -> Result<yotta::Client> {
    yotta::Client::builder()
        .api_key(KEY)
        .base_url(base)
        .build()
        .context("building the facade client")
}

/// A reqwest client configured as the facade configures its own.
pub fn raw_http() -> Result<reqwest::Client> {
    Ok(reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(10))
        .user_agent("yotta-bench-raw")
        .build()?)
}

impl Target {
    pub fn new(base: &str, endpoint: &str) -> Result<Self> {
        let base = base.trim_end_matches('/');
        Ok(Self {
            base: base.to_string(),
            endpoint: endpoint.to_string(),
            facade: facade(base)?,
            http: raw_http()?,
            get_url: format!("{base}/v2/serverless/{endpoint}"),
            list_url: format!("{base}/v2/serverless/{endpoint}/tasks?pageNumber=1&pageSize=10"),
            query: TaskListQuery {
                status: None,
                page_number: Some(1),
                page_size: Some(10),
            },
        })
    }

    /// One call; an error, a non-2xx answer or a business code other than 10000 fails it.
    pub async fn call(&self, client: Client, op: Op) -> Result<()> {
        match client {
            Client::Facade => self.facade_call(&self.facade, op).await,
            Client::Raw => {
                let body: Value = serde_json::from_slice(&self.raw(self.url(op)).await?)?;
                ensure!(
                    body["code"] == 10000 && body["data"].is_object(),
                    "unexpected answer: {body}"
                );
                Ok(())
            }
            Client::RawTyped => typed_decode(op, &self.raw(self.url(op)).await?),
        }
    }

    /// `op` through `facade` (this target's client, or one over another transport).
    pub async fn facade_call(&self, facade: &yotta::Client, op: Op) -> Result<()> {
        match op {
            Op::GetEndpoint => {
                let endpoint = facade.endpoints().get(self.endpoint.as_str()).await?;
                ensure!(
                    endpoint.id.as_str() == self.endpoint,
                    "the facade returned another endpoint"
                );
            }
            Op::ListTasks => {
                let page = facade.tasks().page(self.endpoint.as_str(), &self.query).await?;
                ensure!(!page.items.is_empty(), "the facade listed no tasks");
            }
        }
        Ok(())
    }

    /// The body the simulator answers `op` with.
    pub async fn answer(&self, op: Op) -> Result<bytes::Bytes> {
        self.raw(self.url(op)).await
    }

    /// The simulator's base URL.
    pub fn base(&self) -> &str {
        &self.base
    }

    fn url(&self, op: Op) -> &str {
        match op {
            Op::GetEndpoint => &self.get_url,
            Op::ListTasks => &self.list_url,
        }
    }

    /// The body of a successful GET.
    async fn raw(&self, url: &str) -> Result<bytes::Bytes> {
        let response = self.http.get(url).header("X-API-Key", KEY).send().await?;
        Ok(response.error_for_status()?.bytes().await?)
    }
}

/// The typed floor's decoding: `body` into the generated types, checking the business code.
pub fn typed_decode(op: Op, body: &[u8]) -> Result<()> {
    match op {
        Op::GetEndpoint => {
            let body: types::ResultElasticV2Response = serde_json::from_slice(body)?;
            ensure!(
                body.code == Some(10000) && body.data.is_some(),
                "unexpected answer: {body:?}"
            );
        }
        Op::ListTasks => {
            let body: types::ResultV2PageResponseElasticV2TaskResponse = serde_json::from_slice(body)?;
            ensure!(
                body.code == Some(10000) && body.data.is_some(),
                "unexpected answer: {body:?}"
            );
        }
    }
    Ok(())
}
