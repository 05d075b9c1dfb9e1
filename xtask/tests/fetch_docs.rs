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
    for file in [
        "pages.json",
        "v1-reference-serverless.md",
        "v2-reference-serverless.md",
        "v2-guide-serverless.md",
    ] {
        std::fs::copy(openapi.join(file), dir.join(file)).unwrap();
    }
    dir
}

#[test]
fn downloads_every_page_and_reports_the_changed_ones() {
    let dir = scratch("ok");
    let openapi = xtask::workspace_root().join("openapi");
    let v1 = std::fs::read_to_string(openapi.join("v1-reference-serverless.md")).unwrap();
    let v2 = std::fs::read_to_string(openapi.join("v2-reference-serverless.md")).unwrap();
    let guide = "# Serverless\n\nA newer guide.\n".to_string();
    let routes = HashMap::from([
        ("/api-and-sdk/api-reference-v1/serverless.md".to_string(), (200, v1)),
        ("/api-and-sdk/api-reference-v2/serverless.md".to_string(), (200, v2)),
        (
            "/api-and-sdk/api-guides/serverless.md".to_string(),
            (200, guide.clone()),
        ),
    ]);
    let (origin, server) = serve(routes, 3);
    let changed = xtask::fetch_docs::run(&dir, Some(&origin)).unwrap();
    assert_eq!(changed, ["v2-guide-serverless.md"]);
    assert_eq!(
        std::fs::read_to_string(dir.join("v2-guide-serverless.md")).unwrap(),
        guide
    );
    assert_eq!(server.join().unwrap().len(), 3);
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
