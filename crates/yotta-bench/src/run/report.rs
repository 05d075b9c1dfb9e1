//! The benchmark report: one summary table (every row names the command that reproduces it)
//! and detail sections, rendered as markdown.

use crate::stats::Spread;

/// One line of the summary table.
pub struct Row {
    pub area: &'static str,
    pub measurement: String,
    pub ours: String,
    /// The openapi-fetch client (browser) where there is one.
    pub peer: String,
    /// Raw fetch + JSON.parse (browser) or raw reqwest + serde_json (native).
    pub floor: String,
    pub ratio: String,
    /// Plain words: who wins, by how much; "we lose" where we do.
    pub verdict: String,
    pub command: String,
}

#[derive(Default)]
pub struct Report {
    pub rows: Vec<Row>,
    /// (heading, markdown body)
    pub details: Vec<(String, String)>,
    /// Paragraphs of the "Levers" section.
    pub levers: Vec<String>,
    /// Sections that could not be measured, with the reason.
    pub problems: Vec<String>,
    /// Every client's JSON result, by name (written to target/bench/out/results.json).
    pub raw: serde_json::Map<String, serde_json::Value>,
}

impl Report {
    pub fn detail(&mut self, heading: impl Into<String>, body: impl Into<String>) {
        self.details.push((heading.into(), body.into()));
    }

    /// The summary table.
    pub fn table(&self) -> String {
        let mut out = String::from(
            "| area | measurement | ours | peer (openapi-fetch) | raw floor | ratio | verdict | reproduce with |\n\
             |---|---|---:|---:|---:|---:|---|---|\n",
        );
        for row in &self.rows {
            out.push_str(&format!(
                "| {} | {} | {} | {} | {} | {} | {} | `{}` |\n",
                row.area,
                row.measurement,
                dash(&row.ours),
                dash(&row.peer),
                dash(&row.floor),
                dash(&row.ratio),
                row.verdict,
                row.command
            ));
        }
        for problem in &self.problems {
            out.push_str(&format!("| **not measured** | {problem} | | | | | | |\n"));
        }
        out
    }

    /// The whole document: header, table, levers, details.
    pub fn document(&self, header: &str) -> String {
        let mut out = String::from(header);
        out.push_str("\n## Summary\n\n");
        out.push_str(&self.table());
        if !self.levers.is_empty() {
            out.push_str("\n## Levers\n\n");
            for paragraph in &self.levers {
                out.push_str(paragraph);
                out.push_str("\n\n");
            }
        }
        for (heading, body) in &self.details {
            out.push_str(&format!("\n## {heading}\n\n{}\n", body.trim_end()));
        }
        out
    }
}

fn dash(s: &str) -> &str {
    if s.is_empty() { "–" } else { s }
}

/// `312152` -> `312.2 kB` (1 kB = 1000 bytes).
pub fn kb(bytes: u64) -> String {
    format!("{:.1} kB", bytes as f64 / 1000.0)
}

/// `1234567` -> `1,234,567`
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Microseconds as `87 µs` or `1.24 ms`.
pub fn micros(us: f64) -> String {
    if us < 1000.0 {
        format!("{us:.0} µs")
    } else {
        format!("{:.2} ms", us / 1000.0)
    }
}

/// Microseconds to three significant figures, for work that takes a few of them: `3.26 µs`,
/// `89.5 µs`, `130 µs`.
pub fn fine_micros(us: f64) -> String {
    let decimals = if us.abs() < 10.0 {
        2
    } else if us.abs() < 100.0 {
        1
    } else {
        0
    };
    format!("{us:.decimals$} µs")
}

/// Milliseconds as `0.412 ms`.
pub fn millis(ms: f64) -> String {
    format!("{ms:.3} ms")
}

pub fn per_second(rate: f64, unit: &str) -> String {
    format!("{} {unit}/s", thousands(rate.round() as u64))
}

pub fn mib(kib: u64) -> String {
    format!("{:.1} MiB", kib as f64 / 1024.0)
}

pub fn times(ratio: f64) -> String {
    format!("{ratio:.2}×")
}

/// `1.14× (rounds 1.02–1.30×)`: the paired median and its range.
pub fn spread(ratio: Spread, unit: &str) -> String {
    format!("{} ({unit} {:.2}–{:.2}×)", times(ratio.median), ratio.min, ratio.max)
}

/// Words for a time ratio `ours / other` over paired runs (lower is better).
pub fn time_verdict(ratio: Spread, other_name: &str) -> String {
    let r = ratio.median;
    if r > 1.10 {
        let always = if ratio.min > 1.0 {
            ""
        } else {
            ", not in every pair of runs"
        };
        format!(
            "**we lose**: {:.0}% slower than {other_name}{always}",
            (r - 1.0) * 100.0
        )
    } else if r < 0.90 {
        let always = if ratio.max < 1.0 {
            ""
        } else {
            ", not in every pair of runs"
        };
        format!("we win: {:.0}% faster than {other_name}{always}", (1.0 - r) * 100.0)
    } else {
        format!("on par with {other_name} (within 10%)")
    }
}

/// Words for a throughput ratio `ours / other` over paired runs (higher is better).
pub fn rate_verdict(ratio: Spread, other_name: &str) -> String {
    let r = ratio.median;
    if r < 1.0 / 1.10 {
        let always = if ratio.max < 1.0 {
            ""
        } else {
            ", not in every pair of runs"
        };
        format!("**we lose**: {:.0}% less than {other_name}{always}", (1.0 - r) * 100.0)
    } else if r > 1.10 {
        let always = if ratio.min > 1.0 {
            ""
        } else {
            ", not in every pair of runs"
        };
        format!("we win: {:.0}% more than {other_name}{always}", (r - 1.0) * 100.0)
    } else {
        format!("on par with {other_name} (within 10%)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(kb(312_152), "312.2 kB");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(thousands(999), "999");
        assert_eq!(micros(87.4), "87 µs");
        assert_eq!(micros(1240.0), "1.24 ms");
        assert_eq!(fine_micros(3.264), "3.26 µs");
        assert_eq!(fine_micros(89.53), "89.5 µs");
        assert_eq!(fine_micros(129.5), "130 µs");
        assert_eq!(per_second(21_012.4, "req"), "21,012 req/s");
        assert_eq!(times(1.234), "1.23×");
    }

    #[test]
    fn verdicts_say_who_loses() {
        let at = |median, min, max| Spread { median, min, max };
        assert_eq!(
            time_verdict(at(1.5, 1.2, 1.8), "raw"),
            "**we lose**: 50% slower than raw"
        );
        assert!(time_verdict(at(1.5, 0.9, 1.8), "raw").ends_with("not in every pair of runs"));
        assert!(time_verdict(at(0.5, 0.4, 0.6), "raw").starts_with("we win"));
        assert!(time_verdict(at(1.05, 0.8, 1.3), "raw").starts_with("on par"));
        assert_eq!(rate_verdict(at(0.5, 0.4, 0.6), "raw"), "**we lose**: 50% less than raw");
        assert!(rate_verdict(at(1.2, 1.1, 1.3), "raw").starts_with("we win: 20% more"));
        assert_eq!(spread(at(1.14, 1.02, 1.3), "rounds"), "1.14× (rounds 1.02–1.30×)");
    }

    #[test]
    fn table_names_problems() {
        let mut report = Report::default();
        report.problems.push("browser: Chromium missing".into());
        assert!(report.table().contains("**not measured** | browser: Chromium missing"));
    }
}
