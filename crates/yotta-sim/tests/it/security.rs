//! Secrets stay in: the request log redacts them, the state file is private and its saves never
//! clobber each other.

use serde_json::{Value, json};
use yotta_sim::SimConfig;

use crate::support::{KEY, client, start, task_body, v2_body};

#[tokio::test]
async fn the_request_log_never_shows_a_secret() {
    let h = start().await;
    let mut body = v2_body("secrets", "QUEUE", 1);
    body["envVars"] = json!([
        { "key": "MODEL", "value": "llama-3-8b" },
        { "key": "HF_TOKEN", "value": "hf-env-secret" },
    ]);
    let id = h.v2_create(&body).await;
    h.wait_status(id, "RUNNING").await;
    let mut task = task_body("t1");
    task["webhook"] = json!("http://127.0.0.1:9/hook");
    task["webhookAuthKey"] = json!("webhook-auth-secret");
    task["headers"] = json!({ "Authorization": "Bearer task-header-secret", "Accept": "text/plain" });
    h.http
        .post(format!("{}/v2/serverless/{id}/tasks", h.base))
        .header("X-API-Key", KEY)
        .header("Cookie", "session=local-cookie-secret")
        .header("Authorization", "Bearer bearer-secret")
        .json(&task)
        .send()
        .await
        .unwrap();
    h.http
        .get(format!("{}/v2/serverless?password=query-secret&pageSize=5", h.base))
        .header("X-API-Key", KEY)
        .send()
        .await
        .unwrap();

    let text = h
        .http
        .get(format!("{}/_sim/requests", h.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for secret in [
        KEY,
        "hf-env-secret",
        "webhook-auth-secret",
        "task-header-secret",
        "local-cookie-secret",
        "bearer-secret",
        "query-secret",
    ] {
        assert!(!text.contains(secret), "{secret} in the request log: {text}");
    }
    let log: Value = serde_json::from_str(&text).unwrap();
    let reqs = log["requests"].as_array().unwrap();
    let created: Value = serde_json::from_str(reqs[0]["body"].as_str().unwrap()).unwrap();
    assert_eq!(
        created["envVars"][0],
        json!({ "key": "MODEL", "value": "llama-3-8b" }),
        "the rest is kept"
    );
    assert_eq!(created["envVars"][1]["value"], "***");
    let submit = reqs
        .iter()
        .find(|r| r["path"].as_str().unwrap().ends_with("/tasks"))
        .unwrap();
    for header in ["cookie", "authorization", "x-api-key"] {
        assert_eq!(submit["headers"][header], "***", "{header}");
    }
    let sent: Value = serde_json::from_str(submit["body"].as_str().unwrap()).unwrap();
    assert_eq!(sent["webhookAuthKey"], "***");
    assert_eq!(
        sent["headers"],
        json!({ "Authorization": "***", "Accept": "text/plain" })
    );
    assert_eq!(sent["taskId"], "t1");
    let listed = reqs.last().unwrap();
    assert_eq!(listed["query"], "password=***&pageSize=5");
    // The in-process view is the same redacted record.
    assert!(!format!("{:?}", h.sim.requests()).contains("webhook-auth-secret"));
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_saves_do_not_clobber_each_other_and_the_file_is_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let sim = SimConfig::for_tests()
        .with_api_key(KEY)
        .with_state_file(&path)
        .spawn()
        .await
        .unwrap();
    let base = sim.base_url();
    let http = client();
    // Creations and explicit saves at once; with one shared temporary file, one save's rename
    // would take the file from under another (500) or land an older snapshot last.
    let mut jobs = Vec::new();
    for i in 0..24 {
        let http = http.clone();
        let base = base.clone();
        jobs.push(tokio::spawn(async move {
            if i % 2 == 0 {
                let resp = http
                    .post(format!("{base}/v2/serverless"))
                    .header("X-API-Key", KEY)
                    .json(&v2_body(&format!("ep{i}"), "QUEUE", 1))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(resp.status(), 200);
            }
            let resp = http.post(format!("{base}/_sim/save")).send().await.unwrap();
            let status = resp.status();
            assert_eq!(status, 200, "{}", resp.text().await.unwrap());
        }));
    }
    for job in jobs {
        job.await.unwrap();
    }
    // One more save after everything: the file must hold all twelve endpoints.
    assert_eq!(
        http.post(format!("{base}/_sim/save")).send().await.unwrap().status(),
        200
    );
    let snapshot: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    assert_eq!(snapshot["endpoints"].as_array().unwrap().len(), 12);
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "state file mode {mode:o}");
    sim.shutdown().await.unwrap();
    let left: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left, ["state.json"], "no temporary file left behind");
}
