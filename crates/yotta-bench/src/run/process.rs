//! Child processes of the benchmark: the simulator (a release binary in its own process, killed
//! when its handle drops) and the measuring clients, which print one JSON object on stdout.

use super::Ctx;
use anyhow::{Context, Result, bail};
use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// A running `yotta-sim` on 127.0.0.1; dropping it kills the process.
pub struct Sim {
    child: Child,
    pub url: String,
}

impl Sim {
    /// Starts the simulator with `flags` after `--addr 127.0.0.1:0`; its stderr goes to
    /// `target/bench/logs/sim-<name>.log`.
    pub fn start(ctx: &Ctx, name: &str, flags: &[String]) -> Result<Sim> {
        let logs = ctx.out.join("logs");
        std::fs::create_dir_all(&logs)?;
        let log_path = logs.join(format!("sim-{name}.log"));
        let log = std::fs::File::create(&log_path)?;
        let mut child = Command::new(ctx.sim_bin())
            .args(["--addr", "127.0.0.1:0"])
            .args(flags)
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(log)
            .spawn()
            .with_context(|| format!("starting {}", ctx.sim_bin().display()))?;
        let stdout = child.stdout.take().context("simulator stdout")?;
        let (sender, receiver) = mpsc::channel();
        // Reads the address, then keeps draining stdout so the simulator never blocks on it.
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(at) = line.find("listening on ") {
                    let _ = sender.send(line[at + "listening on ".len()..].trim().to_string());
                }
            }
        });
        let mut sim = Sim {
            child,
            url: String::new(),
        };
        match receiver.recv_timeout(Duration::from_secs(30)) {
            Ok(url) => sim.url = url,
            Err(_) => bail!(
                "the simulator did not report its address within 30 s (see {})",
                log_path.display()
            ),
        }
        Ok(sim)
    }

    /// A `kB` field (`VmRSS`, `VmHWM`) of the simulator's `/proc/PID/status`.
    pub fn memory_kib(&self, field: &str) -> Result<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .context("reading the simulator's /proc status (Linux only)")?;
        status
            .lines()
            .find_map(|line| line.strip_prefix(field)?.strip_prefix(':'))
            .and_then(|v| v.split_whitespace().next()?.parse().ok())
            .with_context(|| format!("no {field} in the simulator's /proc status"))
    }
}

impl Drop for Sim {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs a measuring client (stderr passes through for progress) and parses the JSON object on
/// the last line of its stdout.
/// Runs a command to completion, its output shown as it comes; fails when it fails.
pub fn run_command(command: &mut Command, what: &str) -> Result<()> {
    let status = command.status().with_context(|| format!("starting {what}"))?;
    if !status.success() {
        anyhow::bail!("{what} failed ({status})");
    }
    Ok(())
}

pub fn run_json(command: &mut Command, what: &str) -> Result<Value> {
    let output = command
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .with_context(|| format!("starting {what}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        bail!("{what} failed ({}): {}", output.status, stdout.trim());
    }
    let last = stdout.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or_default();
    serde_json::from_str(last).with_context(|| format!("{what} printed no JSON result: {}", stdout.trim()))
}

/// `value[key]...` as f64, or an error naming the path.
pub fn num(value: &Value, path: &[&str]) -> Result<f64> {
    let mut v = value;
    for key in path {
        v = &v[*key];
    }
    v.as_f64()
        .with_context(|| format!("no number at {} in {value}", path.join(".")))
}

/// `value[key]...` as an array of numbers.
pub fn nums(value: &Value, path: &[&str]) -> Result<Vec<f64>> {
    let mut v = value;
    for key in path {
        v = &v[*key];
    }
    v.as_array()
        .and_then(|items| items.iter().map(Value::as_f64).collect::<Option<Vec<f64>>>())
        .filter(|items| !items.is_empty())
        .with_context(|| format!("no array of numbers at {} in {value}", path.join(".")))
}

/// `value[key]...` as a string.
pub fn text(value: &Value, path: &[&str]) -> Result<String> {
    let mut v = value;
    for key in path {
        v = &v[*key];
    }
    v.as_str()
        .map(str::to_string)
        .with_context(|| format!("no string at {} in {value}", path.join(".")))
}
