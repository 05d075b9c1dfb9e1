//! Secrets stay in: the state file is private and its saves never clobber each other.

use serde_json::Value;
use yotta_sim::SimConfig;

use crate::support::{KEY, client, v2_body};

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
