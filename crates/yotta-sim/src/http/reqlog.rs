//! The recent-request log behind `GET /_sim/requests`: what each API version actually received,
//! so SDK tests can assert on the exact wire form (paths, query spelling, body field names).

use std::collections::{BTreeMap, VecDeque};

use serde::{Deserialize, Serialize};

/// Bodies longer than this are cut (the log is for inspection, not replay).
const MAX_BODY: usize = 64 * 1024;

/// One API request as received, with credentials redacted: header names are lower-case, and
/// cookies, `authorization`, `x-api-key` and secret-named headers, query parameters and body
/// fields (`webhookAuthKey`, `password`, `token`, ...) are shown as `***`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RecordedRequest {
    pub seq: u64,
    pub timestamp_ms: u64,
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    pub headers: BTreeMap<String, String>,
    /// The body as text (lossy UTF-8), cut at 64 KiB.
    pub body: String,
    /// The HTTP status sent back; `None` when the connection was dropped on purpose.
    pub status: Option<u16>,
    /// Injected faults that hit this request (`latency`, `error`, ...).
    pub faults: Vec<String>,
}

#[derive(Debug)]
pub struct RequestLog {
    capacity: usize,
    entries: VecDeque<RecordedRequest>,
    next_seq: u64,
}

impl RequestLog {
    pub fn new(capacity: usize) -> Self {
        Self {
            capacity,
            entries: VecDeque::new(),
            next_seq: 1,
        }
    }

    pub fn push(&mut self, mut entry: RecordedRequest) {
        if self.capacity == 0 {
            return;
        }
        entry.seq = self.next_seq;
        self.next_seq += 1;
        if entry.body.len() > MAX_BODY {
            let mut cut = MAX_BODY;
            while !entry.body.is_char_boundary(cut) {
                cut -= 1;
            }
            entry.body.truncate(cut);
        }
        if self.entries.len() == self.capacity {
            self.entries.pop_front();
        }
        self.entries.push_back(entry);
    }

    /// The newest `limit` entries (oldest first) after `since`, whose path starts with `prefix`.
    pub fn recent(&self, limit: usize, since: u64, prefix: Option<&str>) -> Vec<RecordedRequest> {
        let mut out: Vec<RecordedRequest> = self
            .entries
            .iter()
            .rev()
            .filter(|e| e.seq > since && prefix.is_none_or(|p| e.path.starts_with(p)))
            .take(limit)
            .cloned()
            .collect();
        out.reverse();
        out
    }

    pub fn clear(&mut self) {
        self.entries.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(path: &str) -> RecordedRequest {
        RecordedRequest {
            seq: 0,
            timestamp_ms: 0,
            method: "GET".into(),
            path: path.into(),
            query: None,
            headers: BTreeMap::new(),
            body: "é".repeat(MAX_BODY),
            status: Some(200),
            faults: Vec::new(),
        }
    }

    #[test]
    fn ring_buffer_filters_and_truncates_on_char_boundaries() {
        let mut log = RequestLog::new(3);
        for p in ["/a", "/b", "/a", "/a"] {
            log.push(entry(p));
        }
        let all = log.recent(10, 0, None);
        assert_eq!(all.iter().map(|e| e.seq).collect::<Vec<_>>(), [2, 3, 4]);
        assert!(all[0].body.len() <= MAX_BODY);
        assert_eq!(log.recent(1, 0, Some("/a"))[0].seq, 4);
        assert_eq!(log.recent(10, 3, None).len(), 1);
    }
}
