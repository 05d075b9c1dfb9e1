//! The optional `wrk` cross-check of the simulator's GET throughput (skipped without wrk).

use anyhow::{Context, Result, bail};
use std::process::Command;

pub struct Figures {
    pub per_s: f64,
    pub p99_us: f64,
}

/// `wrk -t2 -c64 --latency` on `GET /v2/serverless/{id}`; None when wrk is not installed.
pub fn get_endpoint(base: &str, endpoint: &str, seconds: u64) -> Result<Option<Figures>> {
    let output = match Command::new("wrk")
        .args(["-t2", "-c64", "--latency", "-H", "X-API-Key: bench"])
        .arg(format!("-d{seconds}s"))
        .arg(format!("{base}/v2/serverless/{endpoint}"))
        .output()
    {
        Ok(output) => output,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(error) => return Err(error).context("starting wrk"),
    };
    if !output.status.success() {
        bail!("wrk failed: {}", String::from_utf8_lossy(&output.stderr));
    }
    parse(&String::from_utf8_lossy(&output.stdout)).map(Some)
}

fn parse(report: &str) -> Result<Figures> {
    if report.contains("Non-2xx or 3xx responses") {
        bail!("wrk saw error responses:\n{report}");
    }
    let per_s = report
        .lines()
        .find_map(|l| l.trim().strip_prefix("Requests/sec:"))
        .and_then(|v| v.trim().parse().ok())
        .context("no Requests/sec in wrk's report")?;
    let p99 = report
        .lines()
        .find_map(|l| l.trim().strip_prefix("99%"))
        .context("no 99% latency in wrk's report (--latency)")?;
    Ok(Figures {
        per_s,
        p99_us: duration_us(p99.trim()).context("wrk's 99% latency")?,
    })
}

/// `812.00us`, `2.31ms`, `1.02s` -> microseconds.
fn duration_us(text: &str) -> Option<f64> {
    let split = text.find(|c: char| c.is_ascii_alphabetic())?;
    let (value, unit) = text.split_at(split);
    let value: f64 = value.parse().ok()?;
    let scale = match unit {
        "us" => 1.0,
        "ms" => 1e3,
        "s" => 1e6,
        "m" => 60e6,
        _ => return None,
    };
    Some(value * scale)
}

#[cfg(test)]
mod tests {
    use super::*;

    const REPORT: &str = "Running 2s test @ http://127.0.0.1:1/v2/serverless/1
  2 threads and 64 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     2.20ms    1.01ms  20.12ms   80.00%
  Latency Distribution
     50%    2.05ms
     75%    2.61ms
     90%    3.30ms
     99%    5.71ms
  59000 requests in 2.00s, 60.00MB read
Requests/sec:  29500.12
Transfer/sec:     30.00MB
";

    #[test]
    fn parses_rate_and_p99() {
        let figures = parse(REPORT).unwrap();
        assert_eq!(figures.per_s, 29500.12);
        assert_eq!(figures.p99_us, 5710.0);
        assert_eq!(duration_us("812.00us"), Some(812.0));
        assert_eq!(duration_us("1.5s"), Some(1.5e6));
    }

    #[test]
    fn refuses_error_responses() {
        assert!(parse(&format!("{REPORT}  Non-2xx or 3xx responses: 12\n")).is_err());
    }
}
