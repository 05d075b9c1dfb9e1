//! Worker logs: paging with search-after tokens both ways, keyword, time range, both versions.

use std::collections::HashSet;

use serde_json::{Value, json};
use yotta_sim::SimConfig;

use crate::support::{Harness, start_with, task_body};

async fn first_worker(h: &Harness, id: u64) -> String {
    h.get(&format!("/v2/serverless/{id}/workers")).await.ok()[0]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn page(h: &Harness, path: &str, query: &str) -> Value {
    h.get(&format!("{path}?{query}")).await.ok().clone()
}

fn offsets(p: &Value) -> Vec<u64> {
    p["logs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["offset"].as_u64().unwrap())
        .collect()
}

/// Follows `nextSearchAfter*` tokens to the end, returning every offset seen.
async fn walk(h: &Harness, path: &str, base_query: &str) -> (Vec<u64>, usize) {
    let (mut all, mut pages, mut token) = (Vec::new(), 0, String::new());
    loop {
        let p = page(h, path, &format!("{base_query}{token}")).await;
        pages += 1;
        all.extend(offsets(&p));
        if !p["hasMore"].as_bool().unwrap() {
            return (all, pages);
        }
        let (t, o) = (
            p["nextSearchAfterTime"].as_str().unwrap(),
            p["nextSearchAfterOffset"].as_str().unwrap(),
        );
        token = format!("&searchAfterTime={t}&searchAfterOffset={o}");
    }
}

#[tokio::test]
async fn pages_forward_and_backward_through_a_backlog_with_tokens() {
    // No health checks while walking, so both walks see the same lines however slow the machine.
    let mut cfg = SimConfig::for_tests().with_log_backlog(2500);
    cfg.timing.health_interval = std::time::Duration::from_secs(3600);
    let h = start_with(cfg).await;
    let id = h.queue_endpoint(1).await;
    let worker = first_worker(&h, id).await;
    let path = format!("/v2/serverless/{id}/workers/{worker}/logs");

    let first = page(&h, &path, "pageSize=1000").await;
    assert_eq!(first["logs"].as_array().unwrap().len(), 1000);
    assert_eq!(first["hasMore"], true);
    assert_eq!(first["nextSearchAfterOffset"], "999", "tokens are strings on the wire");
    assert!(
        first["nextSearchAfterTime"].as_str().unwrap().parse::<u64>().is_ok(),
        "epoch ms"
    );
    let ts = first["logs"][0]["timestamp"].as_str().unwrap();
    assert!(ts.len() == 24 && ts.ends_with('Z'), "ISO 8601 with milliseconds: {ts}");

    let (forward, pages) = walk(&h, &path, "pageSize=1000").await;
    assert!(pages >= 3);
    assert!(
        forward.windows(2).all(|w| w[1] == w[0] + 1) && forward[0] == 0,
        "no gap, no repeat"
    );
    assert!(forward.len() > 2500, "backlog plus start-up lines");

    let (backward, _) = walk(&h, &path, "pageSize=700&direction=Backward").await;
    let mut reversed = backward.clone();
    reversed.reverse();
    assert_eq!(reversed, forward, "Backward walks the same lines newest first");

    // v1 serves the same log (workerId as an int64 path value).
    let v1 = page(
        &h,
        &format!("/openapi/v1/elastic/deploy/{id}/workers/{worker}/logs"),
        "pageSize=5",
    )
    .await;
    assert_eq!(offsets(&v1), [0, 1, 2, 3, 4]);
}

#[tokio::test]
async fn keyword_time_range_and_task_lines() {
    let h = start_with(SimConfig::for_tests().with_log_backlog(400)).await;
    let id = h.queue_endpoint(1).await;
    h.post(&format!("/v2/serverless/{id}/tasks"), &task_body("log_me"))
        .await
        .ok();
    crate::support::eventually("task done", || async {
        h.task(id, "log_me").await["status"] == "SUCCESS"
    })
    .await;
    let worker = first_worker(&h, id).await;
    let path = format!("/v2/serverless/{id}/workers/{worker}/logs");

    let hits = page(&h, &path, "keyword=LOG_ME&pageSize=1000").await;
    let lines: Vec<&str> = hits["logs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["log"].as_str().unwrap())
        .collect();
    assert_eq!(lines.len(), 2, "received + succeeded: {lines:?}");
    assert!(lines[0].contains("received") && lines[1].contains("succeeded"));
    assert_eq!(hits["hasMore"], false);
    let ready = page(&h, &path, "keyword=worker%20ready").await;
    assert_eq!(ready["logs"].as_array().unwrap().len(), 1);

    let all = page(&h, &path, "pageSize=1000").await;
    let logs = all["logs"].as_array().unwrap();
    let (t100, t200) = (
        logs[100]["timestamp"].as_str().unwrap(),
        logs[200]["timestamp"].as_str().unwrap(),
    );
    let iso = page(&h, &path, &format!("pageSize=1000&startTime={t100}&endTime={t200}")).await;
    assert_eq!(
        offsets(&iso),
        (100..=200).collect::<Vec<_>>(),
        "ISO 8601 bounds, both inclusive"
    );
    let epoch = page(&h, &path, "pageSize=5&direction=Backward").await;
    let newest_ts: u64 = epoch["nextSearchAfterTime"].as_str().unwrap().parse().unwrap();
    let after = page(&h, &path, &format!("startTime={newest_ts}")).await;
    assert!(!offsets(&after).is_empty(), "epoch-ms bounds");
    let nothing = page(&h, &path, "startTime=2000-01-01T00:00:00Z&endTime=2000-01-02").await;
    assert!(offsets(&nothing).is_empty());
    assert_eq!(nothing["hasMore"], false);
}

#[tokio::test]
async fn health_checks_accumulate_and_admin_lines_append() {
    let h = start_with(SimConfig::for_tests()).await;
    let id = h.queue_endpoint(1).await;
    let worker = first_worker(&h, id).await;
    let path = format!("/v2/serverless/{id}/workers/{worker}/logs");
    h.advance("1h").await;
    let health = page(&h, &path, "keyword=GET%20/health&pageSize=1000").await;
    assert_eq!(
        health["logs"].as_array().unwrap().len(),
        1000,
        "one health check per second of an hour"
    );
    assert_eq!(health["hasMore"], true);
    let (status, body) = h
        .admin(
            "POST",
            &format!("/endpoints/{id}/workers/{worker}/logs"),
            Some(&json!({ "lines": ["custom one", "custom two"] })),
        )
        .await;
    assert_eq!((status, body["appended"].as_u64()), (200, Some(2)));
    let tail = page(&h, &path, "keyword=custom&direction=Backward&pageSize=2").await;
    let text: Vec<&str> = tail["logs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["log"].as_str().unwrap())
        .collect();
    assert_eq!(text, ["custom two", "custom one"]);
    // Tailing: nothing matches past the last line yet, and the tokens come back unchanged.
    let last = tail["logs"][0]["offset"].as_u64().unwrap();
    let next = page(&h, &path, &format!("keyword=custom&searchAfterOffset={last}")).await;
    assert!(offsets(&next).is_empty());
    assert_eq!(next["nextSearchAfterOffset"], last.to_string());
}

#[tokio::test]
async fn a_large_log_is_searched_within_a_budget_and_jumped_into() {
    let h = start_with(SimConfig::for_tests().with_log_backlog(400_000)).await;
    let id = h.queue_endpoint(1).await;
    let worker = first_worker(&h, id).await;
    let path = format!("/v2/serverless/{id}/workers/{worker}/logs");
    let middle = page(&h, &path, "searchAfterOffset=199999&pageSize=3").await;
    assert_eq!(offsets(&middle), [200_000, 200_001, 200_002]);
    let back = page(&h, &path, "searchAfterOffset=200000&pageSize=2&direction=Backward").await;
    assert_eq!(offsets(&back), [199_999, 199_998]);
    // A keyword that matches nothing: the first answer stops after a scan budget with a token.
    let first = page(&h, &path, "keyword=no-such-text").await;
    assert!(offsets(&first).is_empty());
    assert_eq!(first["hasMore"], true);
    let resume = first["nextSearchAfterOffset"].as_str().unwrap().to_owned();
    let second = page(&h, &path, &format!("keyword=no-such-text&searchAfterOffset={resume}")).await;
    assert_eq!(second["hasMore"], false);
    let distinct: HashSet<String> = page(&h, &path, "pageSize=1000").await["logs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["log"].as_str().unwrap().split_whitespace().take(2).collect())
        .collect();
    assert!(distinct.len() > 4, "the synthetic backlog varies: {distinct:?}");
}

#[tokio::test]
async fn log_parameter_errors() {
    let h = start_with(SimConfig::for_tests()).await;
    let id = h.queue_endpoint(1).await;
    let worker = first_worker(&h, id).await;
    let path = format!("/v2/serverless/{id}/workers/{worker}/logs");
    for (q, status) in [
        ("pageSize=1001", 200),
        ("pageSize=0", 200),
        ("direction=Sideways", 200),
        ("startTime=yesterday", 200),
        ("searchAfterTime=soon", 200),
        ("pageSize=ten", 400),
        ("searchAfterOffset=x", 400),
    ] {
        h.get(&format!("{path}?{q}")).await.expect(status, 10001);
    }
    h.get(&format!("{path}?pageSize=1000")).await.ok();
    h.get(&format!("/v2/serverless/{id}/workers/12345/logs"))
        .await
        .expect(200, 10001);
    h.get(&format!("/v2/serverless/{id}/workers/not-a-worker/logs"))
        .await
        .expect(200, 10001);
    h.get(&format!("/openapi/v1/elastic/deploy/{id}/workers/not-a-worker/logs"))
        .await
        .expect(400, 10001);
    h.get(&format!("/openapi/v1/elastic/deploy/1/workers/{worker}/logs"))
        .await
        .expect(200, 24001);
    h.get(&format!("/v2/serverless/1/workers/{worker}/logs"))
        .await
        .expect(200, 14000);
}
