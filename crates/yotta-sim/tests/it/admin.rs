//! Admin routes: raw state with exact ids, the request log, reset, clock, save.

use serde_json::json;

use crate::support::{start, v1_body, v2_body};

#[tokio::test]
async fn state_shows_exact_ids_above_2_pow_53() {
    let h = start().await;
    let credential = h.credential("registry").await;
    let mut body = v1_body("exact", 1);
    body["credentialId"] = json!(credential.to_string());
    let id = h.v1_create(&body).await;
    let (status, state) = h.admin("GET", "/state", None).await;
    assert_eq!(status, 200);
    let ep = &state["endpoints"][0];
    assert_eq!(ep["id"], id.as_str(), "ids as strings: exact even for JavaScript");
    assert!(id.parse::<u64>().unwrap() > 1 << 53);
    assert_eq!(ep["spec"]["credentialId"], credential);
    let listed = &state["credentials"][0];
    assert_eq!(listed["id"], credential.to_string(), "exact, as a string");
    assert_eq!(listed["usedBy"], json!([id]));
    assert_eq!(listed["secret"], "***", "the secret is never shown");
    assert_eq!(ep["workers"].as_array().unwrap().len(), 1);
    assert!(ep["workers"][0]["id"].is_string());
    assert_eq!(ep["tasks"]["total"], 0);
}

#[tokio::test]
async fn the_request_log_shows_the_wire_form_with_the_key_redacted() {
    let h = start().await;
    h.get("/openapi/v1/elastic/deploy/list?statusList=RUNNING&statusList=STOPPED")
        .await
        .ok();
    let mut body = v2_body("logged", "QUEUE", 1);
    body["credentialId"] = json!(123);
    h.post("/v2/serverless", &body).await.expect(200, 10001);
    let (_, log) = h.admin("GET", "/requests", None).await;
    let reqs = log["requests"].as_array().unwrap();
    assert_eq!(reqs.len(), 2);
    assert_eq!(reqs[0]["query"], "statusList=RUNNING&statusList=STOPPED");
    assert_eq!(reqs[0]["headers"]["x-api-key"], "***");
    assert_eq!(
        (
            reqs[1]["method"].as_str(),
            reqs[1]["path"].as_str(),
            reqs[1]["status"].as_u64()
        ),
        (Some("POST"), Some("/v2/serverless"), Some(200))
    );
    let body: serde_json::Value = serde_json::from_str(reqs[1]["body"].as_str().unwrap()).unwrap();
    assert_eq!(body["credentialId"], 123);
    let (_, since) = h
        .admin("GET", &format!("/requests?since={}", reqs[0]["seq"]), None)
        .await;
    assert_eq!(since["requests"].as_array().unwrap().len(), 1);
    let (_, limited) = h.admin("GET", "/requests?limit=1&path=/openapi", None).await;
    assert_eq!(limited["requests"][0]["path"], "/openapi/v1/elastic/deploy/list");
    assert_eq!(h.sim.requests().len(), 2, "also available in-process");
    h.admin("DELETE", "/requests", None).await;
    let (_, empty) = h.admin("GET", "/requests", None).await;
    assert_eq!(empty["requests"], json!([]));
    let (status, _) = h.admin("GET", "/requests?limit=lots", None).await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn reset_clock_and_save() {
    let h = start().await;
    h.v2_create(&v2_body("gone", "QUEUE", 1)).await;
    let (_, before) = h.admin("GET", "/clock", None).await;
    let (status, after) = h.admin("POST", "/clock/advance", Some(&json!({ "ms": 90_000 }))).await;
    assert_eq!(status, 200);
    assert!(after["nowMs"].as_u64().unwrap() >= before["nowMs"].as_u64().unwrap() + 90_000);
    assert_eq!(after["offsetMs"], 90_000);
    for bad in [json!({}), json!({ "by": "soon" }), json!("x")] {
        assert_eq!(h.admin("POST", "/clock/advance", Some(&bad)).await.0, 400);
    }
    let (status, _) = h.admin("POST", "/reset", None).await;
    assert_eq!(status, 200);
    assert!(h.get("/v2/serverless").await.ok().as_array().unwrap().is_empty());
    assert_eq!(h.admin("GET", "/clock", None).await.1["offsetMs"], 0);
    assert_eq!(h.admin("POST", "/save", None).await.0, 409, "no --state file");
    assert_eq!(h.admin("GET", "/health", None).await.1["ok"], true);
}

#[tokio::test]
async fn in_process_handle_controls() {
    let h = start().await;
    h.sim.add_fault("error,status=500,count=1".parse().unwrap());
    assert_eq!(
        h.http
            .get(format!("{}/v2/serverless", h.base))
            .send()
            .await
            .unwrap()
            .status(),
        500
    );
    h.sim.clear_faults();
    h.v2_create(&v2_body("x", "QUEUE", 1)).await;
    h.sim.advance_clock(std::time::Duration::from_secs(60));
    assert!(h.admin("GET", "/clock", None).await.1["offsetMs"].as_i64().unwrap() >= 60_000);
    h.sim.reset();
    assert!(h.get("/v2/serverless").await.ok().as_array().unwrap().is_empty());
    let addr = h.sim.addr();
    assert_eq!(h.base, format!("http://{addr}"));
    h.sim.shutdown().await.unwrap();
    assert!(
        crate::support::client()
            .get(format!("http://{addr}/_sim/health"))
            .send()
            .await
            .is_err()
    );
}
