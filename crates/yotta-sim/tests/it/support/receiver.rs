//! Small local HTTP servers for tests: a webhook receiver that records what it gets and answers
//! with scripted statuses, and a fake upstream API for proxy mode.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use serde_json::{Value, json};

#[derive(Debug, Clone)]
pub struct Received {
    pub method: String,
    pub path_and_query: String,
    pub headers: Vec<(String, String)>,
    pub body: Value,
}

impl Received {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Default)]
struct Inner {
    received: Vec<Received>,
    script: VecDeque<u16>,
}

/// Records requests; answers with the scripted statuses in order, then 200.
#[derive(Clone, Default)]
pub struct Receiver {
    inner: Arc<Mutex<Inner>>,
    reply: Arc<Mutex<Value>>,
}

impl Receiver {
    pub fn received(&self) -> Vec<Received> {
        self.inner.lock().unwrap().received.clone()
    }

    pub fn script(&self, statuses: &[u16]) {
        self.inner.lock().unwrap().script.extend(statuses);
    }

    /// The JSON body every (successful) answer carries.
    pub fn set_reply(&self, body: Value) {
        *self.reply.lock().unwrap() = body;
    }

    /// Serves on 127.0.0.1:0 until the test's runtime ends.
    pub async fn serve(&self) -> SocketAddr {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind receiver");
        let addr = listener.local_addr().expect("addr");
        let app = Router::new().fallback(record).with_state(self.clone());
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        addr
    }
}

async fn record(State(rx): State<Receiver>, req: Request) -> impl IntoResponse {
    let (parts, body) = req.into_parts();
    let bytes = axum::body::to_bytes(body, 1 << 20).await.unwrap_or_default();
    let received = Received {
        method: parts.method.to_string(),
        path_and_query: parts.uri.path_and_query().map_or("/".into(), |p| p.to_string()),
        headers: parts
            .headers
            .iter()
            .map(|(n, v)| (n.to_string(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
            .collect(),
        body: serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    };
    let status = {
        let mut inner = rx.inner.lock().unwrap();
        inner.received.push(received);
        inner.script.pop_front().unwrap_or(200)
    };
    let reply = rx.reply.lock().unwrap().clone();
    let reply = if reply.is_null() { json!({ "ok": true }) } else { reply };
    (
        StatusCode::from_u16(status).unwrap_or(StatusCode::OK),
        axum::Json(reply),
    )
}
