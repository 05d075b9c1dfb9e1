//! Browser readiness: CORS preflights, a static directory on the API's origin, proxy mode.

use serde_json::json;
use yotta_sim::SimConfig;

use crate::support::receiver::Receiver;
use crate::support::{client, into_reply, start, start_with};

#[tokio::test]
async fn cors_preflight_allows_the_api_key_and_every_method() {
    let h = start().await;
    let resp = h
        .http
        .request(reqwest::Method::OPTIONS, format!("{}/v2/serverless/1", h.base))
        .header("Origin", "http://localhost:5173")
        .header("Access-Control-Request-Method", "PATCH")
        .header("Access-Control-Request-Headers", "x-api-key,content-type")
        .send()
        .await
        .unwrap();
    assert!(resp.status().is_success(), "{}", resp.status());
    let header = |name: &str| {
        resp.headers()
            .get(name)
            .map(|v| v.to_str().unwrap().to_ascii_lowercase())
            .unwrap_or_default()
    };
    assert_eq!(header("access-control-allow-origin"), "http://localhost:5173");
    for method in ["get", "post", "put", "patch", "delete"] {
        assert!(header("access-control-allow-methods").contains(method), "{method}");
    }
    assert!(header("access-control-allow-headers").contains("x-api-key"));
    assert!(header("access-control-allow-headers").contains("content-type"));

    let actual = h
        .http
        .get(format!("{}/v2/serverless", h.base))
        .header("Origin", "http://localhost:5173")
        .header("X-API-Key", crate::support::KEY)
        .send()
        .await
        .unwrap();
    assert_eq!(actual.headers()["access-control-allow-origin"], "http://localhost:5173");
    into_reply("GET", actual).await.ok();
}

#[tokio::test]
async fn a_static_directory_is_served_beside_the_api() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("index.html"), "<h1>console</h1>").unwrap();
    std::fs::write(dir.path().join("app.js"), "console.log(1)").unwrap();
    let h = start_with(SimConfig::for_tests().with_static_dir(dir.path())).await;
    let get = |path: &'static str| {
        let http = h.http.clone();
        let base = h.base.clone();
        async move { http.get(format!("{base}{path}")).send().await.unwrap() }
    };
    assert_eq!(get("/").await.text().await.unwrap(), "<h1>console</h1>");
    assert_eq!(get("/app.js").await.text().await.unwrap(), "console.log(1)");
    assert_eq!(get("/missing.css").await.status(), 404);
    assert_eq!(
        get("/v2/serverless/1/nope").await.status(),
        404,
        "API-looking paths never fall through to files"
    );
    h.get("/v2/serverless").await.ok();
}

#[tokio::test]
async fn proxy_mode_forwards_api_routes_and_injects_the_server_key() {
    let upstream = Receiver::default();
    upstream.set_reply(json!({ "code": 10000, "message": "success", "data": [] }));
    let addr = upstream.serve().await;
    let sim = SimConfig::for_tests()
        .with_upstream(format!("http://{addr}/"), Some("server-secret".into()))
        .spawn()
        .await
        .unwrap();
    let http = client();
    // The browser sends no key at all.
    let resp = http
        .get(format!(
            "{}/v2/serverless?statusList=RUNNING&statusList=STOPPED",
            sim.base_url()
        ))
        .send()
        .await
        .unwrap();
    into_reply("GET", resp).await.ok();
    let body = json!({ "workers": 2 });
    let resp = http
        .post(format!("{}/openapi/v1/elastic/deploy/42/workers", sim.base_url()))
        .header("Cookie", "session=1")
        .json(&body)
        .send()
        .await
        .unwrap();
    into_reply("POST", resp).await.ok();

    let got = upstream.received();
    assert_eq!(got.len(), 2);
    assert_eq!(
        got[0].path_and_query,
        "/v2/serverless?statusList=RUNNING&statusList=STOPPED"
    );
    assert_eq!(got[0].header("x-api-key"), Some("server-secret"));
    assert_eq!(
        (got[1].method.as_str(), got[1].path_and_query.as_str()),
        ("POST", "/openapi/v1/elastic/deploy/42/workers")
    );
    assert_eq!(got[1].body, body);
    assert_eq!(got[1].header("cookie"), None, "browser cookies stay home");
    // Admin routes stay local.
    let health = http
        .get(format!("{}/_sim/health", sim.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), 200);
    assert_eq!(upstream.received().len(), 2);
}

#[tokio::test]
async fn proxy_mode_reports_an_unreachable_upstream_as_502() {
    let port = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let sim = SimConfig::for_tests()
        .with_upstream(format!("http://127.0.0.1:{port}"), None)
        .spawn()
        .await
        .unwrap();
    let resp = client()
        .get(format!("{}/v2/serverless", sim.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 502);
}
