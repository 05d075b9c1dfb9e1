//! Simulator set-up shared by the end-to-end tests.

use std::time::Duration;
use yotta::{ApiVersion, Client, EndpointSpec, ServiceMode};

pub const KEY: &str = "e2e-test-key";

/// A simulator with millisecond timing that accepts only [`KEY`].
pub async fn simulator() -> yotta_sim::Simulator {
    yotta_sim::SimConfig::for_tests()
        .with_api_key(KEY)
        .with_log_backlog(50)
        .spawn()
        .await
        .expect("simulator starts")
}

/// A facade client of `version` against `sim`, with quick retries.
pub fn client(sim: &yotta_sim::Simulator, version: ApiVersion) -> Client {
    Client::builder()
        .api_key(KEY)
        .base_url(sim.base_url())
        .api_version(version)
        .timeout(Duration::from_secs(5))
        .retry_policy(yotta::RetryPolicy {
            initial_backoff: Duration::from_millis(10),
            max_backoff: Duration::from_millis(50),
            ..yotta::RetryPolicy::default()
        })
        .build()
        .expect("client builds")
}

/// A QUEUE endpoint spec with one resource and one worker.
pub fn queue_spec(name: &str) -> EndpointSpec {
    EndpointSpec::new(name, "vllm/vllm-openai:latest", ServiceMode::Queue)
        .resource("us-east-1", "NVIDIA_RTX_4090_24G", 1)
        .container_volume_in_gb(40)
}

/// A QUEUE endpoint named `name`, created and waited for until RUNNING.
pub async fn running_endpoint(client: &Client, name: &str) -> yotta::EndpointId {
    let id = client.endpoints().create(&queue_spec(name)).await.unwrap().id;
    client
        .endpoints()
        .wait_for_status(&id, yotta::EndpointStatus::Running, quick_wait())
        .await
        .unwrap();
    id
}

/// Fast polling for waiters.
pub fn quick_wait() -> yotta::WaitOptions {
    yotta::WaitOptions::default()
        .timeout(Duration::from_secs(10))
        .interval(Duration::from_millis(10))
}

/// The requests the simulator received whose path starts with `prefix` and method is `method`.
pub fn received(sim: &yotta_sim::Simulator, method: &str, path_prefix: &str) -> Vec<yotta_sim::RecordedRequest> {
    sim.requests()
        .into_iter()
        .filter(|r| r.method == method && r.path.starts_with(path_prefix))
        .collect()
}

/// The request body as JSON.
pub fn body(request: &yotta_sim::RecordedRequest) -> serde_json::Value {
    serde_json::from_str(&request.body)
        .unwrap_or_else(|e| panic!("{} {} body is not JSON: {e}", request.method, request.path))
}
