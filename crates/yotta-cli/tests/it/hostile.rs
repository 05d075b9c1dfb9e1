//! The real `yotta` binary against servers that misbehave on purpose (a raw TCP server on
//! 127.0.0.1): endless and huge bodies, headers that never come, stuck cursors, "more" with
//! nothing, Retry-After extremes, redirect loops, HTML and truncated JSON, terminal escapes.
//! Every run is bounded by a timeout and must end non-zero (no silent success), without a
//! panic; the endless body's peak memory is measured from /proc.

use std::io::Read;
use std::process::{Output, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};
use yotta_testkit::{Hostile, Step, json, respond};

const KEY: &str = "sk-hostile-cli-SECRET-5150";

/// The server's runtime: its tasks run on the runtime's thread while the test waits for the
/// child process.
fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap()
}

fn serve(
    runtime: &tokio::runtime::Runtime,
    script: impl Fn(&yotta_testkit::Seen) -> Vec<Step> + Send + Sync + 'static,
) -> Hostile {
    runtime.block_on(Hostile::start(script))
}

/// `yotta` against `base` with the key.
fn yotta(base: &str) -> assert_cmd::Command {
    let mut command = crate::support::bare_command(base);
    command.env("YOTTA_API_KEY", KEY);
    command
}

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    took: Duration,
}

fn run(base: &str, args: &[&str]) -> Run {
    let started = Instant::now();
    // JSON and 2 s attempts unless the test says otherwise.
    let mut command = yotta(base);
    if !args.contains(&"-o") {
        command.args(["-o", "json"]);
    }
    if !args.contains(&"--request-timeout") {
        command.args(["--request-timeout", "2s"]);
    }
    let Output { status, stdout, stderr } = command.args(args).output().unwrap();
    let run = Run {
        code: status.code(),
        stdout: String::from_utf8_lossy(&stdout).to_string(),
        stderr: String::from_utf8_lossy(&stderr).to_string(),
        took: started.elapsed(),
    };
    assert!(
        run.code.is_some(),
        "{args:?} was killed (by the run limit?): {}",
        run.stderr
    );
    assert!(!run.stderr.contains("panicked"), "{args:?} panicked: {}", run.stderr);
    assert!(
        !run.stderr.contains(KEY) && !run.stdout.contains(KEY),
        "{args:?} printed the key"
    );
    run
}

/// Runs `yotta` as a child process and samples its peak resident memory (VmHWM) until it
/// ends; returns the output and the largest peak seen, in KiB.
fn run_sampled(base: &str, args: &[&str]) -> (Run, u64) {
    let mut child = crate::support::isolated(crate::support::empty_config_dir())
        .env("YOTTA_API_KEY", KEY)
        .args(["--base-url", base, "-o", "json"])
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak = 0;
    let status = loop {
        if let Ok(status) = std::fs::read_to_string(&status_file)
            && let Some(kib) = status
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        {
            peak = peak.max(kib);
        }
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > crate::support::RUN_LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{args:?} did not end within {:?}", crate::support::RUN_LIMIT);
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    let mut stdout = String::new();
    let mut stderr = String::new();
    child.stdout.take().unwrap().read_to_string(&mut stdout).unwrap();
    child.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
    assert!(peak > 0, "no memory sample of {args:?}");
    let run = Run {
        code: status.code(),
        stdout,
        stderr,
        took: started.elapsed(),
    };
    assert!(!run.stderr.contains("panicked"), "{args:?} panicked: {}", run.stderr);
    (run, peak)
}

/// 256 MiB: far above what a run needs, far below what an unbounded body would take.
const MEMORY_CEILING_KIB: u64 = 256 * 1024;

fn endless() -> Vec<Step> {
    vec![
        Step::Write(
            b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n".to_vec(),
        ),
        Step::Forever(vec![b' '; 64 * 1024]),
    ]
}

#[test]
fn an_endless_body_stops_at_the_default_limit_with_bounded_memory() {
    let rt = runtime();
    let server = serve(&rt, |_| endless());
    for args in [&["endpoints", "get", "1"][..], &["api", "GET", "/v2/serverless/1"]] {
        let (run, peak_kib) = run_sampled(&server.base_url, args);
        assert_eq!(run.code, Some(1), "{args:?}: {}", run.stderr);
        assert!(
            run.stderr.contains("larger than") && run.stderr.contains("33554432"),
            "{args:?}: {}",
            run.stderr
        );
        assert!(run.stdout.is_empty(), "{args:?}");
        assert!(peak_kib < MEMORY_CEILING_KIB, "{args:?}: peak RSS {peak_kib} KiB");
        assert!(run.took < Duration::from_secs(20), "{args:?} took {:?}", run.took);
    }
    // A smaller limit, smaller still.
    let (run, peak_kib) = run_sampled(&server.base_url, &["--max-body-bytes", "1048576", "endpoints", "list"]);
    assert_eq!(run.code, Some(1));
    assert!(run.stderr.contains("1048576"), "{}", run.stderr);
    assert!(peak_kib < 64 * 1024, "peak RSS {peak_kib} KiB");
}

#[test]
fn a_declared_huge_body_and_headers_that_never_come_fail_in_time() {
    let rt = runtime();
    let huge = serve(&rt, |_| {
        vec![Step::Write(
            b"HTTP/1.1 200 OK\r\ncontent-length: 99999999999\r\n\r\n{\"code\":10000".to_vec(),
        )]
    });
    let run = run(&huge.base_url, &["endpoints", "get", "1"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(run.took < Duration::from_secs(10));

    let slow = serve(&rt, |_| vec![Step::Pause(Duration::from_secs(60))]);
    let started = Instant::now();
    let run = yotta(&slow.base_url)
        .args([
            "--request-timeout",
            "300ms",
            "--max-retries",
            "1",
            "endpoints",
            "get",
            "1",
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("no response within 300 ms") && stderr.contains("(timeout)"),
        "{stderr}"
    );
    assert!(started.elapsed() < Duration::from_secs(10), "{:?}", started.elapsed());
    assert_eq!(slow.seen().len(), 2, "one retry");
    let run = yotta(&slow.base_url)
        .args(["--request-timeout", "300ms", "api", "GET", "/v2/serverless"])
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&run.stderr).contains("no response within 300ms"));
}

#[test]
fn log_cursors_that_stick_or_promise_nothing_end_non_zero() {
    let rt = runtime();
    let stuck = r#"{"code":10000,"data":{"logs":[{"timestamp":"t","log":"again","offset":1}],"hasMore":true,"nextSearchAfterTime":"t","nextSearchAfterOffset":"1"}}"#;
    let server = serve(&rt, move |_| json(200, stuck));
    let run = run(&server.base_url, &["logs", "1", "7"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(run.stderr.contains("did not advance"), "{}", run.stderr);
    let printed: serde_json::Value = serde_json::from_str(&run.stdout).expect("what was printed is one JSON value");
    assert!(printed.as_array().unwrap().len() <= 2, "{}", run.stdout);
    assert!(server.seen().len() <= 2);
    let raw = self::run(
        &server.base_url,
        &["api", "GET", "/v2/serverless/1/workers/7/logs", "--paginate"],
    );
    assert_eq!(raw.code, Some(1));
    assert!(raw.stderr.contains("did not advance"), "{}", raw.stderr);

    let pages = Arc::new(AtomicU64::new(0));
    let counter = pages.clone();
    let server = serve(&rt, move |_| {
        let n = counter.fetch_add(1, Ordering::Relaxed);
        json(
            200,
            &format!(
                r#"{{"code":10000,"data":{{"logs":[],"hasMore":true,"nextSearchAfterTime":"t{n}","nextSearchAfterOffset":"{n}"}}}}"#
            ),
        )
    });
    let run = self::run(&server.base_url, &["-o", "table", "logs", "1", "7"]);
    assert_eq!(run.code, Some(1));
    assert!(run.stderr.contains("sent none 10 times in a row"), "{}", run.stderr);
    assert!(pages.load(Ordering::Relaxed) <= 10);
    let raw = self::run(
        &server.base_url,
        &["api", "GET", "/v2/serverless/1/workers/7/logs", "--paginate"],
    );
    assert_eq!(raw.code, Some(1));
    assert!(raw.stderr.contains("sent none 10 times in a row"), "{}", raw.stderr);
}

#[test]
fn following_an_empty_log_sleeps_between_polls() {
    let rt = runtime();
    let server = serve(&rt, |_| {
        json(200, r#"{"code":10000,"data":{"logs":[],"hasMore":false}}"#)
    });
    let mut child = crate::support::isolated(crate::support::empty_config_dir())
        .env("YOTTA_API_KEY", KEY)
        .args([
            "--base-url",
            &server.base_url,
            "-o",
            "json",
            "logs",
            "1",
            "7",
            "--follow",
        ])
        .args(["--interval", "200ms"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    let _ = child.kill();
    let _ = child.wait();
    let polls = server.seen().len();
    assert!((2..=9).contains(&polls), "{polls} polls in 1.5 s at a 200 ms interval");
}

#[test]
fn retry_after_extremes_redirect_loops_and_other_origins() {
    let rt = runtime();
    for retry_after in ["999999999", "Fri, 31 Dec 9999 23:59:59 GMT", "18446744073709551615"] {
        let server = serve(&rt, move |_| {
            respond(429, &[("retry-after", retry_after)], b"slow down")
        });
        let run = run(&server.base_url, &["endpoints", "list"]);
        assert_eq!(run.code, Some(1), "{retry_after}: {}", run.stderr);
        assert!(run.stderr.contains("HTTP 429"), "{}", run.stderr);
        assert!(run.took < Duration::from_secs(10), "{retry_after}: {:?}", run.took);
        assert_eq!(server.seen().len(), 1, "{retry_after}: such a wait is declined");
    }

    let server = serve(&rt, |_| respond(308, &[("location", "/v2/serverless/1")], b""));
    for args in [&["endpoints", "get", "1"][..], &["api", "GET", "/v2/serverless/1"]] {
        let run = run(&server.base_url, args);
        assert_eq!(run.code, Some(1), "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains("308"), "{}", run.stderr);
    }
    let seen = server.seen();
    assert!(seen.len() <= 12, "{} hops", seen.len());
    assert!(
        seen.iter()
            .all(|s| s.method == "GET" && s.header("x-api-key") == Some(KEY)),
        "the same origin gets the key on every hop"
    );

    let elsewhere = serve(&rt, |_| json(200, r#"{"code":10000,"data":[]}"#));
    let target = format!("{}/v2/serverless", elsewhere.base_url);
    let server = serve(&rt, move |_| respond(307, &[("location", &target)], b""));
    for args in [&["endpoints", "list"][..], &["api", "GET", "/v2/serverless"]] {
        let run = run(&server.base_url, args);
        assert_eq!(run.code, Some(1), "{args:?}: {}", run.stderr);
    }
    assert!(elsewhere.seen().is_empty(), "the key never went to another origin");
}

#[test]
fn html_truncated_json_and_terminal_escapes() {
    let rt = runtime();
    let html = serve(&rt, |_| {
        respond(
            502,
            &[("content-type", "text/html")],
            b"<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>",
        )
    });
    for args in [&["endpoints", "list"][..], &["api", "GET", "/v2/serverless"]] {
        let run = run(&html.base_url, &[&["--max-retries", "0"][..], args].concat());
        assert_eq!(run.code, Some(1), "{args:?}: {}", run.stderr);
        assert!(
            run.stderr.contains("502 Bad Gateway (HTML page)"),
            "{args:?}: {}",
            run.stderr
        );
    }

    let truncated = serve(&rt, |_| json(200, r#"{"code":10000,"data":{"id":"1","na"#));
    for args in [&["endpoints", "get", "1"][..], &["api", "GET", "/v2/serverless/1"]] {
        let run = run(&truncated.base_url, args);
        assert_eq!(run.code, Some(1), "{args:?}: {}", run.stderr);
        assert!(run.stdout.is_empty(), "{args:?}: no silent success");
    }

    let evil = "gone\u{1b}[2J\u{1b}]0;owned\u{7}\r\nerror: forged\u{9b}31m";
    let body = serde_json::json!({"code": 14000, "message": evil, "data": null}).to_string();
    let escapes = serve(&rt, move |_| json(200, &body));
    for args in [
        &["endpoints", "get", "1"][..],
        &["api", "GET", "/v2/serverless/1"],
        &["--debug", "endpoints", "get", "1"],
    ] {
        let run = run(&escapes.base_url, args);
        assert_eq!(run.code, Some(1), "{args:?}");
        assert!(
            !run.stderr.contains(['\u{1b}', '\r', '\u{7}', '\u{9b}']),
            "{args:?}: raw control characters on stderr: {:?}",
            run.stderr
        );
        assert!(run.stderr.contains("\\u{1b}[2J"), "{args:?}: {}", run.stderr);
        assert!(
            !run.stderr.lines().any(|l| l.starts_with("error: forged")),
            "{}",
            run.stderr
        );
    }
    // In a table, too (a task list whose error field carries escapes).
    let page = serde_json::json!({"code": 10000, "data": {"items": [
        {"taskId": "t_1", "status": "FAILED", "error": evil}], "page": 1, "size": 10, "total": 1, "pages": 1}})
    .to_string();
    let tasks = serve(&rt, move |_| json(200, &page));
    let table = run(&tasks.base_url, &["-o", "table", "tasks", "list", "1"]);
    assert_eq!(table.code, Some(0), "{}", table.stderr);
    assert!(
        !table.stdout.contains(['\u{1b}', '\r', '\u{7}', '\u{9b}']),
        "{:?}",
        table.stdout
    );
    assert_eq!(table.stdout.lines().count(), 3, "{}", table.stdout);
    // And as JSON: C0 escaped by JSON itself, DEL and C1 by the CLI; the value is unchanged.
    let json = run(&tasks.base_url, &["tasks", "list", "1"]);
    assert_eq!(json.code, Some(0), "{}", json.stderr);
    assert!(
        !json.stdout.contains(['\u{1b}', '\r', '\u{7}', '\u{9b}']),
        "{:?}",
        json.stdout
    );
    assert!(json.stdout.contains(r"\u009b31m"), "{}", json.stdout);
    let listed: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(listed["items"][0]["error"], evil, "{listed}");
}

#[test]
fn tasks_list_all_streams_whatever_the_page_count() {
    let rt = runtime();
    // A million pages of 100 distinct tasks each: the list never ends, so it must be printed
    // as it comes, in constant memory.
    let server = serve(&rt, |seen| {
        let page: u64 = seen
            .target
            .split(['?', '&'])
            .find_map(|pair| pair.strip_prefix("pageNumber="))
            .and_then(|n| n.parse().ok())
            .unwrap_or(1);
        let items: Vec<serde_json::Value> = (0..100)
            .map(|i| serde_json::json!({"taskId": format!("t{page}_{i}"), "status": "SUCCESS"}))
            .collect();
        let body = serde_json::json!({"code": 10000, "data": {
            "items": items, "page": page, "size": 100, "total": 100_000_000u64, "pages": 1_000_000}});
        json(200, &body.to_string())
    });
    for format in ["json", "table"] {
        let mut child = crate::support::isolated(crate::support::empty_config_dir())
            .env("YOTTA_API_KEY", KEY)
            .args([
                "--base-url",
                &server.base_url,
                "-o",
                format,
                "tasks",
                "list",
                "1",
                "--all",
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut stdout = child.stdout.take().unwrap();
        let started = Instant::now();
        let mut seen = Vec::new();
        let mut chunk = [0u8; 65536];
        // 3,000 tasks (30 pages) must arrive while the command still runs.
        while String::from_utf8_lossy(&seen).matches('_').count() < 3000 {
            let read = stdout.read(&mut chunk).unwrap();
            assert!(read > 0, "{format}: the output ended");
            seen.extend_from_slice(&chunk[..read]);
            assert!(started.elapsed() < Duration::from_secs(30), "{format}: too slow");
        }
        let status = std::fs::read_to_string(format!("/proc/{}/status", child.id())).unwrap();
        assert!(child.try_wait().unwrap().is_none(), "{format}: still streaming");
        let _ = child.kill();
        let _ = child.wait();
        let rss: u64 = status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap();
        assert!(rss < 128 * 1024, "{format}: peak RSS {rss} KiB");
        let text = String::from_utf8_lossy(&seen);
        if format == "json" {
            assert!(text.starts_with("[\n  {"), "{}", &text[..80]);
        } else {
            assert!(text.starts_with("TASK ID "), "{}", &text[..80]);
        }
    }
}
