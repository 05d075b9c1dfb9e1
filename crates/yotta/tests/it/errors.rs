//! Business codes become typed errors, and each simulator fault kind ends in the right retry or
//! error: retried when safe, never retried when a create could run twice, and always typed.

use crate::sim::{KEY, client, queue_spec, received, running_endpoint, simulator};
use serde_json::json;
use std::time::Duration;
use yotta::{ApiVersion, EndpointStatus, ErrorKind, TaskSpec};
use yotta_sim::{FaultKind, FaultSpec};

fn fault(kind: FaultKind, method: &str, path: &str, count: Option<u64>) -> FaultSpec {
    FaultSpec {
        method: Some(method.into()),
        path: Some(path.into()),
        count,
        ..FaultSpec::new(kind)
    }
}

#[tokio::test]
async fn business_codes_map_to_kinds_in_both_versions() {
    let sim = yotta_sim::SimConfig::for_tests()
        .with_api_key(KEY)
        .with_max_endpoints(2)
        .with_capacity("us-east-1", "NVIDIA_H100_80G", 2)
        .spawn()
        .await
        .unwrap();
    // (version, endpoint not found, task not found, task refused by a non-QUEUE endpoint)
    for (version, not_found, no_task, not_queue) in [
        (ApiVersion::V1, 24001, 40402, 40001),
        (ApiVersion::V2, 14000, 24011, 10001),
    ] {
        sim.reset();
        let yotta = client(&sim, version);
        let error = yotta.endpoints().get("123").await.unwrap_err();
        assert_eq!(
            (error.kind(), error.code(), error.http_status()),
            (ErrorKind::NotFound, Some(not_found), Some(200))
        );

        let id = running_endpoint(&yotta, "codes").await;
        let error = yotta.endpoints().delete(&id).await.unwrap_err();
        assert_eq!((error.kind(), error.code()), (ErrorKind::NotAllowed, Some(24002)));
        assert_eq!(
            error.advice(),
            Some("cannot delete an endpoint that is not stopped: stop it first")
        );

        let mut big = queue_spec("too-big").workers(3);
        big.resources = vec![yotta::Resource::new("us-east-1", "NVIDIA_H100_80G", 1)];
        let error = yotta.endpoints().create(&big).await.unwrap_err();
        assert_eq!((error.kind(), error.code()), (ErrorKind::InsufficientGpus, Some(24009)));

        yotta.endpoints().create(&queue_spec("second")).await.unwrap();
        let error = yotta.endpoints().create(&queue_spec("third")).await.unwrap_err();
        assert_eq!((error.kind(), error.code()), (ErrorKind::QuotaExceeded, Some(24003)));

        let error = yotta.tasks().get(&id, "missing").await.unwrap_err();
        assert_eq!((error.kind(), error.code()), (ErrorKind::TaskNotFound, Some(no_task)));

        let mut custom = queue_spec("custom");
        custom.service_mode = yotta::ServiceMode::Custom;
        sim.reset();
        let custom_id = yotta.endpoints().create(&custom).await.unwrap().id;
        let error = yotta
            .tasks()
            .submit(&custom_id, &TaskSpec::new(json!(1), 80, "/x"))
            .await
            .unwrap_err();
        assert_eq!(
            (error.kind(), error.code()),
            (ErrorKind::InvalidParameter, Some(not_queue))
        );
    }
}

#[tokio::test]
async fn a_wrong_key_is_unauthorized_and_never_echoed() {
    let sim = crate::sim::simulator().await;
    let yotta = yotta::Client::builder()
        .api_key("wrong-key-xyz")
        .base_url(sim.base_url())
        .build()
        .unwrap();
    let error = yotta.endpoints().list(&[]).await.unwrap_err();
    assert_eq!(
        (error.kind(), error.http_status()),
        (ErrorKind::Unauthorized, Some(401))
    );
    assert!(!format!("{error} {error:?}").contains("wrong-key-xyz"));
}

#[tokio::test]
async fn validation_happens_before_the_network() {
    let sim = simulator().await;
    let yotta = client(&sim, ApiVersion::V2);
    let error = yotta
        .endpoints()
        .create(&queue_spec("name-way-too-long-for-v2"))
        .await
        .unwrap_err();
    assert_eq!((error.kind(), error.field()), (ErrorKind::Validation, Some("name")));
    let error = yotta.endpoints().get("not-a-number").await.unwrap_err();
    assert_eq!(error.field(), Some("id"));
    assert!(sim.requests().is_empty(), "nothing was sent");
}

#[tokio::test]
async fn transient_faults_are_retried_for_reads() {
    let sim = simulator().await;
    let yotta = client(&sim, ApiVersion::V2);
    for kind in [FaultKind::Error, FaultKind::Drop, FaultKind::RateLimit] {
        let mut spec = fault(kind, "GET", "/v2/serverless", Some(1));
        spec.retry_after = Some(0);
        sim.add_fault(spec);
        yotta
            .endpoints()
            .list(&[])
            .await
            .unwrap_or_else(|e| panic!("{kind:?} was not retried: {e}"));
    }
    let lists = received(&sim, "GET", "/v2/serverless");
    assert_eq!(lists.len(), 6, "each fault cost exactly one extra attempt");
}

#[tokio::test]
async fn faults_that_persist_end_in_typed_errors() {
    let sim = simulator().await;
    let yotta = client(&sim, ApiVersion::V2);

    let mut gateway = fault(FaultKind::Error, "GET", "/v2/serverless", None);
    gateway.status = Some(502);
    let active = sim.add_fault(gateway);
    let error = yotta.endpoints().list(&[]).await.unwrap_err();
    assert_eq!((error.kind(), error.http_status()), (ErrorKind::Http, Some(502)));
    assert!(
        matches!(&error, yotta::Error::Http { body_excerpt, .. } if body_excerpt.contains("<html")),
        "{error:?}"
    );
    assert_eq!(
        received(&sim, "GET", "/v2/serverless").len(),
        3,
        "first attempt plus two retries"
    );
    sim.clear_faults();
    let _ = active;

    sim.add_fault(fault(FaultKind::Drop, "GET", "/v2/serverless", None));
    assert_eq!(
        yotta.endpoints().list(&[]).await.unwrap_err().kind(),
        ErrorKind::Network
    );
    sim.clear_faults();

    sim.add_fault(fault(FaultKind::Truncate, "GET", "/v2/serverless", None));
    let error = yotta.endpoints().list(&[]).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Decode);
    assert!(
        matches!(&error, yotta::Error::Decode { body_excerpt, .. } if body_excerpt.starts_with("{\"")),
        "{error:?}"
    );
    sim.clear_faults();

    sim.add_fault(fault(FaultKind::Malformed, "GET", "/v2/serverless", None));
    assert_eq!(yotta.endpoints().list(&[]).await.unwrap_err().kind(), ErrorKind::Decode);
    sim.clear_faults();

    let mut slow = fault(FaultKind::Latency, "GET", "/v2/serverless", None);
    slow.delay_ms = Some(2_000);
    sim.add_fault(slow);
    let impatient = yotta::Client::builder()
        .api_key(KEY)
        .base_url(sim.base_url())
        .timeout(Duration::from_millis(100))
        .max_retries(0)
        .build()
        .unwrap();
    let error = impatient.endpoints().list(&[]).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Timeout);
}

#[tokio::test]
async fn creation_is_never_retried_blindly() {
    let sim = simulator().await;
    let yotta = client(&sim, ApiVersion::V2);

    // A 502 or a dropped connection may come after the endpoint was created: not retried.
    let mut gateway = fault(FaultKind::Error, "POST", "/v2/serverless", Some(1));
    gateway.status = Some(502);
    sim.add_fault(gateway);
    assert_eq!(
        yotta
            .endpoints()
            .create(&queue_spec("once"))
            .await
            .unwrap_err()
            .http_status(),
        Some(502)
    );
    sim.add_fault(fault(FaultKind::Drop, "POST", "/v2/serverless", Some(1)));
    assert_eq!(
        yotta.endpoints().create(&queue_spec("once")).await.unwrap_err().kind(),
        ErrorKind::Network
    );
    assert_eq!(received(&sim, "POST", "/v2/serverless").len(), 2, "one attempt each");

    // A 429 proves the request was refused before running: retried, after Retry-After.
    let mut limited = fault(FaultKind::RateLimit, "POST", "/v2/serverless", Some(1));
    limited.retry_after = Some(1);
    sim.add_fault(limited);
    let started = std::time::Instant::now();
    yotta.endpoints().create(&queue_spec("after-429")).await.unwrap();
    assert!(
        started.elapsed() >= Duration::from_millis(900),
        "Retry-After was honoured"
    );
    let state: serde_json::Value = reqwest::get(format!("{}/_sim/state", sim.base_url()))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        state["endpoints"].as_array().unwrap().len(),
        1,
        "exactly one endpoint exists"
    );
}

#[tokio::test]
async fn task_submission_is_idempotent_under_retries() {
    let sim = simulator().await;
    let yotta = client(&sim, ApiVersion::V2);
    let id = yotta.endpoints().create(&queue_spec("tasks")).await.unwrap().id;
    // The response to the first attempt is lost after the task was queued.
    sim.add_fault(fault(FaultKind::Truncate, "POST", "/v2/serverless/{id}/tasks", Some(1)));
    let error = yotta
        .tasks()
        .submit(&id, &TaskSpec::new(json!(1), 80, "/x"))
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Decode, "a corrupt answer is not retried");
    sim.add_fault(fault(FaultKind::Error, "POST", "/v2/serverless/{id}/tasks", Some(1)));
    let task_id = yotta
        .tasks()
        .submit(&id, &TaskSpec::new(json!(2), 80, "/x"))
        .await
        .unwrap();
    let submits = received(&sim, "POST", &format!("/v2/serverless/{id}/tasks"));
    assert_eq!(submits.len(), 3);
    assert_eq!(
        crate::sim::body(&submits[1])["taskId"],
        crate::sim::body(&submits[2])["taskId"],
        "the retry repeats the generated task id"
    );
    let page = yotta.tasks().page(&id, &Default::default()).await.unwrap();
    assert_eq!(page.total, 2, "the retried submission was not queued twice");
    assert!(page.items.iter().any(|t| t.task_id == task_id));
}

#[tokio::test]
async fn waiters_stop_early_on_failed_and_give_up_at_the_deadline() {
    let sim = yotta_sim::SimConfig::for_tests()
        .with_api_key(KEY)
        .with_timing(yotta_sim::Timing {
            init_delay: Duration::from_secs(3600),
            ..yotta_sim::Timing::instant()
        })
        .spawn()
        .await
        .unwrap();
    let yotta = client(&sim, ApiVersion::V2);
    let id = yotta.endpoints().create(&queue_spec("slow")).await.unwrap().id;
    let mut seen = Vec::new();
    let options = yotta::WaitOptions::default()
        .timeout(Duration::from_millis(200))
        .interval(Duration::from_millis(20));
    let error = yotta
        .endpoints()
        .wait_for_status_with(&id, EndpointStatus::Running, options.clone(), |e| {
            seen.push(e.status.clone())
        })
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Timeout);
    assert!(
        matches!(&error, yotta::Error::WaitTimeout { last_status: Some(s), .. } if s == "INITIALIZING"),
        "{error:?}"
    );
    assert!(seen.len() >= 3, "progress reported each poll: {seen:?}");

    reqwest::Client::new()
        .post(format!("{}/_sim/endpoints/{id}/fail", sim.base_url()))
        .send()
        .await
        .unwrap();
    let error = yotta
        .endpoints()
        .wait_for_status(&id, EndpointStatus::Running, options)
        .await
        .unwrap_err();
    assert!(matches!(error, yotta::Error::EndpointFailed { .. }), "{error:?}");
}
