//! Every v2 endpoint operation and its wire form.

use serde_json::json;

use crate::support::{eventually, slow_stop, start, start_with, v2_body};

#[tokio::test]
async fn v2_create_get_list_with_the_v2_wire_form() {
    let h = start().await;
    let credential = h.credential("registry").await;
    let mut body = v2_body("llama-inference", "QUEUE", 2);
    body["webhook"] = json!("http://127.0.0.1:9/hook");
    body["credentialId"] = json!(credential);
    let reply = h.post("/v2/serverless", &body).await;
    let d = reply.ok();
    let id = d["id"].as_u64().expect("v2 id is a JSON number");
    assert!(id > 1 << 53);
    assert_eq!(d["credentialId"], credential);
    assert_eq!(
        d["environmentVars"],
        json!([{ "key": "MODEL", "value": "llama-3-8b" }]),
        "request envVars, response environmentVars"
    );
    assert_eq!(d["webhook"], "http://127.0.0.1:9/hook");
    assert!(d.get("webhookUrl").is_none());
    assert_eq!(d["domain"], serde_json::Value::Null, "only ALB endpoints get a domain");
    assert_eq!(d["perHourPrice"], 0.9, "2 workers x 1 RTX 4090 at $0.45/GPU-hour");
    assert_eq!(
        h.get(&format!("/v2/serverless/{id}")).await.ok()["name"],
        "llama-inference"
    );
    h.get("/v2/serverless/12345").await.expect(200, 14000);
    h.wait_status(id, "RUNNING").await;
    let list = |q: &'static str| {
        let h = &h;
        async move {
            h.get(&format!("/v2/serverless{q}"))
                .await
                .ok()
                .as_array()
                .unwrap()
                .len()
        }
    };
    assert_eq!(list("").await, 1);
    assert_eq!(list("?statusList=RUNNING,STOPPED").await, 1);
    assert_eq!(list("?statusList=STOPPED&statusList=RUNNING").await, 1);
    assert_eq!(list("?statusList=STOPPED").await, 0);
}

#[tokio::test]
async fn v2_update_scales_live_and_restarts_on_container_changes() {
    let h = start().await;
    let id = h.v2_create(&v2_body("svc", "CUSTOM", 1)).await;
    h.wait_status(id, "RUNNING").await;
    let path = format!("/v2/serverless/{id}");

    let mut body =
        json!({ "name": "svc2", "resources": [crate::support::resource(1)], "workers": 3, "containerVolumeInGb": 120 });
    let d = h.call("PATCH", &path, Some(&body)).await.ok().clone();
    assert_eq!(
        (d["name"].as_str(), d["status"].as_str(), d["totalWorkers"].as_i64()),
        (Some("svc2"), Some("RUNNING"), Some(3))
    );
    assert_eq!(
        d["environmentVars"][0]["key"], "MODEL",
        "fields left out keep their value"
    );

    body["envVars"] = json!([{ "key": "MODEL", "value": "llama-3-70b" }]);
    let d = h.call("PATCH", &path, Some(&body)).await.ok().clone();
    assert_eq!(
        d["status"], "INITIALIZING",
        "new environment: every container is replaced"
    );
    assert_eq!(d["environmentVars"][0]["value"], "llama-3-70b");
    let workers = h
        .get(&format!("{path}/workers?statusList=TERMINATING,TERMINATED"))
        .await;
    assert_eq!(workers.ok().as_array().unwrap().len(), 3);
    h.wait_status(id, "RUNNING").await;
    h.call("PATCH", "/v2/serverless/1", Some(&body))
        .await
        .expect(200, 14000);
}

#[tokio::test]
async fn v2_actions_scale_and_delete() {
    let h = start_with(slow_stop()).await;
    let id = h.v2_create(&v2_body("svc", "CUSTOM", 1)).await;
    let path = format!("/v2/serverless/{id}");
    h.wait_status(id, "RUNNING").await;

    h.call("PUT", &format!("{path}/workers?count=4"), None).await.ok();
    let live = h.get(&format!("{path}/workers?statusList=INITIALIZE,RUNNING")).await;
    assert_eq!(live.ok().as_array().unwrap().len(), 4);
    let running = format!("{path}/workers?statusList=RUNNING");
    eventually("4 running", || async {
        h.get(&running).await.ok().as_array().unwrap().len() == 4
    })
    .await;
    h.call("PUT", &format!("{path}/workers?count=2"), None).await.ok();
    let reply = h.get(&path).await;
    assert_eq!(
        reply.ok()["totalWorkers"],
        4,
        "TERMINATING workers still count until they are gone"
    );
    assert_eq!(reply.ok()["runningWorkers"], 2);
    h.advance("1h").await;
    assert_eq!(h.get(&path).await.ok()["totalWorkers"], 2);
    h.call("PUT", &format!("{path}/workers"), None).await.expect(400, 10001);
    h.call("PUT", &format!("{path}/workers?count=two"), None)
        .await
        .expect(400, 10001);
    h.call("PUT", &format!("{path}/workers?count=-1"), None)
        .await
        .expect(200, 10001);

    // Delete needs STOPPED in v2 as well (assumed: the same backend as v1).
    h.call("DELETE", &path, None).await.expect(200, 24002);
    h.post(&format!("{path}/start"), &json!({})).await.expect(200, 24002);
    h.post(&format!("{path}/stop"), &json!({})).await.ok();
    h.post(&format!("{path}/stop"), &json!({})).await.expect(200, 24002);
    h.call("PUT", &format!("{path}/workers?count=5"), None)
        .await
        .expect(200, 24002);
    h.call("DELETE", &path, None).await.expect(200, 24002);
    h.advance("1h").await;
    h.call("PUT", &format!("{path}/workers?count=5"), None).await.ok();
    assert_eq!(
        h.get(&path).await.ok()["totalWorkers"],
        0,
        "a stopped endpoint only records the count"
    );
    h.post(&format!("{path}/start"), &json!({})).await.ok();
    assert_eq!(h.get(&path).await.ok()["totalWorkers"], 5);
    h.post(&format!("{path}/stop"), &json!({})).await.ok();
    h.advance("1h").await;
    h.call("DELETE", &path, None).await.ok();
    h.get(&path).await.expect(200, 14000);
    for (method, suffix) in [
        ("POST", "/start"),
        ("POST", "/stop"),
        ("DELETE", ""),
        ("GET", "/workers"),
    ] {
        h.call(method, &format!("{path}{suffix}"), None)
            .await
            .expect(200, 14000);
    }
}

#[tokio::test]
async fn v2_ignores_fields_spelled_the_v1_way() {
    let h = start().await;
    let mut body = v2_body("guide-style", "QUEUE", 1);
    let obj = body.as_object_mut().unwrap();
    obj.remove("envVars");
    obj.insert("environmentVars".into(), json!([{ "key": "MODEL", "value": "x" }]));
    obj.insert("webhookUrl".into(), json!("https://hooks.example.com/v1-style"));
    let id = h.v2_create(&body).await;
    let d = h.get(&format!("/v2/serverless/{id}")).await.ok().clone();
    assert_eq!(
        d["environmentVars"],
        serde_json::Value::Null,
        "unknown fields are dropped, as Jackson does"
    );
    assert_eq!(d["webhook"], serde_json::Value::Null);
    let (_, state) = h.admin("GET", "/state", None).await;
    assert_eq!(
        state["endpoints"][0]["spec"]["environmentVars"],
        serde_json::Value::Null
    );
    let (_, log) = h.admin("GET", "/requests?path=/v2/serverless", None).await;
    let sent: serde_json::Value = serde_json::from_str(log["requests"][0]["body"].as_str().unwrap()).unwrap();
    assert!(
        sent.get("environmentVars").is_some(),
        "the request log shows what the client actually sent"
    );
}
