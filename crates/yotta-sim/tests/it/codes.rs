//! Every documented business code, every request rule, and the HTTP-level errors.

use serde_json::{Value, json};
use yotta_sim::SimConfig;

use crate::support::{Harness, KEY, into_reply, resource, start, start_with, v1_body, v2_body};

const V1_CREATE: &str = "/openapi/v1/elastic/deploy/create";

/// Applies `edit` to a valid body and expects 10001 with a message naming `field`.
async fn rejects(h: &Harness, path: &str, base: &Value, edit: impl FnOnce(&mut Value), field: &str) {
    let mut body = base.clone();
    edit(&mut body);
    let reply = h.post(path, &body).await;
    let message = reply.expect(200, 10001);
    assert!(message.contains(field), "message {message:?} should name {field}");
}

#[tokio::test]
async fn create_rules_of_both_versions_answer_10001_naming_the_field() {
    let h = start().await;
    let v1 = v1_body("ok", 1);
    let v2 = v2_body("ok", "QUEUE", 1);
    for (path, base) in [(V1_CREATE, &v1), ("/v2/serverless", &v2)] {
        rejects(&h, path, base, |b| b["name"] = json!("1starts-with-digit"), "name").await;
        rejects(&h, path, base, |b| b["name"] = json!("has space"), "name").await;
        rejects(&h, path, base, |b| b["name"] = json!(""), "name").await;
        rejects(&h, path, base, |b| b["image"] = json!(""), "image").await;
        rejects(&h, path, base, |b| b["image"] = json!("x".repeat(256)), "image").await;
        rejects(&h, path, base, |b| b["workers"] = json!(0), "workers").await;
        rejects(
            &h,
            path,
            base,
            |b| b["containerVolumeInGb"] = json!(19),
            "containerVolumeInGb",
        )
        .await;
        rejects(
            &h,
            path,
            base,
            |b| b["minSingleCardVramInGb"] = json!(1537),
            "minSingleCardVramInGb",
        )
        .await;
        rejects(
            &h,
            path,
            base,
            |b| b["minSingleCardRamInGb"] = json!(-1),
            "minSingleCardRamInGb",
        )
        .await;
        rejects(&h, path, base, |b| b["expose"]["port"] = json!(0), "expose.port").await;
        rejects(&h, path, base, |b| b["expose"]["port"] = json!(65536), "expose.port").await;
        rejects(&h, path, base, |b| b["resources"] = json!([]), "resources").await;
        rejects(
            &h,
            path,
            base,
            |b| b["resources"] = json!([resource(1), resource(2)]),
            "same gpuCount",
        )
        .await;
        rejects(
            &h,
            path,
            base,
            |b| b["resources"][0]["gpuType"] = json!(""),
            "resources[0].gpuType",
        )
        .await;
        rejects(
            &h,
            path,
            base,
            |b| b["resources"][0].as_object_mut().unwrap().clear(),
            "resources[0].region",
        )
        .await;
        rejects(&h, path, base, |b| b["serviceMode"] = json!("BATCH"), "serviceMode").await;
        rejects(
            &h,
            path,
            base,
            |b| b.as_object_mut().unwrap().clear(),
            "must not be null",
        )
        .await;
        let alb_without_expose = |b: &mut Value| {
            b["serviceMode"] = json!("ALB");
            b.as_object_mut().unwrap().remove("expose");
        };
        rejects(&h, path, base, alb_without_expose, "expose").await;
    }
    // Per-version rules.
    let twenty_one = "a".repeat(21);
    assert_eq!(
        h.post(V1_CREATE, &json!(v1_body(&twenty_one, 1))).await.code(),
        10000,
        "v1 names go to 50"
    );
    rejects(&h, V1_CREATE, &v1, |b| b["name"] = json!("a".repeat(51)), "{1,50}").await;
    rejects(&h, "/v2/serverless", &v2, |b| b["name"] = json!(twenty_one), "{1,20}").await;
    rejects(
        &h,
        V1_CREATE,
        &v1,
        |b| b["environmentVars"] = json!([{ "key": "", "value": "v" }]),
        "environmentVars[0].key",
    )
    .await;
    rejects(
        &h,
        "/v2/serverless",
        &v2,
        |b| b["envVars"] = json!([{ "key": "K" }]),
        "envVars[0].value",
    )
    .await;
    rejects(
        &h,
        V1_CREATE,
        &v1,
        |b| b["credentialId"] = json!("not-a-number"),
        "credentialId",
    )
    .await;
    rejects(
        &h,
        "/v2/serverless",
        &v2,
        |b| b["expose"] = json!({ "port": 80 }),
        "expose.protocol",
    )
    .await;
    rejects(
        &h,
        "/v2/serverless",
        &v2,
        |b| b["webhook"] = json!("ftp://x"),
        "webhook",
    )
    .await;
    rejects(
        &h,
        "/v2/serverless",
        &v2,
        |b| b["webhook"] = json!(format!("https://{}", "x".repeat(505))),
        "webhook",
    )
    .await;
    rejects(
        &h,
        "/v2/serverless",
        &v2,
        |b| b["imageRegistry"] = json!("r".repeat(256)),
        "imageRegistry",
    )
    .await;
    let mut v1_lenient = v1_body("lenient", 1);
    v1_lenient["webhookUrl"] = json!("not even a url");
    v1_lenient["expose"] = json!({ "port": 80 });
    assert_eq!(
        h.post(V1_CREATE, &v1_lenient).await.code(),
        10000,
        "v1 has no webhook rule and an optional protocol"
    );
}

#[tokio::test]
async fn unreadable_bodies_are_http_400_or_415() {
    let h = start().await;
    let send = |ct: Option<&'static str>, body: &'static str| {
        let mut req = h
            .http
            .post(format!("{}/v2/serverless", h.base))
            .header("X-API-Key", KEY)
            .body(body);
        if let Some(ct) = ct {
            req = req.header("Content-Type", ct);
        }
        async move { into_reply("POST", req.send().await.unwrap()).await }
    };
    for (ct, body, status) in [
        (Some("application/json"), "{\"name\":", 400),
        (Some("application/json"), "[]", 400),
        (Some("application/json"), "", 400),
        (Some("text/plain"), "{}", 415),
        (None, "{}", 415),
    ] {
        let reply = send(ct, body).await;
        reply.expect(status, 10001);
    }
    let mut wrong_type = v2_body("x", "QUEUE", 1);
    wrong_type["credentialId"] = json!("123");
    assert!(
        h.post("/v2/serverless", &wrong_type)
            .await
            .expect(400, 10001)
            .contains("credentialId")
    );
    let mut v1_wrong = v1_body("x", 1);
    v1_wrong["credentialId"] = json!(123);
    h.post(V1_CREATE, &v1_wrong).await.expect(400, 10001);
    let mut overflow = v2_body("x", "QUEUE", 1);
    overflow["workers"] = json!(3_000_000_000u64);
    h.post("/v2/serverless", &overflow).await.expect(400, 10001);
    overflow["workers"] = json!(1.5);
    h.post("/v2/serverless", &overflow).await.expect(400, 10001);
    h.get("/openapi/v1/elastic/deploy/not-a-number")
        .await
        .expect(400, 10001);
    h.get("/v2/serverless/99999999999999999999").await.expect(400, 10001);
    h.get("/v2/serverless/-5").await.expect(200, 14000);
}

#[tokio::test]
async fn api_keys_missing_or_wrong_are_401() {
    let h = start().await;
    for key in [None, Some("wrong-key"), Some("  ")] {
        let mut req = h.http.get(format!("{}/v2/serverless", h.base));
        if let Some(k) = key {
            req = req.header("X-API-Key", k);
        }
        let reply = into_reply("GET", req.send().await.unwrap()).await;
        reply.expect(401, 401);
    }
    // Header names are case-insensitive (the vendor's Python connector sends X-Api-Key).
    let reply = into_reply(
        "GET",
        h.http
            .get(format!("{}/v2/serverless", h.base))
            .header("x-api-key", KEY)
            .send()
            .await
            .unwrap(),
    )
    .await;
    reply.ok();
}

#[tokio::test]
async fn open_mode_accepts_any_non_empty_key() {
    let sim = SimConfig::for_tests().spawn().await.unwrap();
    let http = crate::support::client();
    let reply = into_reply(
        "GET",
        http.get(format!("{}/v2/serverless", sim.base_url()))
            .header("X-API-Key", "anything")
            .send()
            .await
            .unwrap(),
    )
    .await;
    reply.ok();
    let reply = into_reply(
        "GET",
        http.get(format!("{}/v2/serverless", sim.base_url()))
            .send()
            .await
            .unwrap(),
    )
    .await;
    reply.expect(401, 401);
}

#[tokio::test]
async fn an_injected_key_stands_in_for_the_same_origin_proxy() {
    let sim = SimConfig::for_tests()
        .with_api_key(KEY)
        .with_inject_key(KEY)
        .spawn()
        .await
        .unwrap();
    let http = crate::support::client();
    let url = format!("{}/v2/serverless", sim.base_url());
    // A browser page on the simulator's origin sends no key: served with the injected one.
    into_reply("GET", http.get(&url).send().await.unwrap()).await.ok();
    // A key the caller does send is still checked.
    let wrong = into_reply("GET", http.get(&url).header("X-API-Key", "wrong").send().await.unwrap()).await;
    wrong.expect(401, 401);
}

#[tokio::test]
async fn deployment_limit_is_24003() {
    let h = start_with(SimConfig::for_tests().with_max_endpoints(2)).await;
    h.v1_create(&v1_body("a", 1)).await;
    h.v2_create(&v2_body("b", "QUEUE", 1)).await;
    let msg = h.post(V1_CREATE, &v1_body("c", 1)).await.expect(200, 24003).to_owned();
    assert!(msg.contains("limit of 2 deployment"), "{msg}");
    h.post("/v2/serverless", &v2_body("c", "QUEUE", 1))
        .await
        .expect(200, 24003);
}

#[tokio::test]
async fn gpu_capacity_is_24009_on_create_scale_start_and_update() {
    let h = start_with(crate::support::slow_stop().with_capacity("us-east-1", "NVIDIA_RTX_4090_24G", 2)).await;
    h.post(V1_CREATE, &v1_body("big", 3)).await.expect(200, 24009);
    h.post("/v2/serverless", &v2_body("big", "QUEUE", 3))
        .await
        .expect(200, 24009);
    let id = h.v2_create(&v2_body("fits", "QUEUE", 2)).await;
    let path = format!("/v2/serverless/{id}");
    h.call("PUT", &format!("{path}/workers?count=3"), None)
        .await
        .expect(200, 24009);
    h.post(
        &format!("/openapi/v1/elastic/deploy/{id}/workers"),
        &json!({ "workers": 3 }),
    )
    .await
    .expect(200, 24009);
    let patch = json!({ "name": "fits", "resources": [resource(1)], "workers": 3, "containerVolumeInGb": 120 });
    h.call("PATCH", &path, Some(&patch)).await.expect(200, 24009);
    assert_eq!(
        h.get(&path).await.ok()["totalWorkers"],
        2,
        "a refused update changes nothing"
    );
    h.post(V1_CREATE, &v1_body("other", 1)).await.expect(200, 24009);
    // A stopped endpoint gives its GPUs back at once, and a second one can take them.
    h.post(&format!("{path}/stop"), &json!({})).await.ok();
    let other = h.v2_create(&v2_body("other", "QUEUE", 2)).await;
    h.advance("1h").await;
    h.post(&format!("{path}/start"), &json!({})).await.expect(200, 24009);
    h.post(&format!("/openapi/v1/elastic/deploy/{id}/update"), &v1_body("fits", 3))
        .await
        .expect(200, 24009);
    h.post(&format!("/v2/serverless/{other}/stop"), &json!({})).await.ok();
    h.post(&format!("{path}/start"), &json!({})).await.ok();
    // Spread over two resources when the first is full.
    let spread = json!({
        "name": "spread", "image": "img", "workers": 2, "containerVolumeInGb": 20, "serviceMode": "CUSTOM",
        "resources": [resource(1), { "region": "eu-west-1", "gpuType": "NVIDIA_H100_80G", "gpuCount": 1 }]
    });
    let sid = h.v2_create(&spread).await;
    let workers = h.get(&format!("/v2/serverless/{sid}/workers")).await;
    assert!(
        workers
            .ok()
            .as_array()
            .unwrap()
            .iter()
            .all(|w| w["region"] == "eu-west-1")
    );
    // The simulator's own ceiling on workers per endpoint also answers 24009.
    h.call("PUT", &format!("/v2/serverless/{sid}/workers?count=2147483647"), None)
        .await
        .expect(200, 24009);
}

#[tokio::test]
async fn unknown_routes_and_methods() {
    let h = start().await;
    let resp = h
        .http
        .get(format!("{}/v2/serverless/1/nothing", h.base))
        .header("X-API-Key", KEY)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 404);
    let resp = h
        .http
        .put(format!("{}/v2/serverless", h.base))
        .header("X-API-Key", KEY)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 405);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["code"], 405);
}
