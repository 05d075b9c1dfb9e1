//! Medians, percentiles and paired ratios of measured samples.

use serde_json::{Value, json};
use std::time::Duration;

/// The nearest-rank percentile `q` (0..=1) of `sorted`, which must be sorted and non-empty.
pub fn percentile(sorted: &[Duration], q: f64) -> Duration {
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

/// Median, p99 and count of latency samples, in microseconds.
pub fn latency(samples: &mut [Duration]) -> Value {
    samples.sort_unstable();
    if samples.is_empty() {
        return json!({ "n": 0 });
    }
    json!({
        "n": samples.len(),
        "median_us": micros(percentile(samples, 0.5)),
        "p99_us": micros(percentile(samples, 0.99)),
    })
}

pub fn micros(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

/// The median of `values` (the mean of the middle two for an even count).
pub fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    match n {
        0 => f64::NAN,
        _ if n % 2 == 1 => sorted[n / 2],
        _ => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    }
}

/// A ratio over paired runs: the median and the range of `a[i] / b[i]`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Spread {
    pub median: f64,
    pub min: f64,
    pub max: f64,
}

/// Ratios of runs made side by side (`a[i]` next to `b[i]` in time), so that slow changes in
/// the machine's load, which hit both, cancel out.
pub fn paired_ratios(a: &[f64], b: &[f64]) -> Spread {
    let ratios: Vec<f64> = a.iter().zip(b).map(|(x, y)| x / y).collect();
    Spread {
        median: median(&ratios),
        min: ratios.iter().copied().fold(f64::INFINITY, f64::min),
        max: ratios.iter().copied().fold(f64::NEG_INFINITY, f64::max),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        let samples: Vec<Duration> = (1..=100).map(Duration::from_micros).collect();
        assert_eq!(percentile(&samples, 0.5), Duration::from_micros(50));
        assert_eq!(percentile(&samples, 0.99), Duration::from_micros(99));
        assert_eq!(percentile(&samples, 1.0), Duration::from_micros(100));
        assert_eq!(percentile(&samples[..1], 0.99), Duration::from_micros(1));
    }

    #[test]
    fn paired() {
        let spread = paired_ratios(&[2.0, 3.0, 8.0], &[1.0, 2.0, 4.0]);
        assert_eq!(
            spread,
            Spread {
                median: 2.0,
                min: 1.5,
                max: 2.0
            }
        );
    }

    #[test]
    fn medians() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), 2.5);
        assert!(median(&[]).is_nan());
    }
}
