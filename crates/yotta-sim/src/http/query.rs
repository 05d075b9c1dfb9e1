//! Query strings, parsed by hand because the reference form of `statusList` repeats the key
//! (`statusList=A&statusList=B`), which serde_urlencoded-based extractors reject.

use std::str::FromStr;

use crate::http::envelope::ApiError;

#[derive(Debug, Default)]
pub struct Query {
    pairs: Vec<(String, String)>,
}

impl Query {
    pub fn parse(raw: Option<&str>) -> Self {
        let pairs = raw
            .unwrap_or("")
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|pair| {
                let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
                (decode(k), decode(v))
            })
            .collect();
        Self { pairs }
    }

    /// The first non-empty value of `key`; Spring treats `key=` like an absent parameter.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(k, v)| k == key && !v.is_empty())
            .map(|(_, v)| v.as_str())
    }

    /// Every value of `key`, accepting both the repeated form and the comma-separated form.
    pub fn list(&self, key: &str) -> Vec<String> {
        self.pairs
            .iter()
            .filter(|(k, _)| k == key)
            .flat_map(|(_, v)| v.split(','))
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
            .collect()
    }

    /// A typed parameter; a value that does not convert is HTTP 400, as Spring's type conversion is.
    pub fn typed<T: FromStr>(&self, key: &str, type_name: &str) -> Result<Option<T>, ApiError> {
        self.get(key)
            .map(|v| {
                v.trim().parse::<T>().map_err(|_| {
                    ApiError::bad_request(format!(
                        "{key}: failed to convert value '{v}' to required type {type_name}"
                    ))
                })
            })
            .transpose()
    }
}

/// Percent-decoding with `+` as space; malformed escapes are kept literally rather than rejected.
pub fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(byte) => {
                        out.push(byte);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_accept_repeated_and_comma_separated_forms() {
        let q = Query::parse(Some("statusList=RUNNING&statusList=STOPPED,FAILED&x=1"));
        assert_eq!(q.list("statusList"), ["RUNNING", "STOPPED", "FAILED"]);
        let q = Query::parse(Some("statusList=RUNNING%2CSTOPPED"));
        assert_eq!(q.list("statusList"), ["RUNNING", "STOPPED"]);
    }

    #[test]
    fn decodes_and_survives_bad_escapes() {
        assert_eq!(decode("a+b%20c%3A%zz%"), "a b c:%zz%");
        assert_eq!(decode("%E2%9C%93"), "✓");
        assert_eq!(decode("%FF"), "\u{FFFD}");
    }

    #[test]
    fn typed_values_convert_or_fail_with_400() {
        let q = Query::parse(Some("count=3&bad=x&big=99999999999&empty="));
        assert_eq!(q.typed::<i32>("count", "int").ok().flatten(), Some(3));
        assert_eq!(q.typed::<i32>("empty", "int").ok().flatten(), None);
        assert_eq!(q.typed::<i32>("missing", "int").ok().flatten(), None);
        assert_eq!(q.typed::<i32>("bad", "int").unwrap_err().http_status(), 400);
        assert_eq!(q.typed::<i32>("big", "int").unwrap_err().http_status(), 400);
    }
}
