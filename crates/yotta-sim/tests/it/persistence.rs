//! `--state`: the real binary is killed with SIGKILL mid-workload and restarted; state survives.

use std::collections::HashSet;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};

use crate::support::{KEY, client, eventually, into_reply, receiver::Receiver, schema, task_body, v2_body};

struct Running {
    child: Child,
    base: String,
    http: reqwest::Client,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn spawn(args: &[&str], envs: &[(&str, &str)]) -> Running {
    let mut child = Command::new(env!("CARGO_BIN_EXE_yotta-sim"))
        .args([
            "--addr",
            "127.0.0.1:0",
            "--api-key",
            KEY,
            "--init-delay",
            "20ms",
            "--stop-delay",
            "20ms",
        ])
        .args([
            "--task-duration",
            "5ms",
            "--state-interval",
            "20ms",
            "--log-backlog",
            "0",
        ])
        .args(args)
        .envs(envs.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn yotta-sim");
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some(url) = line.strip_prefix("yotta-sim listening on ") {
                let _ = tx.send(url.to_owned());
            }
        }
    });
    let base = rx
        .recv_timeout(Duration::from_secs(20))
        .expect("the binary prints its address");
    Running {
        child,
        base,
        http: client(),
    }
}

async fn call(sim: &Running, method: &str, path: &str, body: Option<&Value>) -> crate::support::Reply {
    let mut req = sim
        .http
        .request(method.parse().unwrap(), format!("{}{path}", sim.base))
        .header("X-API-Key", KEY);
    if let Some(body) = body {
        req = req.json(body);
    }
    into_reply(method, req.send().await.expect("request")).await
}

fn epoch_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

fn state_path(dir: &Path) -> String {
    dir.join("sim-state.json").to_string_lossy().into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn state_survives_sigkill_mid_workload() {
    let dir = tempfile::tempdir().unwrap();
    let state = state_path(dir.path());
    let first = spawn(&["--state", &state, "--max-endpoints", "100000"], &[]);
    let base = first.base.clone();

    // Workload: endpoints and tasks keep arriving until the process is killed under it.
    let (ack_tx, ack_rx) = mpsc::channel::<(u64, u64, String)>();
    let acks = Arc::new(AtomicUsize::new(0));
    let counter = acks.clone();
    let writer = tokio::spawn(async move {
        let http = client();
        for i in 0.. {
            let mut body = v2_body(&format!("ep{i}"), "QUEUE", 1);
            body["envVars"] = json!([{ "key": "N", "value": i.to_string() }]);
            let Ok(resp) = http
                .post(format!("{base}/v2/serverless"))
                .header("X-API-Key", KEY)
                .json(&body)
                .send()
                .await
            else {
                return;
            };
            // A body cut short by the kill is not an answer; any complete one is validated.
            let Ok(reply) = resp.json::<Value>().await else { return };
            schema::validate("POST", "/v2/serverless", &reply);
            let Some(id) = reply["data"]["id"].as_u64() else { return };
            let task = format!("task_{i}");
            let path = format!("/v2/serverless/{id}/tasks");
            let sent = http
                .post(format!("{base}{path}"))
                .header("X-API-Key", KEY)
                .json(&task_body(&task))
                .send()
                .await;
            let Ok(reply) = (match sent {
                Ok(resp) => resp.json::<Value>().await,
                Err(_) => return,
            }) else {
                return;
            };
            schema::validate("POST", &path, &reply);
            if reply["code"] == 10000 {
                let _ = ack_tx.send((epoch_ms(), id, task));
                counter.fetch_add(1, Ordering::Relaxed);
            }
        }
    });
    // Kill only once the workload has made progress, and keep it running a while longer so the
    // kill lands mid-stream.
    eventually("workload progress", || async { acks.load(Ordering::Relaxed) >= 10 }).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    drop(first); // SIGKILL: no shutdown hook runs.
    if let Ok(Err(e)) = tokio::time::timeout(Duration::from_secs(10), writer).await {
        assert!(!e.is_panic(), "the workload failed: {e}");
    }
    let acked: Vec<(u64, u64, String)> = ack_rx.try_iter().collect();

    let text = std::fs::read_to_string(&state).expect("state file exists");
    let snapshot: Value = serde_json::from_str(&text).expect("the state file is never torn");
    // The snapshot is taken under the state lock at `savedAtMs`: whatever was acknowledged before
    // that moment had been applied, so it must be in the file (same host clock, no offset).
    let saved_at = snapshot["savedAtMs"].as_u64().expect("savedAtMs");
    let safe: Vec<_> = acked.iter().filter(|(at, _, _)| *at < saved_at).collect();
    assert!(!safe.is_empty(), "a save happened after the first acknowledgements");
    let second = spawn(&["--state", &state, "--max-endpoints", "100000"], &[]);
    let listed: HashSet<u64> = call(&second, "GET", "/v2/serverless", None)
        .await
        .ok()
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["id"].as_u64())
        .collect();
    let missing: Vec<u64> = safe
        .iter()
        .map(|(_, id, _)| *id)
        .filter(|id| !listed.contains(id))
        .collect();
    assert!(
        missing.is_empty(),
        "{} of {} saved endpoints lost: {missing:?}",
        missing.len(),
        safe.len()
    );
    // Their tasks are back too, and queued ones run after the restart (a sample, to stay quick).
    let step = (safe.len() / 10).max(1);
    for (_, id, task) in safe.iter().step_by(step) {
        let path = format!("/v2/serverless/{id}/tasks/{task}");
        eventually("restored task finishes", || async {
            call(&second, "GET", &path, None).await.ok()["status"] == "SUCCESS"
        })
        .await;
    }
    // And the restarted simulator keeps working: new ids do not collide with restored ones.
    let fresh = call(&second, "POST", "/v2/serverless", Some(&v2_body("fresh", "QUEUE", 1))).await;
    let fresh_id = fresh.ok()["id"].as_u64().unwrap();
    assert!(acked.iter().all(|(_, id, _)| *id != fresh_id));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_saves_everything_and_undelivered_webhooks_resume() {
    let dir = tempfile::tempdir().unwrap();
    let state = state_path(dir.path());
    let rx = Receiver::default();
    let hook = format!("http://{}/hook", rx.serve().await);
    let first = spawn(&["--state", &state, "--webhook-backoff", "1h"], &[]);
    let id = call(&first, "POST", "/v2/serverless", Some(&v2_body("kept", "QUEUE", 1)))
        .await
        .ok()["id"]
        .as_u64()
        .unwrap();
    eventually("running", || async {
        call(&first, "GET", &format!("/v2/serverless/{id}"), None).await.ok()["status"] == "RUNNING"
    })
    .await;
    // The receiver refuses once; the next attempt would be an hour later: restart before that.
    rx.script(&[503]);
    let mut body = task_body("hooked");
    body["webhook"] = json!(hook);
    call(&first, "POST", &format!("/v2/serverless/{id}/tasks"), Some(&body))
        .await
        .ok();
    eventually("first attempt", || async { rx.received().len() == 1 }).await;
    let status = Command::new("kill")
        .args(["-TERM", &first.child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let mut first = first;
    let deadline = Instant::now() + Duration::from_secs(10);
    while first.child.try_wait().unwrap().is_none() {
        assert!(Instant::now() < deadline, "SIGTERM stops the simulator");
        std::thread::sleep(Duration::from_millis(10));
    }
    let second = spawn(&["--state", &state], &[]);
    eventually("redelivery after restart", || async { rx.received().len() == 2 }).await;
    let t = call(&second, "GET", &format!("/v2/serverless/{id}/tasks/hooked"), None).await;
    eventually("delivered", || async {
        call(&second, "GET", &format!("/v2/serverless/{id}/tasks/hooked"), None)
            .await
            .ok()["deliveryStatus"]
            == "SUCCESS"
    })
    .await;
    assert_eq!(t.ok()["taskId"], "hooked");
    assert_eq!(
        rx.received()[1].body["retry_count"],
        2,
        "the attempt count survived the restart"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreadable_state_file_is_refused_not_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let state = state_path(dir.path());
    std::fs::write(&state, "not json").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_yotta-sim"))
        .args(["--addr", "127.0.0.1:0", "--state", &state])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a simulator snapshot"));
    assert_eq!(std::fs::read_to_string(&state).unwrap(), "not json");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_binary_injects_yotta_api_key_in_proxy_mode() {
    let upstream = Receiver::default();
    upstream.set_reply(json!({ "code": 10000, "message": "success", "data": [] }));
    let addr = upstream.serve().await;
    let url = format!("http://{addr}");
    let sim = spawn(&["--upstream", &url], &[("YOTTA_API_KEY", "from-env")]);
    let resp = client()
        .get(format!("{}/openapi/v1/elastic/deploy/list", sim.base))
        .send()
        .await
        .unwrap();
    into_reply("GET", resp).await.ok();
    assert_eq!(upstream.received()[0].header("x-api-key"), Some("from-env"));
}
