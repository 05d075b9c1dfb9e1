//! Method arguments: the package's JavaScript passes each call's data arguments as one JSON array
//! (ids already checked and turned into strings, `BigInt`s written as exact integers, callbacks
//! and the signal taken out); this reads the array into the facade's types.
//!
//! Errors read like the SDK's own validation: the field within the argument
//! (`resources[0].gpuCount`, or the argument's name when the whole argument is wrong) and the
//! rule it breaks (`is required`, `must be a whole number (got string "two")`).

use serde::de::DeserializeOwned;
use yotta::Error;

/// Reads `json` (a JSON array of `names.len()` arguments) as `T`, a tuple of their types.
pub fn read<T: DeserializeOwned>(json: &str, names: &[&str]) -> Result<T, Error> {
    yotta::json_path::from_slice(json.as_bytes()).map_err(|error| {
        // "[1].resources[0].gpuCount" -> argument 1, field "resources[0].gpuCount".
        let (argument, field) = split_argument(&error.path);
        let name = argument.and_then(|i| names.get(i)).copied().unwrap_or("arguments");
        let (field, rule) = explain((!field.is_empty()).then_some(field), &error.message);
        Error::Validation {
            field: field.unwrap_or_else(|| name.to_string()),
            rule,
        }
    })
}

fn split_argument(path: &str) -> (Option<usize>, &str) {
    let Some(rest) = path.strip_prefix('[') else {
        return (None, path);
    };
    let Some((index, field)) = rest.split_once(']') else {
        return (None, path);
    };
    (index.parse().ok(), field.trim_start_matches('.'))
}

/// serde's message about `path` as (field, rule) in the SDK's words.
fn explain(path: Option<&str>, message: &str) -> (Option<String>, String) {
    let join = |name: &str| Some(path.map_or_else(|| name.to_string(), |p| format!("{p}.{name}")));
    let quoted = |text: &str| text.split('`').nth(1).map(str::to_string);
    if let Some(name) = message.strip_prefix("missing field ").and_then(quoted) {
        return (join(&name), "is required".into());
    }
    if let Some(name) = message.strip_prefix("unknown field ").and_then(quoted) {
        let expected = message
            .split_once(", expected ")
            .map(|(_, e)| e.replace('`', ""))
            .unwrap_or_default();
        // The path already ends at the unknown key.
        let field = match path {
            Some(p) if p == name || p.ends_with(&format!(".{name}")) => Some(p.to_string()),
            _ => join(&name),
        };
        return (field, format!("is not a known field (expected {expected})"));
    }
    let field = path.map(str::to_string);
    for prefix in ["invalid type: ", "invalid value: "] {
        if let Some((got, expected)) = message.strip_prefix(prefix).and_then(|m| m.split_once(", expected ")) {
            return (field, format!("must be {} (got {got})", expected_words(expected)));
        }
    }
    (field, message.to_string())
}

fn expected_words(expected: &str) -> String {
    match expected {
        "i64" | "i32" | "u32" | "u64" | "u16" | "usize" => "a whole number".into(),
        "f64" | "f32" => "a number".into(),
        "a string" | "a borrowed string" => "a string".into(),
        "a boolean" => "true or false".into(),
        "a sequence" => "a list".into(),
        other if other.starts_with("struct ") || other.starts_with("a map") => "an object".into(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use yotta::EndpointSpec;

    fn error(json: &str) -> (String, String) {
        match read::<(String, EndpointSpec)>(json, &["id", "spec"]).unwrap_err() {
            Error::Validation { field, rule } => (field, rule),
            other => panic!("{other}"),
        }
    }

    const SPEC: &str = r#""name":"n","image":"i","resources":[{"region":"r","gpuType":"g","gpuCount":1}],"workers":1,"containerVolumeInGb":40,"serviceMode":"QUEUE""#;

    #[test]
    fn errors_name_the_field_within_the_argument() {
        assert!(read::<(String, EndpointSpec)>(&format!(r#"["1",{{{SPEC}}}]"#), &["id", "spec"]).is_ok());
        assert_eq!(
            error(&format!(
                r#"["1",{{{}}}]"#,
                SPEC.replace(r#""workers":1"#, r#""workers":"two""#)
            )),
            ("workers".into(), r#"must be a whole number (got string "two")"#.into())
        );
        assert_eq!(error(r#"["1",{"name":"n"}]"#), ("image".into(), "is required".into()));
        let (field, rule) = error(&format!(
            r#"["1",{{{}}}]"#,
            SPEC.replace(r#""gpuCount":1"#, r#""gpuCounts":1"#)
        ));
        assert_eq!(field, "resources[0].gpuCounts");
        assert_eq!(rule, "is not a known field (expected one of region, gpuType, gpuCount)");
        assert_eq!(
            error(r#"["1",7]"#),
            ("spec".into(), "must be an object (got integer `7`)".into())
        );
    }

    #[test]
    fn serde_messages_read_like_the_sdks_validation() {
        assert_eq!(
            explain(Some("resources[0]"), "missing field `gpuCount`"),
            (Some("resources[0].gpuCount".into()), "is required".into())
        );
        assert_eq!(
            explain(Some("workers"), "invalid type: null, expected i64"),
            (Some("workers".into()), "must be a whole number (got null)".into())
        );
    }
}
