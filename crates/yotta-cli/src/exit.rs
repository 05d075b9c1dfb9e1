//! How a command fails: the message on stderr and the exit code.
//!
//! 0 success, 1 an API or network error, 2 a usage or validation error.

use std::fmt;
use std::process::ExitCode;
use yotta::ErrorKind;

/// Why a command failed.
#[derive(Debug)]
pub enum Failure {
    /// Bad input found by the CLI itself (unreadable or malformed file, bad --input JSON).
    Usage(String),
    /// An error of the SDK: validation (exit 2) or anything from the API or the network (exit 1).
    Sdk(yotta::Error),
    /// Writing the output failed (other than a closed pipe, which ends the command quietly).
    Output(std::io::Error),
    /// Anything else: the simulator (`yotta sim`) failed, or the async runtime could not start.
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
    pub fn exit_code(&self) -> ExitCode {
        match self {
            Failure::Usage(_) => ExitCode::from(2),
            Failure::Sdk(error) if error.kind() == ErrorKind::Validation => ExitCode::from(2),
            Failure::Sdk(_) | Failure::Output(_) | Failure::Other(_) => ExitCode::from(1),
        }
    }

    /// Whether the output was closed by the reader (`yotta ... | head`): not a failure.
    pub fn is_closed_pipe(&self) -> bool {
        matches!(self, Failure::Output(e) if e.kind() == std::io::ErrorKind::BrokenPipe)
    }
}

/// `error: ...` and, when the SDK has advice for people, a `hint: ...` line.
impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Usage(message) => write!(f, "error: {message}"),
            Failure::Output(error) => write!(f, "error: could not write the output: {error}"),
            Failure::Other(error) => write!(f, "error: {error:#}"),
            Failure::Sdk(error) => {
                // API errors already read "... (code 24002, notAllowed)"; others get their kind.
                match error {
                    yotta::Error::Api { .. } => write!(f, "error: {error}")?,
                    _ => write!(f, "error: {error} ({})", error.kind())?,
                }
                // The SDK files a failed endpoint under `unavailable`, whose advice ("try again
                // shortly") is about the service, not about an endpoint whose workers crashed.
                let advice = match error {
                    yotta::Error::EndpointFailed { .. } => None,
                    _ => error.advice(),
                };
                if let Some(advice) = advice {
                    write!(f, "\nhint: {advice}")?;
                }
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes_and_messages() {
        let usage = Failure::Usage("cannot read spec.yaml: No such file".into());
        assert_eq!(usage.exit_code(), ExitCode::from(2));
        assert_eq!(usage.to_string(), "error: cannot read spec.yaml: No such file");

        let network = Failure::Output(std::io::Error::other("disk full"));
        assert_eq!(network.exit_code(), ExitCode::from(1));
        assert!(!network.is_closed_pipe());
        assert!(Failure::Output(std::io::ErrorKind::BrokenPipe.into()).is_closed_pipe());
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
        assert_eq!(failure.exit_code(), ExitCode::from(2));
        let text = failure.to_string();
        assert!(text.starts_with("error: invalid id: "), "{text}");
        assert!(text.ends_with("(validation)"), "{text}");
    }
}
