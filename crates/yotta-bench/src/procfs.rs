//! This process's memory, from `/proc/self/status` (Linux).

/// A `kB` field of `/proc/self/status` (`VmRSS`, `VmHWM`), or 0 where there is none.
pub fn status_kib(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    parse_kib(&status, field)
}

fn parse_kib(status: &str, field: &str) -> u64 {
    status
        .lines()
        .find_map(|line| line.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|value| value.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    #[test]
    fn reads_kib_fields() {
        let status = "VmPeak:\t  100 kB\nVmHWM:\t    8 kB\nVmRSS:\t    6 kB\n";
        assert_eq!(super::parse_kib(status, "VmHWM"), 8);
        assert_eq!(super::parse_kib(status, "VmRSS"), 6);
        assert_eq!(super::parse_kib(status, "VmSwap"), 0);
    }
}
