//! Reading request JSON the way a Spring/Jackson server does, and collecting rule violations.
//!
//! Two classes of failure, as on the platform: a body that cannot be bound (not JSON, not an
//! object, a field of the wrong JSON type, an integer out of range) is HTTP 400; a bound value that
//! breaks a documented rule is HTTP 200 with code 10001, listing every violation. Unknown fields
//! are ignored, as Jackson does by default. Unlike Jackson, scalars are not coerced (`"2"` is not
//! an integer): that strictness is what lets the simulator catch a client sending the wrong type.

use axum::http::{HeaderMap, header};
use bytes::Bytes;
use serde_json::{Map, Value};

use crate::http::envelope::ApiError;

/// The request body as a JSON object, or the error Spring would give.
pub fn json_object(headers: &HeaderMap, body: &Bytes) -> Result<Map<String, Value>, ApiError> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let essence = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    if essence != "application/json" && !essence.ends_with("+json") {
        let shown = if content_type.is_empty() {
            "application/octet-stream"
        } else {
            content_type
        };
        return Err(ApiError::unsupported_media_type(format!(
            "Content-Type '{shown}' is not supported"
        )));
    }
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::bad_request("Required request body is missing"));
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(other) => Err(ApiError::bad_request(format!(
            "JSON parse error: expected an object, got {}",
            kind(&other)
        ))),
        Err(e) => Err(ApiError::bad_request(format!("JSON parse error: {e}"))),
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A JSON object being read, with its path for error messages (`resources[1].gpuCount`).
#[derive(Clone, Copy)]
pub struct Obj<'a> {
    map: &'a Map<String, Value>,
    path: &'a str,
}

impl<'a> Obj<'a> {
    pub fn root(map: &'a Map<String, Value>) -> Self {
        Self { map, path: "" }
    }

    pub fn field(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_owned()
        } else {
            format!("{}.{key}", self.path)
        }
    }

    /// A present, non-null value; JSON `null` reads as absent, as Jackson binds it.
    pub fn any(&self, key: &str) -> Option<&'a Value> {
        self.map.get(key).filter(|v| !v.is_null())
    }

    fn wrong(&self, key: &str, expected: &str, got: &Value) -> ApiError {
        ApiError::bad_request(format!(
            "JSON parse error: {}: expected {expected}, got {}",
            self.field(key),
            kind(got)
        ))
    }

    pub fn string(&self, key: &str) -> Result<Option<&'a str>, ApiError> {
        match self.any(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(other) => Err(self.wrong(key, "a string", other)),
        }
    }

    pub fn int64(&self, key: &str) -> Result<Option<i64>, ApiError> {
        match self.any(key) {
            None => Ok(None),
            Some(v @ Value::Number(n)) => n
                .as_i64()
                .map(Some)
                .ok_or_else(|| self.wrong(key, "an integer (int64) in range", v)),
            Some(other) => Err(self.wrong(key, "an integer", other)),
        }
    }

    pub fn int32(&self, key: &str) -> Result<Option<i32>, ApiError> {
        match self.int64(key)? {
            None => Ok(None),
            Some(n) => i32::try_from(n).map(Some).map_err(|_| {
                ApiError::bad_request(format!(
                    "JSON parse error: {}: numeric value {n} out of range of int",
                    self.field(key)
                ))
            }),
        }
    }

    pub fn object(&self, key: &str) -> Result<Option<Map<String, Value>>, ApiError> {
        match self.any(key) {
            None => Ok(None),
            Some(Value::Object(m)) => Ok(Some(m.clone())),
            Some(other) => Err(self.wrong(key, "an object", other)),
        }
    }

    /// Visits each element of an array of objects, with a path such as `resources[2]`.
    pub fn each_object<T>(
        &self,
        key: &str,
        mut f: impl FnMut(Obj<'_>) -> Result<T, ApiError>,
    ) -> Result<Option<Vec<T>>, ApiError> {
        let items = match self.any(key) {
            None => return Ok(None),
            Some(Value::Array(items)) => items,
            Some(other) => return Err(self.wrong(key, "an array", other)),
        };
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            let path = format!("{}[{i}]", self.field(key));
            match item {
                Value::Object(map) => out.push(f(Obj { map, path: &path })?),
                other => {
                    return Err(ApiError::bad_request(format!(
                        "JSON parse error: {path}: expected an object, got {}",
                        kind(other)
                    )));
                }
            }
        }
        Ok(Some(out))
    }

    pub fn with_nested<T>(
        &self,
        key: &str,
        f: impl FnOnce(Obj<'_>) -> Result<T, ApiError>,
    ) -> Result<Option<T>, ApiError> {
        match self.any(key) {
            None => Ok(None),
            Some(Value::Object(map)) => {
                let path = self.field(key);
                f(Obj { map, path: &path }).map(Some)
            }
            Some(other) => Err(self.wrong(key, "an object", other)),
        }
    }
}

/// Every rule a request breaks, reported together as Spring's bean validation does.
#[derive(Debug, Default)]
pub struct Violations(Vec<String>);

impl Violations {
    pub fn add(&mut self, field: &str, rule: impl std::fmt::Display) {
        self.0.push(format!("{field}: {rule}"));
    }

    pub fn check(&mut self, ok: bool, field: &str, rule: impl std::fmt::Display) {
        if !ok {
            self.add(field, rule);
        }
    }

    pub fn require<T>(&mut self, value: Option<T>, field: &str) -> Option<T> {
        if value.is_none() {
            self.add(field, "must not be null");
        }
        value
    }

    pub fn length(&mut self, value: Option<&str>, field: &str, min: usize, max: Option<usize>) {
        let Some(v) = value else { return };
        let len = utf16_len(v);
        let ok = len >= min && max.is_none_or(|m| len <= m);
        match max {
            Some(max) => self.check(ok, field, format_args!("size must be between {min} and {max}")),
            None => self.check(ok, field, format_args!("size must be at least {min}")),
        }
    }

    pub fn range(&mut self, value: Option<i64>, field: &str, min: Option<i64>, max: Option<i64>) {
        let Some(v) = value else { return };
        if let Some(min) = min {
            self.check(v >= min, field, format_args!("must be greater than or equal to {min}"));
        }
        if let Some(max) = max {
            self.check(v <= max, field, format_args!("must be less than or equal to {max}"));
        }
    }

    pub fn into_result(self) -> Result<(), ApiError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(ApiError::param(self.0.join("; ")))
        }
    }
}

/// Java's `String.length()`, which the platform's `@Size` limits count.
pub fn utf16_len(s: &str) -> usize {
    s.encode_utf16().count()
}

/// `^(?=[A-Za-z])[A-Za-z0-9@._-]{1,max}$`, checked by hand (no regex engine needed).
pub fn name_ok(s: &str, max: usize) -> bool {
    s.starts_with(|c: char| c.is_ascii_alphabetic())
        && s.len() <= max
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '@' | '.' | '_' | '-'))
}

/// `^https?://.*` with Java's `matches()`: `.` does not cross line terminators.
pub fn http_url_ok(s: &str) -> bool {
    (s.starts_with("http://") || s.starts_with("https://"))
        && !s.contains(['\n', '\r', '\u{85}', '\u{2028}', '\u{2029}'])
}

/// `^[A-Za-z0-9_]*$`.
pub fn task_id_ok(s: &str) -> bool {
    s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_pattern_with_lookahead() {
        assert!(name_ok("llama-inference", 20));
        assert!(name_ok("a", 20) && name_ok("A1@._-", 20));
        assert!(!name_ok("", 20) && !name_ok("1abc", 20) && !name_ok("_abc", 20));
        assert!(!name_ok("has space", 50) && !name_ok("é", 50));
        assert!(name_ok(&"a".repeat(50), 50) && !name_ok(&"a".repeat(21), 20));
    }

    #[test]
    fn url_and_task_id_patterns() {
        assert!(http_url_ok("http://127.0.0.1:9/x") && http_url_ok("https://"));
        assert!(!http_url_ok("ftp://x") && !http_url_ok("HTTP://x") && !http_url_ok("http://a\nb"));
        assert!(task_id_ok("") && task_id_ok("my_task_001") && !task_id_ok("a-b"));
    }

    #[test]
    fn body_errors_are_400_or_415() {
        let json = |ct: &str| {
            let mut h = HeaderMap::new();
            h.insert(header::CONTENT_TYPE, ct.parse().unwrap());
            h
        };
        let status = |h: &HeaderMap, b: &'static str| json_object(h, &Bytes::from(b)).unwrap_err().http_status();
        assert_eq!(status(&HeaderMap::new(), "{}"), 415);
        assert_eq!(status(&json("text/plain"), "{}"), 415);
        assert_eq!(status(&json("application/json"), " "), 400);
        assert_eq!(status(&json("application/json"), "{\"a\":"), 400);
        assert_eq!(status(&json("application/json"), "[1]"), 400);
        assert!(json_object(&json("application/json; charset=utf-8"), &Bytes::from("{}")).is_ok());
    }

    #[test]
    fn wrong_types_and_ranges_are_400() {
        let map: Map<String, Value> =
            serde_json::from_str(r#"{"s":1,"i":"2","f":2.5,"big":3000000000,"n":null,"ok":7}"#).unwrap();
        let o = Obj::root(&map);
        assert_eq!(o.string("s").unwrap_err().http_status(), 400);
        assert_eq!(o.int32("i").unwrap_err().http_status(), 400);
        assert_eq!(o.int32("f").unwrap_err().http_status(), 400);
        assert_eq!(o.int32("big").unwrap_err().http_status(), 400);
        assert_eq!(o.int64("big").unwrap(), Some(3_000_000_000));
        assert_eq!(o.int32("n").unwrap(), None);
        assert_eq!(o.int32("ok").unwrap(), Some(7));
    }
}
