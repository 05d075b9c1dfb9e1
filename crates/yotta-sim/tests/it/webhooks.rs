//! Webhook delivery to a local receiver: the notification body, auth, retries and outcomes.

use serde_json::{Value, json};

use crate::support::receiver::Receiver;
use crate::support::{Harness, eventually, start};

async fn submit(h: &Harness, id: u64, task_id: &str, webhook: Option<&str>, input: Value) {
    let mut body = json!({ "taskId": task_id, "input": input, "workerPort": 8000, "processUri": "/run", "webhookAuthKey": "s3cret" });
    if let Some(url) = webhook {
        body["webhook"] = json!(url);
    }
    h.post(&format!("/v2/serverless/{id}/tasks"), &body).await.ok();
}

async fn wait_delivery(h: &Harness, id: u64, task_id: &str, status: &str) -> Value {
    eventually(&format!("delivery {status}"), || async {
        h.task(id, task_id).await["deliveryStatus"] == status
    })
    .await;
    h.task(id, task_id).await
}

#[tokio::test]
async fn a_successful_task_is_posted_to_its_webhook_and_becomes_delivered() {
    let h = start().await;
    let rx = Receiver::default();
    let url = format!("http://{}/hooks/yotta?x=1", rx.serve().await);
    let id = h.queue_endpoint(1).await;
    submit(&h, id, "job_1", Some(&url), json!({ "prompt": "hi" })).await;
    let t = wait_delivery(&h, id, "job_1", "SUCCESS").await;
    assert_eq!(
        (t["status"].as_str(), t["deliveryAttempts"].as_i64()),
        (Some("DELIVERED"), Some(1))
    );
    assert!(t["deliveredAt"].as_u64().is_some());
    assert_eq!(t["webhook"], url.as_str());

    let got = rx.received();
    assert_eq!(got.len(), 1);
    let r = &got[0];
    assert_eq!(
        (r.method.as_str(), r.path_and_query.as_str()),
        ("POST", "/hooks/yotta?x=1")
    );
    assert_eq!(r.header("authorization"), Some("Bearer s3cret"));
    assert_eq!(r.header("content-type"), Some("application/json"));
    let b = &r.body;
    assert!(b["task_id"].as_u64().is_some(), "task_id is an integer: {b}");
    assert_eq!(b["user_task_id"], "job_1");
    assert_eq!(b["endpoint_id"], id.to_string(), "endpoint_id is a string");
    assert_eq!(
        (b["status"].as_str(), b["success"].as_bool(), b["retry_count"].as_i64()),
        (Some("Success"), Some(true), Some(1))
    );
    assert!(b["timestamp"].as_str().is_some_and(|t| t.ends_with('Z')));
    assert_eq!(b["result"]["echo"], json!({ "prompt": "hi" }));
    assert!(b.get("failed_reason").is_none());
}

#[tokio::test]
async fn failed_tasks_notify_with_the_reason_via_the_endpoint_webhook() {
    let h = start().await;
    let rx = Receiver::default();
    let url = format!("http://{}/endpoint-hook", rx.serve().await);
    let mut body = crate::support::v2_body("hooked", "QUEUE", 1);
    body["webhook"] = json!(url);
    let id = h.v2_create(&body).await;
    h.wait_status(id, "RUNNING").await;
    submit(&h, id, "doomed", None, json!({ "simulateFailure": "bad input" })).await;
    let t = wait_delivery(&h, id, "doomed", "SUCCESS").await;
    assert_eq!(
        t["status"], "FAILED",
        "a failed task stays FAILED once its failure is delivered"
    );
    assert_eq!(
        t["webhook"],
        url.as_str(),
        "without its own webhook a task uses the endpoint's"
    );
    let b = &rx.received()[0].body;
    assert_eq!(
        (b["status"].as_str(), b["success"].as_bool()),
        (Some("Failed"), Some(false))
    );
    assert_eq!(b["failed_reason"], "bad input");
    assert!(b.get("result").is_none());
}

#[tokio::test]
async fn retryable_answers_are_retried_with_backoff_until_success() {
    let h = start().await;
    let rx = Receiver::default();
    rx.script(&[500, 503]);
    let url = format!("http://{}/flaky", rx.serve().await);
    let id = h.queue_endpoint(1).await;
    submit(&h, id, "retry_me", Some(&url), json!({})).await;
    let t = wait_delivery(&h, id, "retry_me", "SUCCESS").await;
    assert_eq!(t["deliveryAttempts"], 3);
    let counts: Vec<i64> = rx
        .received()
        .iter()
        .map(|r| r.body["retry_count"].as_i64().unwrap())
        .collect();
    assert_eq!(counts, [1, 2, 3]);
}

#[tokio::test]
async fn exhausted_retries_and_client_errors_and_remote_urls() {
    let h = start().await;
    let rx = Receiver::default();
    rx.script(&[500, 500, 500, 401]);
    let url = format!("http://{}/down", rx.serve().await);
    let id = h.queue_endpoint(1).await;
    submit(&h, id, "never", Some(&url), json!({})).await;
    let t = wait_delivery(&h, id, "never", "MAX_RETRIES_EXCEEDED").await;
    assert_eq!(
        (t["deliveryAttempts"].as_i64(), t["status"].as_str()),
        (Some(3), Some("SUCCESS"))
    );
    assert_eq!(t["deliveredAt"], Value::Null);

    submit(&h, id, "unauthorised", Some(&url), json!({})).await;
    let t = wait_delivery(&h, id, "unauthorised", "FAILED").await;
    assert_eq!(t["deliveryAttempts"], 1, "a 4xx is not retried");

    submit(
        &h,
        id,
        "remote",
        Some("https://webhook.example.com/callback"),
        json!({}),
    )
    .await;
    let t = wait_delivery(&h, id, "remote", "FAILED").await;
    assert_eq!(t["deliveryAttempts"], 0, "non-loopback URLs are never contacted");
    assert_eq!(rx.received().len(), 4);

    // Connection refused: retried, then given up.
    let closed = format!(
        "http://{}/gone",
        tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .unwrap()
            .local_addr()
            .unwrap()
    );
    submit(&h, id, "refused", Some(&closed), json!({})).await;
    let t = wait_delivery(&h, id, "refused", "MAX_RETRIES_EXCEEDED").await;
    assert_eq!(t["deliveryAttempts"], 3);
}
