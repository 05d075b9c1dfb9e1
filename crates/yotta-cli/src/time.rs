//! Times and durations on the command line, and times in tables.

use std::time::{Duration, SystemTime, UNIX_EPOCH};
use yotta::LogTime;

/// A humantime duration: `90s`, `10m`, `1h 30m`, `500ms`.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    humantime::parse_duration(text.trim()).map_err(|e| format!("{e} (expected a duration like 30s, 10m or 1h)"))
}

/// A log time bound: epoch milliseconds (`1705314615123`), an ISO 8601 time
/// (`2024-01-15T10:30:00Z`, passed to the API as written), or a duration meaning that long ago
/// (`10m`, `2h`, `1h 30m`, optionally followed by `ago`).
pub fn parse_log_time(text: &str) -> Result<LogTime, String> {
    log_time_at(text, SystemTime::now())
}

fn log_time_at(text: &str, now: SystemTime) -> Result<LogTime, String> {
    let text = text.trim();
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        return text
            .parse::<i64>()
            .map(LogTime::EpochMillis)
            .map_err(|_| format!("{text} is too large for epoch milliseconds"));
    }
    if starts_with_date(text) {
        return Ok(LogTime::Text(text.to_string()));
    }
    let ago = text.strip_suffix("ago").unwrap_or(text).trim_end();
    let duration = humantime::parse_duration(ago).map_err(|_| {
        format!(
            "{text:?} is not a time: expected epoch milliseconds, an ISO 8601 time like \
             2024-01-15T10:30:00Z, or a duration ago like 10m"
        )
    })?;
    let since_epoch = now.duration_since(UNIX_EPOCH).unwrap_or_default();
    let at = since_epoch
        .checked_sub(duration)
        .ok_or_else(|| format!("{text:?} is before 1970"))?;
    i64::try_from(at.as_millis())
        .map(LogTime::EpochMillis)
        .map_err(|_| format!("{text:?} is out of range"))
}

/// `YYYY-MM-DD` at the start.
fn starts_with_date(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() >= 10
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[5..7].iter().all(u8::is_ascii_digit)
        && b[7] == b'-'
        && b[8..10].iter().all(u8::is_ascii_digit)
}

/// Epoch milliseconds as an RFC 3339 UTC time with milliseconds, or the number itself when it
/// is out of range.
pub fn format_epoch_millis(ms: i64) -> String {
    match u64::try_from(ms)
        .ok()
        .and_then(|ms| UNIX_EPOCH.checked_add(Duration::from_millis(ms)))
    {
        Some(at) if ms < 253_402_300_800_000 => humantime::format_rfc3339_millis(at).to_string(),
        _ => ms.to_string(),
    }
}

/// A duration in milliseconds, roughly, for tables (`3h 12m`, `45s`).
pub fn format_uptime(ms: i64) -> String {
    let Ok(ms) = u64::try_from(ms) else {
        return ms.to_string();
    };
    let secs = ms / 1000;
    let (d, h, m, s) = (secs / 86_400, secs / 3600 % 24, secs / 60 % 60, secs % 60);
    match (d, h, m) {
        (0, 0, 0) => format!("{s}s"),
        (0, 0, _) => format!("{m}m {s}s"),
        (0, _, _) => format!("{h}h {m}m"),
        _ => format!("{d}d {h}h"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_times() {
        let now = UNIX_EPOCH + Duration::from_millis(1_705_314_615_123);
        assert_eq!(
            log_time_at("1705314615000", now),
            Ok(LogTime::EpochMillis(1_705_314_615_000))
        );
        assert_eq!(
            log_time_at("2024-01-15T10:30:00Z", now),
            Ok(LogTime::Text("2024-01-15T10:30:00Z".into()))
        );
        assert_eq!(log_time_at("10m", now), Ok(LogTime::EpochMillis(1_705_314_015_123)));
        assert_eq!(
            log_time_at("1h 30m ago", now),
            Ok(LogTime::EpochMillis(1_705_309_215_123))
        );
        for bad in ["", "yesterday", "-5", "99999999999999999999", "100000y"] {
            assert!(log_time_at(bad, now).is_err(), "{bad}");
        }
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("10m"), Ok(Duration::from_secs(600)));
        assert!(parse_duration("soon").unwrap_err().contains("30s"));
    }

    #[test]
    fn formatting() {
        assert_eq!(format_epoch_millis(1_705_314_615_123), "2024-01-15T10:30:15.123Z");
        assert_eq!(format_epoch_millis(-1), "-1");
        assert_eq!(format_epoch_millis(i64::MAX), i64::MAX.to_string());
        assert_eq!(format_uptime(45_000), "45s");
        assert_eq!(format_uptime(3_725_000), "1h 2m");
        assert_eq!(format_uptime(90_061_000), "1d 1h");
        assert_eq!(format_uptime(-3), "-3");
    }
}
