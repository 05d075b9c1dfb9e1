//! Task processing by running workers: statuses, output, failures, idempotency, paging, counts,
//! and the codes of the task routes.

use serde_json::{Value, json};

use crate::support::{eventually, slow_stop, start, start_with, task_body, v1_body};

#[tokio::test]
async fn tasks_are_processed_into_success_with_an_echo_output() {
    let h = start().await;
    let id = h.queue_endpoint(1).await;
    let mut body = task_body("my_task_001");
    body["headers"] = json!({ "Authorization": "Bearer token123" });
    let reply = h.post(&format!("/v2/serverless/{id}/tasks"), &body).await;
    assert_eq!(reply.ok()["taskId"], "my_task_001");
    eventually("task success", || async {
        h.task(id, "my_task_001").await["status"] == "SUCCESS"
    })
    .await;
    let t = h.task(id, "my_task_001").await;
    assert_eq!(t["endpointId"].as_u64(), Some(id), "task endpointId is an integer");
    assert_eq!(t["input"], json!({ "prompt": "Hello" }));
    assert_eq!(t["output"]["echo"], json!({ "prompt": "Hello" }));
    let worker = t["output"]["workerId"].as_str().unwrap().to_owned();
    assert!(t["workerUrl"].as_str().unwrap().contains(&worker));
    assert_eq!(t["headers"], json!({ "Authorization": "Bearer token123" }));
    assert_eq!(
        (t["deliveryStatus"].as_str(), t["deliveryAttempts"].as_i64()),
        (Some("INIT"), Some(0))
    );
    assert!(t["updatedAt"].as_u64() >= t["createdAt"].as_u64());
    let workers = h.get(&format!("/v2/serverless/{id}/workers")).await;
    assert_eq!(workers.ok()[0]["id"], worker);
}

#[tokio::test]
async fn simulate_failure_fails_the_task_with_its_reason() {
    let h = start().await;
    let id = h.queue_endpoint(1).await;
    let body = json!({ "taskId": "bad", "input": { "simulateFailure": "CUDA out of memory" }, "workerPort": 8000, "processUri": "/run" });
    h.post(&format!("/v2/serverless/{id}/tasks"), &body).await.ok();
    eventually("task failure", || async {
        h.task(id, "bad").await["status"] == "FAILED"
    })
    .await;
    let t = h.task(id, "bad").await;
    assert_eq!(t["error"], "CUDA out of memory");
    assert_eq!(t["output"], Value::Null);
}

#[tokio::test]
async fn duplicate_task_ids_are_idempotent_and_generated_ids_follow_the_pattern() {
    let h = start().await;
    let id = h.queue_endpoint(1).await;
    let path = format!("/v2/serverless/{id}/tasks");
    h.post(&path, &task_body("same")).await.ok();
    let mut again = task_body("same");
    again["input"] = json!({ "different": true });
    assert_eq!(h.post(&path, &again).await.ok()["taskId"], "same");
    let generated = h
        .post(&path, &json!({ "input": 1, "workerPort": 1, "processUri": "x" }))
        .await
        .ok()["taskId"]
        .clone();
    let generated = generated.as_str().unwrap();
    assert_eq!(generated.len(), 32);
    assert!(generated.chars().all(|c| c.is_ascii_alphanumeric()));
    let empty = h
        .post(
            &path,
            &json!({ "taskId": "", "input": {}, "workerPort": 1, "processUri": "/" }),
        )
        .await;
    assert_ne!(empty.ok()["taskId"], "", "an empty taskId is treated as omitted");
    let list = h.get(&path).await;
    assert_eq!(list.ok()["total"], 3);
    assert_eq!(
        h.task(id, "same").await["input"],
        json!({ "prompt": "Hello" }),
        "the first submission wins"
    );
}

#[tokio::test]
async fn task_lists_page_and_filter_and_count_processing() {
    let h = start().await;
    let id = h.queue_endpoint(1).await;
    let path = format!("/v2/serverless/{id}/tasks");
    for i in 0..23 {
        let mut body = task_body(&format!("t{i}"));
        if i % 5 == 0 {
            body["input"] = json!({ "simulateFailure": "no" });
        }
        h.post(&path, &body).await.ok();
    }
    // A long task occupies the only worker: it and the ones behind it stay PROCESSING.
    let slow =
        json!({ "taskId": "slow", "input": { "simulateDurationMs": 60_000 }, "workerPort": 1, "processUri": "/" });
    h.post(&path, &slow).await.ok();
    h.post(&path, &task_body("queued_behind")).await.ok();
    eventually("slow task running", || async {
        h.task(id, "t22").await["status"] == "SUCCESS"
    })
    .await;
    let count = h.get(&format!("{path}/count")).await;
    assert_eq!(count.ok()["processing"], 2);

    let page = |q: &'static str| {
        let h = &h;
        let path = path.clone();
        async move { h.get(&format!("{path}?{q}")).await.ok().clone() }
    };
    let p1 = page("").await;
    assert_eq!(
        (
            p1["page"].as_u64(),
            p1["size"].as_u64(),
            p1["total"].as_u64(),
            p1["pages"].as_u64()
        ),
        (Some(1), Some(10), Some(25), Some(3))
    );
    assert_eq!(p1["items"][0]["taskId"], "queued_behind", "newest first");
    assert!(
        p1["items"][0].get("input").is_none(),
        "list items carry no input/output"
    );
    let p3 = page("pageNumber=3&pageSize=10").await;
    assert_eq!(p3["items"].as_array().unwrap().len(), 5);
    assert_eq!(page("pageNumber=9").await["items"].as_array().unwrap().len(), 0);
    let failed = page("status=FAILED&pageSize=100").await;
    assert_eq!(failed["total"], 5);
    assert!(
        failed["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|t| t["status"] == "FAILED")
    );
    assert_eq!(page("status=PROCESSING").await["total"], 2);
    assert_eq!(page("status=SUCCESS").await["total"], 18);
    assert_eq!(page("status=delivered").await["total"], 0);
}

#[tokio::test]
async fn tasks_wait_for_workers_and_survive_a_scale_down() {
    let h = start().await;
    let id = h.queue_endpoint(2).await;
    let path = format!("/v2/serverless/{id}/tasks");
    // Minute-long tasks finish only when the clock is advanced: nothing races a slow machine.
    for name in ["a", "b"] {
        let body =
            json!({ "taskId": name, "input": { "simulateDurationMs": 60_000 }, "workerPort": 1, "processUri": "/" });
        h.post(&path, &body).await.ok();
    }
    let a = h.task(id, "a").await;
    let b = h.task(id, "b").await;
    assert_ne!(a["workerUrl"], b["workerUrl"], "two workers take one task each");
    // Dropping to one worker interrupts the newest worker's task, which goes back to the queue.
    h.call("PUT", &format!("/v2/serverless/{id}/workers?count=1"), None)
        .await
        .ok();
    assert_eq!(h.task(id, "b").await["workerUrl"], Value::Null, "back in the queue");
    assert_eq!(h.get(&format!("{path}/count")).await.ok()["processing"], 2);
    h.advance("3m").await;
    for name in ["a", "b"] {
        let t = h.task(id, name).await;
        assert_eq!(
            (t["status"].as_str(), &t["workerUrl"]),
            (Some("SUCCESS"), &a["workerUrl"]),
            "{name}"
        );
    }
}

#[tokio::test]
async fn task_route_codes() {
    let h = start_with(slow_stop()).await;
    let queue = h.queue_endpoint(1).await;
    let alb = h.v1_create(&v1_body("alb", 1)).await;
    let tasks = format!("/v2/serverless/{queue}/tasks");
    let msg = h
        .post(&format!("/v2/serverless/{alb}/tasks"), &task_body("t"))
        .await
        .expect(200, 10001)
        .to_owned();
    assert!(msg.contains("QUEUE"), "{msg}");
    h.post("/v2/serverless/42/tasks", &task_body("t"))
        .await
        .expect(200, 14000);
    h.get(&format!("{tasks}/missing")).await.expect(200, 24011);
    let cases: [(&str, Value); 8] = [
        ("taskId", json!("has-dash")),
        ("taskId", json!("a".repeat(256))),
        ("workerPort", json!(0)),
        ("workerPort", json!(70000)),
        ("processUri", json!("/".repeat(256))),
        ("webhook", json!("mailto:x")),
        ("webhookAuthKey", json!("k".repeat(256))),
        ("input", Value::Null),
    ];
    for (field, value) in cases {
        let mut body = task_body("ok");
        body[field] = value;
        let msg = h.post(&tasks, &body).await.expect(200, 10001).to_owned();
        assert!(msg.contains(field), "{msg}");
    }
    let mut headers_wrong = task_body("ok");
    headers_wrong["headers"] = json!({ "X-N": 1 });
    h.post(&tasks, &headers_wrong).await.expect(400, 10001);
    for q in ["pageSize=0", "pageSize=1001", "pageNumber=0", "status=DONE"] {
        h.get(&format!("{tasks}?{q}")).await.expect(200, 10001);
    }
    h.get(&format!("{tasks}?pageNumber=x")).await.expect(400, 10001);

    // Stopped: no new tasks (24000); deleted: the task service says 24001; never existed: 14000.
    h.post(&format!("/v2/serverless/{queue}/stop"), &json!({})).await.ok();
    h.post(&tasks, &task_body("late")).await.expect(200, 24000);
    h.advance("1h").await;
    h.call("DELETE", &format!("/v2/serverless/{queue}"), None).await.ok();
    h.post(&tasks, &task_body("t")).await.expect(200, 24001);
    h.get(&tasks).await.expect(200, 24001);
    h.get(&format!("{tasks}/count")).await.expect(200, 24001);
    h.get(&format!("{tasks}/t")).await.expect(200, 24001);
    h.get("/v2/serverless/42/tasks/count").await.expect(200, 14000);
}
