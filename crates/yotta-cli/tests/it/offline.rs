//! What the CLI does without a server: usage and validation errors (exit 2), connection errors
//! (exit 1), completions, the GPU catalog, and never printing the API key.

use assert_cmd::Command;
use predicates::prelude::*;
use std::time::Duration;

const KEY: &str = "sk-offline-SECRET-4242";

/// `yotta` with a key and a base URL where nothing listens (port 9, discard, is closed locally).
fn yotta() -> Command {
    let mut command = Command::from_std(crate::support::isolated(crate::support::empty_config_dir()));
    command
        .env("YOTTA_BASE_URL", "http://127.0.0.1:9")
        .env("YOTTA_API_KEY", KEY)
        .timeout(Duration::from_secs(30));
    command
}

fn no_key() -> impl Predicate<str> {
    predicate::str::contains(KEY).not()
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        &["endpoints"][..],
        &["endpoints", "frobnicate"],
        &["endpoints", "list", "--status", "SLEEPING"],
        &["endpoints", "scale", "1", "many"],
        &["endpoints", "create"],
        &["--api-version", "v3", "endpoints", "list"],
        &["-o", "yaml", "endpoints", "list"],
        &["logs", "1", "2", "--since", "yesterday"],
        &["logs", "1", "2", "--limit", "0"],
        &["logs", "1", "2", "--backward", "--follow"],
        &["tasks", "submit", "1"],
        &["tasks", "submit", "1", "--input", "{}"],
        &["tasks", "list", "1", "--all", "--page", "2"],
        &["endpoints", "wait", "1", "--timeout", "soon"],
        &["completions", "tcsh"],
        &["--api-key", "k", "--api-key-file", "k.txt", "endpoints", "list"],
        &["--api-key-stdin", "--no-api-key", "endpoints", "list"],
        &["--profile", "no spaces", "endpoints", "list"],
        &["api", "TRACE", "/v2/serverless"],
        &["api", "GET", "v2/serverless"],
        &[
            "credentials",
            "create",
            "--name",
            "n",
            "--username",
            "u",
            "--password",
            "pw",
        ],
        &[
            "credentials",
            "create",
            "--name",
            "n",
            "--username",
            "u",
            "--type",
            "QUAY",
        ],
        &["credentials", "create", "--name", "n", "--password-stdin"],
        &[
            "credentials",
            "create",
            "--name",
            "n",
            "--username",
            "u",
            "--password-stdin",
            "--prompt-password",
        ],
        &["credentials", "update", "1", "--type", "GCR"],
        &["credentials", "update", "1"],
        &["--api-key-stdin", "credentials", "update", "1", "--password-stdin"],
    ] {
        yotta()
            .args(args)
            .assert()
            .code(2)
            .stdout("")
            .stderr((predicate::str::contains("error:").or(predicate::str::contains("Usage: yotta"))).and(no_key()));
    }
}

#[test]
fn validation_errors_exit_2_and_name_the_field() {
    yotta()
        .args(["endpoints", "get", "not-a-number"])
        .assert()
        .code(2)
        .stdout("")
        .stderr("error: invalid id: must be a decimal number (got \"not-a-number\") (validation)\n");
    yotta()
        .args(["endpoints", "scale", "1", "--", "-3"])
        .assert()
        .code(2)
        .stderr(predicate::str::starts_with("error: invalid workers: "));
    yotta()
        .args([
            "tasks", "submit", "1", "--input", "{}", "--port", "70000", "--uri", "/run",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::starts_with("error: invalid workerPort: "));
    yotta()
        .args([
            "tasks",
            "submit",
            "1",
            "--input",
            "{not json",
            "--port",
            "80",
            "--uri",
            "/run",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::starts_with("error: --input is not valid JSON: "));
    yotta()
        .args(["--base-url", "ftp://example.com", "endpoints", "list"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("invalid baseUrl").and(no_key()));
    // The key must never travel over plain http to another host; the error does not show it.
    yotta()
        .args(["--base-url", "http://api.example.com", "endpoints", "list"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("plain http").and(no_key()));
}

#[test]
fn input_file_errors_exit_2_and_name_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("spec.yaml");
    std::fs::write(
        &spec,
        "name: demo\nimage: nginx\nserviceMode: ALB\nworkers: 1\ncontainerVolumeInGb: 20\n\
         resources:\n  - region: us-east-1\n    gpuType: NVIDIA_RTX_4090_24G\n    gpuCounts: 1\n",
    )
    .unwrap();
    yotta()
        .args(["endpoints", "create", "-f"])
        .arg(&spec)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("resources[0]: unknown field `gpuCounts`"));
    yotta()
        .args(["endpoints", "create", "-f", "-"])
        .write_stdin(r#"{"name": "demo", "image": "nginx"}"#)
        .assert()
        .code(2)
        .stderr(predicate::str::starts_with(
            "error: invalid stdin: missing field `resources`",
        ));
    yotta()
        .args(["endpoints", "create", "-f", "/nonexistent/spec.json"])
        .assert()
        .code(2)
        .stderr(predicate::str::starts_with("error: cannot read /nonexistent/spec.json"));
    yotta()
        .args(["endpoints", "update", "1", "-f", "-"])
        .write_stdin("workers: 2\ngpuCount: 1\n")
        .assert()
        .code(2)
        .stderr(predicate::str::starts_with(
            "error: invalid stdin: unknown field `gpuCount`",
        ));
}

#[test]
fn connection_errors_exit_1_and_never_show_the_key() {
    yotta()
        .args(["endpoints", "list"])
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::starts_with("error: listEndpoints (v2): network error").and(no_key()));
    yotta()
        .args([
            "--api-key",
            KEY,
            "--api-version",
            "v1",
            "-o",
            "table",
            "workers",
            "list",
            "5",
        ])
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("listWorkers (v1)")
                .and(predicate::str::contains("(network)"))
                .and(no_key()),
        );
}

#[test]
fn a_key_that_looks_like_an_option_is_taken_as_the_key() {
    let key = "-SECRET-dash-key";
    yotta()
        .args([
            "--api-key",
            key,
            "--base-url",
            "http://127.0.0.1:9",
            "workers",
            "list",
            "x",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("invalid id").and(predicate::str::contains("SECRET").not()));
}

#[test]
fn help_and_version_never_show_the_key() {
    yotta()
        .arg("--help")
        .assert()
        .success()
        .stdout(no_key())
        .stdout(predicate::str::contains("YOTTA_API_KEY"));
    yotta()
        .arg("--version")
        .assert()
        .success()
        .stdout(predicate::str::starts_with("yotta "));
}

#[test]
fn gpus_prints_the_documented_catalog_without_a_key_or_a_server() {
    let run = |args: &[&str]| {
        let out = yotta().env_remove("YOTTA_API_KEY").args(args).output().unwrap();
        assert!(out.status.success(), "{args:?}: {out:?}");
        assert!(out.stderr.is_empty(), "{args:?}: {out:?}");
        String::from_utf8(out.stdout).unwrap()
    };
    let json: serde_json::Value = serde_json::from_str(&run(&["gpus", "list", "-o", "json"])).unwrap();
    let items = json.as_array().unwrap();
    assert_eq!(items.len(), yotta::GPU_TYPES.len());
    for (item, gpu) in items.iter().zip(&yotta::GPU_TYPES) {
        assert_eq!(
            *item,
            serde_json::json!({"code": gpu.code, "displayName": gpu.display_name, "vramGb": gpu.vram_gb})
        );
    }

    let table = run(&["gpu", "ls", "-o", "table"]);
    let rows: Vec<Vec<&str>> = table
        .lines()
        .map(|line| line.split("   ").map(str::trim).filter(|c| !c.is_empty()).collect())
        .collect();
    assert_eq!(rows[0], ["GPU TYPE", "NAME", "VRAM (GB)"], "{table}");
    assert_eq!(rows.len(), yotta::GPU_TYPES.len() + 1, "{table}");
    for (row, gpu) in rows[1..].iter().zip(&yotta::GPU_TYPES) {
        assert_eq!(*row, [gpu.code, gpu.display_name, &gpu.vram_gb.to_string()], "{table}");
    }
}

#[test]
fn completions_for_every_shell() {
    for (shell, marker) in [
        ("bash", "_yotta()"),
        ("zsh", "#compdef yotta"),
        ("fish", "complete -c yotta"),
        ("powershell", "Register-ArgumentCompleter"),
        ("elvish", "edit:completion:arg-completer[yotta]"),
    ] {
        yotta()
            .args(["completions", shell])
            .assert()
            .success()
            .stdout(predicate::str::contains(marker).and(predicate::str::contains("endpoints")));
    }
}
