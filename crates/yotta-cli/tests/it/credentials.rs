//! `credentials` against an in-process simulator, in both API versions and both output modes:
//! the password from stdin or a file (never argv), checked where the simulator stores it, and
//! never printed, not even by `--debug`.

use crate::support::{Harness, field};
use serde_json::{Value, json};
use std::path::Path;
use std::time::{Duration, Instant};
use yotta_sim::SimConfig;

const PASSWORD: &str = "registry-SECRET-pw-5e1f";
const FILE_PASSWORD: &str = "registry-SECRET-file-90ab";
const ROTATED: &str = "registry-SECRET-rotated-77c0";

#[test]
fn credentials_with_api_v1() {
    credentials("v1");
}

#[test]
fn credentials_with_api_v2() {
    credentials("v2");
}

/// The secret the simulator holds for credential `id`, read from its state file (no route
/// returns it): waits for the debounced save to show `want`.
fn assert_stored(state: &Path, id: &str, want: &str) {
    let number: u64 = id.parse().unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut seen = None;
    while Instant::now() < deadline {
        if let Some(snapshot) = std::fs::read(state)
            .ok()
            .and_then(|bytes| serde_json::from_slice::<Value>(&bytes).ok())
        {
            seen = snapshot["credentials"]
                .as_array()
                .and_then(|all| all.iter().find(|c| c["id"].as_u64() == Some(number)))
                .and_then(|c| c["secret"].as_str().map(str::to_string));
            if seen.as_deref() == Some(want) {
                return;
            }
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("credential {id}: stored secret {seen:?}, want {want:?}");
}

fn credentials(version: &'static str) {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state.json");
    let h = Harness::start(version, SimConfig::for_tests().with_state_file(&state));
    let v2 = version == "v2";

    // create, the password on stdin: its first line, trimmed.
    let created = h.json_stdin(
        &[
            "credentials",
            "create",
            "--name",
            "hub",
            "--username",
            "me",
            "--type",
            "docker_hub",
            "--password-stdin",
        ],
        Some(&format!("  {PASSWORD}\t\nnot this line\n")),
    );
    let first = created["id"].as_str().expect("ids are JSON strings").to_string();
    assert_eq!(created["name"], "hub");
    // v1 has no type: it is not sent, nor reported.
    assert_eq!(created["type"], if v2 { json!("DOCKER_HUB") } else { Value::Null });
    assert!(created["createdAt"].is_string(), "{created}");
    assert_stored(&state, &first, PASSWORD);

    // create, the password in a file (its first line), as a table, with --debug.
    let file = dir.path().join("password.txt");
    std::fs::write(&file, format!("{FILE_PASSWORD}\nnot this line\n")).unwrap();
    let out = h.run(
        "table",
        &[
            "--debug",
            "credentials",
            "create",
            "--name",
            "gcr",
            "--username",
            "svc",
            "--type",
            "GCR",
            "--password-file",
            file.to_str().unwrap(),
        ],
        None,
    );
    let (table, stderr) = (text(&out.stdout), text(&out.stderr));
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.starts_with("debug: POST /"), "{stderr}");
    let second = field(&table, "ID").to_string();
    assert_eq!(field(&table, "Name"), "gcr");
    assert_eq!(field(&table, "Type"), if v2 { "GCR" } else { "-" });
    assert_stored(&state, &second, FILE_PASSWORD);

    // list and get.
    let list = h.json(&["credentials", "list"]);
    let mut ids: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    ids.sort();
    let mut want = [first.as_str(), second.as_str()];
    want.sort();
    assert_eq!(ids, want);
    let table = h.table(&["credentials", "ls"]);
    assert!(
        table.starts_with("ID ") && table.lines().next().unwrap().ends_with("CREATED"),
        "{table}"
    );
    let created_at = created["createdAt"].as_str().unwrap();
    let kind = if v2 { "DOCKER_HUB" } else { "-" };
    assert!(table.contains(&format!("{first}   hub   ")), "{table}");
    assert!(
        table
            .lines()
            .any(|l| l.starts_with(&first) && l.contains(kind) && l.ends_with(created_at)),
        "{table}"
    );
    assert_eq!(h.json(&["credentials", "get", &first]), created);
    let table = h.table(&["credentials", "get", &first]);
    assert_eq!(field(&table, "ID"), first);
    assert_eq!(field(&table, "Name"), "hub");
    assert_eq!(field(&table, "Type"), kind);
    assert_eq!(field(&table, "Created"), created_at);

    // update: a name and a username keep the password; a new one comes from stdin or a file.
    let renamed = h.json(&["credentials", "update", &first, "--name", "hub2", "--username", "me2"]);
    assert_eq!(renamed["id"], first.as_str());
    assert_eq!(renamed["name"], "hub2");
    assert_stored(&state, &first, PASSWORD);
    let out = h.run(
        "json",
        &["credentials", "update", &first, "--password-stdin", "--debug"],
        Some(&format!("{ROTATED}\n")),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stderr).starts_with(&format!("debug: PATCH /v2/container-registry-auths/{first} -> 200")));
    assert_eq!(serde_json::from_slice::<Value>(&out.stdout).unwrap()["name"], "hub2");
    assert_stored(&state, &first, ROTATED);
    let table = h.table(&[
        "credentials",
        "update",
        &second,
        "--password-file",
        file.to_str().unwrap(),
    ]);
    assert_eq!(field(&table, "Name"), "gcr");
    assert_stored(&state, &second, FILE_PASSWORD);

    // Nothing to change, or no password source and no terminal: exit 2, nothing sent.
    let sent = h.sim().requests().len();
    let stderr = h.fail("json", &["credentials", "update", &first], 2);
    assert!(
        stderr.starts_with("error: credentials update: nothing to change"),
        "{stderr}"
    );
    let stderr = h.fail("table", &["credentials", "create", "--name", "x", "--username", "u"], 2);
    assert_eq!(
        stderr,
        "error: credentials create: no terminal to ask for the password at (stdin and stderr must be \
         one): pass --password-stdin (the first line of stdin) or --password-file FILE\n"
    );
    let stderr = h.fail("json", &["credentials", "update", &first, "--prompt-password"], 2);
    assert!(
        stderr.contains("--password-stdin") && stderr.contains("--password-file"),
        "{stderr}"
    );
    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, "\n").unwrap();
    let args = [
        "credentials",
        "create",
        "--name",
        "x",
        "--username",
        "u",
        "--password-file",
    ];
    let stderr = h.fail("json", &[&args[..], &[empty.to_str().unwrap()]].concat(), 2);
    assert!(
        stderr.contains("--password-file") && stderr.contains("is empty"),
        "{stderr}"
    );
    assert_eq!(h.sim().requests().len(), sent, "nothing was sent");

    // A private image refers to the credential by id; while it does, deleting it is refused.
    let spec = json!({
        "name": "private",
        "image": "registry.example.com/team/model:1",
        "credentialId": first,
        "resources": [{"region": "us-east-1", "gpuType": "NVIDIA_RTX_4090_24G", "gpuCount": 1}],
        "workers": 1,
        "containerVolumeInGb": 40,
        "serviceMode": "QUEUE",
    });
    let endpoint = h.json_stdin(&["endpoints", "create", "-f", "-"], Some(&spec.to_string()));
    assert_eq!(endpoint["credentialId"], first.as_str(), "{endpoint}");
    let endpoint = endpoint["id"].as_str().unwrap().to_string();
    let stderr = h.fail("json", &["credentials", "delete", &first, "--yes"], 1);
    assert!(stderr.contains("25002") && stderr.contains("notAllowed"), "{stderr}");
    h.json(&["endpoints", "stop", &endpoint]);
    let wait = ["--interval", "20ms", "--timeout", "20s"];
    h.json(&[&["endpoints", "wait", &endpoint, "--status", "STOPPED"][..], &wait[..]].concat());
    h.json(&["endpoints", "delete", &endpoint, "--yes"]);

    // delete: without a terminal only with --yes.
    let stderr = h.fail("json", &["credentials", "delete", &first], 2);
    assert_eq!(
        stderr,
        format!(
            "error: credentials delete: stdin is not a terminal, so nobody can confirm: pass --yes to delete credential {first}\n"
        )
    );
    assert_eq!(
        h.json(&["credentials", "delete", &first, "--yes"]),
        json!({"id": first, "action": "delete"})
    );
    assert_eq!(
        h.table(&["credentials", "rm", &second, "-y"]),
        format!("Deleted credential {second}.\n")
    );
    assert_eq!(h.json(&["credentials", "list"]), json!([]));
    let stderr = h.fail("json", &["credentials", "get", &first], 1);
    assert!(stderr.contains("notFound"), "{stderr}");

    h.assert_key_never_printed();
    for secret in [PASSWORD, FILE_PASSWORD, ROTATED] {
        h.assert_never_printed(secret);
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).to_string()
}
