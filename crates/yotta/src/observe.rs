//! What a client reports about each HTTP attempt: to `tracing` natively (target `yotta`, level
//! DEBUG), and to an observer a caller installs (the JavaScript package's logger, a test). Never
//! the API key: events carry the method, the path and query, and the outcome.

use crate::error::Error;
use crate::operation::Call;
use std::fmt;
use std::time::Duration;
use yotta_api::operation::Method;

/// One HTTP attempt of a call, after it ended.
#[derive(Debug)]
#[non_exhaustive]
pub struct AttemptEvent<'a> {
    pub call: Call,
    pub method: Method,
    /// The path and query, relative to the base URL.
    pub path: &'a str,
    /// 1 for the first attempt.
    pub attempt: u32,
    /// The HTTP status, when a response arrived.
    pub status: Option<u16>,
    /// The failure, when the attempt failed.
    pub error: Option<&'a Error>,
    /// How long the attempt took.
    pub duration: Duration,
    /// The pause before the next attempt, when the call is retried.
    pub retry_in: Option<Duration>,
}

impl fmt::Display for AttemptEvent<'_> {
    /// One line: `GET /v2/serverless/1 -> 200 (attempt 1, 12 ms)`, with the error and the retry
    /// delay when there are.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} -> ", self.method, self.path)?;
        match self.status {
            Some(status) => write!(f, "{status}")?,
            None => f.write_str("no response")?,
        }
        write!(f, " (attempt {}, {} ms", self.attempt, self.duration.as_millis())?;
        if let Some(delay) = self.retry_in {
            write!(f, ", retry in {} ms", delay.as_millis())?;
        }
        f.write_str(")")?;
        if let Some(error) = self.error {
            write!(f, ": {error}")?;
        }
        Ok(())
    }
}

/// Receives every attempt's event. `Send + Sync` natively, where calls run on any thread.
#[cfg(not(target_arch = "wasm32"))]
pub type Observer = std::sync::Arc<dyn Fn(&AttemptEvent<'_>) + Send + Sync>;
/// Receives every attempt's event.
#[cfg(target_arch = "wasm32")]
pub type Observer = std::sync::Arc<dyn Fn(&AttemptEvent<'_>)>;

pub(crate) fn report(observer: Option<&Observer>, event: &AttemptEvent<'_>) {
    tracing::debug!(
        target: "yotta",
        operation = event.call.operation.name(),
        method = event.method.as_str(),
        path = event.path,
        attempt = event.attempt,
        status = event.status,
        duration_ms = event.duration.as_millis() as u64,
        retry_in_ms = event.retry_in.map(|d| d.as_millis() as u64),
        error = event.error.map(tracing::field::display),
        "{event}"
    );
    if let Some(observer) = observer {
        observer(event);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operation::{ApiVersion, Operation};

    #[test]
    fn an_event_reads_as_one_line() {
        let call = Call::new(Operation::GetEndpoint, ApiVersion::V2);
        let error = Error::Http {
            call,
            status: 503,
            body_excerpt: "busy".into(),
            retry_after: None,
        };
        let event = AttemptEvent {
            call,
            method: Method::Get,
            path: "/v2/serverless/1",
            attempt: 1,
            status: Some(503),
            error: Some(&error),
            duration: Duration::from_millis(12),
            retry_in: Some(Duration::from_millis(200)),
        };
        assert_eq!(
            event.to_string(),
            "GET /v2/serverless/1 -> 503 (attempt 1, 12 ms, retry in 200 ms): getEndpoint (v2): HTTP 503: busy"
        );
    }
}
