//! Registry credentials through both versions over one store: the routes, their rules, the
//! references endpoints make to them, the in-use refusal, and secrets that never come back.

use serde_json::{Value, json};

use crate::support::{Harness, slow_stop, start, start_with, v1_body, v2_body};

const V1: &str = "/openapi/v1/credentials";
const V2: &str = "/v2/container-registry-auths";

#[tokio::test]
async fn v2_create_list_get_update_delete() {
    let h = start().await;
    let created = h
        .post(V2, &json!({ "name": "my-docker-registry", "type": "DOCKER_HUB", "username": "myuser", "password": "mypassword" }))
        .await;
    let d = created.ok().clone();
    let id = d["id"].as_u64().expect("v2 ids are JSON numbers, as in the guide");
    assert!(id > 1 << 53, "exact ids above 2^53");
    assert_eq!(
        (d["name"].as_str(), d["type"].as_str()),
        (Some("my-docker-registry"), Some("DOCKER_HUB"))
    );
    assert!(
        d["createdAt"].as_str().unwrap().ends_with('Z'),
        "ISO 8601 like the guide's example"
    );

    let list = h.get(V2).await;
    assert_eq!(list.ok().as_array().unwrap().len(), 1);
    assert_eq!(list.ok()[0]["id"], id);
    assert_eq!(h.get(&format!("{V2}/{id}")).await.ok()["name"], "my-docker-registry");

    let updated = h
        .call(
            "PATCH",
            &format!("{V2}/{id}"),
            Some(&json!({ "name": "renamed", "password": "newpassword" })),
        )
        .await;
    assert_eq!(updated.ok()["name"], "renamed");
    assert_eq!(updated.ok()["type"], "DOCKER_HUB", "fields left out keep their value");
    let empty_patch = h.call("PATCH", &format!("{V2}/{id}"), Some(&json!({}))).await;
    assert_eq!(empty_patch.ok()["name"], "renamed", "every field is optional");

    h.call("DELETE", &format!("{V2}/{id}"), None).await.ok();
    h.get(&format!("{V2}/{id}")).await.expect(200, 10007);
    h.call("DELETE", &format!("{V2}/{id}"), None).await.expect(200, 10007);
    h.call("PATCH", &format!("{V2}/{id}"), Some(&json!({ "name": "x" })))
        .await
        .expect(200, 10007);
    h.get(&format!("{V2}/not-a-number")).await.expect(400, 10001);
}

#[tokio::test]
async fn v1_routes_share_the_store_with_v2() {
    let h = start().await;
    let created = h
        .post(&format!("{V1}/create"), &json!({ "name": "Test-Credential", "username": "Test-Credential-username", "token": "Test-Credential-token" }))
        .await;
    let id = created.ok()["id"]
        .as_str()
        .expect("v1 ids are strings, as its path types them")
        .to_owned();
    assert_eq!(
        created.ok()["type"],
        Value::Null,
        "a v1 credential has no registry type"
    );
    assert_eq!(h.get(&format!("{V1}/list")).await.ok()[0]["id"], id.as_str());
    assert_eq!(h.get(&format!("{V1}/{id}")).await.ok()["name"], "Test-Credential");
    let via_v2 = h.get(&format!("{V2}/{id}")).await;
    assert_eq!(via_v2.ok()["id"].as_u64().map(|n| n.to_string()), Some(id.clone()));

    let v2_id = h.credential("from-v2").await;
    let v1_list = h.get(&format!("{V1}/list")).await;
    assert_eq!(
        v1_list.ok()[0]["id"],
        v2_id.to_string(),
        "newest first, v2's credential seen through v1"
    );
    assert_eq!(v1_list.ok()[0]["type"], "DOCKER_HUB");

    h.call("DELETE", &format!("{V1}/{id}"), None).await.ok();
    h.get(&format!("{V1}/{id}")).await.expect(200, 10007);
    h.get(&format!("{V2}/{id}")).await.expect(200, 10007);
    h.get(&format!("{V1}/abc")).await.expect(200, 10007);
}

#[tokio::test]
async fn create_and_update_rules_name_the_field() {
    let h = start().await;
    let bad = |body: Value, field: &'static str| {
        let h = &h;
        async move {
            let message = h.post(V2, &body).await.expect(200, 10001).to_owned();
            assert!(message.contains(field), "{field}: {message}");
        }
    };
    let ok = json!({ "name": "reg", "type": "GCR", "username": "u", "password": "p" });
    let with = |key: &str, value: Value| {
        let mut body = ok.clone();
        body[key] = value;
        body
    };
    bad(with("password", Value::Null), "password").await;
    bad(with("name", json!("1abc")), "name").await;
    bad(with("name", json!("a".repeat(21))), "name").await;
    bad(with("type", json!("QUAY")), "type").await;
    bad(with("username", json!("u".repeat(256))), "username").await;
    bad(with("password", json!("")), "password").await;
    h.post(V2, &with("type", Value::Null)).await.ok();
    h.post(V2, &with("name", json!(5))).await.expect(400, 10001);

    let message = h
        .post(&format!("{V1}/create"), &json!({ "name": "n", "username": "u" }))
        .await
        .expect(200, 10001)
        .to_owned();
    assert!(message.contains("token"), "{message}");
    let id = h.credential("reg2").await;
    let message = h
        .call("PATCH", &format!("{V2}/{id}"), Some(&json!({ "name": "_bad" })))
        .await
        .expect(200, 10001)
        .to_owned();
    assert!(message.contains("name"), "{message}");
}

async fn running_endpoint_with(h: &Harness, body: &Value) -> u64 {
    let id = h.v2_create(body).await;
    h.wait_status(id, "RUNNING").await;
    id
}

#[tokio::test]
async fn endpoints_reference_existing_credentials_under_either_v2_spelling() {
    let h = start().await;
    let credential = h.credential("registry").await;

    let mut guide_style = v2_body("guide-style", "QUEUE", 1);
    guide_style["containerRegistryAuthId"] = json!(credential);
    let d = h.post("/v2/serverless", &guide_style).await;
    assert_eq!(
        d.ok()["credentialId"],
        credential,
        "containerRegistryAuthId is the credentialId"
    );

    let mut both = v2_body("both", "QUEUE", 1);
    both["containerRegistryAuthId"] = json!(credential);
    both["credentialId"] = json!(credential);
    h.post("/v2/serverless", &both).await.ok();
    both["credentialId"] = json!(credential + 1);
    let message = h.post("/v2/serverless", &both).await.expect(200, 10001).to_owned();
    assert!(message.contains("containerRegistryAuthId"), "{message}");

    let mut unknown = v2_body("unknown", "QUEUE", 1);
    unknown["containerRegistryAuthId"] = json!(999);
    let message = h.post("/v2/serverless", &unknown).await.expect(200, 10001).to_owned();
    assert!(
        message.contains("containerRegistryAuthId: no credential 999"),
        "{message}"
    );
    let mut unknown = v1_body("unknown-v1", 1);
    unknown["credentialId"] = json!("999");
    let message = h
        .post("/openapi/v1/elastic/deploy/create", &unknown)
        .await
        .expect(200, 10001)
        .to_owned();
    assert!(message.contains("credentialId: no credential 999"), "{message}");

    let id = running_endpoint_with(&h, &v2_body("patched", "QUEUE", 1)).await;
    let mut update = json!({ "name": "patched", "resources": [crate::support::resource(1)], "workers": 1, "containerVolumeInGb": 120, "credentialId": 5 });
    h.call("PATCH", &format!("/v2/serverless/{id}"), Some(&update))
        .await
        .expect(200, 10001);
    update["credentialId"] = json!(credential);
    let patched = h.call("PATCH", &format!("/v2/serverless/{id}"), Some(&update)).await;
    assert_eq!(patched.ok()["credentialId"], credential);
}

#[tokio::test]
async fn a_credential_in_use_cannot_be_deleted() {
    let h = start_with(slow_stop()).await;
    let credential = h.credential("in-use").await;
    let mut body = v2_body("uses-it", "QUEUE", 1);
    body["credentialId"] = json!(credential);
    let endpoint = running_endpoint_with(&h, &body).await;

    for path in [format!("{V2}/{credential}"), format!("{V1}/{credential}")] {
        let message = h.call("DELETE", &path, None).await.expect(200, 25002).to_owned();
        assert!(
            message.starts_with("Credential is in use and cannot be deleted."),
            "{message}"
        );
    }
    h.get(&format!("{V2}/{credential}")).await.ok();

    // Stopped is still in use; deleted is not.
    h.post(&format!("/v2/serverless/{endpoint}/stop"), &json!({}))
        .await
        .ok();
    h.advance("2h").await;
    h.call("DELETE", &format!("{V2}/{credential}"), None)
        .await
        .expect(200, 25002);
    h.call("DELETE", &format!("/v2/serverless/{endpoint}"), None).await.ok();
    h.call("DELETE", &format!("{V2}/{credential}"), None).await.ok();
}

#[tokio::test]
async fn secrets_are_never_echoed() {
    let h = start().await;
    let (v2_secret, v2_new, v1_secret) = ("pw-v2-7f3a9", "pw-v2-rotated-c41d", "tok-v1-9be2");
    let mut seen = Vec::new();
    let created = h
        .post(
            V2,
            &json!({ "name": "reg", "type": "ECR", "username": "AWS", "password": v2_secret }),
        )
        .await;
    let id = created.ok()["id"].as_u64().unwrap();
    seen.push(created.body.clone());
    seen.push(
        h.call("PATCH", &format!("{V2}/{id}"), Some(&json!({ "password": v2_new })))
            .await
            .body,
    );
    let v1 = h
        .post(
            &format!("{V1}/create"),
            &json!({ "name": "v1", "username": "u", "token": v1_secret }),
        )
        .await;
    let v1_id = v1.ok()["id"].as_str().unwrap().to_owned();
    seen.push(v1.body.clone());
    for path in [
        V2.to_string(),
        format!("{V2}/{id}"),
        format!("{V1}/list"),
        format!("{V1}/{v1_id}"),
    ] {
        seen.push(h.get(&path).await.body);
    }
    seen.push(h.admin("GET", "/state", None).await.1);
    seen.push(h.admin("GET", "/requests", None).await.1);
    let text = serde_json::to_string(&seen).unwrap();
    for secret in [v2_secret, v2_new, v1_secret] {
        assert!(!text.contains(secret), "{secret} was echoed");
    }
    let (_, log) = h.admin("GET", &format!("/requests?path={V2}"), None).await;
    let first: Value = serde_json::from_str(log["requests"][0]["body"].as_str().unwrap()).unwrap();
    assert_eq!(
        (first["username"].as_str(), first["password"].as_str()),
        (Some("AWS"), Some("***")),
        "the request log shows the field, redacted"
    );
}
