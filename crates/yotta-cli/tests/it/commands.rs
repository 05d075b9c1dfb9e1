//! Every command against an in-process simulator, in both API versions and both output modes,
//! with each exit code.

use crate::support::{ENDPOINT_JSON, ENDPOINT_YAML, Harness, field};
use serde_json::{Value, json};
use yotta_sim::SimConfig;

const FAST_WAIT: [&str; 4] = ["--interval", "50ms", "--timeout", "20s"];

fn with<'a>(args: &[&'a str], extra: &[&'a str]) -> Vec<&'a str> {
    args.iter().chain(extra).copied().collect()
}

#[test]
fn every_command_with_api_v1() {
    every_command("v1");
}

#[test]
fn every_command_with_api_v2() {
    every_command("v2");
}

fn every_command(version: &'static str) {
    let h = Harness::start(version, SimConfig::for_tests().with_log_backlog(40));
    let dir = tempfile::tempdir().unwrap();
    let (first, second) = create_list_get_wait(&h, dir.path());
    workers_and_logs(&h, &first);
    tasks(&h, &first, dir.path());
    scale_stop_update_start_delete(&h, &first, &second, dir.path());
    h.assert_key_never_printed();
}

/// create (YAML file, JSON on stdin), wait, list, get; returns the two endpoint ids.
fn create_list_get_wait(h: &Harness, dir: &std::path::Path) -> (String, String) {
    let yaml = dir.join("endpoint.yaml");
    std::fs::write(&yaml, ENDPOINT_YAML).unwrap();
    let created = h.json(&["endpoints", "create", "-f", yaml.to_str().unwrap()]);
    let first = created["id"].as_str().expect("ids are JSON strings").to_string();
    assert_eq!(created["name"], "llama-inference");
    assert_eq!(created["serviceMode"], "QUEUE");
    assert_eq!(
        created["environmentVars"],
        json!([{"key": "MODEL", "value": "llama-3-8b"}])
    );
    assert_eq!(created["expose"], json!({"port": 8000, "protocol": "http"}));

    let table = h.table_stdin(&["endpoints", "create", "-f", "-"], ENDPOINT_JSON);
    let second = field(&table, "ID").to_string();
    assert_eq!(field(&table, "Name"), "queue-two");
    assert!(
        second.len() > 15 && second.bytes().all(|b| b.is_ascii_digit()),
        "full id: {second}"
    );

    let running = h.json(&with(&["endpoints", "wait", &first, "--status", "RUNNING"], &FAST_WAIT));
    assert_eq!(running["status"], "RUNNING");
    assert_eq!(running["id"], first.as_str());
    let table = h.table(&with(
        &["endpoints", "wait", &second, "--status", "running"],
        &FAST_WAIT,
    ));
    assert_eq!(field(&table, "Status"), "RUNNING");

    let list = h.json(&["endpoints", "list"]);
    let ids: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 2);
    assert!(ids.contains(&first.as_str()) && ids.contains(&second.as_str()));
    assert_eq!(
        h.json(&["endpoints", "list", "--status", "RUNNING,STOPPED"])
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert_eq!(h.json(&["endpoints", "list", "--status", "stopped"]), json!([]));
    let table = h.table(&["endpoints", "ls", "--status", "RUNNING", "--status", "INITIALIZING"]);
    let mut lines = table.lines();
    assert!(lines.next().unwrap().starts_with("ID "), "{table}");
    assert!(
        table.contains(&format!("{first}   llama-inference   RUNNING   QUEUE   2/2")),
        "{table}"
    );
    assert!(table.contains(&second));
    assert_eq!(h.table(&["endpoints", "list", "--status", "FAILED"]).lines().count(), 1);

    let got = h.json(&["endpoints", "get", &first]);
    assert_eq!(got["id"], first.as_str());
    assert_eq!(got["resources"][0]["gpuType"], "NVIDIA_RTX_4090_24G");
    let table = h.table(&["endpoints", "get", &first]);
    assert_eq!(field(&table, "ID"), first);
    assert_eq!(field(&table, "Workers"), "2/2 running");
    assert_eq!(field(&table, "Resources"), "NVIDIA_RTX_4090_24G x1 @ us-east-1");
    (first, second)
}

fn workers_and_logs(h: &Harness, id: &str) {
    let workers = h.json(&["workers", "list", id]);
    let workers = workers.as_array().unwrap();
    assert_eq!(workers.len(), 2);
    assert!(workers.iter().all(|w| w["status"] == "RUNNING" && w["id"].is_string()));
    let worker = workers[0]["id"].as_str().unwrap();
    assert_eq!(h.json(&["workers", "list", id, "--status", "TERMINATED"]), json!([]));
    let table = h.table(&["workers", "list", id, "--status", "RUNNING"]);
    assert!(table.starts_with("ID "), "{table}");
    assert!(
        table.contains(&format!("{worker}   RUNNING   us-east-1   NVIDIA_RTX_4090_24G x1")),
        "{table}"
    );

    let lines = h.json(&["logs", id, worker, "--limit", "5"]);
    let lines = lines.as_array().unwrap();
    let offsets: Vec<i64> = lines.iter().map(|l| l["offset"].as_i64().unwrap()).collect();
    assert_eq!(offsets, [0, 1, 2, 3, 4]);
    assert!(lines.iter().all(|l| l["timestamp"].is_string() && l["log"].is_string()));
    let everything = h.json(&["logs", id, worker]);
    assert!(everything.as_array().unwrap().len() >= 40);
    let backward = h.json(&["logs", id, worker, "--backward", "--limit", "3"]);
    let back: Vec<i64> = backward
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["offset"].as_i64().unwrap())
        .collect();
    assert!(back.windows(2).all(|w| w[0] > w[1]), "{back:?}");

    let since = lines[2]["timestamp"].as_str().unwrap();
    let until = lines[3]["timestamp"].as_str().unwrap();
    let window = h.json(&["logs", id, worker, "--since", since, "--until", until]);
    let window: Vec<i64> = window
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["offset"].as_i64().unwrap())
        .collect();
    assert_eq!(window, [2, 3]);
    assert_eq!(
        h.json(&["logs", id, worker, "--since", "1d", "--limit", "2"])
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert_eq!(h.json(&["logs", id, worker, "--until", "1000000"]), json!([]));
    let word = lines[0]["log"]
        .as_str()
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_string();
    let matching = h.json(&["logs", id, worker, "--keyword", &word, "--limit", "4"]);
    assert!(!matching.as_array().unwrap().is_empty());
    assert!(
        matching
            .as_array()
            .unwrap()
            .iter()
            .all(|l| l["log"].as_str().unwrap().contains(&word))
    );

    let table = h.table(&["logs", id, worker, "--limit", "3"]);
    let expected: Vec<String> = lines[..3]
        .iter()
        .map(|l| format!("{}  {}", l["timestamp"].as_str().unwrap(), l["log"].as_str().unwrap()))
        .collect();
    assert_eq!(table.lines().collect::<Vec<_>>(), expected);

    // Following ends cleanly once --limit lines are printed: JSON Lines, exit 0.
    let followed = h.run(
        "json",
        &["logs", id, worker, "--follow", "--limit", "3", "--interval", "100ms"],
        None,
    );
    assert!(followed.status.success() && followed.stderr.is_empty(), "{followed:?}");
    let followed: Vec<Value> = String::from_utf8(followed.stdout)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(followed, lines[..3]);
    let table = h.table(&["logs", id, worker, "-f", "--limit", "2", "--interval", "100ms"]);
    assert_eq!(table.lines().collect::<Vec<_>>(), expected[..2]);
}

fn tasks(h: &Harness, id: &str, dir: &std::path::Path) {
    let input = r#"{"prompt": "hi"}"#;
    let base = [
        "tasks", "submit", id, "--input", input, "--port", "8000", "--uri", "/v1/chat",
    ];
    assert_eq!(
        h.json(&with(&base, &["--task-id", "cli_task_1"])),
        json!({"taskId": "cli_task_1"})
    );
    let generated = h.table(&base);
    let generated = generated.trim_end();
    assert_eq!(generated.len(), 32, "{generated}");

    let task_yaml = dir.join("task.yaml");
    std::fs::write(
        &task_yaml,
        "taskId: yaml_task\ninput:\n  prompt: from yaml\nworkerPort: 8000\nprocessUri: /v1/chat\n",
    )
    .unwrap();
    let done = h.json(&[
        "tasks",
        "submit",
        id,
        "-f",
        task_yaml.to_str().unwrap(),
        "--wait",
        "--timeout",
        "20s",
    ]);
    assert_eq!(done["taskId"], "yaml_task");
    assert_eq!(done["status"], "SUCCESS");
    assert_eq!(done["input"], json!({"prompt": "from yaml"}));
    let table = h.table_stdin(
        &["tasks", "submit", id, "-f", "-", "--task-id", "stdin_task", "--wait"],
        r#"{"input": [1, 2], "workerPort": 8000, "processUri": "/run"}"#,
    );
    assert_eq!(field(&table, "Task ID"), "stdin_task");
    assert_eq!(field(&table, "Status"), "SUCCESS");
    assert_eq!(field(&table, "Input"), "[1,2]");

    let waited = h.json(&with(&["tasks", "wait", id, "cli_task_1"], &FAST_WAIT));
    assert_eq!(waited["status"], "SUCCESS");
    let table = h.table(&with(&["tasks", "wait", id, generated], &FAST_WAIT));
    assert_eq!(field(&table, "Status"), "SUCCESS");
    let got = h.json(&["tasks", "get", id, "cli_task_1"]);
    assert_eq!(got["input"], json!({"prompt": "hi"}));
    assert_eq!(got["endpointId"], id);
    assert!(got["output"].is_object(), "{got}");
    // -o json prints exactly the SDK's serialised object (of the same API version).
    let client = yotta::Client::builder()
        .base_url(&h.base)
        .api_key(crate::support::KEY)
        .api_version(h.version.parse().unwrap())
        .build()
        .unwrap();
    let sdk = h.runtime.block_on(client.tasks().get(id, "cli_task_1")).unwrap();
    assert_eq!(got, serde_json::to_value(sdk).unwrap());
    let table = h.table(&["tasks", "get", id, "cli_task_1"]);
    assert_eq!(field(&table, "Task ID"), "cli_task_1");
    assert_eq!(field(&table, "Input"), r#"{"prompt":"hi"}"#);

    let page = h.json(&["tasks", "list", id, "--page-size", "3"]);
    assert_eq!(
        (page["page"].as_i64(), page["total"].as_i64(), page["pages"].as_i64()),
        (Some(1), Some(4), Some(2))
    );
    assert_eq!(page["items"].as_array().unwrap().len(), 3);
    let page2 = h.json(&["tasks", "list", id, "--page", "2", "--page-size", "3"]);
    assert_eq!(page2["items"].as_array().unwrap().len(), 1);
    let all = h.json(&["tasks", "list", id, "--all", "--status", "success"]);
    let mut ids: Vec<&str> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["taskId"].as_str().unwrap())
        .collect();
    ids.sort();
    let mut want = vec!["cli_task_1", "stdin_task", "yaml_task", generated];
    want.sort();
    assert_eq!(ids, want);
    assert_eq!(h.json(&["tasks", "list", id, "--status", "FAILED"])["items"], json!([]));
    let table = h.table(&["tasks", "list", id]);
    assert!(table.starts_with("TASK ID "), "{table}");
    assert!(table.ends_with("page 1 of 1 (4 tasks, 10 per page)\n"), "{table}");
    let table = h.table(&["tasks", "ls", id, "--all"]);
    assert_eq!(table.lines().count(), 5);
    assert!(table.contains("cli_task_1") && table.contains(generated));

    assert_eq!(h.json(&["tasks", "count", id]), json!({"processing": 0}));
    assert_eq!(h.table(&["tasks", "count", id]), "PROCESSING\n0\n");

    let missing = h.fail("json", &["tasks", "get", id, "no_such_task"], 1);
    assert!(
        missing.contains("taskNotFound") && missing.contains("hint: no such task"),
        "{missing}"
    );
}

fn scale_stop_update_start_delete(h: &Harness, first: &str, second: &str, dir: &std::path::Path) {
    assert_eq!(
        h.json(&["endpoints", "scale", first, "3"]),
        json!({"id": first, "action": "scale", "workers": 3})
    );
    assert_eq!(
        h.table(&["endpoints", "scale", first, "1"]),
        format!("Scaling endpoint {first} to 1 worker.\n")
    );

    // Exit 1: the state forbids it; the message names the code and kind, with advice.
    let refused = h.fail("table", &["endpoints", "delete", first, "--yes"], 1);
    assert!(
        refused.starts_with(&format!("error: deleteEndpoint ({}): ", h.version)),
        "{refused}"
    );
    assert!(refused.contains("(code 24002, notAllowed)"), "{refused}");
    assert!(refused.ends_with("hint: cannot delete an endpoint that is not stopped: stop it first\n"));
    let timed_out = h.fail(
        "json",
        &["endpoints", "wait", first, "--status", "FAILED", "--timeout", "200ms"],
        5,
    );
    assert!(
        timed_out.contains("gave up waiting") && timed_out.contains("(timeout)"),
        "{timed_out}"
    );

    assert_eq!(
        h.json(&["endpoints", "stop", first]),
        json!({"id": first, "action": "stop"})
    );
    let stopped = h.json(&with(&["endpoints", "wait", first, "--status", "STOPPED"], &FAST_WAIT));
    assert_eq!(stopped["status"], "STOPPED");

    // A stopped endpoint reports no worker count, so an update must give it (exit 2).
    let update = dir.join("update.yaml");
    std::fs::write(&update, "name: llama-renamed\n").unwrap();
    let refused = h.fail(
        "json",
        &["endpoints", "update", first, "-f", update.to_str().unwrap()],
        2,
    );
    assert!(
        refused.contains("invalid workers: the endpoint reports no live workers"),
        "{refused}"
    );
    std::fs::write(&update, "name: llama-renamed\nworkers: 2\n").unwrap();
    let updated = h.json(&["endpoints", "update", first, "-f", update.to_str().unwrap()]);
    assert_eq!(updated["name"], "llama-renamed");
    assert_eq!(
        updated["environmentVars"],
        json!([{"key": "MODEL", "value": "llama-3-8b"}]),
        "kept"
    );
    let table = h.table_stdin(
        &["endpoints", "update", first, "-f", "-"],
        r#"{"workers": 2, "envVars": [{"key": "A", "value": "b"}]}"#,
    );
    assert_eq!(field(&table, "Environment"), "A=b");
    assert_eq!(field(&table, "Name"), "llama-renamed");
    // Exit 2: the SDK's validation names the field.
    let invalid = h.fail("table", &["endpoints", "update", first, "-f", "-"], 2);
    assert!(invalid.contains("stdin is empty"), "{invalid}");
    let result = h.run(
        "json",
        &["endpoints", "update", first, "-f", "-"],
        Some("workers: 1\ncontainerVolumeInGb: 5\n"),
    );
    assert_eq!(result.status.code(), Some(2));
    let stderr = String::from_utf8(result.stderr).unwrap();
    assert!(stderr.starts_with("error: invalid containerVolumeInGb: "), "{stderr}");

    assert_eq!(
        h.table(&["endpoints", "start", first]),
        format!("Starting endpoint {first}.\n")
    );
    h.table(&with(&["endpoints", "wait", first], &FAST_WAIT));
    assert_eq!(
        h.table(&["endpoints", "stop", first]),
        format!("Stopping endpoint {first}.\n")
    );
    h.table(&with(&["endpoints", "wait", first, "--status", "STOPPED"], &FAST_WAIT));
    assert_eq!(
        h.table(&["endpoints", "delete", first, "--yes"]),
        format!("Deleted endpoint {first}.\n")
    );

    h.json(&["endpoints", "stop", second]);
    h.json(&with(&["endpoints", "wait", second, "--status", "STOPPED"], &FAST_WAIT));
    let stopped = h.json(&["endpoints", "get", second]);
    let client = yotta::Client::builder().base_url(&h.base).api_key(crate::support::KEY);
    let version = if h.version == "v1" {
        yotta::ApiVersion::V1
    } else {
        yotta::ApiVersion::V2
    };
    let client = client.api_version(version).build().unwrap();
    let sdk = h.runtime.block_on(client.endpoints().get(second)).unwrap();
    assert_eq!(
        stopped,
        serde_json::to_value(sdk).unwrap(),
        "-o json is the SDK's object"
    );
    assert_eq!(
        h.json(&["endpoints", "rm", second, "-y"]),
        json!({"id": second, "action": "delete"})
    );

    // Exit 1: unknown ids.
    for output in ["json", "table"] {
        let gone = h.fail(output, &["endpoints", "get", first], 1);
        assert!(
            gone.contains("notFound") && gone.contains("hint: no such endpoint"),
            "{gone}"
        );
    }
    assert_eq!(h.json(&["endpoints", "list"]), json!([]));
    assert_eq!(
        h.table(&["endpoints", "list"]),
        "ID   NAME   STATUS   MODE   WORKERS   RESOURCES   PRICE/H\n"
    );
}
