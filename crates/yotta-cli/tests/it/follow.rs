//! `logs --follow` waits for new lines and ends cleanly at `--limit`; a wait that cannot succeed;
//! authentication failures.

use crate::support::{ENDPOINT_JSON, Harness, KEY};
use serde_json::Value;
use std::io::{Read, Write};
use std::process::Stdio;
use std::time::{Duration, Instant};
use yotta_sim::SimConfig;

#[test]
fn follow_prints_new_lines_as_they_come_and_stops_at_the_limit() {
    let mut config = SimConfig::for_tests().with_log_backlog(3);
    // No health-check lines unless the test moves the simulated clock.
    config.timing.health_interval = Duration::from_secs(3600);
    let h = Harness::start("v2", config);
    let created = h.json_stdin(&["endpoints", "create", "-f", "-"], Some(ENDPOINT_JSON));
    let id = created["id"].as_str().unwrap();
    h.json(&["endpoints", "wait", id, "--interval", "50ms", "--timeout", "20s"]);
    let workers = h.json(&["workers", "list", id]);
    let worker = workers[0]["id"].as_str().unwrap();
    let existing = h.json(&["logs", id, worker]).as_array().unwrap().len();
    let limit = (existing + 2).to_string();

    let mut child = crate::support::isolated(crate::support::empty_config_dir())
        .args(["--base-url", &h.base, "-o", "json", "logs", id, worker, "--follow"])
        .args(["--limit", &limit, "--interval", "100ms"])
        .env("YOTTA_API_KEY", KEY)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(600));
    assert!(child.try_wait().unwrap().is_none(), "still following: no new lines yet");

    // Two hours of simulated time: two health-check lines.
    h.sim().advance_clock(Duration::from_secs(2 * 3600 + 1));
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("follow did not end at --limit {limit}");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut stdout = String::new();
    child.stdout.take().unwrap().read_to_string(&mut stdout).unwrap();
    let mut stderr = String::new();
    child.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
    assert!(status.success(), "{status}: {stderr}");
    assert!(stderr.is_empty(), "no progress on a pipe: {stderr}");
    let lines: Vec<Value> = stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), existing + 2, "{stdout}");
    let offsets: Vec<i64> = lines.iter().map(|l| l["offset"].as_i64().unwrap()).collect();
    assert_eq!(offsets, (0..lines.len() as i64).collect::<Vec<_>>());
    assert!(
        lines[existing..]
            .iter()
            .all(|l| l["log"].as_str().unwrap().contains("health")),
        "{stdout}"
    );
    assert!(!stdout.contains(KEY));
}

#[test]
fn a_wrong_key_is_exit_4_and_never_printed() {
    let h = Harness::start("v2", SimConfig::for_tests());
    let wrong = "sk-WRONG-key-5150";
    for output in ["json", "table"] {
        let result = crate::support::bare_command(&h.base)
            .args(["-o", output, "--api-key", wrong, "endpoints", "list"])
            .output()
            .unwrap();
        let stderr = String::from_utf8(result.stderr).unwrap();
        assert_eq!(result.status.code(), Some(4), "{stderr}");
        assert!(result.stdout.is_empty());
        assert!(stderr.contains("unauthorized"), "{stderr}");
        assert!(
            stderr.contains("hint: the API key is missing or was rejected"),
            "{stderr}"
        );
        assert!(!stderr.contains(wrong));
    }
}

#[test]
fn no_key_anywhere_is_exit_4_before_any_request() {
    let h = Harness::start("v2", SimConfig::for_tests());
    let before = h.sim().requests().len();
    for args in [
        &["endpoints", "list"][..],
        &["tasks", "count", "1"],
        &["api", "GET", "/v2/serverless"],
        &["auth", "status"],
    ] {
        let result = crate::support::bare_command(&h.base).args(args).output().unwrap();
        let stderr = String::from_utf8(result.stderr).unwrap();
        assert_eq!(result.status.code(), Some(4), "{args:?}: {stderr}");
        assert!(
            stderr.contains("YOTTA_API_KEY") && stderr.contains("yotta auth login"),
            "{args:?}: {stderr}"
        );
    }
    assert_eq!(h.sim().requests().len(), before, "nothing was sent");
    // A proxy that adds the key is reached with --no-api-key, explicitly.
    let result = crate::support::bare_command(&h.base)
        .args(["--no-api-key", "endpoints", "list"])
        .output()
        .unwrap();
    assert_eq!(result.status.code(), Some(4), "the simulator wants a key");
    assert_eq!(h.sim().requests().len(), before + 1);
}

/// `POST {path}` to the simulator's admin routes; returns the status line.
fn admin_post(base: &str, path: &str) -> String {
    let host = base.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(host).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        stream,
        "POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    response.lines().next().unwrap_or_default().to_string()
}

#[test]
fn waiting_for_an_endpoint_that_failed_ends_at_once_with_exit_3() {
    let mut config = SimConfig::for_tests();
    config.timing.init_delay = Duration::from_secs(3600);
    let h = Harness::start("v1", config);
    let created = h.json_stdin(&["endpoints", "create", "-f", "-"], Some(ENDPOINT_JSON));
    let id = created["id"].as_str().unwrap();
    assert_eq!(created["status"], "INITIALIZING");
    assert_eq!(
        admin_post(&h.base, &format!("/_sim/endpoints/{id}/fail")),
        "HTTP/1.1 200 OK"
    );
    let started = Instant::now();
    let stderr = h.fail(
        "table",
        &["endpoints", "wait", id, "--status", "RUNNING", "--timeout", "1m"],
        3,
    );
    assert!(started.elapsed() < Duration::from_secs(20));
    assert_eq!(
        stderr,
        format!("error: endpoint {id} entered FAILED while waiting for RUNNING (unavailable)\n")
    );
    assert_eq!(h.json(&["endpoints", "get", id])["status"], "FAILED");
    h.assert_key_never_printed();
}
