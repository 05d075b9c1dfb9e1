//! The command line: every command, option and environment variable of `yotta`.

use crate::time::{parse_duration, parse_log_time};
use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::fmt;
use std::path::PathBuf;
use std::time::Duration;
use yotta::{ApiVersion, EndpointStatus, LogTime, TaskStatus, WorkerStatus};

/// Manage Yotta Labs Serverless GPU endpoints, workers, logs and tasks.
#[derive(Debug, Parser)]
#[command(name = "yotta", version, max_term_width = 100)]
#[command(after_help = "Exit codes: 0 success, 1 API or network error, 2 usage or validation error.")]
pub struct Cli {
    /// API base URL
    #[arg(long, env = "YOTTA_BASE_URL", hide_env_values = true, value_name = "URL")]
    pub base_url: Option<String>,

    /// API key, sent as X-API-Key (never printed)
    #[arg(
        long,
        env = "YOTTA_API_KEY",
        hide_env_values = true,
        value_name = "KEY",
        allow_hyphen_values = true
    )]
    pub api_key: Option<ApiKey>,

    /// API version (tasks always use v2) [default: v2]
    #[arg(long, env = "YOTTA_API_VERSION", hide_env_values = true, value_name = "VERSION",
          ignore_case = true, value_parser = api_version_parser())]
    pub api_version: Option<ApiVersion>,

    /// Output format [default: table on a terminal, json otherwise]
    #[arg(short, long, global = true, value_name = "FORMAT", display_order = 900)]
    pub output: Option<OutputFormat>,

    #[command(subcommand)]
    pub command: Command,
}

/// The API key, kept out of `Debug` output.
#[derive(Clone)]
pub struct ApiKey(pub String);

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl std::str::FromStr for ApiKey {
    type Err = std::convert::Infallible;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Ok(ApiKey(text.to_string()))
    }
}

/// `v1` or `v2` (also `1`, `2`); an empty value (an empty environment variable) means the default.
fn api_version_parser() -> impl TypedValueParser<Value = ApiVersion> {
    PossibleValuesParser::new([
        PossibleValue::new("v1").alias("1"),
        PossibleValue::new("v2").alias("2"),
        PossibleValue::new("").hide(true),
    ])
    .map(|text| text.parse().unwrap_or_default())
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Table,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create, inspect, start, stop, scale, update, delete and wait for endpoints
    #[command(subcommand, visible_alias = "endpoint")]
    Endpoints(EndpointsCommand),
    /// List an endpoint's workers
    #[command(subcommand, visible_alias = "worker")]
    Workers(WorkersCommand),
    /// Read or follow a worker's log
    #[command(
        after_help = "Lines print oldest first (newest first with --backward). With -o json they print as \
        one JSON array, or with --follow as JSON Lines (one object per line)."
    )]
    Logs(LogsArgs),
    /// Submit, inspect, list, count and wait for tasks of QUEUE-mode endpoints
    #[command(subcommand, visible_alias = "task")]
    Tasks(TasksCommand),
    /// Run the local simulator of the API in the foreground (Ctrl-C stops it)
    Sim(Box<SimCommand>),
    /// Print a shell completion script
    Completions(CompletionsArgs),
}

#[derive(Debug, Subcommand)]
pub enum EndpointsCommand {
    /// List endpoints, optionally only those in some states
    #[command(visible_alias = "ls")]
    List {
        /// Only endpoints in this state (repeatable, or comma-separated)
        #[arg(long, value_name = "STATUS", value_delimiter = ',', ignore_case = true,
              value_parser = status_parser::<EndpointStatus>(EndpointStatus::KNOWN))]
        status: Vec<EndpointStatus>,
    },
    /// Show one endpoint
    Get {
        /// Endpoint id
        id: String,
    },
    /// Create an endpoint from a JSON or YAML spec
    Create {
        /// Spec file (JSON or YAML; `-` reads stdin)
        #[arg(short, long, value_name = "FILE")]
        file: PathBuf,
    },
    /// Change an endpoint's configuration (fields the file leaves out keep their current values)
    Update {
        /// Endpoint id
        id: String,
        /// Changes (JSON or YAML; `-` reads stdin)
        #[arg(short, long, value_name = "FILE")]
        file: PathBuf,
    },
    /// Start a stopped endpoint
    Start {
        /// Endpoint id
        id: String,
    },
    /// Stop an endpoint
    Stop {
        /// Endpoint id
        id: String,
    },
    /// Delete a stopped endpoint
    #[command(visible_alias = "rm")]
    Delete {
        /// Endpoint id
        id: String,
    },
    /// Set an endpoint's number of workers
    Scale {
        /// Endpoint id
        id: String,
        /// Number of workers
        count: i64,
    },
    /// Wait until an endpoint reaches a state (and fail early if it enters FAILED)
    Wait {
        /// Endpoint id
        id: String,
        /// The state to wait for
        #[arg(long, value_name = "STATUS", default_value = "RUNNING", ignore_case = true,
              value_parser = status_parser::<EndpointStatus>(EndpointStatus::KNOWN))]
        status: EndpointStatus,
        #[command(flatten)]
        wait: WaitArgs,
    },
}

/// How long and how often a wait polls.
#[derive(Debug, Clone, Args)]
pub struct WaitArgs {
    /// Give up after this long (e.g. 90s, 10m, 1h)
    #[arg(long, value_name = "DURATION", default_value = "10m", value_parser = parse_duration)]
    pub timeout: Duration,
    /// First pause between polls; later pauses grow up to 10s
    #[arg(long, value_name = "DURATION", default_value = "1s", value_parser = parse_duration)]
    pub interval: Duration,
}

#[derive(Debug, Subcommand)]
pub enum WorkersCommand {
    /// List an endpoint's workers, optionally only those in some states
    #[command(visible_alias = "ls")]
    List {
        /// Endpoint id
        id: String,
        /// Only workers in this state (repeatable, or comma-separated)
        #[arg(long, value_name = "STATUS", value_delimiter = ',', ignore_case = true,
              value_parser = status_parser::<WorkerStatus>(WorkerStatus::KNOWN))]
        status: Vec<WorkerStatus>,
    },
}

#[derive(Debug, Args)]
pub struct LogsArgs {
    /// Endpoint id
    pub id: String,
    /// Worker id
    pub worker: String,
    /// Only lines containing this text
    #[arg(long, value_name = "TEXT")]
    pub keyword: Option<String>,
    /// Only lines at or after T: epoch milliseconds, ISO 8601, or a duration ago (10m, 2h)
    #[arg(long, value_name = "T", value_parser = parse_log_time)]
    pub since: Option<LogTime>,
    /// Only lines at or before T: epoch milliseconds, ISO 8601, or a duration ago (10m, 2h)
    #[arg(long, value_name = "T", value_parser = parse_log_time)]
    pub until: Option<LogTime>,
    /// Print at most N lines, then stop (also when following)
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub limit: Option<u64>,
    /// Newest lines first
    #[arg(long, conflicts_with = "follow")]
    pub backward: bool,
    /// Keep printing new lines as they arrive (until --limit lines or Ctrl-C)
    #[arg(short, long)]
    pub follow: bool,
    /// Pause between polls for new lines when following
    #[arg(long, value_name = "DURATION", default_value = "2s", value_parser = parse_duration, requires = "follow")]
    pub interval: Duration,
}

#[derive(Debug, Subcommand)]
pub enum TasksCommand {
    /// Queue a task (from a JSON or YAML file, or from --input, --port and --uri)
    Submit(SubmitArgs),
    /// Show one task, with its input and output
    Get {
        /// Endpoint id
        id: String,
        /// Task id
        task: String,
    },
    /// List tasks, newest first: one page, or every page with --all
    #[command(visible_alias = "ls")]
    List {
        /// Endpoint id
        id: String,
        /// Only tasks in this state
        #[arg(long, value_name = "STATUS", ignore_case = true,
              value_parser = status_parser::<TaskStatus>(TaskStatus::KNOWN))]
        status: Option<TaskStatus>,
        /// Page number, from 1 [default: 1]
        #[arg(long, value_name = "N", conflicts_with = "all")]
        page: Option<i64>,
        /// Tasks per page [default: 10]
        #[arg(long, value_name = "N", conflicts_with = "all")]
        page_size: Option<i64>,
        /// Every page (prints a list of tasks instead of one page)
        #[arg(long)]
        all: bool,
    },
    /// Show how many tasks are processing
    Count {
        /// Endpoint id
        id: String,
    },
    /// Wait until a task is SUCCESS, FAILED or DELIVERED
    Wait {
        /// Endpoint id
        id: String,
        /// Task id
        task: String,
        #[command(flatten)]
        wait: WaitArgs,
    },
}

#[derive(Debug, Args)]
pub struct SubmitArgs {
    /// Endpoint id
    pub id: String,
    /// Task spec file (JSON or YAML; `-` reads stdin)
    #[arg(short, long, value_name = "FILE", conflicts_with_all = ["input", "port", "uri"],
          required_unless_present = "input")]
    pub file: Option<PathBuf>,
    /// The task's input, as JSON
    #[arg(long, value_name = "JSON", requires_all = ["port", "uri"])]
    pub input: Option<String>,
    /// The worker port that processes the task
    #[arg(long, value_name = "N", requires = "input")]
    pub port: Option<i64>,
    /// The path on the worker that processes the task (e.g. /v1/chat/completions)
    #[arg(long, value_name = "PATH", requires = "input")]
    pub uri: Option<String>,
    /// Task id (letters, digits and _); one is generated when absent
    #[arg(long, value_name = "ID")]
    pub task_id: Option<String>,
    /// URL that receives the result
    #[arg(long, value_name = "URL")]
    pub webhook: Option<String>,
    /// Wait for the task to finish and print it
    #[arg(long)]
    pub wait: bool,
    /// Give up waiting after this long
    #[arg(long, value_name = "DURATION", default_value = "10m", value_parser = parse_duration, requires = "wait")]
    pub timeout: Duration,
}

#[derive(Debug, Args)]
pub struct SimCommand {
    #[command(flatten)]
    pub args: yotta_sim::SimArgs,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to generate completions for
    pub shell: clap_complete::Shell,
}

/// Accepts one of `known` in any case and parses it into the SDK's status type.
fn status_parser<T>(known: &'static [&'static str]) -> impl TypedValueParser<Value = T>
where
    T: for<'a> From<&'a str> + Clone + Send + Sync + 'static,
{
    PossibleValuesParser::new(known).map(|text| T::from(text.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn statuses_parse_in_any_case_and_comma_lists() {
        let cli = Cli::try_parse_from(["yotta", "endpoints", "list", "--status", "running,Stopped"]).unwrap();
        let Command::Endpoints(EndpointsCommand::List { status }) = cli.command else {
            panic!()
        };
        assert_eq!(status, [EndpointStatus::Running, EndpointStatus::Stopped]);
        assert!(Cli::try_parse_from(["yotta", "endpoints", "list", "--status", "BOGUS"]).is_err());
    }

    #[test]
    fn api_version_accepts_aliases_and_empty() {
        for (text, want) in [
            ("v1", ApiVersion::V1),
            ("V2", ApiVersion::V2),
            ("1", ApiVersion::V1),
            ("", ApiVersion::V2),
        ] {
            let cli = Cli::try_parse_from(["yotta", "--api-version", text, "tasks", "count", "1"]).unwrap();
            assert_eq!(cli.api_version, Some(want), "{text}");
        }
        assert!(Cli::try_parse_from(["yotta", "--api-version", "v3", "tasks", "count", "1"]).is_err());
    }

    #[test]
    fn the_key_is_redacted_in_debug() {
        let cli = Cli::try_parse_from(["yotta", "--api-key", "sk-secret", "tasks", "count", "1"]).unwrap();
        assert!(!format!("{cli:?}").contains("sk-secret"));
    }

    #[test]
    fn submit_needs_a_file_or_input_port_and_uri() {
        let parse = |args: &[&str]| Cli::try_parse_from(["yotta", "tasks", "submit", "1"].iter().chain(args));
        assert!(parse(&["-f", "task.yaml"]).is_ok());
        assert!(parse(&["--input", "{}", "--port", "80", "--uri", "/run"]).is_ok());
        assert!(parse(&[]).is_err());
        assert!(parse(&["--input", "{}"]).is_err());
        assert!(parse(&["-f", "t.json", "--input", "{}", "--port", "80", "--uri", "/"]).is_err());
        assert!(
            parse(&["-f", "t.json", "--timeout", "1s"]).is_err(),
            "--timeout needs --wait"
        );
    }
}
