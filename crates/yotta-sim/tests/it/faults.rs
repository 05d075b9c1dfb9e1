//! Each fault kind, route matching, rates and counts, from config and from the admin route.

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use yotta_sim::{FaultSpec, SimConfig};

use crate::support::{Harness, KEY, into_reply, start, start_with, v2_body};

async fn raw_get(h: &Harness, path: &str) -> Result<reqwest::Response, reqwest::Error> {
    h.http
        .get(format!("{}{path}", h.base))
        .header("X-API-Key", KEY)
        .send()
        .await
}

async fn add(h: &Harness, fault: Value) -> u64 {
    let (status, body) = h.admin("POST", "/faults", Some(&fault)).await;
    assert_eq!(status, 201, "{body}");
    body["id"].as_u64().unwrap()
}

#[tokio::test]
async fn latency_delays_then_answers_normally() {
    let h = start().await;
    add(
        &h,
        json!({ "kind": "latency", "delayMs": 600, "path": "/v2/serverless" }),
    )
    .await;
    let started = Instant::now();
    h.get("/v2/serverless").await.ok();
    assert!(started.elapsed() >= Duration::from_millis(600));
    let started = Instant::now();
    h.get("/openapi/v1/elastic/deploy/list").await.ok();
    assert!(
        started.elapsed() < Duration::from_millis(600),
        "other routes are not delayed"
    );
}

#[tokio::test]
async fn server_errors_come_as_html_and_counts_expire() {
    let h = start().await;
    add(
        &h,
        json!({ "spec": "error,status=502,method=GET,path=/v2/serverless,count=1" }),
    )
    .await;
    let resp = raw_get(&h, "/v2/serverless").await.unwrap();
    assert_eq!(resp.status(), 502);
    assert!(
        resp.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert!(resp.text().await.unwrap().contains("502 Bad Gateway"));
    h.get("/v2/serverless").await.ok();
    let (_, faults) = h.admin("GET", "/faults", None).await;
    assert_eq!(faults["faults"], json!([]), "an exhausted fault is removed");
}

#[tokio::test]
async fn rate_limits_carry_retry_after_and_cors_headers() {
    let h = start().await;
    add(
        &h,
        json!({ "kind": "rate-limit", "retryAfter": 7, "op": "v2_listEndpoints" }),
    )
    .await;
    let resp = h
        .http
        .get(format!("{}/v2/serverless", h.base))
        .header("X-API-Key", KEY)
        .header("Origin", "http://localhost:5173")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 429);
    assert_eq!(resp.headers()["retry-after"], "7");
    assert_eq!(resp.headers()["access-control-allow-origin"], "http://localhost:5173");
    assert!(
        resp.headers()["access-control-expose-headers"]
            .to_str()
            .unwrap()
            .to_lowercase()
            .contains("retry-after")
    );
}

#[tokio::test]
async fn dropped_connections_send_nothing_and_do_nothing() {
    let h = start_with(
        SimConfig::for_tests().with_fault("drop,op=v2_createEndpoint,count=1".parse::<FaultSpec>().unwrap()),
    )
    .await;
    let err = h
        .http
        .post(format!("{}/v2/serverless", h.base))
        .header("X-API-Key", KEY)
        .json(&v2_body("lost", "QUEUE", 1))
        .send()
        .await
        .expect_err("the connection is closed without a response");
    assert!(!err.is_timeout(), "{err}");
    assert!(
        h.get("/v2/serverless").await.ok().as_array().unwrap().is_empty(),
        "the request never reached the backend"
    );
    let (_, log) = h.admin("GET", "/requests?path=/v2/serverless", None).await;
    let first = &log["requests"][0];
    assert_eq!(
        (first["method"].as_str(), first["status"].clone()),
        (Some("POST"), Value::Null)
    );
    assert_eq!(first["faults"], json!(["drop"]));
    h.v2_create(&v2_body("second-try", "QUEUE", 1)).await;
}

#[tokio::test]
async fn truncated_and_malformed_bodies_after_the_operation_ran() {
    let h = start().await;
    add(
        &h,
        json!({ "kind": "truncate", "method": "POST", "path": "/v2/serverless", "count": 1 }),
    )
    .await;
    let resp = h
        .http
        .post(format!("{}/v2/serverless", h.base))
        .header("X-API-Key", KEY)
        .json(&v2_body("half", "QUEUE", 1))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let text = resp.text().await.unwrap();
    assert!(
        text.starts_with("{\"code\":10000") && serde_json::from_str::<Value>(&text).is_err(),
        "{text}"
    );
    assert_eq!(
        h.get("/v2/serverless").await.ok().as_array().unwrap().len(),
        1,
        "the create happened"
    );

    add(&h, json!({ "kind": "malformed", "path": "/v2/*" })).await;
    let text = raw_get(&h, "/v2/serverless").await.unwrap().text().await.unwrap();
    assert!(
        text.ends_with(",}") && serde_json::from_str::<Value>(&text).is_err(),
        "{text}"
    );
    h.get("/openapi/v1/elastic/deploy/list").await.ok();
    let (status, _) = h.admin("DELETE", "/faults", None).await;
    assert_eq!(status, 200);
    h.get("/v2/serverless").await.ok();
}

#[tokio::test]
async fn rates_are_honoured_and_faults_can_be_removed_one_by_one() {
    let h = start_with(SimConfig::for_tests().with_seed(7)).await;
    let id = add(&h, json!({ "kind": "error", "rate": 0.5 })).await;
    let mut failures = 0;
    for _ in 0..200 {
        let resp = raw_get(&h, "/v2/serverless").await.unwrap();
        if resp.status() == 503 {
            failures += 1;
        } else {
            into_reply("GET", resp).await.ok();
        }
    }
    assert!(
        (60..=140).contains(&failures),
        "about half of 200 requests fail: {failures}"
    );
    let (status, _) = h.admin("DELETE", &format!("/faults/{id}"), None).await;
    assert_eq!(status, 200);
    let (status, _) = h.admin("DELETE", &format!("/faults/{id}"), None).await;
    assert_eq!(status, 404);
    add(&h, json!({ "kind": "error", "rate": 0.0 })).await;
    for _ in 0..20 {
        h.get("/v2/serverless").await.ok();
    }
    for bad in [
        json!({ "kind": "boom" }),
        json!({ "kind": "error", "rate": 3 }),
        json!({ "spec": "drop,op=nope" }),
        json!({ "kind": "error", "status": 404 }),
    ] {
        let (status, _) = h.admin("POST", "/faults", Some(&bad)).await;
        assert_eq!(status, 400, "{bad}");
    }
}
