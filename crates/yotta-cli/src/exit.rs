//! How a command fails: the message on stderr and the exit code.
//!
//! | code | meaning |
//! |---|---|
//! | 0 | success |
//! | 1 | the API refused the call, or the network, the response or the output failed |
//! | 2 | usage: a bad flag, unreadable or malformed input, the SDK's validation |
//! | 3 | the task or endpoint waited for ended FAILED (the API worked; the workload did not) |
//! | 4 | authentication: no API key anywhere, or the API rejected it (HTTP 401/403) |
//! | 5 | a wait gave up at its `--timeout` (the task or endpoint may still get there) |
//!
//! 3 and 5 are apart from 1 so that a script can tell "retry the call" from "the job failed"
//! from "wait longer"; 4 is gh's code for missing or rejected credentials.

use crate::output::escape;
use std::fmt;
use std::process::ExitCode;
use yotta::ErrorKind;

pub const USAGE: u8 = 2;
pub const FAILED: u8 = 3;
pub const AUTH: u8 = 4;
pub const WAIT_TIMEOUT: u8 = 5;

/// Why a command failed.
#[derive(Debug)]
pub enum Failure {
    /// Bad input found by the CLI itself (unreadable or malformed file, bad --input JSON, a
    /// missing confirmation).
    Usage(String),
    /// No API key anywhere (exit 4): says where one can come from.
    NoKey(String),
    /// An error of the SDK; the exit code follows its kind.
    Sdk(yotta::Error),
    /// `yotta api`: the answer was an error (exit 1, or 4 for a rejected key).
    Raw { message: String, unauthorized: bool },
    /// Writing the output failed (other than a closed pipe, which ends the command quietly).
    Output(std::io::Error),
    /// Anything else: the simulator (`yotta sim`) failed, the config file could not be written,
    /// or the async runtime could not start.
    Other(anyhow::Error),
}

pub type CliResult<T = ()> = Result<T, Failure>;

impl From<yotta::Error> for Failure {
    fn from(error: yotta::Error) -> Self {
        Failure::Sdk(error)
    }
}

impl From<std::io::Error> for Failure {
    fn from(error: std::io::Error) -> Self {
        Failure::Output(error)
    }
}

impl Failure {
    pub fn code(&self) -> u8 {
        match self {
            Failure::Usage(_) => USAGE,
            Failure::NoKey(_) => AUTH,
            Failure::Raw { unauthorized, .. } => {
                if *unauthorized {
                    AUTH
                } else {
                    1
                }
            }
            Failure::Sdk(error) => match (error, error.kind()) {
                (yotta::Error::WaitTimeout { .. }, _) => WAIT_TIMEOUT,
                (yotta::Error::TaskFailed { .. } | yotta::Error::EndpointFailed { .. }, _) => FAILED,
                (_, ErrorKind::Validation | ErrorKind::Configuration) => USAGE,
                (_, ErrorKind::Unauthorized) => AUTH,
                _ => 1,
            },
            Failure::Output(_) | Failure::Other(_) => 1,
        }
    }

    pub fn exit_code(&self) -> ExitCode {
        ExitCode::from(self.code())
    }

    /// Whether the output was closed by the reader (`yotta ... | head`): not a failure.
    pub fn is_closed_pipe(&self) -> bool {
        matches!(self, Failure::Output(e) if e.kind() == std::io::ErrorKind::BrokenPipe)
    }
}

/// `error: ...` and, when the SDK has advice for people, a `hint: ...` line. Every text that
/// may come from a server (messages, body excerpts, task errors) is escaped: a server must not
/// be able to move the cursor, clear the screen or forge lines on the operator's terminal.
impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Usage(message) | Failure::NoKey(message) => write!(f, "error: {}", escape(message)),
            Failure::Raw { message, .. } => write!(f, "error: {}", escape(message)),
            Failure::Output(error) => write!(f, "error: could not write the output: {error}"),
            Failure::Other(error) => write!(f, "error: {}", escape(&format!("{error:#}"))),
            Failure::Sdk(error) => {
                // API errors already read "... (code 24002, notAllowed)"; others get their kind.
                match error {
                    yotta::Error::Api { .. } => write!(f, "error: {}", escape(&error.to_string()))?,
                    _ => write!(f, "error: {} ({})", escape(&error.to_string()), error.kind())?,
                }
                // The SDK files a failed endpoint under `unavailable`, whose advice ("try again
                // shortly") is about the service, not about an endpoint whose workers crashed.
                let advice = match error {
                    yotta::Error::EndpointFailed { .. } => None,
                    yotta::Error::Configuration { .. } => {
                        Some("set YOTTA_API_KEY, pass --api-key-file or --api-key-stdin, or run `yotta auth login`")
                    }
                    _ => error.advice(),
                };
                if let Some(advice) = advice {
                    write!(f, "\nhint: {advice}")?;
                }
                if error.kind() == ErrorKind::Unauthorized {
                    write!(f, "\nhint: check the key with `yotta auth status`")?;
                }
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn exit_codes_and_messages() {
        let usage = Failure::Usage("cannot read spec.yaml: No such file".into());
        assert_eq!(usage.code(), USAGE);
        assert_eq!(usage.to_string(), "error: cannot read spec.yaml: No such file");

        let network = Failure::Output(std::io::Error::other("disk full"));
        assert_eq!(network.code(), 1);
        assert!(!network.is_closed_pipe());
        assert!(Failure::Output(std::io::ErrorKind::BrokenPipe.into()).is_closed_pipe());
        assert_eq!(Failure::NoKey("no key".into()).code(), AUTH);
    }

    #[test]
    fn sdk_errors_map_to_their_codes() {
        let call = yotta::Call::new(yotta::Operation::GetEndpoint, yotta::ApiVersion::V2);
        let http = |status| yotta::Error::Http {
            call,
            status,
            body_excerpt: String::new(),
            retry_after: None,
        };
        let cases = [
            (http(401), AUTH),
            (http(403), AUTH),
            (http(502), 1),
            (
                yotta::Error::WaitTimeout {
                    target: "task t".into(),
                    waited: Duration::from_secs(1),
                    last_status: None,
                },
                WAIT_TIMEOUT,
            ),
            (
                yotta::Error::TaskFailed {
                    endpoint_id: "1".into(),
                    task_id: "t".into(),
                    reason: None,
                },
                FAILED,
            ),
            (
                yotta::Error::EndpointFailed {
                    endpoint_id: "1".into(),
                    wanted: "RUNNING".into(),
                },
                FAILED,
            ),
            (
                yotta::Error::Validation {
                    field: "id".into(),
                    rule: "must be a number".into(),
                },
                USAGE,
            ),
        ];
        for (error, code) in cases {
            assert_eq!(Failure::from(error.clone()).code(), code, "{error}");
        }
    }

    #[test]
    fn server_text_is_escaped() {
        let call = yotta::Call::new(yotta::Operation::GetEndpoint, yotta::ApiVersion::V2);
        let error = yotta::Error::Api {
            call,
            code: 14000,
            kind: ErrorKind::NotFound,
            message: "gone\r\u{1b}[2Kforged line\nerror: fake".into(),
            http_status: 200,
        };
        let text = Failure::from(error).to_string();
        assert!(!text.contains('\u{1b}') && !text.contains('\r'), "{text}");
        assert_eq!(text.lines().count(), 2, "only the hint line is added: {text}");
        assert!(text.contains("gone\\r\\u{1b}[2Kforged line\\nerror: fake"), "{text}");
    }

    #[test]
    fn validation_errors_name_the_field_and_exit_2() {
        // The SDK's own validation, reached without a server.
        let client = yotta::Client::builder().base_url("http://127.0.0.1:9").build().unwrap();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let error = runtime.block_on(client.endpoints().get("abc")).unwrap_err();
        let failure = Failure::from(error);
        assert_eq!(failure.code(), USAGE);
        let text = failure.to_string();
        assert!(text.starts_with("error: invalid id: "), "{text}");
        assert!(text.ends_with("(validation)"), "{text}");
    }
}
