//! A server on 127.0.0.1 for checking exactly what a client puts on the wire and how it copes
//! with what comes back. Every answer is a script of raw writes and pauses, so tests can also
//! send what no well-behaved HTTP stack would (bodies that never end, headers that never come,
//! redirects to elsewhere). It stops when dropped.
//!
//! Shared by the facade's, the generated client's and the CLI's tests (one copy of the helper).

use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

/// One request as received.
#[derive(Clone, Debug)]
pub struct Seen {
    pub method: String,
    pub target: String,
    /// Lowercase names.
    pub headers: Vec<(String, String)>,
    /// As text (lossy UTF-8).
    pub body: String,
}

impl Seen {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

/// What the server does with one connection after reading a request.
pub enum Step {
    Write(Vec<u8>),
    Pause(Duration),
    /// Writes this chunk (as HTTP chunked encoding) forever, until the client goes away.
    Forever(Vec<u8>),
}

/// A complete response with a JSON body and `connection: close`.
pub fn json(status: u16, body: &str) -> Vec<Step> {
    respond(status, &[("content-type", "application/json")], body.as_bytes())
}

/// A complete response.
pub fn respond(status: u16, headers: &[(&str, &str)], body: &[u8]) -> Vec<Step> {
    let mut head = format!(
        "HTTP/1.1 {status} X\r\ncontent-length: {}\r\nconnection: close\r\n",
        body.len()
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    let mut bytes = head.into_bytes();
    bytes.extend_from_slice(body);
    vec![Step::Write(bytes)]
}

type Script = Arc<dyn Fn(&Seen) -> Vec<Step> + Send + Sync>;

pub struct Hostile {
    pub base_url: String,
    seen: Arc<Mutex<Vec<Seen>>>,
    task: JoinHandle<()>,
}

impl Drop for Hostile {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Hostile {
    /// Serves every connection with `script(request)`.
    pub async fn start(script: impl Fn(&Seen) -> Vec<Step> + Send + Sync + 'static) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base_url = format!("http://{}", listener.local_addr().unwrap());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let script: Script = Arc::new(script);
        let record = seen.clone();
        let task = tokio::spawn(async move {
            loop {
                let Ok((mut stream, _)) = listener.accept().await else {
                    return;
                };
                let script = script.clone();
                let record = record.clone();
                tokio::spawn(async move {
                    let Some(request) = read_request(&mut stream).await else {
                        return;
                    };
                    record.lock().unwrap().push(request.clone());
                    for step in script(&request) {
                        match step {
                            Step::Write(bytes) => {
                                if stream.write_all(&bytes).await.is_err() {
                                    return;
                                }
                            }
                            Step::Pause(duration) => tokio::time::sleep(duration).await,
                            Step::Forever(chunk) => {
                                let framed =
                                    [format!("{:x}\r\n", chunk.len()).into_bytes(), chunk, b"\r\n".to_vec()].concat();
                                while stream.write_all(&framed).await.is_ok() {}
                                return;
                            }
                        }
                    }
                    let _ = stream.shutdown().await;
                });
            }
        });
        Self { base_url, seen, task }
    }

    /// Answers the n-th request with the n-th `(status, JSON body)`, and any later one with 500.
    pub async fn canned(responses: Vec<(u16, String)>) -> Self {
        let next = std::sync::atomic::AtomicUsize::new(0);
        Self::start(move |_| {
            let n = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            match responses.get(n) {
                Some((status, body)) => json(*status, body),
                None => json(500, r#"{"error":"no canned response left"}"#),
            }
        })
        .await
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

async fn read_request(stream: &mut tokio::net::TcpStream) -> Option<Seen> {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 4096];
    let end = loop {
        let read = stream.read(&mut chunk).await.ok()?;
        if read == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..read]);
        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break end;
        }
        if buffer.len() > 1 << 20 {
            return None;
        }
    };
    let head = String::from_utf8_lossy(&buffer[..end]).to_string();
    let mut lines = head.lines();
    let mut first = lines.next()?.split_whitespace();
    let (method, target) = (first.next()?.to_string(), first.next()?.to_string());
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    // Bodies are kept up to 1 MiB; the rest is read and dropped.
    let mut body = buffer[end + 4..].to_vec();
    let mut have = body.len();
    while have < length {
        let read = stream.read(&mut chunk).await.ok()?;
        if read == 0 {
            break;
        }
        have += read;
        if body.len() < 1 << 20 {
            body.extend_from_slice(&chunk[..read]);
        }
    }
    Some(Seen {
        method,
        target,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    })
}
