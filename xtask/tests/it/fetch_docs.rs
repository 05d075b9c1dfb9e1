//! `fetch-docs` against a local HTTP server standing in for the docs site.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::PathBuf;

/// Serves `routes` on 127.0.0.1 for at most `max_requests` requests, then stops.
fn serve(
    routes: HashMap<String, (u16, String)>,
    max_requests: usize,
) -> (String, std::thread::JoinHandle<Vec<String>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let origin = format!("http://{}", listener.local_addr().unwrap());
    let handle = std::thread::spawn(move || {
        let mut seen = Vec::new();
        for stream in listener.incoming().take(max_requests) {
            let mut stream = stream.unwrap();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request_line = String::new();
            reader.read_line(&mut request_line).unwrap();
            let mut line = String::new();
            while reader.read_line(&mut line).unwrap() > 2 {
                line.clear();
            }
            let path = request_line.split_whitespace().nth(1).unwrap_or("/").to_string();
            let (status, body) = routes.get(&path).cloned().unwrap_or((404, "not found".into()));
            write!(
                stream,
                "HTTP/1.1 {status} X\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            )
            .unwrap();
            seen.push(path);
        }
        seen
    });
    (origin, handle)
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("fetch-docs-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let openapi = xtask::workspace_root().join("openapi");
    for entry in std::fs::read_dir(&openapi).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), dir.join(entry.file_name())).unwrap();
    }
    dir
}

/// Every page of the manifest as vendored, by its URL path.
fn vendored_routes() -> HashMap<String, (u16, String)> {
    let openapi = xtask::workspace_root().join("openapi");
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(openapi.join("pages.json")).unwrap()).unwrap();
    manifest["pages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|page| {
            let url = page["url"].as_str().unwrap();
            let path = url.split_once("://").unwrap().1;
            let path = &path[path.find('/').unwrap()..];
            let text = std::fs::read_to_string(openapi.join(page["file"].as_str().unwrap())).unwrap();
            (path.to_string(), (200, text))
        })
        .collect()
}

#[test]
fn downloads_every_page_and_reports_the_changed_ones() {
    let dir = scratch("ok");
    let mut routes = vendored_routes();
    let pages = routes.len();
    // A newer guide that still has what codegen reads from it.
    let route = "/api-and-sdk/api-guides/serverless.md".to_string();
    let guide = format!("{}\nA newer paragraph.\n", routes[&route].1);
    routes.insert(route, (200, guide.clone()));
    let (origin, server) = serve(routes, pages);
    let changed = xtask::fetch_docs::run(&dir, Some(&origin)).unwrap();
    assert_eq!(changed, ["v2-guide-serverless.md"]);
    assert_eq!(
        std::fs::read_to_string(dir.join("v2-guide-serverless.md")).unwrap(),
        guide
    );
    assert_eq!(server.join().unwrap().len(), pages);
}

#[test]
fn refuses_a_guide_whose_table_codegen_reads_is_gone() {
    let dir = scratch("table");
    let mut routes = vendored_routes();
    let pages = routes.len();
    let overview = "/api-and-sdk/api-guides.md".to_string();
    let redesigned = routes[&overview].1.replace("### GPU Types Reference", "### Hardware");
    routes.insert(overview, (200, redesigned));
    let (origin, server) = serve(routes, pages);
    let error = format!("{:#}", xtask::fetch_docs::run(&dir, Some(&origin)).unwrap_err());
    assert!(
        error.contains("nothing was written") && error.contains("GPU Types Reference"),
        "{error}"
    );
    server.join().unwrap();
    let vendored = std::fs::read_to_string(xtask::workspace_root().join("openapi/api-guides-overview.md")).unwrap();
    assert_eq!(
        std::fs::read_to_string(dir.join("api-guides-overview.md")).unwrap(),
        vendored
    );
}

#[test]
fn refuses_a_reference_page_without_blocks_and_a_missing_page() {
    let dir = scratch("bad");
    let routes = HashMap::from([(
        "/api-and-sdk/api-reference-v1/serverless.md".to_string(),
        (200, "<html>maintenance</html>".to_string()),
    )]);
    let (origin, server) = serve(routes, 1);
    let error = format!("{:#}", xtask::fetch_docs::run(&dir, Some(&origin)).unwrap_err());
    assert!(
        error.contains("not a usable reference page") && error.contains("no ```json blocks"),
        "{error}"
    );
    server.join().unwrap();
    let before = std::fs::read_to_string(xtask::workspace_root().join("openapi/v1-reference-serverless.md")).unwrap();
    assert_eq!(
        std::fs::read_to_string(dir.join("v1-reference-serverless.md")).unwrap(),
        before,
        "nothing written"
    );

    let (origin, server) = serve(HashMap::new(), 1);
    let error = format!("{:#}", xtask::fetch_docs::run(&dir, Some(&origin)).unwrap_err());
    assert!(
        error.contains("fetching v1-reference-serverless.md") && error.contains("404"),
        "{error}"
    );
    server.join().unwrap();
}
