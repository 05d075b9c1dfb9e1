//! A simulator in the test process, and the `yotta` binary pointed at it.

use assert_cmd::Command;
use std::cell::RefCell;
use std::process::Output;
use std::time::Duration;
use yotta_sim::{SimConfig, Simulator};

/// The only key the simulator accepts; no output may ever contain it.
pub const KEY: &str = "sk-cli-test-SECRET-93b1";
/// Time limit of one `yotta` run.
pub const RUN_LIMIT: Duration = Duration::from_secs(30);

/// The variables that could leak the test machine's own settings into a run.
const HOST_VARIABLES: [&str; 13] = [
    "YOTTA_API_KEY",
    "YOTTA_BASE_URL",
    "YOTTA_API_VERSION",
    "YOTTA_PROFILE",
    "YOTTA_LOG",
    "RUST_LOG",
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
    "http_proxy",
    "https_proxy",
    "all_proxy",
    "NO_COLOR",
];

/// The `yotta` binary with none of the host's settings and `config_dir` as its config
/// directory (a process to spawn; [`Command::from_std`] makes it an assert_cmd one).
pub fn isolated(config_dir: &std::path::Path) -> std::process::Command {
    let mut command = std::process::Command::new(assert_cmd::cargo::cargo_bin("yotta"));
    for name in HOST_VARIABLES {
        command.env_remove(name);
    }
    command.env("YOTTA_CONFIG_DIR", config_dir);
    command
}

/// `yotta --base-url BASE` with none of the host's settings, no key, and a config directory of
/// its own (empty: no profile) that lives as long as the process.
pub fn bare_command(base: &str) -> Command {
    let mut command = Command::from_std(isolated(empty_config_dir()));
    command.args(["--base-url", base]).timeout(RUN_LIMIT);
    command
}

/// A config directory without a config file, shared by the runs of one test binary.
pub fn empty_config_dir() -> &'static std::path::Path {
    static DIR: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    DIR.get_or_init(|| tempfile::tempdir().unwrap()).path()
}

pub struct Harness {
    pub runtime: tokio::runtime::Runtime,
    sim: Option<Simulator>,
    pub base: String,
    pub version: &'static str,
    /// Everything every run printed, to check that the key never appears.
    transcript: RefCell<String>,
}

impl Harness {
    pub fn start(version: &'static str, config: SimConfig) -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let sim = runtime
            .block_on(config.with_api_key(KEY).spawn())
            .expect("simulator starts");
        let base = sim.base_url();
        Self {
            runtime,
            sim: Some(sim),
            base,
            version,
            transcript: RefCell::new(String::new()),
        }
    }

    pub fn sim(&self) -> &Simulator {
        self.sim.as_ref().unwrap()
    }

    /// `yotta --base-url ... --api-version V -o OUTPUT`, the key from the environment with v2
    /// and from `--api-key` with v1 (so both ways are exercised).
    pub fn command(&self, output: &str) -> Command {
        let mut command = bare_command(&self.base);
        command.args(["--api-version", self.version]);
        if self.version == "v1" {
            command.args(["--api-key", KEY]);
        } else {
            command.env("YOTTA_API_KEY", KEY);
        }
        command.args(["-o", output]);
        command
    }

    pub fn run(&self, output: &str, args: &[&str], stdin: Option<&str>) -> Output {
        let mut command = self.command(output);
        command.args(args);
        if let Some(stdin) = stdin {
            command.write_stdin(stdin);
        }
        let result = command.output().unwrap();
        self.record(&result);
        result
    }

    pub fn record(&self, result: &Output) {
        let mut transcript = self.transcript.borrow_mut();
        transcript.push_str(&String::from_utf8_lossy(&result.stdout));
        transcript.push_str(&String::from_utf8_lossy(&result.stderr));
    }

    fn succeed(&self, output: &str, args: &[&str], stdin: Option<&str>) -> String {
        let result = self.run(output, args, stdin);
        let stderr = String::from_utf8_lossy(&result.stderr);
        assert!(
            result.status.success(),
            "yotta {args:?} ({}) failed: {stderr}",
            self.version
        );
        // Progress goes to stderr only on a terminal; here stderr is a pipe.
        assert!(stderr.is_empty(), "yotta {args:?} wrote to stderr: {stderr}");
        String::from_utf8(result.stdout).unwrap()
    }

    /// Runs with `-o json`, expecting success and exactly one JSON value on stdout.
    pub fn json(&self, args: &[&str]) -> serde_json::Value {
        self.json_stdin(args, None)
    }

    pub fn json_stdin(&self, args: &[&str], stdin: Option<&str>) -> serde_json::Value {
        let stdout = self.succeed("json", args, stdin);
        serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("yotta {args:?}: not one JSON value ({e}): {stdout}"))
    }

    /// Runs with `-o table`, expecting success; returns stdout.
    pub fn table(&self, args: &[&str]) -> String {
        self.succeed("table", args, None)
    }

    pub fn table_stdin(&self, args: &[&str], stdin: &str) -> String {
        self.succeed("table", args, Some(stdin))
    }

    /// Runs expecting exit `code` and nothing on stdout; returns stderr.
    pub fn fail(&self, output: &str, args: &[&str], code: i32) -> String {
        let result = self.run(output, args, None);
        let stderr = String::from_utf8(result.stderr).unwrap();
        assert_eq!(result.status.code(), Some(code), "yotta {args:?}: {stderr}");
        assert!(
            result.stdout.is_empty(),
            "yotta {args:?} printed {:?}",
            String::from_utf8_lossy(&result.stdout)
        );
        stderr
    }

    pub fn assert_key_never_printed(&self) {
        self.assert_never_printed(KEY);
    }

    /// No run printed `secret` (on stdout or stderr).
    pub fn assert_never_printed(&self, secret: &str) {
        let transcript = self.transcript.borrow();
        assert!(!transcript.is_empty());
        assert!(!transcript.contains(secret), "a secret was printed: {secret}");
    }
}

impl Drop for Harness {
    fn drop(&mut self) {
        if let Some(sim) = self.sim.take() {
            let _ = self
                .runtime
                .block_on(async { tokio::time::timeout(Duration::from_secs(10), sim.shutdown()).await });
        }
    }
}

/// The line `Label:  value` of a field list.
pub fn field<'a>(table: &'a str, label: &str) -> &'a str {
    table
        .lines()
        .find_map(|line| line.strip_prefix(label)?.strip_prefix(':'))
        .unwrap_or_else(|| panic!("no {label} in {table}"))
        .trim()
}

pub const ENDPOINT_YAML: &str = "\
# A QUEUE endpoint, in the docs' spelling.
name: llama-inference
image: vllm/vllm-openai:latest
serviceMode: QUEUE
workers: 2
containerVolumeInGb: 120
resources:
  - region: us-east-1
    gpuType: NVIDIA_RTX_4090_24G
    gpuCount: 1
envVars:
  - key: MODEL
    value: llama-3-8b
expose:
  port: 8000
  protocol: http
";

pub const ENDPOINT_JSON: &str = r#"{
  "name": "queue-two",
  "image": "nginx:latest",
  "serviceMode": "QUEUE",
  "workers": 1,
  "containerVolumeInGb": 20,
  "resources": [{"region": "us-east-1", "gpuType": "NVIDIA_RTX_4090_24G", "gpuCount": 1}]
}"#;
