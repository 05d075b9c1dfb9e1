//! Naming the field a JSON decoding error is about (`data.resources[0].gpuCount`).
//!
//! serde_json reports where in the text it failed; this walks the text up to that point and
//! returns the path of the value being read there. It replaces `serde_path_to_error`, which
//! wraps every deserializer and, in the browser package, instantiated a second copy of each.

use serde::de::DeserializeOwned;

/// `T` from JSON text, or the error's message prefixed with the path of the field it is about:
/// `resources[0].gpuCount: invalid type: string "1", expected i64`. The path is empty when the
/// error is about the whole value.
pub fn from_slice<T: DeserializeOwned>(text: &[u8]) -> Result<T, PathError> {
    serde_json::from_slice(text).map_err(|error| PathError::new(text, &error))
}

/// A decoding error with the path of the field it is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PathError {
    /// `resources[0].gpuCount`, or empty for the whole value.
    pub path: String,
    /// serde's message, without its line and column.
    pub message: String,
}

impl PathError {
    pub fn new(text: &[u8], error: &serde_json::Error) -> Self {
        let full = error.to_string();
        let message = match full.rsplit_once(" at line ") {
            Some((message, _)) => message.to_string(),
            None => full,
        };
        let path = if error.line() == 0 {
            String::new()
        } else {
            path_at(text, offset(text, error.line(), error.column()))
        };
        Self { path, message }
    }
}

impl std::error::Error for PathError {}

impl std::fmt::Display for PathError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

/// serde_json's (1-based line, byte column within the line) as a byte offset.
fn offset(text: &[u8], line: usize, column: usize) -> usize {
    let mut start = 0;
    for _ in 1..line {
        match text[start..].iter().position(|b| *b == b'\n') {
            Some(newline) => start += newline + 1,
            None => break,
        }
    }
    (start + column).min(text.len())
}

enum Frame {
    Object {
        key: Option<String>,
    },
    /// The index of the element being read, once one has started.
    Array {
        index: Option<usize>,
    },
}

/// The path of the value being read at byte `offset` of `text`: the innermost value that
/// contains `offset` or ends right before it.
fn path_at(text: &[u8], offset: usize) -> String {
    let mut stack: Vec<Frame> = Vec::new();
    let mut i = 0;
    let end = offset.min(text.len());
    // A value starts: in an array, it is the next element.
    fn value_starts(stack: &mut [Frame]) {
        if let Some(Frame::Array { index }) = stack.last_mut() {
            *index = Some(index.map_or(0, |i| i + 1));
        }
    }
    while i < end {
        match text[i] {
            b'{' => {
                value_starts(&mut stack);
                stack.push(Frame::Object { key: None });
            }
            b'[' => {
                value_starts(&mut stack);
                stack.push(Frame::Array { index: None });
            }
            b'}' | b']' => {
                stack.pop();
            }
            b',' => {
                if let Some(Frame::Object { key }) = stack.last_mut() {
                    *key = None;
                }
            }
            b'"' => {
                let (text_of_string, next) = string_at(text, i);
                match stack.last_mut() {
                    Some(Frame::Object { key }) if key.is_none() => *key = Some(text_of_string),
                    _ => value_starts(&mut stack),
                }
                i = next;
                continue;
            }
            b if b.is_ascii_whitespace() || b == b':' => {}
            _ => {
                // A number or literal: one value, up to the next delimiter.
                value_starts(&mut stack);
                while i < end && !matches!(text[i], b',' | b'}' | b']' | b' ' | b'\n' | b'\r' | b'\t') {
                    i += 1;
                }
                continue;
            }
        }
        i += 1;
    }
    let mut path = String::new();
    for frame in &stack {
        match frame {
            Frame::Object { key: Some(key) } => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
            }
            Frame::Array { index: Some(index) } => {
                path.push('[');
                path.push_str(&index.to_string());
                path.push(']');
            }
            _ => {}
        }
    }
    path
}

/// The string starting at `text[start]` (a quote), unescaped as far as keys need, and the index
/// after its closing quote.
fn string_at(text: &[u8], start: usize) -> (String, usize) {
    let mut out = Vec::new();
    let mut i = start + 1;
    while i < text.len() {
        match text[i] {
            b'"' => return (String::from_utf8_lossy(&out).into_owned(), i + 1),
            b'\\' if i + 1 < text.len() => {
                let escaped = text[i + 1];
                out.push(match escaped {
                    b'n' => b'\n',
                    b't' => b'\t',
                    b'r' => b'\r',
                    other => other,
                });
                i += 2;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    (String::from_utf8_lossy(&out).into_owned(), i)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields, rename_all = "camelCase")]
    #[allow(dead_code)]
    struct Resource {
        region: String,
        gpu_count: i64,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Spec {
        name: String,
        workers: i64,
        resources: Vec<Resource>,
    }

    fn error(text: &str) -> PathError {
        from_slice::<Spec>(text.as_bytes()).unwrap_err()
    }

    #[test]
    fn names_the_field_of_each_kind_of_error() {
        let bad_type = error(r#"{"name":"a","workers":"two","resources":[]}"#);
        assert_eq!(bad_type.path, "workers");
        assert_eq!(bad_type.message, r#"invalid type: string "two", expected i64"#);
        let nested = error(
            r#"{"name":"a","workers":1,"resources":[{"region":"r","gpuCount":1},{"region":"r","gpuCount":1.5}]}"#,
        );
        assert_eq!(nested.path, "resources[1].gpuCount");
        let missing = error(r#"{"name":"a","workers":1,"resources":[{"region":"r"}]}"#);
        assert_eq!(
            (missing.path.as_str(), missing.message.as_str()),
            ("resources[0]", "missing field `gpuCount`")
        );
        let missing_top = error(r#"{"name":"a","resources":[]}"#);
        assert_eq!(
            (missing_top.path.as_str(), missing_top.message.as_str()),
            ("", "missing field `workers`")
        );
        let unknown = error(r#"{"name":"a","workers":1,"resources":[{"region":"r","gpuCounts":1}]}"#);
        assert_eq!(unknown.path, "resources[0].gpuCounts");
        assert!(
            unknown.message.starts_with("unknown field `gpuCounts`"),
            "{}",
            unknown.message
        );
        assert_eq!(
            unknown.to_string(),
            format!("resources[0].gpuCounts: {}", unknown.message)
        );
    }

    #[test]
    fn works_on_pretty_printed_text_and_odd_keys() {
        let text = "{\n  \"name\": \"a\",\n  \"workers\": 1,\n  \"resources\": [\n    {\"region\": \"r\", \"gpuCount\": \"x\"}\n  ]\n}";
        assert_eq!(error(text).path, "resources[0].gpuCount");
        assert_eq!(path_at(br#"{"a\"b":[1,{"c":[true,null"#, 26), r#"a"b[1].c[1]"#);
        assert_eq!(path_at(b"[[1,2],[3", 9), "[1][0]");
    }

    #[test]
    fn syntax_errors_name_where_they_stopped() {
        let truncated = error(r#"{"name":"a","workers":1,"resources":[{"region":"r","gpu"#);
        assert!(truncated.message.contains("EOF"), "{}", truncated.message);
        assert_eq!(truncated.path, "resources[0].gpu");
    }
}
