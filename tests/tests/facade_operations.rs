//! Every facade operation against the simulator, in v1 and in v2 mode, checking what each API
//! version actually received on the wire (field names, credential type, statusList encoding,
//! scale form, update verb) and that results come back in one vocabulary.

use futures::TryStreamExt;
use serde_json::json;
use yotta::{ApiVersion, Direction, EndpointStatus, EndpointUpdate, LogQuery, TaskListQuery, TaskSpec, TaskStatus};
use yotta::{WorkerStatus, webhook::TaskNotification};
use yotta_tests::sim::{body, client, queue_spec, quick_wait, received, simulator};

#[tokio::test]
async fn every_operation_in_v1() {
    every_operation(ApiVersion::V1).await;
}

#[tokio::test]
async fn every_operation_in_v2() {
    every_operation(ApiVersion::V2).await;
}

/// A registry credential created on the simulator over raw HTTP (the facade has no credential
/// operations yet); its exact id as text.
async fn registry_credential(sim: &yotta_sim::Simulator) -> String {
    let reply: serde_json::Value = reqwest::Client::new()
        .post(format!("{}/v2/container-registry-auths", sim.base_url()))
        .header("X-API-Key", yotta_tests::sim::KEY)
        .json(&json!({"name": "registry", "type": "DOCKER_HUB", "username": "robot", "password": "pw"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    reply["data"]["id"].as_u64().expect("a credential id").to_string()
}

async fn every_operation(version: ApiVersion) {
    let sim = simulator().await;
    let yotta = client(&sim, version);
    let (v1, prefix) = match version {
        ApiVersion::V1 => (true, "/openapi/v1/elastic/deploy"),
        ApiVersion::V2 => (false, "/v2/serverless"),
    };

    // Create: each version's spelling of env vars, webhook and credential (the simulator only
    // takes a credential that exists).
    let credential = registry_credential(&sim).await;
    let spec = queue_spec("wire-check")
        .env("MODEL", "llama-3-8b")
        .webhook("https://hooks.example.com/status")
        .credential(credential.as_str())
        .expose(8000, "http");
    let created = yotta.endpoints().create(&spec).await.unwrap();
    let create = &received(&sim, "POST", prefix)[0];
    let sent = body(create);
    if v1 {
        assert_eq!(create.path, "/openapi/v1/elastic/deploy/create");
        assert_eq!(
            sent["environmentVars"],
            json!([{"key": "MODEL", "value": "llama-3-8b"}])
        );
        assert_eq!(sent["webhookUrl"], "https://hooks.example.com/status");
        assert_eq!(
            sent["credentialId"],
            credential.as_str(),
            "v1 takes the credential id as a string"
        );
        assert!(sent.get("envVars").is_none() && sent.get("webhook").is_none());
    } else {
        assert_eq!(create.path, "/v2/serverless");
        assert_eq!(sent["envVars"], json!([{"key": "MODEL", "value": "llama-3-8b"}]));
        assert_eq!(sent["webhook"], "https://hooks.example.com/status");
        assert_eq!(
            sent["credentialId"].as_u64().map(|n| n.to_string()),
            Some(credential.clone()),
            "v2 takes the credential id as an integer"
        );
        assert!(sent.get("environmentVars").is_none() && sent.get("webhookUrl").is_none());
    }
    assert_eq!(
        create.headers.get("x-api-key").map(String::as_str),
        Some("***"),
        "the key was sent"
    );
    assert!(
        !create.headers.contains_key("api-version"),
        "no progenitor api-version header"
    );

    // The response reads the same whichever version served it.
    assert_eq!(created.name, "wire-check");
    assert_eq!(created.environment_vars[0].key, "MODEL");
    assert_eq!(created.webhook.as_deref(), Some("https://hooks.example.com/status"));
    assert_eq!(created.credential_id.as_ref().unwrap().as_str(), credential);
    assert_eq!(created.expose.as_ref().unwrap().port, 8000);
    let id = created.id.clone();

    let running = yotta
        .endpoints()
        .wait_for_status(&id, EndpointStatus::Running, quick_wait())
        .await
        .unwrap();
    assert_eq!(running.running_workers, Some(1));
    assert_eq!(yotta.endpoints().get(&id).await.unwrap().id, id);

    // List with a status filter: statusList repeated, as the reference documents.
    let listed = yotta
        .endpoints()
        .list(&[EndpointStatus::Running, EndpointStatus::Stopped])
        .await
        .unwrap();
    assert!(listed.iter().any(|e| e.id == id));
    let list = received(&sim, "GET", prefix)
        .into_iter()
        .find(|r| r.query.is_some())
        .unwrap();
    assert_eq!(list.query.as_deref(), Some("statusList=RUNNING&statusList=STOPPED"));
    assert_eq!(
        list.path,
        if v1 {
            "/openapi/v1/elastic/deploy/list"
        } else {
            "/v2/serverless"
        }
    );

    // Workers and their logs.
    let workers = yotta.workers().list(&id, &[WorkerStatus::Running]).await.unwrap();
    assert_eq!(workers.len(), 1);
    let worker = workers[0].id.clone();
    assert!(
        received(&sim, "GET", &format!("{prefix}/{id}/workers"))
            .iter()
            .any(|r| r.query.as_deref() == Some("statusList=RUNNING"))
    );
    let page = yotta
        .logs()
        .page(&id, &worker, &LogQuery::default().page_size(20))
        .await
        .unwrap();
    assert_eq!(page.logs.len(), 20);
    assert!(page.has_more);
    let all: Vec<_> = yotta
        .logs()
        .stream(&id, &worker, LogQuery::default().page_size(17))
        .try_collect()
        .await
        .unwrap();
    assert!(all.len() > 50, "the backlog and the start-up lines: {}", all.len());
    assert!(
        all.windows(2).all(|w| w[0].offset < w[1].offset),
        "forward paging is in order without repeats"
    );
    let newest_first: Vec<_> = yotta
        .logs()
        .stream(
            &id,
            &worker,
            LogQuery::default().page_size(17).direction(Direction::Backward),
        )
        .try_collect()
        .await
        .unwrap();
    assert_eq!(newest_first.len(), all.len());
    assert_eq!(newest_first[0], *all.last().unwrap());

    // Tasks go to v2 whatever the client's version.
    let task = TaskSpec::new(json!({"prompt": "Hello"}), 8000, "v1/chat/completions").task_id("task_1");
    let task_id = yotta.tasks().submit(&id, &task).await.unwrap();
    assert_eq!(task_id.as_str(), "task_1");
    let submit = &received(&sim, "POST", &format!("/v2/serverless/{id}/tasks"))[0];
    assert_eq!(
        body(submit)["processUri"],
        "/v1/chat/completions",
        "leading slash added"
    );
    let done = yotta.tasks().wait(&id, &task_id, quick_wait()).await.unwrap();
    assert!(done.status.is_terminal());
    assert_eq!(done.output.as_ref().unwrap()["echo"], json!({"prompt": "Hello"}));
    let generated = yotta
        .tasks()
        .submit(&id, &TaskSpec::new(json!(2), 8000, "/run"))
        .await
        .unwrap();
    assert_eq!(generated.as_str().len(), 32, "a task id is generated client-side");
    let listed = yotta
        .tasks()
        .page(
            &id,
            &TaskListQuery {
                page_size: Some(1),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!((listed.items.len(), listed.total), (1, 2));
    let every: Vec<_> = yotta.tasks().stream(&id, None).try_collect().await.unwrap();
    assert_eq!(every.len(), 2);
    yotta.tasks().wait(&id, &generated, quick_wait()).await.unwrap();
    let succeeded: Vec<_> = yotta
        .tasks()
        .stream(&id, Some(TaskStatus::Success))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(succeeded.len(), 2);
    assert_eq!(yotta.tasks().count(&id).await.unwrap().processing, 0);
    assert_eq!(
        yotta.tasks().get(&id, &task_id).await.unwrap().input,
        Some(json!({"prompt": "Hello"}))
    );

    // Scale: v1 POST {"workers": n}; v2 PUT ?count=n.
    yotta.endpoints().scale(&id, 2).await.unwrap();
    if v1 {
        let scale = &received(&sim, "POST", &format!("{prefix}/{id}/workers"))[0];
        assert_eq!(body(scale), json!({"workers": 2}));
    } else {
        let scale = &received(&sim, "PUT", &format!("{prefix}/{id}/workers"))[0];
        assert_eq!(scale.query.as_deref(), Some("count=2"));
    }

    // Stop, update (v1 POST .../update, v2 PATCH), start, stop, delete.
    yotta.endpoints().stop(&id).await.unwrap();
    let stopped = yotta
        .endpoints()
        .wait_for_status(&id, EndpointStatus::Stopped, quick_wait())
        .await
        .unwrap();
    let mut update = EndpointUpdate::from(&stopped);
    update.workers = 1;
    update.name = "wire-check-2".into();
    let updated = yotta.endpoints().update(&id, &update).await.unwrap();
    assert_eq!(updated.name, "wire-check-2");
    if v1 {
        assert_eq!(received(&sim, "POST", &format!("{prefix}/{id}/update")).len(), 1);
    } else {
        assert_eq!(received(&sim, "PATCH", &format!("{prefix}/{id}")).len(), 1);
    }
    yotta.endpoints().start(&id).await.unwrap();
    yotta
        .endpoints()
        .wait_for_status(&id, EndpointStatus::Running, quick_wait())
        .await
        .unwrap();
    yotta.endpoints().stop(&id).await.unwrap();
    yotta
        .endpoints()
        .wait_for_status(&id, EndpointStatus::Stopped, quick_wait())
        .await
        .unwrap();
    yotta.endpoints().delete(&id).await.unwrap();
    assert_eq!(received(&sim, "DELETE", &format!("{prefix}/{id}")).len(), 1);
    sim.shutdown().await.unwrap();
}

#[tokio::test]
async fn ids_above_2_pow_53_match_the_simulators_state_exactly() {
    let sim = simulator().await;
    let state_url = format!("{}/_sim/state", sim.base_url());
    for version in [ApiVersion::V1, ApiVersion::V2] {
        let yotta = client(&sim, version);
        let created = yotta.endpoints().create(&queue_spec("big-id")).await.unwrap();
        let state: serde_json::Value = reqwest::get(&state_url).await.unwrap().json().await.unwrap();
        let ids: Vec<&str> = state["endpoints"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["id"].as_str().unwrap())
            .collect();
        assert!(ids.contains(&created.id.as_str()), "{} not in {ids:?}", created.id);
        assert!(created.id.as_str().parse::<u64>().unwrap() > (1u64 << 53));
        assert_eq!(yotta.endpoints().get(&created.id).await.unwrap().id, created.id);
    }
}

#[tokio::test]
async fn follow_mode_keeps_yielding_new_lines() {
    let sim = simulator().await;
    let yotta = client(&sim, ApiVersion::V2);
    let id = yotta.endpoints().create(&queue_spec("follow")).await.unwrap().id;
    yotta
        .endpoints()
        .wait_for_status(&id, EndpointStatus::Running, quick_wait())
        .await
        .unwrap();
    let worker = yotta.workers().list(&id, &[]).await.unwrap()[0].id.clone();
    let existing = yotta
        .logs()
        .stream(&id, &worker, LogQuery::default().page_size(1000))
        .try_collect::<Vec<_>>()
        .await
        .unwrap()
        .len();

    let appender = {
        let url = format!("{}/_sim/endpoints/{id}/workers/{worker}/logs", sim.base_url());
        tokio::spawn(async move {
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            reqwest::Client::new()
                .post(url)
                .json(&json!({"lines": ["fresh line one", "fresh line two"]}))
                .send()
                .await
                .unwrap();
        })
    };
    let follow = yotta.logs().follow(
        &id,
        &worker,
        LogQuery::default().page_size(1000),
        std::time::Duration::from_millis(20),
    );
    let lines: Vec<_> = tokio::time::timeout(
        std::time::Duration::from_secs(10),
        follow.take(existing + 2).try_collect::<Vec<_>>(),
    )
    .await
    .expect("follow yields the appended lines")
    .unwrap();
    appender.await.unwrap();
    assert_eq!(lines[existing].log, "fresh line one");
    assert_eq!(lines[existing + 1].log, "fresh line two");
}

use futures::StreamExt as _;

#[tokio::test]
async fn webhook_notifications_parse_with_the_sdk() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let receiver = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let hook = format!("http://{}/hook", receiver.local_addr().unwrap());
    let sim = simulator().await;
    let yotta = client(&sim, ApiVersion::V2);
    let id = yotta.endpoints().create(&queue_spec("hooks")).await.unwrap().id;
    let task = TaskSpec::new(json!({"n": 1}), 8000, "/run")
        .task_id("hooked")
        .webhook(&hook, Some("s3cret".into()));
    yotta.tasks().submit(&id, &task).await.unwrap();

    let (mut stream, _) = tokio::time::timeout(std::time::Duration::from_secs(10), receiver.accept())
        .await
        .unwrap()
        .unwrap();
    let mut request = Vec::new();
    let mut buffer = [0u8; 4096];
    let body_start = loop {
        let read = stream.read(&mut buffer).await.unwrap();
        request.extend_from_slice(&buffer[..read]);
        if let Some(end) = request.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&request[..end]).to_ascii_lowercase();
            let length: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .unwrap()
                .trim()
                .parse()
                .unwrap();
            while request.len() < end + 4 + length {
                let read = stream.read(&mut buffer).await.unwrap();
                request.extend_from_slice(&buffer[..read]);
            }
            break end + 4;
        }
    };
    stream
        .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
        .await
        .unwrap();
    let head = String::from_utf8_lossy(&request[..body_start]).to_string();
    let authorization = head
        .lines()
        .find_map(|l| l.strip_prefix("authorization: ").or(l.strip_prefix("Authorization: ")))
        .unwrap();
    assert!(yotta::webhook::auth_key_matches(authorization, "s3cret"));
    let note = TaskNotification::parse(&request[body_start..]).unwrap();
    assert_eq!(note.task_id.as_str(), "hooked");
    assert_eq!(note.endpoint_id, id);
    assert!(note.success);
    assert_eq!(note.result.unwrap()["echo"], json!({"n": 1}));
}
