//! The notification the platform POSTs to a task's webhook when the task finishes.
//!
//! The shape is the platform's `NotifyRequestBody` (as its own Python connector defines it):
//! `task_id` (the platform's integer id), `user_task_id` (the task id you submitted),
//! `endpoint_id`, `status` (`"Success"` or `"Failed"`), `success`, `timestamp`, `retry_count`
//! (1 for the first delivery), and optionally `result` and `failed_reason`.
//!
//! ```
//! let body = br#"{"task_id": 77, "user_task_id": "my_task_001", "endpoint_id": "378888638324150969",
//!   "status": "Success", "success": true, "timestamp": "2024-01-15T10:31:00Z", "retry_count": 1,
//!   "result": {"response": "Hi there!"}}"#;
//! let note = yotta::webhook::TaskNotification::parse(body)?;
//! assert_eq!(note.task_id.as_str(), "my_task_001");
//! assert_eq!(note.endpoint_id.as_str(), "378888638324150969");
//! # Ok::<(), yotta::Error>(())
//! ```

use crate::error::{Error, Result};
use crate::ids::{EndpointId, TaskId};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A checked task notification, in the SDK's vocabulary (camelCase when serialised).
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct TaskNotification {
    /// The task id you submitted (the body's `user_task_id`).
    pub task_id: TaskId,
    /// The platform's own numeric id of the task (the body's `task_id`), as exact text.
    pub platform_task_id: String,
    pub endpoint_id: EndpointId,
    /// True for `"Success"`, false for `"Failed"` (the body's `status` and `success` agree).
    pub success: bool,
    pub timestamp: String,
    /// Which delivery attempt this is (1 for the first).
    pub retry_count: i64,
    /// The task's output.
    pub result: Option<Value>,
    pub failed_reason: Option<String>,
}

fn invalid<T>(field: &str, rule: impl Into<String>) -> Result<T> {
    Err(Error::validation(field, rule))
}

fn integer_text(body: &Map<String, Value>, field: &str) -> Result<String> {
    match body.get(field) {
        Some(Value::Number(n)) if n.is_u64() || n.is_i64() => Ok(n.to_string()),
        Some(Value::String(s)) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => Ok(s.clone()),
        Some(_) => invalid(field, "must be an integer"),
        None => invalid(field, "is required"),
    }
}

fn text<'a>(body: &'a Map<String, Value>, field: &str) -> Result<&'a str> {
    match body.get(field) {
        Some(Value::String(s)) if !s.is_empty() => Ok(s),
        Some(Value::String(_)) => invalid(field, "must not be empty"),
        Some(_) => invalid(field, "must be a string"),
        None => invalid(field, "is required"),
    }
}

impl TaskNotification {
    /// Parses and checks a notification body. Errors are [`Error::Validation`] naming the field.
    pub fn parse(body: &[u8]) -> Result<Self> {
        let value: Value =
            serde_json::from_slice(body).map_err(|e| Error::validation("body", format!("is not JSON: {e}")))?;
        Self::from_value(&value)
    }

    pub fn from_value(value: &Value) -> Result<Self> {
        let Some(body) = value.as_object() else {
            return invalid("body", "must be a JSON object");
        };
        let platform_task_id = integer_text(body, "task_id")?;
        let user_task_id = text(body, "user_task_id")?;
        if user_task_id.chars().count() > 255 {
            return invalid("user_task_id", "must be at most 255 characters");
        }
        if !user_task_id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return invalid("user_task_id", "may contain only letters, digits and '_'");
        }
        let endpoint_id = match body.get("endpoint_id") {
            Some(Value::Number(_)) => integer_text(body, "endpoint_id")?,
            _ => text(body, "endpoint_id")?.to_string(),
        };
        let success_by_status = match text(body, "status")? {
            "Success" => true,
            "Failed" => false,
            other => return invalid("status", format!("must be \"Success\" or \"Failed\" (got {other:?})")),
        };
        let success = match body.get("success") {
            Some(Value::Bool(b)) => *b,
            Some(_) => return invalid("success", "must be true or false"),
            None => return invalid("success", "is required"),
        };
        if success != success_by_status {
            return invalid("success", "contradicts status");
        }
        let timestamp = match body.get("timestamp") {
            Some(Value::Number(n)) => n.to_string(),
            _ => text(body, "timestamp")?.to_string(),
        };
        let retry_count = match body.get("retry_count").and_then(Value::as_i64) {
            Some(count) if count >= 1 => count,
            Some(_) => return invalid("retry_count", "must be at least 1"),
            None => return invalid("retry_count", "must be an integer"),
        };
        let failed_reason = match body.get("failed_reason") {
            None | Some(Value::Null) => None,
            Some(Value::String(reason)) => Some(reason.clone()),
            Some(_) => return invalid("failed_reason", "must be a string"),
        };
        let result = body.get("result").filter(|r| !r.is_null()).cloned();
        Ok(Self {
            task_id: TaskId::from(user_task_id),
            platform_task_id,
            endpoint_id: EndpointId::from(endpoint_id),
            success,
            timestamp,
            retry_count,
            result,
            failed_reason,
        })
    }
}

/// Checks a received credential against the `webhookAuthKey` you submitted, in constant time.
///
/// The docs do not say how the platform presents the key; this accepts the key itself or
/// `Bearer <key>` (what the SDK's simulator sends in `Authorization`).
pub fn auth_key_matches(presented: &str, expected: &str) -> bool {
    let presented = presented.trim();
    let presented = presented.strip_prefix("Bearer ").unwrap_or(presented);
    let (a, b) = (presented.as_bytes(), expected.as_bytes());
    let mut difference = a.len() ^ b.len();
    for i in 0..a.len().max(b.len()) {
        difference |= usize::from(a.get(i).copied().unwrap_or(0) ^ b.get(i).copied().unwrap_or(0));
    }
    difference == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn good() -> Value {
        json!({"task_id": 9007199254740993u64, "user_task_id": "t_1", "endpoint_id": "378888638324150969",
               "status": "Failed", "success": false, "timestamp": "1705306260000", "retry_count": 2,
               "failed_reason": "CUDA out of memory"})
    }

    #[test]
    fn parses_a_failed_notification_exactly() {
        let note = TaskNotification::from_value(&good()).unwrap();
        assert_eq!(note.platform_task_id, "9007199254740993");
        assert!(!note.success);
        assert_eq!(note.failed_reason.as_deref(), Some("CUDA out of memory"));
        assert_eq!(note.retry_count, 2);
    }

    #[test]
    fn each_violation_names_its_field() {
        let cases = [
            ("task_id", json!("x")),
            ("user_task_id", json!("has-dash")),
            ("status", json!("Done")),
            ("success", json!(true)),
            ("retry_count", json!(0)),
            ("failed_reason", json!(5)),
            ("endpoint_id", json!(null)),
        ];
        for (field, value) in cases {
            let mut body = good();
            body[field] = value;
            let error = TaskNotification::from_value(&body).unwrap_err();
            assert_eq!(error.field(), Some(field), "{error}");
        }
        assert_eq!(TaskNotification::parse(b"[1]").unwrap_err().field(), Some("body"));
        assert_eq!(TaskNotification::parse(b"{").unwrap_err().field(), Some("body"));
    }

    #[test]
    fn auth_key_comparison() {
        assert!(auth_key_matches("Bearer s3cret", "s3cret"));
        assert!(auth_key_matches("s3cret", "s3cret"));
        assert!(!auth_key_matches("Bearer s3cre", "s3cret"));
        assert!(!auth_key_matches("", "s3cret"));
    }
}
