//! What only happens on a terminal, in a real pseudo-terminal (util-linux `script`, part of
//! every Debian system): the delete confirmation, the hidden key prompt of `auth login` and
//! password prompt of `credentials create`, tables that fit the terminal's width, and the spinner
//! of waits.

use crate::support::{ENDPOINT_JSON, Harness, KEY};
use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use yotta_sim::SimConfig;

/// Runs `shell` (a `sh -c` line) in a pseudo-terminal of 60 columns; when `answer` is given,
/// waits for its prompt to appear, then types its text. Returns the exit code and everything
/// the terminal showed (what was typed included, if it was echoed).
fn in_terminal(shell: &str, env: &[(&str, &str)], answer: Option<(&str, &str)>) -> (Option<i32>, String) {
    let line = format!("stty cols 60 rows 40; {shell}");
    let mut command = Command::new("script");
    command.args(["-q", "-e", "-c", &line, "/dev/null"]);
    for name in [
        "YOTTA_API_KEY",
        "YOTTA_BASE_URL",
        "YOTTA_PROFILE",
        "YOTTA_LOG",
        "RUST_LOG",
    ] {
        command.env_remove(name);
    }
    command
        .env("YOTTA_CONFIG_DIR", crate::support::empty_config_dir())
        .envs(env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    let mut child = command
        .spawn()
        .expect("util-linux `script` runs commands in a pseudo-terminal");
    let screen = Arc::new(Mutex::new(Vec::new()));
    let mut stdout = child.stdout.take().unwrap();
    let sink = screen.clone();
    let reader = std::thread::spawn(move || {
        let mut chunk = [0u8; 4096];
        while let Ok(read) = stdout.read(&mut chunk) {
            if read == 0 {
                break;
            }
            sink.lock().unwrap().extend_from_slice(&chunk[..read]);
        }
    });
    let shown = |screen: &Arc<Mutex<Vec<u8>>>| String::from_utf8_lossy(&screen.lock().unwrap()).to_string();
    let deadline = Instant::now() + crate::support::RUN_LIMIT;
    let mut stdin = child.stdin.take().unwrap();
    if let Some((prompt, text)) = answer {
        while !shown(&screen).contains(prompt) {
            assert!(Instant::now() < deadline, "no prompt {prompt:?}: {}", shown(&screen));
            std::thread::sleep(Duration::from_millis(20));
        }
        // The program turns echo off right after its prompt; give it that moment.
        std::thread::sleep(Duration::from_millis(400));
        stdin.write_all(format!("{text}\n").as_bytes()).unwrap();
        stdin.flush().unwrap();
    }
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{shell} did not end: {}", shown(&screen));
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    drop(stdin);
    reader.join().unwrap();
    (status.code(), shown(&screen))
}

fn yotta() -> String {
    assert_cmd::cargo::cargo_bin("yotta").display().to_string()
}

#[test]
fn delete_asks_on_a_terminal() {
    let h = Harness::start("v2", SimConfig::for_tests());
    let created = h.json_stdin(&["endpoints", "create", "-f", "-"], Some(ENDPOINT_JSON));
    let id = created["id"].as_str().unwrap().to_string();
    h.json(&["endpoints", "stop", &id]);
    h.json(&["endpoints", "wait", &id, "--status", "STOPPED", "--interval", "50ms"]);
    let delete = format!("{} --base-url {} endpoints delete {id}", yotta(), h.base);
    let env = [("YOTTA_API_KEY", KEY)];
    let question = "This cannot be undone. [y/N]";

    let (code, screen) = in_terminal(&delete, &env, Some((question, "n")));
    assert_eq!(code, Some(1), "{screen}");
    assert!(
        screen.contains(&format!("Delete endpoint {id} (queue-two, STOPPED)?")),
        "{screen}"
    );
    assert!(screen.contains("not confirmed"), "{screen}");
    assert_eq!(h.json(&["endpoints", "get", &id])["status"], "STOPPED", "still there");

    let (code, screen) = in_terminal(&delete, &env, Some((question, "y")));
    assert_eq!(code, Some(0), "{screen}");
    assert!(screen.contains(&format!("Deleted endpoint {id}.")), "{screen}");
}

#[test]
fn login_reads_the_key_without_echo_and_tables_fit_the_terminal() {
    let h = Harness::start("v2", SimConfig::for_tests());
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().to_str().unwrap();
    let login = format!("{} --base-url {} auth login", yotta(), h.base);
    let (code, screen) = in_terminal(&login, &[("YOTTA_CONFIG_DIR", config)], Some(("input hidden", KEY)));
    assert_eq!(code, Some(0), "{screen}");
    assert!(!screen.contains(KEY), "the key was echoed: {screen}");
    assert!(screen.contains("Logged in"), "{screen}");
    assert!(
        std::fs::read_to_string(dir.path().join("config.toml"))
            .unwrap()
            .contains(KEY)
    );

    // On a terminal: a table by default, no wider than the terminal, ids whole.
    let created = h.json_stdin(&["endpoints", "create", "-f", "-"], Some(ENDPOINT_JSON));
    let id = created["id"].as_str().unwrap();
    let list = format!("{} endpoints list", yotta());
    let (code, screen) = in_terminal(&list, &[("YOTTA_CONFIG_DIR", config)], None);
    assert_eq!(code, Some(0), "{screen}");
    assert!(screen.contains("ID") && screen.contains(id), "{screen}");
    for line in screen.lines() {
        assert!(line.trim_end().chars().count() <= 60, "wider than 60 columns: {line:?}");
    }

    // A wait shows a spinner on the terminal (stderr), the result on stdout.
    h.json(&["endpoints", "wait", id, "--interval", "50ms", "--timeout", "20s"]);
    let run = format!(
        "{} tasks run {id} --input '{{\"simulateDurationMs\": 1500}}' --port 80 --uri /run --task-id spun_1 --interval 50ms -o json",
        yotta()
    );
    let (code, screen) = in_terminal(&run, &[("YOTTA_CONFIG_DIR", config)], None);
    assert_eq!(code, Some(0), "{screen}");
    assert!(screen.contains("running task spun_1: PROCESSING"), "{screen}");
    assert!(screen.contains("\"durationMs\": 1500"), "{screen}");
}

#[test]
fn credentials_create_reads_the_password_without_echo() {
    let h = Harness::start("v2", SimConfig::for_tests());
    let password = "registry-SECRET-typed-31d7";
    let create = format!(
        "{} --base-url {} credentials create --name hub --username me --type DOCKER_HUB -o json",
        yotta(),
        h.base
    );
    let env = [("YOTTA_API_KEY", KEY)];
    let (code, screen) = in_terminal(&create, &env, Some(("input hidden", password)));
    assert_eq!(code, Some(0), "{screen}");
    assert!(!screen.contains(password), "the password was echoed: {screen}");
    let list = h.json(&["credentials", "list"]);
    let id = list[0]["id"].as_str().unwrap();
    assert_eq!(list[0]["name"], "hub");
    assert!(screen.contains(&format!("\"id\": \"{id}\"")), "{screen}");

    let delete = format!("{} --base-url {} credentials delete {id}", yotta(), h.base);
    let (code, screen) = in_terminal(&delete, &env, Some(("This cannot be undone. [y/N]", "y")));
    assert_eq!(code, Some(0), "{screen}");
    assert!(
        screen.contains(&format!("Delete credential {id} (hub, DOCKER_HUB)?")),
        "{screen}"
    );
    assert!(screen.contains(&format!("Deleted credential {id}.")), "{screen}");
    assert_eq!(h.json(&["credentials", "list"]), serde_json::json!([]));
}
