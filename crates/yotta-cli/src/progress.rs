//! Progress of waits and follows: a spinner on stderr, only when stderr is a terminal, so that
//! scripts and pipes see nothing but the result. Other stderr lines (`--debug`, logging,
//! warnings) go through [`eprintln_line`], which lifts the spinner out of their way.

use crate::output::escape;
use indicatif::{ProgressBar, ProgressStyle};
use std::io::{IsTerminal, Write};
use std::sync::Mutex;
use std::time::Duration;

/// The spinner on screen, if any.
static ACTIVE: Mutex<Option<ProgressBar>> = Mutex::new(None);

/// Writes one line to stderr, without tearing a spinner that is on screen.
pub fn eprintln_line(text: &str) {
    let active = ACTIVE.lock().ok().and_then(|guard| guard.clone());
    let write = || {
        let _ = writeln!(std::io::stderr().lock(), "{text}");
    };
    match active {
        Some(bar) => bar.suspend(write),
        None => write(),
    }
}

pub struct Progress {
    bar: Option<ProgressBar>,
}

impl Progress {
    pub fn new() -> Self {
        if !std::io::stderr().is_terminal() {
            return Self { bar: None };
        }
        let bar = ProgressBar::new_spinner();
        if let Ok(style) = ProgressStyle::with_template("{spinner} {msg} ({elapsed})") {
            bar.set_style(style);
        }
        bar.enable_steady_tick(Duration::from_millis(120));
        if let Ok(mut active) = ACTIVE.lock() {
            *active = Some(bar.clone());
        }
        Self { bar: Some(bar) }
    }

    /// Shows the current `state` (a server-provided word, so escaped) of what is waited for.
    pub fn state(&mut self, what: &str, state: &str) {
        if let Some(bar) = &self.bar {
            bar.set_message(format!("{}: {}", escape(what), escape(state)));
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
            if let Ok(mut active) = ACTIVE.lock() {
                *active = None;
            }
        }
    }
}
