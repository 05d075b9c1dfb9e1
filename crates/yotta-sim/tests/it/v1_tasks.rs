//! The v1 task API ("skywalker"): the X-Endpoint-ID header, idempotent creation, integer
//! statuses, its pagination and count, its own codes, the shared engine with v2 tasks, the
//! callback, and the documented rate limits.

use std::time::Duration;

use serde_json::{Value, json};

use crate::support::receiver::Receiver;
use crate::support::{Harness, Reply, eventually, slow_stop, start, start_with, task_body, v2_body};

const TASKS: &str = "/openapi/v1/skywalker/tasks";

fn body(user_task_id: &str) -> Value {
    json!({ "userTaskId": user_task_id, "workerPort": 8000, "processUri": "v1/chat/completions",
            "taskData": { "messages": [{ "role": "user", "content": "Hello" }] },
            "header": { "Authorization": "Bearer your-token-here" } })
}

async fn create(h: &Harness, endpoint: u64, body: &Value) -> Reply {
    let id = endpoint.to_string();
    h.call_with(
        "POST",
        &format!("{TASKS}/create"),
        Some(body),
        &[("X-Endpoint-ID", &id)],
    )
    .await
}

async fn get(h: &Harness, endpoint: u64, path: &str) -> Reply {
    let id = endpoint.to_string();
    h.call_with("GET", path, None, &[("X-Endpoint-ID", &id)]).await
}

async fn task(h: &Harness, endpoint: u64, user_task_id: &str) -> Value {
    get(h, endpoint, &format!("{TASKS}/{user_task_id}")).await.ok().clone()
}

#[tokio::test]
async fn a_task_runs_to_success_with_integer_statuses_and_the_pages_fields() {
    let h = start().await;
    let id = h.queue_endpoint(1).await;
    let reply = create(&h, id, &body("task_20251111_001")).await;
    assert_eq!(reply.ok(), &json!({ "userTaskId": "task_20251111_001" }));
    eventually("v1 task success", || async {
        task(&h, id, "task_20251111_001").await["status"] == 2
    })
    .await;
    let t = task(&h, id, "task_20251111_001").await;
    assert_eq!(
        (t["resultSendStatus"].as_i64(), t["resultSendCount"].as_i64()),
        (Some(0), Some(0))
    );
    let worker_url = t["workerUrl"].as_str().unwrap();
    assert!(
        worker_url.ends_with(":8000/v1/chat/completions"),
        "host:port + processUri, slash added: {worker_url}"
    );
    let created = t["createdAt"].as_str().unwrap();
    assert_eq!(
        (created.len(), &created[10..11]),
        (23, " "),
        "the page's 'YYYY-MM-DD HH:mm:ss.SSS': {created}"
    );
    assert_eq!(t["taskData"], body("x")["taskData"]);
    assert_eq!(t["header"], json!({ "Authorization": "Bearer your-token-here" }));
    assert_eq!(t["taskResult"]["echo"], t["taskData"]);
    assert_eq!(t["failedReason"], Value::Null);
    let count = get(&h, id, &format!("{TASKS}/processing/count")).await;
    assert_eq!(count.ok(), &json!({ "processingCount": 0 }));
}

#[tokio::test]
async fn v1_and_v2_tasks_share_one_engine() {
    let h = start().await;
    let id = h.queue_endpoint(1).await;
    create(&h, id, &body("from_v1")).await.ok();
    h.post(&format!("/v2/serverless/{id}/tasks"), &task_body("from_v2"))
        .await
        .ok();
    eventually("both done", || async {
        task(&h, id, "from_v2").await["status"] == 2 && h.task(id, "from_v1").await["status"] == "SUCCESS"
    })
    .await;
    assert_eq!(h.task(id, "from_v1").await["input"], body("x")["taskData"]);
    let list = get(&h, id, TASKS).await;
    assert_eq!(list.ok()["pagination"]["totalCount"], 2);
    let v2_list = h.get(&format!("/v2/serverless/{id}/tasks")).await;
    assert_eq!(v2_list.ok()["total"], 2);
}

#[tokio::test]
async fn creation_is_idempotent_on_user_task_id() {
    let h = start_with(slow_stop()).await;
    let id = h.queue_endpoint(1).await;
    create(&h, id, &body("same_id")).await.ok();
    let mut again = body("same_id");
    again["taskData"] = json!({ "different": true });
    assert_eq!(create(&h, id, &again).await.ok()["userTaskId"], "same_id");
    assert_eq!(
        get(&h, id, TASKS).await.ok()["pagination"]["totalCount"],
        1,
        "nothing created"
    );
    assert_eq!(
        task(&h, id, "same_id").await["taskData"],
        body("x")["taskData"],
        "the first wins"
    );
    // A repeat still answers once the endpoint no longer takes new tasks.
    h.post(&format!("/v2/serverless/{id}/stop"), &json!({})).await.ok();
    assert_eq!(create(&h, id, &again).await.ok()["userTaskId"], "same_id");
    let message = create(&h, id, &body("new_one")).await.expect(200, 50001).to_owned();
    assert!(message.starts_with("Failed to create a task"), "{message}");
}

#[tokio::test]
async fn the_endpoint_header_is_required_and_must_name_an_endpoint() {
    let h = start().await;
    let id = h.queue_endpoint(1).await;
    let missing = h
        .call_with("POST", &format!("{TASKS}/create"), Some(&body("t")), &[])
        .await;
    assert!(missing.expect(200, 40101).contains("missing X-Endpoint-ID"));
    for (value, why) in [
        ("abc", "is not an endpoint id"),
        ("12345", "is not an endpoint of this organization"),
    ] {
        let reply = h.call_with("GET", TASKS, None, &[("X-Endpoint-ID", value)]).await;
        assert!(reply.expect(200, 40101).contains(why), "{value}");
    }
    get(&h, id, &format!("{TASKS}/nope")).await.expect(200, 40402);
    let custom = h.v2_create(&v2_body("custom", "CUSTOM", 1)).await;
    let message = create(&h, custom, &body("t")).await.expect(200, 40001).to_owned();
    assert!(message.contains("QUEUE"), "{message}");
}

#[tokio::test]
async fn bodies_and_queries_break_the_pages_rules_with_40001() {
    let h = start().await;
    let id = h.queue_endpoint(1).await;
    let bad = json!({ "userTaskId": "has-dash", "workerPort": 70000, "processUri": "/a b", "notifyUrl": "not a url", "taskData": "" });
    let message = create(&h, id, &bad).await.expect(200, 40001).to_owned();
    for expected in [
        "userTaskId can only contain letters, numbers, and underscores",
        "workerPort must not exceed 65535",
        "processUri must not contain spaces",
        "notifyUrl must be a valid URL",
        "taskData cannot be empty",
    ] {
        assert!(message.contains(expected), "{expected}: {message}");
    }
    let message = create(&h, id, &json!({ "workerPort": 1 }))
        .await
        .expect(200, 40001)
        .to_owned();
    for expected in [
        "userTaskId is required",
        "processUri is required",
        "taskData is required",
    ] {
        assert!(message.contains(expected), "{expected}: {message}");
    }
    create(&h, id, &json!({ "userTaskId": "t", "workerPort": "80" }))
        .await
        .expect(400, 40001);
    for query in ["status=7", "status=x", "page=0", "pageSize=0"] {
        get(&h, id, &format!("{TASKS}?{query}")).await.expect(200, 40001);
    }
}

#[tokio::test]
async fn lists_page_filter_by_integer_status_and_count_processing() {
    let h = start().await;
    let id = h.queue_endpoint(1).await;
    for i in 0..11 {
        let mut b = body(&format!("t{i}"));
        if i == 3 {
            b["taskData"] = json!({ "simulateFailure": "boom" });
        }
        create(&h, id, &b).await.ok();
    }
    eventually("all ran", || async { task(&h, id, "t10").await["status"] == 2 }).await;
    let mut slow = body("slow");
    slow["taskData"] = json!({ "simulateDurationMs": 60_000 });
    create(&h, id, &slow).await.ok();
    create(&h, id, &body("queued")).await.ok();

    let page = get(&h, id, &format!("{TASKS}?page=2&pageSize=5")).await;
    assert_eq!(
        page.ok()["pagination"],
        json!({ "page": 2, "pageSize": 5, "totalCount": 13, "totalPages": 3 })
    );
    let items = page.ok()["items"].as_array().unwrap();
    assert_eq!(items.len(), 5);
    assert!(
        items[0].get("taskData").is_none(),
        "list items carry the TaskDetail structure's fields"
    );
    let failed = get(&h, id, &format!("{TASKS}?status=3")).await;
    assert_eq!(failed.ok()["items"][0]["userTaskId"], "t3");
    assert_eq!(task(&h, id, "t3").await["failedReason"], "boom");
    let processing = get(&h, id, &format!("{TASKS}?status=0")).await;
    assert_eq!(processing.ok()["pagination"]["totalCount"], 2);
    let count = get(&h, id, &format!("{TASKS}/processing/count")).await;
    assert_eq!(count.ok()["processingCount"], 2);
}

#[tokio::test]
async fn the_callback_presents_the_notify_key_as_x_api_key() {
    let h = start().await;
    let rx = Receiver::default();
    let url = format!("http://{}/notify", rx.serve().await);
    let id = h.queue_endpoint(1).await;
    let mut b = body("notified");
    b["notifyUrl"] = json!(url);
    b["notifyAuthKey"] = json!("key");
    create(&h, id, &b).await.ok();
    eventually("callback", || async { !rx.received().is_empty() }).await;
    let got = &rx.received()[0];
    assert_eq!(got.header("x-api-key"), Some("key"));
    assert_eq!(got.body["user_task_id"], "notified");
    assert_eq!(got.body["endpoint_id"], id.to_string());
    eventually("delivered", || async {
        task(&h, id, "notified").await["resultSendStatus"] == 1
    })
    .await;
    let t = task(&h, id, "notified").await;
    assert_eq!(
        (t["status"].as_i64(), t["notifySendCount"].as_i64()),
        (Some(1), Some(1))
    );
    assert_eq!(t["notifyUrl"], url.as_str());
    assert!(t["lastNotifiedAt"].is_string());
}

#[tokio::test]
async fn a_burst_above_the_qps_is_limited_and_a_paced_client_is_not() {
    let h = start().await;
    let burst_endpoint = h.queue_endpoint(1).await;
    let paced_endpoint = h.queue_endpoint(1).await;

    // 120 creations at once on one endpoint: the page allows 40 per second per endpoint.
    let replies = futures_burst(&h, burst_endpoint, 120).await;
    let limited: Vec<&(Reply, Option<String>)> = replies.iter().filter(|(r, _)| r.status == 429).collect();
    let admitted = replies.iter().filter(|(r, _)| r.code() == 10000).count();
    assert!(!limited.is_empty(), "a burst of 120 exceeds 40 QPS");
    assert!(admitted >= 40, "a second's worth passes: {admitted}");
    assert_eq!(admitted + limited.len(), 120);
    let (reply, retry_after) = limited[0];
    assert_eq!(reply.code(), 429, "the page's code");
    assert!(reply.message().starts_with("too many requests"), "{}", reply.message());
    let seconds: u64 = retry_after.as_deref().expect("Retry-After").parse().unwrap();
    assert!((1..=2).contains(&seconds), "{seconds}");

    // A client pacing itself at 30 per second (under 40) for 1.5 s is never limited.
    let start = tokio::time::Instant::now();
    for i in 0..45u64 {
        tokio::time::sleep_until(start + Duration::from_millis(i * 1000 / 30)).await;
        let reply = create(&h, paced_endpoint, &body(&format!("paced_{i}"))).await;
        assert_eq!(
            (reply.status, reply.code()),
            (200, 10000),
            "request {i}: {:#}",
            reply.body
        );
    }
}

async fn futures_burst(h: &Harness, endpoint: u64, n: usize) -> Vec<(Reply, Option<String>)> {
    let id = endpoint.to_string();
    let calls = (0..n).map(|i| {
        let b = body(&format!("burst_{i}"));
        let id = id.clone();
        async move {
            h.send_with("POST", &format!("{TASKS}/create"), Some(&b), &[("X-Endpoint-ID", &id)])
                .await
        }
    });
    futures::future::join_all(calls).await
}
