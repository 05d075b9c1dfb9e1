//! Operator conventions against the simulator: profiles (`auth login|status|logout`), the key's
//! sources and their precedence, `--debug` and `YOTTA_LOG`/`RUST_LOG`, `tasks run` and FAILED
//! tasks (exit 3), wait timeouts (exit 5), `endpoints delete` without a terminal, and `yotta api`.

use crate::support::{ENDPOINT_JSON, Harness, KEY, bare_command};
use serde_json::{Value, json};
use std::path::Path;
use yotta_sim::SimConfig;

const FAST_WAIT: [&str; 4] = ["--interval", "50ms", "--timeout", "20s"];

/// A harness with one RUNNING QUEUE endpoint; returns it with the endpoint's id.
fn running_endpoint() -> (Harness, String) {
    let h = Harness::start("v2", SimConfig::for_tests().with_log_backlog(12));
    let created = h.json_stdin(&["endpoints", "create", "-f", "-"], Some(ENDPOINT_JSON));
    let id = created["id"].as_str().unwrap().to_string();
    let mut wait = vec!["endpoints", "wait", id.as_str()];
    wait.extend(FAST_WAIT);
    h.json(&wait);
    (h, id)
}

/// `yotta` with `dir` as its config directory and no base URL (it may come from the profile).
fn in_config(dir: &Path) -> assert_cmd::Command {
    let mut command = assert_cmd::Command::from_std(crate::support::isolated(dir));
    command.timeout(crate::support::RUN_LIMIT);
    command
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).to_string()
}

#[test]
fn auth_login_status_logout_and_the_order_of_key_sources() {
    let (h, _) = running_endpoint();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("config.toml");
    let mut transcript = String::new();
    let mut record = |output: &std::process::Output| {
        transcript.push_str(&text(&output.stdout));
        transcript.push_str(&text(&output.stderr));
    };

    // A rejected key is not stored (exit 4).
    let out = in_config(dir.path())
        .args(["--base-url", &h.base, "auth", "login"])
        .write_stdin("sk-wrong-key-77\n")
        .output()
        .unwrap();
    record(&out);
    assert_eq!(out.status.code(), Some(4), "{}", text(&out.stderr));
    assert!(!file.exists());

    // The key piped on stdin, checked with the API, stored 0600 with the base URL given.
    let out = in_config(dir.path())
        .args(["--base-url", &h.base, "-o", "json", "auth", "login"])
        .write_stdin(format!("{KEY}\n"))
        .output()
        .unwrap();
    record(&out);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stored: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(stored["profile"], "default");
    assert_eq!(stored["verified"], true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "the profile file is the owner's alone");
    }
    let contents = std::fs::read_to_string(&file).unwrap();
    assert!(contents.contains(&h.base) && contents.contains(KEY), "{contents}");

    // Every command now works without a key or a base URL anywhere else.
    let out = in_config(dir.path())
        .args(["-o", "json", "endpoints", "list"])
        .output()
        .unwrap();
    record(&out);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = in_config(dir.path())
        .args(["-o", "json", "auth", "status"])
        .output()
        .unwrap();
    record(&out);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let status: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(status["keySource"], "profile");
    assert_eq!(status["baseUrl"], h.base.as_str());
    assert_eq!(status["baseUrlSource"], "profile");
    assert_eq!(status["keyAccepted"], true);
    let out = in_config(dir.path())
        .args(["-o", "table", "auth", "status"])
        .output()
        .unwrap();
    record(&out);
    let table = text(&out.stdout);
    assert!(
        table.contains("API key:      set, from profile \"default\" (never shown)"),
        "{table}"
    );
    assert!(table.contains("Key check:    accepted by the API"), "{table}");

    // flag > env > profile: a wrong key in the environment beats the profile's (exit 4)...
    let out = in_config(dir.path())
        .env("YOTTA_API_KEY", "sk-env-wrong-1")
        .args(["--profile", "default", "endpoints", "list"])
        .output()
        .unwrap();
    record(&out);
    assert_eq!(out.status.code(), Some(4), "{}", text(&out.stderr));
    // ... and a key file beats the environment.
    let key_file = dir.path().join("key.txt");
    std::fs::write(&key_file, format!("{KEY}\n")).unwrap();
    let out = in_config(dir.path())
        .env("YOTTA_API_KEY", "sk-env-wrong-1")
        .args(["--profile", "default", "--api-key-file"])
        .arg(&key_file)
        .args(["-o", "json", "auth", "status"])
        .output()
        .unwrap();
    record(&out);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let status: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(status["keySource"], "flag");
    assert_eq!(status["keyOrigin"], "the --api-key-file option");
    assert_eq!(
        status["baseUrlSource"], "profile",
        "a named profile still supplies the rest"
    );

    // A second profile from a key file; an unknown profile is a usage error naming the fix.
    let out = in_config(dir.path())
        .args(["--profile", "staging", "--base-url", &h.base, "--api-key-file"])
        .arg(&key_file)
        .args(["auth", "login"])
        .output()
        .unwrap();
    record(&out);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(std::fs::read_to_string(&file).unwrap().contains("[profiles.staging]"));
    let out = in_config(dir.path())
        .args(["--profile", "nope", "endpoints", "list"])
        .output()
        .unwrap();
    record(&out);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("yotta --profile nope auth login"),
        "{}",
        text(&out.stderr)
    );

    // Logout forgets the profile: then there is no key (exit 4, naming both fixes).
    let out = in_config(dir.path())
        .args(["-o", "table", "auth", "logout"])
        .output()
        .unwrap();
    record(&out);
    assert!(out.status.success());
    assert!(text(&out.stdout).starts_with("Logged out: removed profile \"default\""));
    let out = in_config(dir.path())
        .args(["--base-url", &h.base, "endpoints", "list"])
        .output()
        .unwrap();
    record(&out);
    assert_eq!(out.status.code(), Some(4));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("YOTTA_API_KEY") && stderr.contains("`yotta auth login`"),
        "{stderr}"
    );
    let out = in_config(dir.path())
        .args(["-o", "table", "auth", "logout"])
        .output()
        .unwrap();
    assert!(text(&out.stdout).contains("nothing to remove"));
    assert!(!transcript.contains(KEY), "the key was printed");
}

#[test]
fn keys_from_a_file_or_stdin_stay_out_of_argv() {
    let (h, id) = running_endpoint();
    let dir = tempfile::tempdir().unwrap();
    let key_file = dir.path().join("key");
    std::fs::write(&key_file, format!("{KEY}\n\n")).unwrap();
    let out = bare_command(&h.base)
        .arg("--api-key-file")
        .arg(&key_file)
        .args(["-o", "json", "endpoints", "get", &id])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = bare_command(&h.base)
        .args(["--api-key-stdin", "-o", "json", "endpoints", "get", &id])
        .write_stdin(format!("{KEY}\n"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));

    // stdin cannot carry both; an empty key file is named.
    let out = bare_command(&h.base)
        .args(["--api-key-stdin", "endpoints", "create", "-f", "-"])
        .write_stdin(format!("{KEY}\n"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("cannot share stdin"));
    std::fs::write(&key_file, "\n").unwrap();
    let out = bare_command(&h.base)
        .arg("--api-key-file")
        .arg(&key_file)
        .args(["endpoints", "list"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("--api-key-file") && text(&out.stderr).contains("is empty"));
}

#[test]
fn debug_prints_one_line_per_attempt_and_never_the_key() {
    let (h, id) = running_endpoint();
    // The first attempt gets a 503, the retry succeeds.
    h.sim().add_fault(
        "error,status=503,method=GET,path=/v2/serverless/{id},count=1"
            .parse()
            .unwrap(),
    );
    let out = h.run("json", &["--debug", "endpoints", "get", &id], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 2, "{stderr}");
    let path = format!("/v2/serverless/{id}");
    assert!(
        lines[0].starts_with(&format!("debug: GET {path} -> 503 (attempt 1, ")) && lines[0].contains("retry in"),
        "{stderr}"
    );
    assert!(
        lines[1].starts_with(&format!("debug: GET {path} -> 200 (attempt 2, ")) && lines[1].ends_with(" ms)"),
        "{stderr}"
    );
    let got: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(got["id"], id.as_str(), "stdout is the result alone");

    // The raw command reports its attempt the same way.
    let out = h.run("json", &["api", "GET", "/v2/serverless", "--debug"], None);
    assert!(text(&out.stderr).starts_with("debug: GET /v2/serverless -> 200 (attempt 1, "));

    // YOTTA_LOG / RUST_LOG: tracing, the same events; even at trace level (the HTTP stack's own
    // logs) the key appears nowhere.
    for (variable, filter) in [("YOTTA_LOG", "yotta=debug"), ("RUST_LOG", "trace")] {
        let out = h
            .command("json")
            .env(variable, filter)
            .args(["endpoints", "get", &id])
            .output()
            .unwrap();
        assert!(out.status.success());
        let stderr = text(&out.stderr);
        assert!(
            stderr.contains(&format!("GET {path} -> 200 (attempt 1, ")),
            "{variable}: {stderr}"
        );
        assert!(!stderr.contains(KEY), "{variable} printed the key");
        assert!(!stderr.contains('\u{1b}'), "no colours or escapes: {stderr}");
    }
    h.assert_key_never_printed();
}

#[test]
fn tasks_run_prints_the_output_and_failed_tasks_exit_3() {
    let (h, id) = running_endpoint();
    let run = |input: &str, extra: &[&str]| {
        let mut args = vec![
            "tasks",
            "run",
            id.as_str(),
            "--input",
            input,
            "--port",
            "8000",
            "--uri",
            "/run",
        ];
        args.extend(extra);
        h.run("json", &args, None)
    };
    let out = run(r#"{"prompt": "hi"}"#, &FAST_WAIT);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let output: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(output["echo"], json!({"prompt": "hi"}), "the task's output alone");

    let out = run(r#"{"simulateFailure": "out of memory"}"#, &["--task-id", "doomed_1"]);
    assert_eq!(out.status.code(), Some(3), "{}", text(&out.stderr));
    let task: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (task["status"].as_str(), task["error"].as_str()),
        (Some("FAILED"), Some("out of memory"))
    );
    assert_eq!(
        text(&out.stderr).lines().next().unwrap(),
        format!("error: task doomed_1 on endpoint {id} failed: out of memory (taskFailed)")
    );

    // submit --wait and tasks wait: printed, then exit 3.
    let out = h.run(
        "table",
        &[
            "tasks",
            "submit",
            &id,
            "--input",
            r#"{"simulateFailure": "bad input"}"#,
            "--port",
            "8000",
            "--uri",
            "/run",
            "--task-id",
            "doomed_2",
            "--wait",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(crate::support::field(&text(&out.stdout), "Error"), "bad input");
    let out = h.run("json", &["tasks", "wait", &id, "doomed_1"], None);
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(
        serde_json::from_slice::<Value>(&out.stdout).unwrap()["status"],
        "FAILED"
    );

    // A wait that gives up is exit 5.
    let out = run(
        r#"{"simulateDurationMs": 60000}"#,
        &["--timeout", "300ms", "--interval", "50ms"],
    );
    assert_eq!(out.status.code(), Some(5), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("gave up waiting"), "{}", text(&out.stderr));
    h.assert_key_never_printed();
}

#[test]
fn delete_without_a_terminal_needs_yes() {
    let (h, id) = running_endpoint();
    h.json(&["endpoints", "stop", &id]);
    let mut wait = vec!["endpoints", "wait", id.as_str(), "--status", "STOPPED"];
    wait.extend(FAST_WAIT);
    h.json(&wait);
    let stderr = h.fail("json", &["endpoints", "delete", &id], 2);
    assert_eq!(
        stderr,
        format!(
            "error: endpoints delete: stdin is not a terminal, so nobody can confirm: pass --yes to delete endpoint {id}\n"
        )
    );
    assert_eq!(h.json(&["endpoints", "get", &id])["status"], "STOPPED", "still there");
    assert_eq!(h.json(&["endpoints", "delete", &id, "--yes"])["action"], "delete");
}

#[test]
fn api_sends_raw_requests_and_follows_pages() {
    let (h, id) = running_endpoint();
    let envelope = h.json(&["api", "GET", "/v2/serverless"]);
    assert_eq!(envelope["code"], 10000);
    assert_eq!(envelope["data"][0]["id"].to_string().trim_matches('"'), id);

    // A business error: the envelope on stdout, the code on stderr, exit 1.
    let out = h.run("json", &["api", "get", "/v2/serverless/123"], None);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(serde_json::from_slice::<Value>(&out.stdout).unwrap()["code"], 14000);
    assert!(text(&out.stderr).starts_with("error: GET /v2/serverless/123: code 14000 (notFound): "));

    // A body from a file; then five tasks, two per page: three envelopes, one per line.
    let dir = tempfile::tempdir().unwrap();
    let body = dir.path().join("task.json");
    for n in 0..5 {
        std::fs::write(
            &body,
            format!(r#"{{"taskId": "raw_{n}", "input": {{}}, "workerPort": 8000, "processUri": "/run"}}"#),
        )
        .unwrap();
        let data = format!("@{}", body.display());
        let path = format!("/v2/serverless/{id}/tasks");
        assert_eq!(h.json(&["api", "POST", &path, "--data", &data])["code"], 10000);
    }
    let path = format!("/v2/serverless/{id}/tasks?pageSize=2");
    let out = h.run("json", &["api", "GET", &path, "--paginate"], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let pages: Vec<Value> = text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(pages.len(), 3);
    let ids: Vec<&str> = pages
        .iter()
        .flat_map(|p| p["data"]["items"].as_array().unwrap())
        .map(|t| t["taskId"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["raw_4", "raw_3", "raw_2", "raw_1", "raw_0"]);

    // Logs page by cursor.
    let workers = h.json(&["workers", "list", &id]);
    let worker = workers[0]["id"].as_str().unwrap();
    // The worker keeps logging, so the pages hold at least what a read before them saw.
    let before = h.json(&["logs", &id, worker]).as_array().unwrap().len();
    let path = format!("/v2/serverless/{id}/workers/{worker}/logs?pageSize=5");
    let out = h.run("json", &["api", "GET", &path, "--paginate"], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let pages: Vec<Value> = text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let lines: usize = pages.iter().map(|p| p["data"]["logs"].as_array().unwrap().len()).sum();
    assert!(
        pages.len() >= 3 && lines >= before && pages.len() >= lines.div_ceil(5),
        "{} pages, {lines} lines, {before} before",
        pages.len()
    );

    // Usage errors name the rule: an unknown parameter, a route that does not page, a host.
    let stderr = h.fail(
        "json",
        &["api", "GET", &format!("/v2/serverless/{id}/tasks?pagesize=2")],
        2,
    );
    assert!(stderr.contains("unknown query parameter `pagesize`"), "{stderr}");
    let stderr = h.fail("json", &["api", "GET", "/v2/serverless", "--paginate"], 2);
    assert!(stderr.contains("does not page"), "{stderr}");
    let stderr = h.fail("json", &["api", "GET", "https://elsewhere.example/v2/serverless"], 2);
    assert!(stderr.contains("invalid PATH"), "{stderr}");
    let stderr = h.fail("json", &["api", "POST", "/v2/serverless", "--data", "{oops"], 2);
    assert!(stderr.contains("--data is not valid JSON"), "{stderr}");

    // A rejected key: exit 4, the envelope still printed.
    let out = bare_command(&h.base)
        .args(["--api-key", "sk-nope-1", "api", "GET", "/v2/serverless"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("HTTP 401"), "{}", text(&out.stderr));
    h.assert_key_never_printed();
}
