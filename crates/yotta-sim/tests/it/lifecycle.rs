//! States, worker counts, uptime and cost over (simulated) time.

use std::time::Duration;

use serde_json::{Value, json};
use yotta_sim::SimConfig;

use crate::support::{Harness, start_with};

fn hour_long_transitions() -> SimConfig {
    let mut cfg = SimConfig::for_tests().with_price("NVIDIA_H100_80G", 0.001);
    cfg.timing.init_delay = Duration::from_secs(3600);
    cfg.timing.stop_delay = Duration::from_secs(3600);
    cfg
}

async fn workers(h: &Harness, id: u64) -> Vec<Value> {
    h.get(&format!("/v2/serverless/{id}/workers"))
        .await
        .ok()
        .as_array()
        .unwrap()
        .clone()
}

fn statuses(ws: &[Value]) -> Vec<&str> {
    ws.iter().map(|w| w["status"].as_str().unwrap()).collect()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= b.abs() * 0.02 + 1e-9
}

#[tokio::test]
async fn endpoint_and_worker_states_uptime_and_cost_follow_the_clock() {
    let h = start_with(hour_long_transitions()).await;
    let body = json!({
        "name": "h100", "image": "img", "workers": 2, "containerVolumeInGb": 20, "serviceMode": "CUSTOM",
        "resources": [{ "region": "us-east-1", "gpuType": "NVIDIA_H100_80G", "gpuCount": 2 }]
    });
    let id = h.v2_create(&body).await;
    let path = format!("/v2/serverless/{id}");
    let d = h.get(&path).await.ok().clone();
    assert_eq!(
        (
            d["status"].as_str(),
            d["totalWorkers"].as_i64(),
            d["runningWorkers"].as_i64()
        ),
        (Some("INITIALIZING"), Some(2), Some(0))
    );
    assert!(
        close(d["perSecondPrice"].as_f64().unwrap(), 0.004),
        "2 workers x 2 GPUs x $0.001"
    );
    assert!(close(d["perHourPrice"].as_f64().unwrap(), 14.4));
    assert_eq!(d["cost"], 0.0, "nothing is billed before a worker runs");
    assert_eq!(statuses(&workers(&h, id).await), ["INITIALIZE", "INITIALIZE"]);

    h.advance("1h").await;
    let d = h.get(&path).await.ok().clone();
    assert_eq!(
        (d["status"].as_str(), d["runningWorkers"].as_i64()),
        (Some("RUNNING"), Some(2))
    );
    h.advance("10s").await;
    // Real time also passes between the calls: allow a few seconds of it on a busy machine.
    let d = h.get(&path).await.ok().clone();
    let cost = d["cost"].as_f64().unwrap();
    assert!((0.04..0.052).contains(&cost), "10 s x 4 GPUs x $0.001: {cost}");
    let ws = workers(&h, id).await;
    let uptime = ws[0]["uptime"].as_u64().unwrap();
    assert!((10_000..13_000).contains(&uptime), "uptime {uptime}");
    let worker_cost = ws[0]["cost"].as_f64().unwrap();
    assert!(
        close(worker_cost, uptime as f64 / 1000.0 * 2.0 * 0.001),
        "cost follows uptime: {worker_cost}"
    );

    h.call("PUT", &format!("{path}/workers?count=1"), None).await.ok();
    assert_eq!(
        statuses(&workers(&h, id).await),
        ["RUNNING", "TERMINATING"],
        "the newest worker goes first"
    );
    h.advance("1h").await;
    assert_eq!(statuses(&workers(&h, id).await), ["RUNNING", "TERMINATED"]);
    let d = h.get(&path).await.ok().clone();
    assert_eq!(
        (d["totalWorkers"].as_i64(), d["runningWorkers"].as_i64()),
        (Some(1), Some(1))
    );

    h.post(&format!("{path}/stop"), &json!({})).await.ok();
    assert_eq!(h.v2_status(id).await, "STOPPING");
    assert_eq!(statuses(&workers(&h, id).await), ["TERMINATING", "TERMINATED"]);
    h.advance("1h").await;
    let d = h.get(&path).await.ok().clone();
    assert_eq!(
        (d["status"].as_str(), d["totalWorkers"].as_i64()),
        (Some("STOPPED"), Some(0))
    );
    let frozen = d["cost"].as_f64().unwrap();
    h.advance("1h").await;
    assert_eq!(
        h.get(&path).await.ok()["cost"].as_f64().unwrap(),
        frozen,
        "a stopped endpoint costs nothing"
    );
}

#[tokio::test]
async fn waiters_see_every_state_with_instant_timing() {
    let h = start_with(SimConfig::for_tests()).await;
    let created = h
        .post("/v2/serverless", &crate::support::v2_body("quick", "CUSTOM", 1))
        .await;
    assert_eq!(created.ok()["status"], "INITIALIZING");
    let id = created.ok()["id"].as_u64().unwrap();
    h.wait_status(id, "RUNNING").await;
    h.post(&format!("/v2/serverless/{id}/stop"), &json!({})).await.ok();
    h.wait_status(id, "STOPPED").await;
    let ws = workers(&h, id).await;
    assert_eq!(statuses(&ws), ["TERMINATED"]);
}

#[tokio::test]
async fn admin_can_fail_an_endpoint_which_can_then_be_stopped_or_started() {
    let h = start_with(hour_long_transitions()).await;
    let id = h.v2_create(&crate::support::v2_body("fragile", "CUSTOM", 2)).await;
    let (status, _) = h.admin("POST", &format!("/endpoints/{id}/fail"), None).await;
    assert_eq!(status, 200);
    assert_eq!(h.v2_status(id).await, "FAILED");
    assert_eq!(statuses(&workers(&h, id).await), ["FAILED", "FAILED"]);
    h.post(&format!("/v2/serverless/{id}/start"), &json!({})).await.ok();
    assert_eq!(h.v2_status(id).await, "INITIALIZING");
    assert_eq!(workers(&h, id).await.len(), 4, "failed workers stay listed");
    let (status, _) = h.admin("POST", "/endpoints/1/fail", None).await;
    assert_eq!(status, 404);
}
