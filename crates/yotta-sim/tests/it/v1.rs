//! Every v1 operation, its wire form, and visibility across versions.

use serde_json::json;

use crate::support::{Harness, eventually, slow_stop, start, start_with, v1_body, v2_body};

async fn v1_status(h: &Harness, id: &str) -> String {
    h.get(&format!("/openapi/v1/elastic/deploy/{id}")).await.ok()["status"]
        .as_str()
        .unwrap_or("")
        .to_owned()
}

async fn wait_v1(h: &Harness, id: &str, status: &str) {
    eventually(&format!("{id} {status}"), || async { v1_status(h, id).await == status }).await;
}

#[tokio::test]
async fn v1_create_reports_the_v1_wire_form() {
    let h = start().await;
    let credential = h.credential("registry").await;
    let mut body = v1_body("Llama-3.2-3B", 2);
    body["credentialId"] = json!(credential.to_string());
    let reply = h.post("/openapi/v1/elastic/deploy/create", &body).await;
    let d = reply.ok();
    let id: u64 = d["id"].as_str().expect("string id").parse().unwrap();
    assert!(id > 1 << 53, "ids are above 2^53 like the docs' 378888638324150969");
    assert_eq!(d["status"], "INITIALIZING");
    assert_eq!(
        d["credentialId"], credential,
        "v1 takes credentialId as a string and returns an integer"
    );
    assert_eq!(d["environmentVars"], json!([{ "key": "MODEL", "value": "llama-3-8b" }]));
    assert_eq!(d["webhookUrl"], "https://hooks.example.com/v1");
    assert!(d.get("webhook").is_none());
    assert_eq!(d["domain"], format!("ep-{id}.serverless.sim.local"));
    assert_eq!(d["totalWorkers"], 2);
    assert_eq!(
        d["resources"][0]["gpuDisplayName"], "RTX 4090",
        "the docs' display name"
    );
    assert_eq!(d["resources"][0]["regionDisplayName"], "US East 1");
}

#[tokio::test]
async fn v1_full_lifecycle_with_state_rules() {
    let h = start_with(slow_stop()).await;
    let id = h.v1_create(&v1_body("svc", 1)).await;
    let base = format!("/openapi/v1/elastic/deploy/{id}");
    wait_v1(&h, &id, "RUNNING").await;

    // The v1 guide: update and delete only when STOPPED; start only when not running.
    h.post(&format!("{base}/update"), &v1_body("renamed", 1))
        .await
        .expect(200, 24002);
    h.call("DELETE", &base, None).await.expect(200, 24002);
    h.post(&format!("{base}/start"), &json!({})).await.expect(200, 24002);

    h.post(&format!("{base}/workers"), &json!({ "workers": 3 })).await.ok();
    let workers = h.get(&format!("{base}/workers")).await.ok().as_array().unwrap().len();
    assert_eq!(workers, 3);

    h.post(&format!("{base}/stop"), &json!({})).await.ok();
    assert_eq!(v1_status(&h, &id).await, "STOPPING");
    h.post(&format!("{base}/stop"), &json!({})).await.expect(200, 24002);
    h.post(&format!("{base}/start"), &json!({})).await.expect(200, 24002);
    h.advance("1h").await;
    assert_eq!(v1_status(&h, &id).await, "STOPPED");

    let mut body = v1_body("renamed", 2);
    body["environmentVars"] = json!([{ "key": "A", "value": "1" }]);
    let d = h.post(&format!("{base}/update"), &body).await.ok().clone();
    assert_eq!(
        (d["name"].as_str(), d["totalWorkers"].as_i64()),
        (Some("renamed"), Some(0))
    );
    assert_eq!(d["environmentVars"], json!([{ "key": "A", "value": "1" }]));
    assert_eq!(d["status"], "STOPPED");

    h.post(&format!("{base}/start"), &json!({})).await.ok();
    wait_v1(&h, &id, "RUNNING").await;
    let running = h
        .get(&format!("{base}/workers?statusList=RUNNING"))
        .await
        .ok()
        .as_array()
        .unwrap()
        .len();
    assert_eq!(running, 2, "start launches the updated worker count");
    h.post(&format!("{base}/stop"), &json!({})).await.ok();
    h.advance("1h").await;
    h.call("DELETE", &base, None).await.ok();
    h.get(&base).await.expect(200, 24001);
    h.call("DELETE", &base, None).await.expect(200, 24001);
}

#[tokio::test]
async fn v1_list_accepts_repeated_and_comma_separated_status_lists() {
    let h = start_with(slow_stop()).await;
    let a = h.v1_create(&v1_body("a", 1)).await;
    let b = h.v1_create(&v1_body("b", 1)).await;
    wait_v1(&h, &a, "RUNNING").await;
    wait_v1(&h, &b, "RUNNING").await;
    h.post(&format!("/openapi/v1/elastic/deploy/{b}/stop"), &json!({}))
        .await
        .ok();
    h.advance("1h").await;
    let ids = |path: String| {
        let h = &h;
        async move {
            let reply = h.get(&path).await;
            reply
                .ok()
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["id"].as_str().unwrap().to_owned())
                .collect::<Vec<_>>()
        }
    };
    let base = "/openapi/v1/elastic/deploy/list";
    assert_eq!(ids(base.to_owned()).await, [b.clone(), a.clone()], "newest first");
    assert_eq!(
        ids(format!("{base}?statusList=RUNNING")).await,
        std::slice::from_ref(&a)
    );
    assert_eq!(
        ids(format!("{base}?statusList=RUNNING&statusList=STOPPED")).await.len(),
        2
    );
    assert_eq!(ids(format!("{base}?statusList=RUNNING,STOPPED")).await.len(), 2);
    assert!(ids(format!("{base}?statusList=FAILED")).await.is_empty());
}

#[tokio::test]
async fn v1_workers_filter_and_uptime() {
    // Workers stay INITIALIZE until the clock is advanced: no race with a slow machine.
    let mut cfg = yotta_sim::SimConfig::for_tests();
    cfg.timing.init_delay = std::time::Duration::from_secs(3600);
    let h = start_with(cfg).await;
    let id = h.v1_create(&v1_body("w", 2)).await;
    let base = format!("/openapi/v1/elastic/deploy/{id}/workers");
    let initial = h.get(&format!("{base}?statusList=INITIALIZE")).await;
    assert_eq!(initial.ok().as_array().unwrap().len(), 2);
    // The v1 guide's example spells the filter INITIALIZING: accepted as INITIALIZE.
    let alias = h
        .get(&format!("{base}?statusList=INITIALIZING&statusList=RUNNING"))
        .await;
    assert_eq!(alias.ok().as_array().unwrap().len(), 2);
    h.advance("1h").await;
    assert_eq!(v1_status(&h, &id).await, "RUNNING");
    let reply = h.get(&base).await;
    let w = &reply.ok()[0];
    assert!(
        w["id"].as_str().unwrap().parse::<i64>().is_ok(),
        "worker ids are numeric strings"
    );
    assert_eq!(w["status"], "RUNNING");
    assert!(w["uptime"].as_u64().is_some() && w["cost"].as_f64().is_some());
}

#[tokio::test]
async fn one_state_behind_both_versions() {
    let h = start_with(slow_stop()).await;
    let credential = h.credential("shared").await;
    let v1_id = h.v1_create(&v1_body("from-v1", 1)).await;
    let mut body = v2_body("from-v2", "QUEUE", 1);
    body["credentialId"] = json!(credential);
    let v2_id = h.v2_create(&body).await;
    let via_v2 = h.get(&format!("/v2/serverless/{v1_id}")).await;
    assert_eq!(
        via_v2.ok()["id"].as_u64().map(|n| n.to_string()),
        Some(v1_id.clone()),
        "same id, as a number"
    );
    assert_eq!(via_v2.ok()["environmentVars"][0]["key"], "MODEL");
    assert_eq!(via_v2.ok()["webhook"], "https://hooks.example.com/v1");
    let via_v1 = h.get(&format!("/openapi/v1/elastic/deploy/{v2_id}")).await;
    assert_eq!(via_v1.ok()["id"], v2_id.to_string());
    assert_eq!(via_v1.ok()["credentialId"], credential);
    let v2_list = h.get("/v2/serverless").await;
    assert_eq!(v2_list.ok().as_array().unwrap().len(), 2);
    // A v1 stop is seen by v2.
    h.post(&format!("/openapi/v1/elastic/deploy/{v2_id}/stop"), &json!({}))
        .await
        .ok();
    assert_eq!(h.v2_status(v2_id).await, "STOPPING");
}
