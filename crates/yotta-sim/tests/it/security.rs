//! The key-injecting modes and the admin routes serve only their own origin; the request log and
//! the state file keep secrets in.
//!
//! A browser lets any page send requests to 127.0.0.1; these tests send exactly what a browser
//! would send for a page elsewhere (its `Origin`, `Sec-Fetch-Site`, a rebinding `Host`, a form's
//! content type) and check that nothing reaches the upstream, the key or the state.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

use serde_json::{Value, json};
use yotta_sim::{ConfigError, SimConfig, Simulator};

use crate::support::receiver::Receiver;
use crate::support::{KEY, client, start, task_body, v2_body};

const SERVER_KEY: &str = "server-secret-key";
const EVIL: &str = "https://evil.example";

/// A simulator proxying to a recording stand-in for the real API, with the server's key.
async fn proxy(cfg: SimConfig) -> (Simulator, Receiver) {
    let upstream = Receiver::default();
    upstream.set_reply(json!({ "code": 10000, "message": "success", "data": [] }));
    let addr = upstream.serve().await;
    let sim = cfg
        .with_upstream(format!("http://{addr}"), Some(SERVER_KEY.into()))
        .spawn()
        .await
        .expect("simulator starts");
    (sim, upstream)
}

fn own_origin(sim: &Simulator) -> String {
    format!("http://127.0.0.1:{}", sim.addr().port())
}

/// Sends `req` and returns its status, its CORS grant (if any) and its body.
async fn send(req: reqwest::RequestBuilder) -> (u16, Option<String>, Value) {
    let resp = req.send().await.expect("request sent");
    let status = resp.status().as_u16();
    let grant = resp
        .headers()
        .get("access-control-allow-origin")
        .map(|v| v.to_str().unwrap().to_owned());
    let body = resp.json().await.unwrap_or(Value::Null);
    (status, grant, body)
}

/// What a page on another site can make a browser send, one request each.
fn hostile_requests(http: &reqwest::Client, base: &str, port: u16) -> Vec<(&'static str, reqwest::RequestBuilder)> {
    let list = format!("{base}/v2/serverless");
    vec![
        ("fetch from a foreign origin", http.get(&list).header("Origin", EVIL)),
        (
            "preflight from a foreign origin",
            http.request(reqwest::Method::OPTIONS, format!("{base}/v2/serverless/1"))
                .header("Origin", EVIL)
                .header("Access-Control-Request-Method", "DELETE"),
        ),
        (
            "cross-site delete without Origin",
            http.delete(format!("{base}/v2/serverless/1"))
                .header("Sec-Fetch-Site", "cross-site"),
        ),
        (
            "cross-site form POST",
            http.post(format!("{base}/v2/serverless"))
                .header("Origin", "null")
                .header("Sec-Fetch-Site", "cross-site")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .body("name=pwned&image=x"),
        ),
        (
            "DNS rebinding (same-origin to the browser, foreign Host)",
            http.post(format!("{base}/v2/serverless"))
                .header("Host", format!("rebind.evil.example:{port}"))
                .header("Origin", format!("http://rebind.evil.example:{port}"))
                .json(&v2_body("pwned", "QUEUE", 1)),
        ),
        (
            "rebinding Host without Origin",
            http.get(&list).header("Host", format!("evil.example:{port}")),
        ),
        (
            "loopback Host on another port",
            http.get(&list)
                .header("Host", format!("127.0.0.1:{}", port.wrapping_add(1))),
        ),
    ]
}

#[tokio::test]
async fn proxy_mode_refuses_foreign_pages_and_the_upstream_never_sees_the_key() {
    let (sim, upstream) = proxy(SimConfig::for_tests()).await;
    let http = client();
    for (what, req) in hostile_requests(&http, &sim.base_url(), sim.addr().port()) {
        let (status, grant, body) = send(req).await;
        assert_eq!(status, 403, "{what}: {body}");
        assert_eq!(grant, None, "{what}: no CORS grant");
        assert_eq!(body["code"], 403, "{what}: an envelope");
        assert!(
            body["message"].as_str().unwrap().starts_with("Forbidden: "),
            "{what}: {body}"
        );
    }
    assert!(
        upstream.received().is_empty(),
        "nothing forwarded: {:?}",
        upstream.received()
    );
    assert!(sim.requests().is_empty(), "refused before the request log");

    // The console's own page: same origin, through either loopback name; the key goes along.
    let own = own_origin(&sim);
    let (status, grant, _) = send(
        http.get(format!("{}/v2/serverless", sim.base_url()))
            .header("Origin", &own)
            .header("Sec-Fetch-Site", "same-origin"),
    )
    .await;
    assert_eq!((status, grant), (200, None), "same-origin needs no CORS grant");
    let port = sim.addr().port();
    let (status, _, _) = send(
        http.post(format!("{}/openapi/v1/elastic/deploy/7/workers", sim.base_url()))
            .header("Host", format!("localhost:{port}"))
            .header("Origin", format!("http://localhost:{port}"))
            .json(&json!({ "workers": 1 })),
    )
    .await;
    assert_eq!(status, 200);
    let got = upstream.received();
    assert_eq!(got.len(), 2);
    assert!(got.iter().all(|r| r.header("x-api-key") == Some(SERVER_KEY)));
    assert!(got.iter().all(|r| r.header("origin").is_none()), "Origin stays here");
}

#[tokio::test]
async fn inject_key_mode_refuses_foreign_pages_and_nothing_changes() {
    let sim = SimConfig::for_tests().with_inject_key("console").spawn().await.unwrap();
    let http = client();
    for (what, req) in hostile_requests(&http, &sim.base_url(), sim.addr().port()) {
        let (status, grant, body) = send(req).await;
        assert_eq!((status, grant), (403, None), "{what}: {body}");
    }
    // The page's own calls carry no key and are served as the console's.
    let (status, _, listed) = send(
        http.get(format!("{}/v2/serverless", sim.base_url()))
            .header("Origin", own_origin(&sim)),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(listed["data"], json!([]), "the rebinding POST created nothing");
    assert_eq!(sim.requests().len(), 1, "only the accepted call was logged");
    sim.shutdown().await.unwrap();
}

#[tokio::test]
async fn allow_origin_grants_exactly_that_origin() {
    let dashboard = "http://localhost:5173";
    let (sim, upstream) = proxy(SimConfig::for_tests().with_allowed_origin("http://LOCALHOST:5173/")).await;
    let http = client();
    let base = sim.base_url();
    let (status, grant, _) = send(
        http.request(reqwest::Method::OPTIONS, format!("{base}/v2/serverless/1"))
            .header("Origin", dashboard)
            .header("Access-Control-Request-Method", "DELETE")
            .header("Access-Control-Request-Headers", "content-type")
            .header("Sec-Fetch-Site", "same-site"),
    )
    .await;
    assert_eq!((status, grant.as_deref()), (200, Some(dashboard)), "preflight granted");
    let (status, grant, _) = send(
        http.get(format!("{base}/v2/serverless"))
            .header("Origin", dashboard)
            .header("Sec-Fetch-Site", "same-site"),
    )
    .await;
    assert_eq!((status, grant.as_deref()), (200, Some(dashboard)));
    assert_eq!(upstream.received()[0].header("x-api-key"), Some(SERVER_KEY));
    // Its admin routes too.
    let (status, grant, _) = send(http.get(format!("{base}/_sim/health")).header("Origin", dashboard)).await;
    assert_eq!((status, grant.as_deref()), (200, Some(dashboard)));
    // A neighbour of the granted origin is still foreign.
    for other in [
        "http://localhost:5174",
        "https://localhost:5173",
        "http://127.0.0.1:5173",
    ] {
        let (status, grant, _) = send(http.get(format!("{base}/v2/serverless")).header("Origin", other)).await;
        assert_eq!((status, grant), (403, None), "{other}");
    }
    assert_eq!(upstream.received().len(), 1);
}

#[tokio::test]
async fn admin_routes_answer_only_their_own_origin() {
    // A plain simulator: its API stays open to any origin, its admin routes do not.
    let h = start().await;
    let port = h.sim.addr().port();
    h.v2_create(&v2_body("kept", "QUEUE", 1)).await;
    let refused = [
        (
            "cross-origin read of the request log",
            h.http.get(format!("{}/_sim/requests", h.base)).header("Origin", EVIL),
        ),
        (
            "cross-site read without Origin",
            h.http
                .get(format!("{}/_sim/state", h.base))
                .header("Sec-Fetch-Site", "cross-site"),
        ),
        (
            "rebinding Host",
            h.http
                .get(format!("{}/_sim/state", h.base))
                .header("Host", format!("evil.example:{port}")),
        ),
        (
            "preflight for a reset",
            h.http
                .request(reqwest::Method::OPTIONS, format!("{}/_sim/reset", h.base))
                .header("Origin", EVIL)
                .header("Access-Control-Request-Method", "POST"),
        ),
    ];
    for (what, req) in refused {
        let (status, grant, body) = send(req).await;
        assert_eq!((status, grant), (403, None), "{what}: {body}");
    }
    // A cross-site HTML form: an old browser might send neither Origin nor Sec-Fetch-Site, but a
    // form cannot send JSON.
    for content_type in [
        "application/x-www-form-urlencoded",
        "text/plain",
        "multipart/form-data; boundary=x",
    ] {
        let (status, _, body) = send(
            h.http
                .post(format!("{}/_sim/reset", h.base))
                .header("Content-Type", content_type)
                .body("a=b"),
        )
        .await;
        assert_eq!(status, 415, "{content_type}: {body}");
        assert!(body["error"].as_str().unwrap().contains("application/json"), "{body}");
    }
    let (status, _, _) = send(
        h.http
            .post(format!("{}/_sim/faults", h.base))
            .body("{\"kind\":\"drop\"}"),
    )
    .await;
    assert_eq!(status, 415, "a body without a type");
    let (_, faults) = h.admin("GET", "/faults", None).await;
    assert_eq!(faults["faults"], json!([]));
    let (_, state) = h.admin("GET", "/state", None).await;
    assert_eq!(state["endpoints"].as_array().unwrap().len(), 1, "nothing was reset");
    // The simulator's own pages and scripts without a browser still work (JSON or no body).
    let (status, _, _) = send(
        h.http
            .post(format!("{}/_sim/clock/advance", h.base))
            .header("Origin", format!("http://localhost:{port}"))
            .json(&json!({ "ms": 1 })),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(h.admin("POST", "/reset", None).await.0, 200);
}

#[tokio::test]
async fn the_request_log_never_shows_a_secret() {
    let h = start().await;
    let mut body = v2_body("secrets", "QUEUE", 1);
    body["envVars"] = json!([
        { "key": "MODEL", "value": "llama-3-8b" },
        { "key": "HF_TOKEN", "value": "hf-env-secret" },
    ]);
    let id = h.v2_create(&body).await;
    h.wait_status(id, "RUNNING").await;
    let mut task = task_body("t1");
    task["webhook"] = json!("http://127.0.0.1:9/hook");
    task["webhookAuthKey"] = json!("webhook-auth-secret");
    task["headers"] = json!({ "Authorization": "Bearer task-header-secret", "Accept": "text/plain" });
    h.http
        .post(format!("{}/v2/serverless/{id}/tasks", h.base))
        .header("X-API-Key", KEY)
        .header("Cookie", "session=local-cookie-secret")
        .header("Authorization", "Bearer bearer-secret")
        .json(&task)
        .send()
        .await
        .unwrap();
    h.http
        .get(format!("{}/v2/serverless?password=query-secret&pageSize=5", h.base))
        .header("X-API-Key", KEY)
        .send()
        .await
        .unwrap();

    let text = h
        .http
        .get(format!("{}/_sim/requests", h.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for secret in [
        KEY,
        "hf-env-secret",
        "webhook-auth-secret",
        "task-header-secret",
        "local-cookie-secret",
        "bearer-secret",
        "query-secret",
    ] {
        assert!(!text.contains(secret), "{secret} in the request log: {text}");
    }
    let log: Value = serde_json::from_str(&text).unwrap();
    let reqs = log["requests"].as_array().unwrap();
    let created: Value = serde_json::from_str(reqs[0]["body"].as_str().unwrap()).unwrap();
    assert_eq!(
        created["envVars"][0],
        json!({ "key": "MODEL", "value": "llama-3-8b" }),
        "the rest is kept"
    );
    assert_eq!(created["envVars"][1]["value"], "***");
    let submit = reqs
        .iter()
        .find(|r| r["path"].as_str().unwrap().ends_with("/tasks"))
        .unwrap();
    for header in ["cookie", "authorization", "x-api-key"] {
        assert_eq!(submit["headers"][header], "***", "{header}");
    }
    let sent: Value = serde_json::from_str(submit["body"].as_str().unwrap()).unwrap();
    assert_eq!(sent["webhookAuthKey"], "***");
    assert_eq!(
        sent["headers"],
        json!({ "Authorization": "***", "Accept": "text/plain" })
    );
    assert_eq!(sent["taskId"], "t1");
    let listed = reqs.last().unwrap();
    assert_eq!(listed["query"], "password=***&pageSize=5");
    // The in-process view is the same redacted record.
    assert!(!format!("{:?}", h.sim.requests()).contains("webhook-auth-secret"));
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_saves_do_not_clobber_each_other_and_the_file_is_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let sim = SimConfig::for_tests()
        .with_api_key(KEY)
        .with_state_file(&path)
        .spawn()
        .await
        .unwrap();
    let base = sim.base_url();
    let http = client();
    // Creations and explicit saves at once; with one shared temporary file, one save's rename
    // would take the file from under another (500) or land an older snapshot last.
    let mut jobs = Vec::new();
    for i in 0..24 {
        let http = http.clone();
        let base = base.clone();
        jobs.push(tokio::spawn(async move {
            if i % 2 == 0 {
                let resp = http
                    .post(format!("{base}/v2/serverless"))
                    .header("X-API-Key", KEY)
                    .json(&v2_body(&format!("ep{i}"), "QUEUE", 1))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(resp.status(), 200);
            }
            let resp = http.post(format!("{base}/_sim/save")).send().await.unwrap();
            let status = resp.status();
            assert_eq!(status, 200, "{}", resp.text().await.unwrap());
        }));
    }
    for job in jobs {
        job.await.unwrap();
    }
    // One more save after everything: the file must hold all twelve endpoints.
    assert_eq!(
        http.post(format!("{base}/_sim/save")).send().await.unwrap().status(),
        200
    );
    let snapshot: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    assert_eq!(snapshot["endpoints"].as_array().unwrap().len(), 12);
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "state file mode {mode:o}");
    sim.shutdown().await.unwrap();
    let left: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left, ["state.json"], "no temporary file left behind");
}

#[tokio::test]
async fn in_process_refusals_name_the_setting() {
    let remote = SimConfig::for_tests()
        .with_inject_key("k")
        .with_addr("0.0.0.0:0".parse().unwrap());
    let err = remote.spawn().await.err().expect("refused before binding");
    assert!(
        matches!(err.downcast_ref::<ConfigError>(), Some(ConfigError::RemoteAddr { .. })),
        "{err:#}"
    );
    let insecure = SimConfig::for_tests().with_upstream("http://api.example", Some("k".into()));
    let err = insecure.spawn().await.err().expect("refused");
    assert!(err.to_string().contains("--allow-insecure-upstream"), "{err:#}");
}

/// Runs the binary with `args` until it prints its address (or exits); returns whether it
/// listened and its stderr so far.
fn run_binary(args: &[&str]) -> (bool, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_yotta-sim"))
        .args(args)
        .env("YOTTA_API_KEY", SERVER_KEY)
        .env("RUST_LOG", "yotta_sim=info")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn yotta-sim");
    let stdout = child.stdout.take().unwrap();
    let listened = BufReader::new(stdout)
        .lines()
        .map_while(Result::ok)
        .any(|line| line.starts_with("yotta-sim listening on http://127.0.0.1:"));
    // Either it exited (refusal) or it listens; stop it either way, then read what it said.
    let _ = child.kill();
    let out = child.wait_with_output().unwrap();
    (listened, String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn the_binary_refuses_exposing_the_key_unless_told_and_then_warns() {
    let (listened, stderr) = run_binary(&["--addr", "0.0.0.0:0", "--inject-key", "console"]);
    assert!(!listened, "{stderr}");
    assert!(stderr.contains("--addr 0.0.0.0:0: not a loopback address"), "{stderr}");
    assert!(stderr.contains("--allow-remote"), "{stderr}");

    let (listened, stderr) = run_binary(&["--addr", "127.0.0.1:0", "--upstream", "http://api.example"]);
    assert!(!listened, "{stderr}");
    assert!(stderr.contains("--upstream http://api.example: plain http"), "{stderr}");

    let (listened, stderr) = run_binary(&["--addr", "127.0.0.1:0", "--allow-origin", "localhost:5173"]);
    assert!(!listened, "{stderr}");
    assert!(stderr.contains("--allow-origin localhost:5173: "), "{stderr}");

    // Told: it serves (on loopback: no test listens beyond it), with a warning on stderr.
    let (listened, stderr) = run_binary(&[
        "--addr",
        "127.0.0.1:0",
        "--upstream",
        "http://api.example",
        "--allow-insecure-upstream",
    ]);
    assert!(listened, "{stderr}");
    assert!(
        stderr.contains("--allow-insecure-upstream: the API key is sent unencrypted"),
        "{stderr}"
    );
    assert!(!stderr.contains(SERVER_KEY), "the key is never printed");
}

#[tokio::test]
async fn static_files_open_from_links_elsewhere_but_not_through_a_rebinding_host() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("index.html"), "<h1>console</h1>").unwrap();
    let sim = SimConfig::for_tests()
        .with_inject_key("console")
        .with_static_dir(dir.path())
        .spawn()
        .await
        .unwrap();
    let http = client();
    let port = sim.addr().port();
    let linked = http
        .get(format!("{}/", sim.base_url()))
        .header("Sec-Fetch-Site", "cross-site")
        .header("Sec-Fetch-Mode", "navigate")
        .send()
        .await
        .unwrap();
    assert_eq!(linked.status(), 200, "a link from another site opens the console");
    let rebound = http
        .get(format!("{}/", sim.base_url()))
        .header("Host", format!("evil.example:{port}"))
        .timeout(Duration::from_secs(5))
        .send()
        .await
        .unwrap();
    assert_eq!(rebound.status(), 403);
}
