//! The facade against servers that misbehave: every case ends in a typed error within a bound,
//! never a panic, a hang or a silent success, and the API key goes nowhere but the API's origin.

use futures::StreamExt;
use std::time::{Duration, Instant};
use yotta::{ApiVersion, Client, ErrorKind, LogQuery, Operation, RetryPolicy, TaskSpec};
use yotta_testkit::{Hostile, Step, json, respond};

const KEY: &str = "hostile-test-key";

fn client(server: &Hostile) -> Client {
    builder(server).build().unwrap()
}

fn builder(server: &Hostile) -> yotta::ClientBuilder {
    Client::builder()
        .api_key(KEY)
        .base_url(&server.base_url)
        .timeout(Duration::from_secs(2))
        .retry_policy(RetryPolicy {
            initial_backoff: Duration::from_millis(5),
            max_backoff: Duration::from_millis(20),
            ..RetryPolicy::default()
        })
}

const ENDPOINT: &str =
    r#"{"code":10000,"message":"ok","data":{"id":"378888638324150969","name":"n","status":"RUNNING"}}"#;

#[tokio::test]
async fn a_body_that_never_ends_stops_at_the_limit() {
    let server = Hostile::start(|_| {
        vec![
            Step::Write(b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n".to_vec()),
            Step::Forever(vec![b' '; 64 * 1024]),
        ]
    })
    .await;
    let yotta = builder(&server).max_body_bytes(1 << 20).max_retries(0).build().unwrap();
    let started = Instant::now();
    let error = yotta.endpoints().get("1").await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Decode, "{error}");
    assert!(
        error.to_string().contains("larger than the limit of 1048576 bytes"),
        "{error}"
    );
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn a_declared_huge_body_is_refused_before_reading() {
    let server = Hostile::start(|_| {
        vec![Step::Write(
            b"HTTP/1.1 200 OK\r\ncontent-length: 99999999999\r\n\r\n{\"code\":10000".to_vec(),
        )]
    })
    .await;
    let error = client(&server).endpoints().get("1").await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Decode);
    assert_eq!(error.http_status(), Some(200));
}

#[tokio::test]
async fn headers_that_never_come_time_out_and_the_deadline_bounds_the_retries() {
    let server = Hostile::start(|_| vec![Step::Pause(Duration::from_secs(30))]).await;
    let yotta = builder(&server)
        .timeout(Duration::from_millis(150))
        .deadline(Duration::from_millis(400))
        .max_retries(10)
        .build()
        .unwrap();
    let started = Instant::now();
    let error = yotta.endpoints().get("1").await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Timeout, "{error}");
    let took = started.elapsed();
    assert!(
        took >= Duration::from_millis(350) && took < Duration::from_millis(1500),
        "{took:?}"
    );
    assert!(server.seen().len() <= 4, "the deadline stops the retries");
    // Per call, through with_options.
    let quick = yotta.with_options(yotta::RequestOptions::new().deadline(Duration::from_millis(100)));
    let started = Instant::now();
    quick.endpoints().get("1").await.unwrap_err();
    assert!(started.elapsed() < Duration::from_millis(800));
}

#[tokio::test]
async fn retry_after_extremes_are_not_waited_for() {
    for retry_after in ["999999999", "Fri, 31 Dec 9999 23:59:59 GMT", "18446744073709551615"] {
        let server = Hostile::start(move |_| respond(429, &[("retry-after", retry_after)], b"")).await;
        let started = Instant::now();
        let error = client(&server).endpoints().get("1").await.unwrap_err();
        assert_eq!((error.kind(), error.http_status()), (ErrorKind::RateLimited, Some(429)));
        assert!(started.elapsed() < Duration::from_secs(2), "{retry_after}");
        assert_eq!(server.seen().len(), 1, "{retry_after}: a wait that long is declined");
    }
    let server = Hostile::start(|_| respond(429, &[("retry-after", "0")], b"")).await;
    client(&server).endpoints().get("1").await.unwrap_err();
    assert_eq!(server.seen().len(), 3, "Retry-After: 0 is retried at once");
}

#[tokio::test]
async fn redirects_stay_in_the_origin_and_loops_end() {
    // Another origin: the redirect is the answer, and the other server never hears of the key.
    let elsewhere = Hostile::start(|_| json(200, ENDPOINT)).await;
    let target = format!("{}/v2/serverless/1", elsewhere.base_url);
    let server = Hostile::start(move |_| respond(307, &[("location", &target)], b"")).await;
    let error = client(&server).endpoints().get("1").await.unwrap_err();
    assert_eq!((error.kind(), error.http_status()), (ErrorKind::Http, Some(307)));
    assert!(elsewhere.seen().is_empty(), "nothing reached the other origin");

    // The same origin: followed, with the key.
    let server = Hostile::start(|seen| {
        if seen.target.starts_with("/v2/serverless/1") {
            respond(307, &[("location", "/v2/serverless/2")], b"")
        } else {
            json(200, ENDPOINT)
        }
    })
    .await;
    let endpoint = client(&server).endpoints().get("1").await.unwrap();
    assert_eq!(endpoint.id.as_str(), "378888638324150969");
    let seen = server.seen();
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[1].header("x-api-key"), Some(KEY));

    // A loop ends as the last redirect, after a few hops.
    let server = Hostile::start(|_| respond(308, &[("location", "/v2/serverless/1")], b"")).await;
    let error = client(&server).endpoints().get("1").await.unwrap_err();
    assert_eq!(error.http_status(), Some(308));
    assert!(server.seen().len() <= 6, "{} hops", server.seen().len());
}

#[tokio::test]
async fn a_log_cursor_that_does_not_advance_ends_the_stream() {
    let page = r#"{"code":10000,"data":{"logs":[{"timestamp":"t","log":"again","offset":1}],"hasMore":true,"nextSearchAfterTime":"t","nextSearchAfterOffset":"1"}}"#;
    let server = Hostile::start(move |_| json(200, page)).await;
    let yotta = builder(&server).api_version(ApiVersion::V2).build().unwrap();
    let started = Instant::now();
    let lines: Vec<_> = yotta.logs().stream("1", "w", LogQuery::default()).collect().await;
    let error = lines.last().unwrap().as_ref().unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Decode);
    assert!(error.to_string().contains("did not advance"), "{error}");
    assert!(lines.len() <= 3 && started.elapsed() < Duration::from_secs(3));
}

#[tokio::test]
async fn more_promised_but_nothing_sent_ends_the_stream() {
    let pages = std::sync::atomic::AtomicU64::new(0);
    let server = Hostile::start(move |_| {
        // Each page moves the cursor but carries no line.
        let offset = pages.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        json(
            200,
            &format!(
                r#"{{"code":10000,"data":{{"logs":[],"hasMore":true,"nextSearchAfterTime":"t{offset}","nextSearchAfterOffset":"{offset}"}}}}"#
            ),
        )
    })
    .await;
    let yotta = client(&server);
    let lines: Vec<_> = yotta.logs().stream("1", "w", LogQuery::default()).collect().await;
    let error = lines.last().unwrap().as_ref().unwrap_err();
    assert!(error.to_string().contains("sent none 10 times in a row"), "{error}");
    assert!(server.seen().len() <= 10);
}

#[tokio::test]
async fn a_task_list_that_repeats_its_page_ends() {
    let page = r#"{"code":10000,"data":{"items":[{"taskId":"a","status":"SUCCESS"}],"page":1,"size":1,"total":1000000,"pages":1000000}}"#;
    let server = Hostile::start(move |_| json(200, page)).await;
    let tasks: Vec<_> = client(&server).tasks().stream("1", None).collect().await;
    assert_eq!(tasks.len(), 2, "one task, then the error");
    assert!(
        tasks[1]
            .as_ref()
            .unwrap_err()
            .to_string()
            .contains("repeats the previous page")
    );
}

/// Every documented code of every operation, as the API would send it, as HTML and truncated:
/// always an error, of the code's kind when the envelope is whole.
#[tokio::test]
async fn no_documented_code_is_a_silent_success() {
    for operation in Operation::ALL {
        for version in [ApiVersion::V1, ApiVersion::V2] {
            let descriptor = operation.descriptor(version);
            for documented in descriptor.business_codes.iter().filter(|c| c.code != 10000) {
                let envelope = format!(r#"{{"code":{},"message":"refused","data":null}}"#, documented.code);
                let truncated = envelope[..envelope.len() / 2].to_string();
                for body in [
                    envelope.clone(),
                    truncated,
                    "<html><body>oops</body></html>".to_string(),
                ] {
                    let result = yotta::decode::decode_response(operation, version, body.as_bytes());
                    let error = result.expect_err(&format!("{} {body}", descriptor.id));
                    if body == envelope {
                        assert_eq!(error.code(), Some(documented.code));
                        assert_eq!(error.kind(), yotta::business_code_kind(documented.code));
                    } else {
                        assert_eq!(error.kind(), ErrorKind::Decode, "{} {body}", descriptor.id);
                    }
                }
            }
        }
    }
}

#[tokio::test]
async fn an_ambiguous_submission_is_looked_up_before_it_is_sent_again() {
    // The first submission's answer is lost (the connection closes); the lookup finds the task.
    let server = Hostile::start(|seen| match seen.method.as_str() {
        "POST" => vec![],
        _ => json(200, r#"{"code":10000,"data":{"taskId":"t_1","status":"PROCESSING"}}"#),
    })
    .await;
    let id = client(&server)
        .tasks()
        .submit("1", &TaskSpec::new(serde_json::json!({}), 80, "/run").task_id("t_1"))
        .await
        .unwrap();
    assert_eq!(id.as_str(), "t_1");
    let methods: Vec<String> = server.seen().iter().map(|s| s.method.clone()).collect();
    assert_eq!(methods, ["POST", "GET"], "found, so not sent twice");

    // Not found: sent again.
    let server = Hostile::start(|seen| match seen.method.as_str() {
        "POST" => vec![],
        _ => json(200, r#"{"code":24011,"message":"Task does not exist","data":null}"#),
    })
    .await;
    let error = client(&server)
        .tasks()
        .submit("1", &TaskSpec::new(serde_json::json!({}), 80, "/run").task_id("t_2"))
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Network);
    let methods: Vec<String> = server.seen().iter().map(|s| s.method.clone()).collect();
    assert_eq!(methods, ["POST", "GET", "POST", "GET", "POST"]);
}

#[tokio::test]
async fn network_errors_keep_their_cause() {
    let yotta = Client::builder()
        .api_key(KEY)
        .base_url("http://127.0.0.1:9")
        .max_retries(0)
        .build()
        .unwrap();
    let error = yotta.endpoints().get("1").await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Network);
    let source = std::error::Error::source(&error).expect("the transport's error is the source");
    assert!(source.to_string().contains("error sending request"), "{source}");
}

#[tokio::test]
async fn every_attempt_is_observed_without_the_key() {
    let server = Hostile::start(|seen| {
        if seen.target.ends_with("/2") {
            json(200, ENDPOINT)
        } else {
            respond(503, &[("retry-after", "0")], b"busy")
        }
    })
    .await;
    let lines = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let record = lines.clone();
    let yotta = builder(&server)
        .observe(std::sync::Arc::new(move |event: &yotta::observe::AttemptEvent<'_>| {
            record.lock().unwrap().push(event.to_string());
        }))
        .build()
        .unwrap();
    yotta.endpoints().get("1").await.unwrap_err();
    yotta.endpoints().get("2").await.unwrap();
    let lines = lines.lock().unwrap().clone();
    assert_eq!(lines.len(), 4, "{lines:#?}");
    assert!(
        lines[0].starts_with("GET /v2/serverless/1 -> 503 (attempt 1, "),
        "{}",
        lines[0]
    );
    assert!(lines[0].contains("retry in 0 ms"), "{}", lines[0]);
    assert!(
        lines[2].contains("(attempt 3, ") && !lines[2].contains("retry in"),
        "{}",
        lines[2]
    );
    assert!(
        lines[3].starts_with("GET /v2/serverless/2 -> 200 (attempt 1, "),
        "{}",
        lines[3]
    );
    assert!(lines.iter().all(|line| !line.contains(KEY)));
}
