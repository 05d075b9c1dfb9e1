//! Test harness: a simulator on 127.0.0.1:0, an HTTP client, schema validation of every JSON
//! response, and bounded waiters.

pub mod receiver;
pub mod schema;

use std::future::Future;
use std::time::Duration;

use serde_json::{Value, json};
use yotta_sim::{SimConfig, Simulator};

pub const KEY: &str = "sim-test-key";
/// No test waits longer than this for a state to appear.
pub const PATIENCE: Duration = Duration::from_secs(10);

pub struct Harness {
    pub sim: Simulator,
    pub http: reqwest::Client,
    pub base: String,
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(15))
        .build()
        .expect("client")
}

pub async fn start() -> Harness {
    start_with(SimConfig::for_tests()).await
}

/// Stopping takes an hour of simulated time, so STOPPING/TERMINATING can be observed without
/// racing the clock; tests call [`Harness::advance`] to finish it.
pub fn slow_stop() -> SimConfig {
    let mut cfg = SimConfig::for_tests();
    cfg.timing.stop_delay = Duration::from_secs(3600);
    cfg
}

pub async fn start_with(cfg: SimConfig) -> Harness {
    let sim = cfg.with_api_key(KEY).spawn().await.expect("simulator starts");
    let base = sim.base_url();
    Harness {
        sim,
        http: client(),
        base,
    }
}

#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub body: Value,
}

impl Reply {
    pub fn code(&self) -> i64 {
        self.body["code"].as_i64().unwrap_or(-1)
    }

    pub fn message(&self) -> &str {
        self.body["message"].as_str().unwrap_or("")
    }

    /// The `data` of a 10000 answer; panics with the whole reply otherwise.
    pub fn ok(&self) -> &Value {
        assert_eq!(
            (self.status, self.code()),
            (200, 10000),
            "expected success, got {:#}",
            self.body
        );
        &self.body["data"]
    }

    /// Asserts an HTTP status and business code, returning the message.
    pub fn expect(&self, status: u16, code: i64) -> &str {
        assert_eq!(
            (self.status, self.code()),
            (status, code),
            "unexpected reply {:#}",
            self.body
        );
        self.message()
    }
}

impl Harness {
    /// An API call with the test key; the JSON response is validated against the specs.
    pub async fn call(&self, method: &str, path: &str, body: Option<&Value>) -> Reply {
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
        let mut req = self
            .http
            .request(method.clone(), format!("{}{path}", self.base))
            .header("X-API-Key", KEY);
        if let Some(body) = body {
            req = req.json(body);
        }
        into_reply(method.as_str(), req.send().await.expect("request sent")).await
    }

    /// An API call with extra headers (the v1 task API's `X-Endpoint-ID`); validated like `call`.
    pub async fn call_with(&self, method: &str, path: &str, body: Option<&Value>, headers: &[(&str, &str)]) -> Reply {
        self.send_with(method, path, body, headers).await.0
    }

    /// Like [`Harness::call_with`], also returning the `Retry-After` header.
    pub async fn send_with(
        &self,
        method: &str,
        path: &str,
        body: Option<&Value>,
        headers: &[(&str, &str)],
    ) -> (Reply, Option<String>) {
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
        let mut req = self
            .http
            .request(method.clone(), format!("{}{path}", self.base))
            .header("X-API-Key", KEY);
        for (name, value) in headers {
            req = req.header(*name, *value);
        }
        if let Some(body) = body {
            req = req.json(body);
        }
        let resp = req.send().await.expect("request sent");
        let retry_after = resp
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        (into_reply(method.as_str(), resp).await, retry_after)
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.call("GET", path, None).await
    }

    pub async fn post(&self, path: &str, body: &Value) -> Reply {
        self.call("POST", path, Some(body)).await
    }

    /// An admin route (`/_sim/...`): no key, no schema.
    pub async fn admin(&self, method: &str, path: &str, body: Option<&Value>) -> (u16, Value) {
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
        let mut req = self.http.request(method, format!("{}/_sim{path}", self.base));
        if let Some(body) = body {
            req = req.json(body);
        }
        let resp = req.send().await.expect("admin request");
        let status = resp.status().as_u16();
        (status, resp.json().await.unwrap_or(Value::Null))
    }

    pub async fn v1_create(&self, body: &Value) -> String {
        let reply = self.post("/openapi/v1/elastic/deploy/create", body).await;
        reply.ok()["id"].as_str().expect("v1 id is a string").to_owned()
    }

    pub async fn v2_create(&self, body: &Value) -> u64 {
        let reply = self.post("/v2/serverless", body).await;
        reply.ok()["id"].as_u64().expect("v2 id is a number")
    }

    pub async fn v2_status(&self, id: u64) -> String {
        self.get(&format!("/v2/serverless/{id}")).await.ok()["status"]
            .as_str()
            .unwrap_or("")
            .to_owned()
    }

    pub async fn wait_status(&self, id: u64, status: &str) {
        eventually(&format!("endpoint {id} {status}"), || async {
            self.v2_status(id).await == status
        })
        .await;
    }

    /// A running QUEUE endpoint with `workers` workers.
    pub async fn queue_endpoint(&self, workers: u32) -> u64 {
        let id = self.v2_create(&v2_body("queue", "QUEUE", workers)).await;
        self.wait_status(id, "RUNNING").await;
        id
    }

    /// Moves the simulated clock forward (e.g. `"1h"`).
    pub async fn advance(&self, by: &str) {
        let (status, _) = self.admin("POST", "/clock/advance", Some(&json!({ "by": by }))).await;
        assert_eq!(status, 200);
    }

    /// A new v2 registry credential's id (endpoints may only reference existing ones).
    pub async fn credential(&self, name: &str) -> u64 {
        let body = json!({ "name": name, "type": "DOCKER_HUB", "username": "robot", "password": "s3cret-pw" });
        self.post("/v2/container-registry-auths", &body).await.ok()["id"]
            .as_u64()
            .expect("v2 credential id is a number")
    }

    pub async fn task(&self, id: u64, task_id: &str) -> Value {
        self.get(&format!("/v2/serverless/{id}/tasks/{task_id}"))
            .await
            .ok()
            .clone()
    }
}

/// Reads a JSON API response and validates it against the specs (`method` + the response URL's
/// path name the operation).
pub async fn into_reply(method: &str, resp: reqwest::Response) -> Reply {
    let status = resp.status().as_u16();
    let path = resp.url().path().to_owned();
    let text = resp.text().await.expect("body");
    let body = serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"));
    schema::validate(method, &path, &body);
    Reply { status, body }
}

/// Polls `check` every few milliseconds until it holds, failing after [`PATIENCE`].
pub async fn eventually<F, Fut>(what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    let deadline = tokio::time::Instant::now() + PATIENCE;
    while !check().await {
        assert!(tokio::time::Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

pub fn resource(gpu_count: u32) -> Value {
    json!({ "region": "us-east-1", "gpuType": "NVIDIA_RTX_4090_24G", "gpuCount": gpu_count })
}

/// A valid v1 create body (ALB with an exposed port).
pub fn v1_body(name: &str, workers: u32) -> Value {
    json!({
        "name": name,
        "image": "vllm/vllm-openai:latest",
        "resources": [resource(1)],
        "workers": workers,
        "containerVolumeInGb": 40,
        "initializationCommand": "python serve.py",
        "environmentVars": [{ "key": "MODEL", "value": "llama-3-8b" }],
        "expose": { "port": 8000, "protocol": "HTTP" },
        "serviceMode": "ALB",
        "webhookUrl": "https://hooks.example.com/v1"
    })
}

/// A valid v2 create body.
pub fn v2_body(name: &str, mode: &str, workers: u32) -> Value {
    json!({
        "name": name,
        "image": "vllm/vllm-openai:latest",
        "resources": [resource(1)],
        "workers": workers,
        "containerVolumeInGb": 120,
        "envVars": [{ "key": "MODEL", "value": "llama-3-8b" }],
        "expose": { "port": 8000, "protocol": "http" },
        "serviceMode": mode
    })
}

pub fn task_body(task_id: &str) -> Value {
    json!({ "taskId": task_id, "input": { "prompt": "Hello" }, "workerPort": 8000, "processUri": "/v1/chat/completions" })
}
