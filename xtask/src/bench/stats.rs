//! Medians of repeated runs, and ratios paired run by run.

/// The median (the mean of the middle two for an even count); NaN for no values.
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
    fn medians() {
        assert_eq!(median(&[5.0, 1.0, 3.0]), 3.0);
        assert_eq!(median(&[4.0, 1.0]), 2.5);
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
}
