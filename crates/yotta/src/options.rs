//! Per-call options: `client.with_options(options)` is a cheap view of a client whose calls use
//! them instead of the client's settings.

use crate::error::{Error, Result};
use std::time::Duration;

/// Settings of the calls made through [`crate::Client::with_options`]. Unset fields keep the
/// client's own.
///
/// ```no_run
/// # async fn demo(client: yotta::Client) -> yotta::Result<()> {
/// use std::time::Duration;
/// let patient = client.with_options(
///     yotta::RequestOptions::new()
///         .timeout(Duration::from_secs(120))
///         .max_retries(5)
///         .header("x-request-id", "deploy-42")?,
/// );
/// let endpoint = patient.endpoints().get("378888638324150969").await?;
/// # Ok(()) }
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct RequestOptions {
    /// Time limit of each attempt.
    pub timeout: Option<Duration>,
    /// Time limit of the whole call, retries and their pauses included.
    pub deadline: Option<Duration>,
    /// Retries after transient failures.
    pub max_retries: Option<u32>,
    /// Sent with every request, after the client's default headers (lowercase names).
    pub headers: Vec<(String, String)>,
}

impl RequestOptions {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = Some(retries);
        self
    }

    /// Adds a header: a token name (RFC 9110) with a value of visible ASCII, spaces and tabs,
    /// and not one the SDK sets itself (`x-api-key`, `content-type`, `accept`, `host`,
    /// `content-length`); otherwise a validation error naming the header.
    pub fn header(mut self, name: &str, value: &str) -> Result<Self> {
        self.headers.push(check_header(name, value)?);
        Ok(self)
    }
}

/// A header a caller adds, checked: a token name (RFC 9110), a value of visible ASCII, spaces
/// and tabs, and none of the headers the SDK owns (`x-api-key`: set the key on the client;
/// `content-type`, `accept`, `host`, `content-length`).
pub fn check_header(name: &str, value: &str) -> Result<(String, String)> {
    let field = format!("headers.{name}");
    let token = |b: u8| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b);
    if name.is_empty() || !name.bytes().all(token) {
        return Err(Error::validation(field, "is not a valid header name"));
    }
    let name = name.to_ascii_lowercase();
    if matches!(
        name.as_str(),
        "x-api-key" | "content-type" | "accept" | "host" | "content-length"
    ) {
        return Err(Error::validation(
            field,
            "is set by the SDK (pass the API key to the client, not as a header)",
        ));
    }
    if !value.bytes().all(|b| b == b'\t' || (0x20..0x7f).contains(&b)) {
        return Err(Error::validation(
            field,
            "may contain only visible ASCII, spaces and tabs",
        ));
    }
    Ok((name, value.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_checked_and_lowercased() {
        let options = RequestOptions::new().header("X-Request-Id", "abc 1").unwrap();
        assert_eq!(options.headers, [("x-request-id".to_string(), "abc 1".to_string())]);
        for (name, value) in [
            ("", "v"),
            ("bad name", "v"),
            ("x", "line\nbreak"),
            ("X-API-Key", "k"),
            ("Host", "h"),
        ] {
            let error = check_header(name, value).unwrap_err();
            assert_eq!(error.field(), Some(format!("headers.{name}").as_str()));
        }
    }
}
