//! Every facade operation against the simulator, in v1 and in v2 mode, checking what each API
//! version actually received on the wire (field names, credential type, statusList encoding,
//! scale form, update verb) and that results come back in one vocabulary.

use crate::sim::{body, client, queue_spec, quick_wait, received, running_endpoint, simulator};
use futures::TryStreamExt;
use serde_json::json;
use yotta::{ApiVersion, Direction, EndpointStatus, EndpointUpdate, LogQuery, TaskListQuery, TaskSpec, TaskStatus};
use yotta::{ErrorKind, WorkerStatus};

#[tokio::test]
async fn every_operation_in_v1() {
    every_operation(ApiVersion::V1).await;
}

#[tokio::test]
async fn every_operation_in_v2() {
    every_operation(ApiVersion::V2).await;
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
    let credential = yotta
        .credentials()
        .create(&yotta::CredentialSpec::new("registry", "robot", "pw"))
        .await
        .unwrap()
        .id
        .into_string();
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
        assert!(sent.get("containerRegistryAuthId").is_none(), "v1 has one spelling");
    } else {
        assert_eq!(create.path, "/v2/serverless");
        assert_eq!(sent["envVars"], json!([{"key": "MODEL", "value": "llama-3-8b"}]));
        assert_eq!(sent["webhook"], "https://hooks.example.com/status");
        assert_eq!(
            sent["credentialId"].as_u64().map(|n| n.to_string()),
            Some(credential.clone()),
            "v2 takes the credential id as an integer"
        );
        assert_eq!(
            sent["containerRegistryAuthId"], sent["credentialId"],
            "v2 create carries the guide's spelling too"
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

    // Tasks: each version's own task API (v1's with the endpoint in X-Endpoint-ID).
    let task = TaskSpec::new(json!({"prompt": "Hello"}), 8000, "v1/chat/completions").task_id("task_1");
    let task_id = yotta.tasks().submit(&id, &task).await.unwrap();
    assert_eq!(task_id.as_str(), "task_1");
    let submit = if v1 {
        received(&sim, "POST", "/openapi/v1/skywalker/tasks/create")[0].clone()
    } else {
        received(&sim, "POST", &format!("/v2/serverless/{id}/tasks"))[0].clone()
    };
    assert_eq!(
        body(&submit)["processUri"],
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
    let id = running_endpoint(&yotta, "follow").await;
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
    let verifier = yotta::webhook::Verifier::new("s3cret").unwrap();
    let note = verifier.verify(Some(authorization), &request[body_start..]).unwrap();
    assert!(verifier.verify(Some("Bearer other"), &request[body_start..]).is_err());
    assert_eq!(note.task_id.as_str(), "hooked");
    assert_eq!(note.endpoint_id, id);
    assert!(note.success);
    assert_eq!(note.result.unwrap()["echo"], json!({"n": 1}));
}

#[tokio::test]
async fn run_patch_and_per_call_options_in_both_versions() {
    let sim = simulator().await;
    for version in [ApiVersion::V1, ApiVersion::V2] {
        let yotta = client(&sim, version);
        let spec = queue_spec("run-patch")
            .env("MODEL", "llama")
            .webhook("https://hooks.example/x");
        let id = yotta.endpoints().create(&spec).await.unwrap().id;
        yotta
            .endpoints()
            .wait_for_status(&id, EndpointStatus::Running, quick_wait())
            .await
            .unwrap();

        // run: the output, or a typed error carrying the task's id and reason.
        let output = yotta
            .tasks()
            .run(&id, &TaskSpec::new(json!({"n": 1}), 8000, "/run"), quick_wait())
            .await
            .unwrap();
        assert_eq!(output.unwrap()["echo"], json!({"n": 1}));
        let failing = TaskSpec::new(json!({"simulateFailure": "CUDA out of memory"}), 8000, "/run").task_id("doomed");
        let error = yotta.tasks().run(&id, &failing, quick_wait()).await.unwrap_err();
        assert_eq!(error.kind(), yotta::ErrorKind::TaskFailed);
        match &error {
            yotta::Error::TaskFailed { task_id, reason, .. } => {
                assert_eq!(task_id, "doomed");
                assert_eq!(reason.as_deref(), Some("CUDA out of memory"));
            }
            other => panic!("{other}"),
        }

        // Per-call options: an extra header reaches the API, the client's settings stay.
        let traced = yotta.with_options(yotta::RequestOptions::new().header("X-Trace", "abc").unwrap());
        traced.endpoints().get(&id).await.unwrap();
        let prefix = if version == ApiVersion::V1 {
            "/openapi/v1/elastic/deploy"
        } else {
            "/v2/serverless"
        };
        let gets = received(&sim, "GET", &format!("{prefix}/{id}"));
        assert_eq!(
            gets.last().unwrap().headers.get("x-trace").map(String::as_str),
            Some("abc")
        );
        yotta.endpoints().get(&id).await.unwrap();
        let gets = received(&sim, "GET", &format!("{prefix}/{id}"));
        assert_eq!(gets.last().unwrap().headers.get("x-trace"), None);

        // patch: read, merge, send the whole configuration.
        yotta.endpoints().stop(&id).await.unwrap();
        yotta
            .endpoints()
            .wait_for_status(&id, EndpointStatus::Stopped, quick_wait())
            .await
            .unwrap();
        let rename = yotta::EndpointPatch::new().name("patched");
        let error = yotta.endpoints().patch(&id, &rename).await.unwrap_err();
        assert_eq!(
            error.field(),
            Some("workers"),
            "no live workers: the count to keep is unknown"
        );
        let patched = yotta.endpoints().patch(&id, &rename.workers(1)).await.unwrap();
        assert_eq!(patched.name, "patched");
        assert_eq!(
            patched.environment_vars, spec.environment_vars,
            "unchanged fields are kept"
        );
        assert_eq!(patched.webhook.as_deref(), Some("https://hooks.example/x"));
        assert_eq!(patched.container_volume_in_gb, Some(40));
        yotta.endpoints().delete(&id).await.unwrap();
    }
    sim.shutdown().await.unwrap();
}

/// A private image, end to end: a credential, an endpoint that uses it, the credential's deletion
/// refused while the endpoint exists, then both deleted; the secret never comes back.
#[tokio::test]
async fn the_private_image_flow_in_both_versions() {
    let sim = simulator().await;
    for version in [ApiVersion::V1, ApiVersion::V2] {
        let yotta = client(&sim, version);
        let spec =
            yotta::CredentialSpec::new("private", "robot", "s3cret-pw").registry_type(yotta::RegistryType::DockerHub);
        let credential = yotta.credentials().create(&spec).await.unwrap();
        assert!(BigIntLike::above_2_pow_53(credential.id.as_str()), "{}", credential.id);
        let prefix = match version {
            ApiVersion::V1 => "/openapi/v1/credentials/create",
            ApiVersion::V2 => "/v2/container-registry-auths",
        };
        let sent = body(received(&sim, "POST", prefix).last().unwrap());
        match version {
            // v1 calls the secret `token` and has no `type`; v2 `password` and `type`.
            ApiVersion::V1 => assert!(sent.get("token").is_some() && sent.get("type").is_none(), "{sent}"),
            ApiVersion::V2 => assert!(sent.get("password").is_some() && sent["type"] == "DOCKER_HUB", "{sent}"),
        }
        let listed = yotta.credentials().list().await.unwrap();
        assert!(listed.iter().any(|c| c.id == credential.id && c.name == "private"));
        let fetched = yotta.credentials().get(&credential.id).await.unwrap();
        assert_eq!(fetched.name, "private");
        let renamed = yotta
            .credentials()
            .update(
                &credential.id,
                &yotta::CredentialUpdate {
                    name: Some("private2".into()),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        assert_eq!(renamed.name, "private2", "v1 clients' updates go to v2");

        let endpoint = yotta
            .endpoints()
            .create(&queue_spec("private-image").credential(&credential.id))
            .await
            .unwrap();
        let refused = yotta.credentials().delete(&credential.id).await.unwrap_err();
        assert_eq!((refused.kind(), refused.code()), (ErrorKind::NotAllowed, Some(25002)));
        assert!(refused.advice().unwrap().contains("in use"), "{:?}", refused.advice());
        yotta
            .endpoints()
            .wait_for_status(&endpoint.id, EndpointStatus::Running, quick_wait())
            .await
            .unwrap();
        yotta.endpoints().stop(&endpoint.id).await.unwrap();
        yotta
            .endpoints()
            .wait_for_status(&endpoint.id, EndpointStatus::Stopped, quick_wait())
            .await
            .unwrap();
        yotta.endpoints().delete(&endpoint.id).await.unwrap();
        yotta.credentials().delete(&credential.id).await.unwrap();
        let gone = yotta.credentials().get(&credential.id).await.unwrap_err();
        assert_eq!((gone.kind(), gone.code()), (ErrorKind::NotFound, Some(10007)));

        // The secret never came back in any answer.
        let state = reqwest::get(format!("{}/_sim/requests?limit=1000", sim.base_url()))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(!state.contains("s3cret-pw"), "the request log redacts it too");
    }
    sim.shutdown().await.unwrap();
}

/// Endpoint ids are decimal text above 2^53.
struct BigIntLike;

impl BigIntLike {
    fn above_2_pow_53(id: &str) -> bool {
        id.parse::<u64>().is_ok_and(|n| n > 1 << 53)
    }
}

/// A v1 client's tasks go to the v1 task API: the `X-Endpoint-ID` header, its paths, its
/// integer statuses, in the same model as v2's.
#[tokio::test]
async fn v1_tasks_through_the_v1_task_api() {
    let sim = simulator().await;
    let yotta = client(&sim, ApiVersion::V1);
    let id = running_endpoint(&yotta, "v1-tasks").await;
    let task_id = yotta
        .tasks()
        .submit(
            &id,
            &TaskSpec::new(json!({"prompt": "Hello"}), 8000, "run").task_id("v1_task_1"),
        )
        .await
        .unwrap();
    assert_eq!(task_id.as_str(), "v1_task_1");
    let submit = &received(&sim, "POST", "/openapi/v1/skywalker/tasks/create")[0];
    assert_eq!(
        submit.headers.get("x-endpoint-id").map(String::as_str),
        Some(id.as_str())
    );
    let sent = body(submit);
    assert_eq!(
        (
            sent["userTaskId"].as_str(),
            sent["processUri"].as_str(),
            &sent["taskData"]
        ),
        (Some("v1_task_1"), Some("/run"), &json!({"prompt": "Hello"}))
    );
    assert!(received(&sim, "POST", &format!("/v2/serverless/{id}/tasks")).is_empty());

    let done = yotta.tasks().wait(&id, &task_id, quick_wait()).await.unwrap();
    assert_eq!(done.status, TaskStatus::Success);
    assert_eq!(done.endpoint_id.as_ref(), Some(&id));
    assert_eq!(done.output.unwrap()["echo"], json!({"prompt": "Hello"}));
    assert!(
        done.created_at.is_some_and(|ms| ms > 1_600_000_000_000),
        "times read as epoch ms"
    );
    let raw = reqwest::Client::new()
        .get(format!("{}/openapi/v1/skywalker/tasks/v1_task_1", sim.base_url()))
        .header("X-API-Key", crate::sim::KEY)
        .header("X-Endpoint-ID", id.as_str())
        .send()
        .await
        .unwrap()
        .json::<serde_json::Value>()
        .await
        .unwrap();
    assert!(raw["data"]["status"].is_i64(), "the wire status is an integer: {raw}");

    let output = yotta
        .tasks()
        .run(&id, &TaskSpec::new(json!(7), 8000, "/run"), quick_wait())
        .await
        .unwrap();
    assert_eq!(output.unwrap()["echo"], json!(7));
    let page = yotta
        .tasks()
        .page(
            &id,
            &TaskListQuery {
                status: Some(TaskStatus::Success),
                page_size: Some(1),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!((page.items.len(), page.total, page.pages), (1, 2, 2));
    let list = &received(&sim, "GET", "/openapi/v1/skywalker/tasks")
        .last()
        .unwrap()
        .clone();
    assert!(
        list.query.as_deref().unwrap_or_default().contains("status=2"),
        "{:?}",
        list.query
    );
    let every: Vec<_> = yotta.tasks().stream(&id, None).try_collect().await.unwrap();
    assert_eq!(every.len(), 2);
    assert_eq!(yotta.tasks().count(&id).await.unwrap().processing, 0);
    let missing = yotta.tasks().get(&id, "nope").await.unwrap_err();
    assert_eq!(missing.kind(), ErrorKind::TaskNotFound);

    // A retried submission with the same userTaskId creates one task: the first answer is
    // lost after the task was queued, the SDK sends it again.
    sim.add_fault(yotta_sim::FaultSpec {
        method: Some("POST".into()),
        path: Some("/openapi/v1/skywalker/tasks/create".into()),
        count: Some(1),
        ..yotta_sim::FaultSpec::new(yotta_sim::FaultKind::Error)
    });
    yotta
        .tasks()
        .submit(&id, &TaskSpec::new(json!(3), 8000, "/run").task_id("retried"))
        .await
        .unwrap();
    let posts = received(&sim, "POST", "/openapi/v1/skywalker/tasks/create");
    assert_eq!(posts.len(), 4, "the 503 was retried (safe: idempotent on userTaskId)");
    let all: Vec<_> = yotta.tasks().stream(&id, None).try_collect().await.unwrap();
    assert_eq!(all.iter().filter(|t| t.task_id.as_str() == "retried").count(), 1);
    sim.shutdown().await.unwrap();
}

/// The documented per-endpoint limit (40 QPS for v1 creation) is kept by the client: a burst of
/// 200 submissions is paced, and the simulator, which enforces the limit, answers none with 429.
#[tokio::test]
async fn the_client_paces_a_burst_under_the_documented_rate_limit() {
    let sim = simulator().await;
    let yotta = client(&sim, ApiVersion::V1);
    let id = running_endpoint(&yotta, "burst").await;
    let started = std::time::Instant::now();
    let submissions = (0..200).map(|i| {
        let yotta = yotta.clone();
        let id = id.clone();
        async move { yotta.tasks().submit(&id, &TaskSpec::new(json!(i), 8000, "/run")).await }
    });
    let results = futures::future::join_all(submissions).await;
    assert!(
        results.iter().all(Result::is_ok),
        "{:?}",
        results.iter().find(|r| r.is_err())
    );
    let took = started.elapsed();
    let limited = received(&sim, "POST", "/openapi/v1/skywalker/tasks/create")
        .iter()
        .filter(|r| r.status == Some(429))
        .count();
    assert_eq!(limited, 0, "no request was answered 429");
    // The client keeps under 40 a second (20 at once, then 36 a second): over 4 s for 200.
    assert!(took >= std::time::Duration::from_millis(4000), "{took:?}");
    sim.shutdown().await.unwrap();
}
