//! The command line: every command, option and environment variable of `yotta`.

use crate::time::{parse_duration, parse_log_time};
use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::{ArgGroup, Args, Parser, Subcommand, ValueEnum};
use secrecy::{ExposeSecret, SecretString};
use std::fmt;
use std::path::PathBuf;
use std::time::Duration;
use yotta::{ApiVersion, EndpointStatus, LogTime, RegistryType, TaskStatus, WorkerStatus};

/// Manage Yotta Labs Serverless GPU endpoints, workers, logs and tasks.
#[derive(Debug, Parser)]
#[command(name = "yotta", version, max_term_width = 100)]
#[command(
    after_help = "The API key: --api-key-file, --api-key-stdin or --api-key (in that order of \
    preference: an argument is visible to other users in the process list), else YOTTA_API_KEY, else \
    the profile's (`yotta auth login`). The same order holds for the base URL and the API version.\n\n\
    Exit codes: 0 success, 1 API or network error, 2 usage or validation error, 3 the task or \
    endpoint waited for FAILED, 4 no API key or the key was rejected, 5 a wait timed out."
)]
// Not `--api-key`: clap counts YOTTA_API_KEY as given, and a key file must beat the variable
// (`Settings` refuses `--api-key` typed next to these).
#[command(group(ArgGroup::new("key").args(["api_key_file", "api_key_stdin", "no_api_key"])))]
pub struct Cli {
    /// API base URL [default: the profile's, else https://api.yottalabs.ai]
    #[arg(long, env = "YOTTA_BASE_URL", hide_env_values = true, value_name = "URL")]
    pub base_url: Option<String>,

    /// API key, sent as X-API-Key (never printed; visible in the process list: prefer
    /// --api-key-file, --api-key-stdin, the variable or `yotta auth login`)
    #[arg(
        long,
        env = "YOTTA_API_KEY",
        hide_env_values = true,
        value_name = "KEY",
        allow_hyphen_values = true
    )]
    pub api_key: Option<ApiKey>,

    /// Read the API key from FILE (its first line)
    #[arg(long, value_name = "FILE")]
    pub api_key_file: Option<PathBuf>,

    /// Read the API key from the first line of stdin
    #[arg(long)]
    pub api_key_stdin: bool,

    /// Send no API key (for a proxy at --base-url that adds it)
    #[arg(long)]
    pub no_api_key: bool,

    /// The profile whose key, base URL and version apply [default: default]
    #[arg(long, env = "YOTTA_PROFILE", hide_env_values = true, value_name = "NAME")]
    pub profile: Option<String>,

    /// API version (tasks always use v2) [default: the profile's, else v2]
    #[arg(long, env = "YOTTA_API_VERSION", hide_env_values = true, value_name = "VERSION",
          ignore_case = true, value_parser = api_version_parser())]
    pub api_version: Option<ApiVersion>,

    /// Time limit of one HTTP attempt
    #[arg(long, value_name = "DURATION", default_value = "30s", value_parser = parse_duration)]
    pub request_timeout: Duration,

    /// Retries of a call after a transient failure (connection, 429, 5xx)
    #[arg(long, value_name = "N", default_value_t = 2)]
    pub max_retries: u32,

    /// The largest response body accepted, in bytes (a longer one fails the call)
    #[arg(long, value_name = "BYTES", default_value_t = yotta::transport::DEFAULT_MAX_BODY_BYTES,
          value_parser = clap::value_parser!(u64).range(1..).map(|n| usize::try_from(n).unwrap_or(usize::MAX)))]
    pub max_body_bytes: usize,

    /// Print each HTTP attempt to stderr (never the key; YOTTA_LOG=yotta=debug logs via tracing)
    #[arg(long, global = true, display_order = 901)]
    pub debug: bool,

    /// Output format [default: table on a terminal, json otherwise]
    #[arg(short, long, global = true, value_name = "FORMAT", display_order = 900)]
    pub output: Option<OutputFormat>,

    #[command(subcommand)]
    pub command: Command,
}

/// An API key: kept out of `Debug` output and zeroed when dropped.
#[derive(Clone)]
pub struct ApiKey(SecretString);

impl ApiKey {
    pub fn new(key: impl Into<String>) -> Self {
        ApiKey(SecretString::from(key.into()))
    }

    /// The key itself, for the one place that sends or stores it.
    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl std::str::FromStr for ApiKey {
    type Err = std::convert::Infallible;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Ok(ApiKey::new(text))
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
    /// List, create, update and delete container registry credentials (for private images)
    #[command(subcommand, visible_alias = "credential")]
    Credentials(CredentialsCommand),
    /// List the GPU types endpoints accept (the documented catalog; no API call, no key needed)
    #[command(subcommand, visible_alias = "gpu")]
    Gpus(GpusCommand),
    /// Store, show or remove the API key of a profile
    #[command(subcommand)]
    Auth(AuthCommand),
    /// Send a raw request to the API with the key and print the answer's envelope (as JSON)
    #[command(after_help = "PATH is relative to the base URL, with its query (e.g. \
        '/v2/serverless/ID/tasks?pageSize=100'); the key goes only to the base URL's origin. \
        --paginate follows the pages of the routes that have them (task lists by pageNumber, \
        worker logs by searchAfter cursors) and prints one envelope per line (JSON Lines). Exit \
        1 when the HTTP status is an error or the envelope's code is not 10000 (the envelope is \
        still printed), 4 for HTTP 401/403.")]
    Api(ApiArgs),
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
    /// Delete a stopped endpoint (asks first on a terminal)
    #[command(visible_alias = "rm")]
    Delete {
        /// Endpoint id
        id: String,
        /// Do not ask for confirmation (needed when stdin is not a terminal)
        #[arg(short, long)]
        yes: bool,
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
    #[command(after_help = "With --wait, a task that ends FAILED is printed and the exit code is 3.")]
    Submit(SubmitArgs),
    /// Queue a task, wait for it and print its output (exit 3, printing the task, if it FAILED)
    Run(RunArgs),
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
    /// Wait until a task is SUCCESS, FAILED or DELIVERED (exit 3 if FAILED)
    Wait {
        /// Endpoint id
        id: String,
        /// Task id
        task: String,
        #[command(flatten)]
        wait: WaitArgs,
    },
}

/// A task to queue: from a file, or from --input, --port and --uri.
#[derive(Debug, Args)]
pub struct TaskSource {
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
}

#[derive(Debug, Args)]
pub struct SubmitArgs {
    /// Endpoint id
    pub id: String,
    #[command(flatten)]
    pub task: TaskSource,
    /// Wait for the task to finish and print it
    #[arg(long)]
    pub wait: bool,
    /// Give up waiting after this long
    #[arg(long, value_name = "DURATION", default_value = "10m", value_parser = parse_duration, requires = "wait")]
    pub timeout: Duration,
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// Endpoint id
    pub id: String,
    #[command(flatten)]
    pub task: TaskSource,
    #[command(flatten)]
    pub wait: WaitArgs,
}

#[derive(Debug, Subcommand)]
pub enum CredentialsCommand {
    /// List the credentials (the API never returns their secrets)
    #[command(visible_alias = "ls")]
    List,
    /// Show one credential
    Get {
        /// Credential id
        id: String,
    },
    /// Create a credential (its password from a hidden prompt, stdin or a file; never argv)
    #[command(
        after_help = "Without --password-stdin or --password-file the password is asked for \
        at a hidden prompt, which needs a terminal (exit 2 without one)."
    )]
    Create(CredentialCreateArgs),
    /// Change a credential's name, username or password (what is not given is kept)
    #[command(after_help = "Give at least one change. The API cannot change a credential's type: \
        create another credential for that.")]
    Update(CredentialUpdateArgs),
    /// Delete a credential no endpoint uses (asks first on a terminal)
    #[command(visible_alias = "rm")]
    Delete {
        /// Credential id
        id: String,
        /// Do not ask for confirmation (needed when stdin is not a terminal)
        #[arg(short, long)]
        yes: bool,
    },
}

#[derive(Debug, Args)]
pub struct CredentialCreateArgs {
    /// Name (API v2: up to 20 letters, digits, @ . _ -, starting with a letter)
    #[arg(long, value_name = "NAME")]
    pub name: String,
    /// The registry username
    #[arg(long, value_name = "USER")]
    pub username: String,
    /// The registry's type (sent with API v2; v1 has none)
    #[arg(long = "type", value_name = "TYPE", ignore_case = true,
          value_parser = status_parser::<RegistryType>(RegistryType::KNOWN))]
    pub registry_type: Option<RegistryType>,
    #[command(flatten)]
    pub password: PasswordSource,
}

#[derive(Debug, Args)]
pub struct CredentialUpdateArgs {
    /// Credential id
    pub id: String,
    /// The new name
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// The new registry username
    #[arg(long, value_name = "USER")]
    pub username: Option<String>,
    #[command(flatten)]
    pub password: PasswordSource,
}

/// Where a registry password or token comes from: never an argument, which every user of the
/// machine could read in the process list.
#[derive(Debug, Args)]
#[group(multiple = false)]
pub struct PasswordSource {
    /// Read the password or token from the first line of stdin
    #[arg(long)]
    pub password_stdin: bool,
    /// Read the password or token from FILE (its first line)
    #[arg(long, value_name = "FILE")]
    pub password_file: Option<PathBuf>,
    /// Ask for the password or token at a hidden prompt (create's default)
    #[arg(long)]
    pub prompt_password: bool,
}

#[derive(Debug, Subcommand)]
pub enum GpusCommand {
    /// List the GPU types the docs list, the codes a spec's `resources[].gpuType` takes
    #[command(visible_alias = "ls")]
    List,
}

#[derive(Debug, Subcommand)]
pub enum AuthCommand {
    /// Store an API key in a profile (read from a hidden prompt on a terminal, else from the
    /// first line of stdin), after checking it with the API
    #[command(
        after_help = "The file is $YOTTA_CONFIG_DIR/config.toml, else yotta/config.toml in the \
        user's config directory ($XDG_CONFIG_HOME or ~/.config on Linux), readable by the owner only. \
        --base-url and --api-version given on the command line are stored with the key."
    )]
    Login {
        /// Store the key without checking it with the API
        #[arg(long)]
        no_verify: bool,
    },
    /// Show where the key, base URL and version come from, and check the key with the API
    Status {
        /// Do not call the API
        #[arg(long)]
        no_verify: bool,
    },
    /// Remove a profile's stored key
    Logout,
}

/// An HTTP method of the API.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
#[value(rename_all = "UPPER")]
pub enum ApiMethod {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

#[derive(Debug, Args)]
pub struct ApiArgs {
    /// GET, POST, PUT, PATCH or DELETE
    #[arg(ignore_case = true)]
    pub method: ApiMethod,
    /// The path and query, e.g. /v2/serverless
    pub path: String,
    /// The request body: JSON, or @FILE to read it from a file (@- for stdin)
    #[arg(short, long, value_name = "JSON|@FILE")]
    pub data: Option<String>,
    /// Follow every page (task lists, worker logs); prints one envelope per line
    #[arg(long)]
    pub paginate: bool,
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

/// Accepts one of `known` in any case and parses it into the SDK's status (or other open enum)
/// type.
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
        let text = format!("{cli:?} {:#?}", cli.api_key);
        assert!(!text.contains("sk-secret"), "{text}");
        assert!(text.contains("<redacted>"), "{text}");
        assert_eq!(cli.api_key.unwrap().expose(), "sk-secret");
    }

    #[test]
    fn key_sources_exclude_each_other() {
        let parse = |args: &[&str]| Cli::try_parse_from(["yotta"].iter().chain(args).chain(&["tasks", "count", "1"]));
        assert!(parse(&["--api-key-file", "k.txt"]).is_ok());
        assert!(parse(&["--api-key-stdin"]).is_ok());
        assert!(parse(&["--api-key-stdin", "--api-key-file", "k.txt"]).is_err());
        assert!(parse(&["--no-api-key", "--api-key-stdin"]).is_err());
    }

    #[test]
    fn credential_passwords_come_from_one_source_and_never_argv() {
        let parse = |args: &[&str]| {
            Cli::try_parse_from(
                ["yotta", "credentials", "create", "--name", "n", "--username", "u"]
                    .iter()
                    .chain(args),
            )
        };
        let cli = parse(&["--type", "docker_hub", "--password-file", "p.txt"]).unwrap();
        let Command::Credentials(CredentialsCommand::Create(args)) = cli.command else {
            panic!()
        };
        assert_eq!(args.registry_type, Some(RegistryType::DockerHub));
        assert_eq!(args.password.password_file, Some(PathBuf::from("p.txt")));
        assert!(parse(&[]).is_ok(), "the prompt is the default");
        assert!(parse(&["--password-stdin", "--password-file", "p.txt"]).is_err());
        assert!(parse(&["--password-stdin", "--prompt-password"]).is_err());
        assert!(parse(&["--password", "s3cret"]).is_err());
        assert!(parse(&["--type", "QUAY"]).is_err());
        let update = |args: &[&str]| Cli::try_parse_from(["yotta", "credentials", "update", "1"].iter().chain(args));
        assert!(update(&["--name", "n", "--password-stdin"]).is_ok());
        assert!(update(&["--type", "GCR"]).is_err(), "the API cannot change the type");
    }

    #[test]
    fn api_methods_in_any_case() {
        let cli = Cli::try_parse_from(["yotta", "api", "get", "/v2/serverless"]).unwrap();
        let Command::Api(args) = cli.command else { panic!() };
        assert_eq!(args.method, ApiMethod::Get);
        assert!(Cli::try_parse_from(["yotta", "api", "TRACE", "/"]).is_err());
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
