//! Epoch milliseconds to and from ISO 8601, without a date-time dependency.
//!
//! The logs API takes times "as epoch ms or ISO 8601" and returns ISO timestamps such as
//! `2024-01-15T10:30:15.123Z`.

/// Formats epoch milliseconds as `YYYY-MM-DDTHH:MM:SS.mmmZ` (UTC).
pub fn iso_ms(ms: u64) -> String {
    let secs = ms / 1000;
    let (y, m, d) = civil_from_days((secs / 86_400) as i64);
    let rem = secs % 86_400;
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60,
        ms % 1000
    )
}

/// Parses epoch milliseconds (digits only) or an ISO 8601 date-time; `None` when neither.
///
/// Accepted ISO forms: `YYYY-MM-DD`, optionally followed by `T` (or a space) and `HH:MM[:SS[.fraction]]`,
/// optionally followed by `Z`, `+HH:MM`, `+HHMM` or `+HH`. A missing zone means UTC.
pub fn parse_time(s: &str) -> Option<u64> {
    let s = s.trim();
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
        return s.parse::<u64>().ok();
    }
    parse_iso(s)
}

fn parse_iso(s: &str) -> Option<u64> {
    let b = s.as_bytes();
    let num = |from: usize, len: usize| -> Option<i64> {
        let part = b.get(from..from + len)?;
        if !part.iter().all(u8::is_ascii_digit) {
            return None;
        }
        std::str::from_utf8(part).ok()?.parse().ok()
    };
    let (year, month, day) = (num(0, 4)?, num(5, 2)?, num(8, 2)?);
    if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') || !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let mut i = 10;
    let (mut hour, mut minute, mut second, mut millis) = (0, 0, 0, 0);
    if matches!(b.get(i), Some(b'T' | b't' | b' ')) {
        hour = num(i + 1, 2)?;
        if b.get(i + 3) != Some(&b':') {
            return None;
        }
        minute = num(i + 4, 2)?;
        i += 6;
        if b.get(i) == Some(&b':') {
            second = num(i + 1, 2)?;
            i += 3;
            if matches!(b.get(i), Some(b'.' | b',')) {
                i += 1;
                let start = i;
                while b.get(i).is_some_and(u8::is_ascii_digit) {
                    i += 1;
                }
                let frac = &s[start..i];
                if frac.is_empty() {
                    return None;
                }
                let padded: String = frac.chars().chain("000".chars()).take(3).collect();
                millis = padded.parse().ok()?;
            }
        }
        if hour > 23 || minute > 59 || second > 60 {
            return None;
        }
    }
    let offset_minutes = match b.get(i) {
        None => 0,
        Some(b'Z' | b'z') if i + 1 == b.len() => 0,
        Some(sign @ (b'+' | b'-')) => {
            let hours = num(i + 1, 2)?;
            let minutes = match b.len() - (i + 3) {
                0 => 0,
                2 => num(i + 3, 2)?,
                3 if b[i + 3] == b':' => num(i + 4, 2)?,
                _ => return None,
            };
            let total = hours * 60 + minutes;
            if *sign == b'+' { total } else { -total }
        }
        _ => return None,
    };
    let days = days_from_civil(year, month, day);
    let secs = days * 86_400 + hour * 3600 + minute * 60 + second - offset_minutes * 60;
    u64::try_from(secs.checked_mul(1000)?.checked_add(millis)?).ok()
}

// Howard Hinnant's algorithms for the proleptic Gregorian calendar.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_the_docs_example() {
        assert_eq!(iso_ms(1_705_314_615_123), "2024-01-15T10:30:15.123Z");
        assert_eq!(iso_ms(0), "1970-01-01T00:00:00.000Z");
    }

    #[test]
    fn parses_epoch_ms_and_iso_forms() {
        assert_eq!(parse_time("1705314615123"), Some(1_705_314_615_123));
        assert_eq!(parse_time("2024-01-15T10:30:15.123Z"), Some(1_705_314_615_123));
        assert_eq!(parse_time("2024-01-15T11:30:15.123+01:00"), Some(1_705_314_615_123));
        assert_eq!(parse_time("2024-01-15T10:30:15.1234567"), Some(1_705_314_615_123));
        assert_eq!(parse_time("2024-01-15T10:30"), Some(1_705_314_600_000));
        assert_eq!(parse_time("2024-01-15"), Some(1_705_276_800_000));
        assert_eq!(
            parse_time("2024-01-15T10:30:15-0130"),
            Some(1_705_314_615_000 + 90 * 60_000)
        );
    }

    #[test]
    fn rejects_garbage_without_panicking() {
        for bad in [
            "",
            "yesterday",
            "2024-13-01",
            "2024-01-15T25:00",
            "2024-01-15T10:30:15.Z",
            "99999999999999999999999",
        ] {
            assert_eq!(parse_time(bad), None, "{bad}");
        }
        assert_eq!(parse_time("2024-01-15X"), None);
        assert_eq!(parse_time("1969-01-01"), None);
    }

    #[test]
    fn round_trips() {
        for ms in [0, 951_782_400_000, 1_705_314_615_123, 4_102_444_800_999] {
            assert_eq!(parse_time(&iso_ms(ms)), Some(ms));
        }
    }
}
