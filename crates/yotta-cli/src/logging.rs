//! Diagnostics on stderr: `--debug` prints one line per HTTP attempt (the facade's observer),
//! and `YOTTA_LOG` (else `RUST_LOG`) turns on `tracing` output with that filter (`yotta=debug`
//! gives the same attempts with their fields; `debug` adds the HTTP stack's own logs). Neither
//! carries the API key: attempt events hold the method, the path and query and the outcome.
//! Every line is escaped, since error texts inside it may come from a server.

use crate::output::escape;
use crate::progress::eprintln_line;
use std::io;
use std::sync::Arc;

/// The variable read first; it keeps the CLI's logging apart from other Rust programs'.
pub const LOG_VARIABLE: &str = "YOTTA_LOG";

/// Installs a `tracing` subscriber when `YOTTA_LOG` or `RUST_LOG` asks for one.
pub fn init_tracing() {
    let directives = [LOG_VARIABLE, "RUST_LOG"]
        .iter()
        .find_map(|name| std::env::var(name).ok().filter(|v| !v.trim().is_empty()));
    let Some(directives) = directives else { return };
    let filter = tracing_subscriber::EnvFilter::builder().parse_lossy(directives);
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(false)
        .with_writer(|| EscapedStderr)
        .try_init();
}

/// The observer behind `--debug`: `debug: GET /v2/serverless -> 200 (attempt 1, 12 ms)`.
pub fn debug_observer() -> yotta::observe::Observer {
    Arc::new(|event: &yotta::observe::AttemptEvent<'_>| {
        eprintln_line(&format!("debug: {}", escape(&event.to_string())));
    })
}

/// stderr, with every control character but the line ends escaped.
struct EscapedStderr;

impl io::Write for EscapedStderr {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let text = String::from_utf8_lossy(buf);
        for line in text.split_terminator('\n') {
            eprintln_line(&escape(line));
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}
