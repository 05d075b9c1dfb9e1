//! Progress of waits and follows, on stderr and only when stderr is a terminal, so that scripts
//! and pipes see nothing but the result.

use std::io::{IsTerminal, Write};
use std::time::Instant;

pub struct Progress {
    enabled: bool,
    started: Instant,
    last: Option<String>,
}

impl Progress {
    pub fn new() -> Self {
        Self {
            enabled: std::io::stderr().is_terminal(),
            started: Instant::now(),
            last: None,
        }
    }

    /// A one-off note, e.g. how to stop following.
    pub fn note(&self, text: &str) {
        if self.enabled {
            let _ = writeln!(std::io::stderr(), "{text}");
        }
    }

    /// Reports `state` when it differs from the last one reported.
    pub fn state(&mut self, what: &str, state: &str) {
        if !self.enabled || self.last.as_deref() == Some(state) {
            return;
        }
        let elapsed = self.started.elapsed().as_secs();
        let _ = writeln!(std::io::stderr(), "{what}: {state} ({elapsed}s)");
        self.last = Some(state.to_string());
    }
}
