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
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::time::Duration;
use subtle::ConstantTimeEq;

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

/// Checks notifications a webhook receives: that they carry the task's `webhookAuthKey`, and
/// optionally that they are recent.
///
/// What the platform documents: a task's `webhook` URL receives a POST when the task finishes,
/// and `webhookAuthKey` is "the authentication key for callback notifications". What it does
/// not document: how the key is presented, whether anything signs the body, or whether a
/// delivery can be replayed. The verifier accepts the key as the whole `Authorization` header
/// or as `Bearer <key>` (what the SDK's simulator sends), compares it in constant time, and can
/// refuse notifications whose `timestamp` is further than a given age from now (the platform's
/// retries resend the same timestamp, so allow for its retry schedule).
///
/// ```
/// use yotta::webhook::Verifier;
/// let verifier = Verifier::new("s3cret")?.max_age(std::time::Duration::from_secs(3600));
/// let body = br#"{"task_id": 77, "user_task_id": "t_1", "endpoint_id": "378888638324150969",
///   "status": "Success", "success": true, "timestamp": "2024-01-15T10:31:00Z", "retry_count": 1}"#;
/// assert!(verifier.verify(Some("Bearer wrong"), body).is_err());
/// # Ok::<(), yotta::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct Verifier {
    key: SecretString,
    max_age: Option<Duration>,
}

impl Verifier {
    /// A verifier expecting `expected_key` (the `webhookAuthKey` the task was submitted with).
    /// An empty key is refused: it would accept every caller.
    pub fn new(expected_key: impl Into<String>) -> Result<Self> {
        let key = expected_key.into();
        if key.trim().is_empty() {
            return Err(Error::Configuration {
                setting: "webhookAuthKey".into(),
                message: "is empty: a verifier without a key would accept any caller".into(),
            });
        }
        Ok(Self {
            key: SecretString::from(key),
            max_age: None,
        })
    }

    /// Refuse notifications whose `timestamp` is more than `age` away from now.
    pub fn max_age(mut self, age: Duration) -> Self {
        self.max_age = Some(age);
        self
    }

    /// Checks `authorization` (the request's `Authorization` header) and parses `body`. Errors
    /// are [`Error::Validation`] naming `authorization`, `timestamp` or the body's bad field.
    pub fn verify(&self, authorization: Option<&str>, body: &[u8]) -> Result<TaskNotification> {
        self.verify_at(authorization, body, crate::runtime::now_epoch_millis())
    }

    pub(crate) fn verify_at(&self, authorization: Option<&str>, body: &[u8], now_ms: i64) -> Result<TaskNotification> {
        let presented = authorization.unwrap_or_default().trim();
        let presented = presented.strip_prefix("Bearer ").unwrap_or(presented).trim();
        let expected = self.key.expose_secret().as_bytes();
        if !bool::from(presented.as_bytes().ct_eq(expected)) {
            return invalid("authorization", "does not carry the task's webhook key");
        }
        let note = TaskNotification::parse(body)?;
        if let Some(max_age) = self.max_age {
            let sent = epoch_millis(&note.timestamp)
                .ok_or_else(|| Error::validation("timestamp", "is not a time (epoch milliseconds or RFC 3339)"))?;
            let age = Duration::from_millis(now_ms.abs_diff(sent));
            if age > max_age {
                return invalid(
                    "timestamp",
                    format!(
                        "is {} s from now, more than the allowed {} s",
                        age.as_secs(),
                        max_age.as_secs()
                    ),
                );
            }
        }
        Ok(note)
    }
}

/// A notification's `timestamp` as epoch milliseconds: digits (milliseconds) or RFC 3339.
fn epoch_millis(timestamp: &str) -> Option<i64> {
    let timestamp = timestamp.trim();
    if !timestamp.is_empty() && timestamp.bytes().all(|b| b.is_ascii_digit()) {
        return timestamp.parse().ok();
    }
    let at = humantime::parse_rfc3339_weak(timestamp).ok()?;
    i64::try_from(at.duration_since(std::time::UNIX_EPOCH).ok()?.as_millis()).ok()
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
    fn the_verifier_checks_the_key_and_the_age() {
        let body = serde_json::to_vec(&good()).unwrap();
        // good() was sent at 1705306260000.
        let sent = 1_705_306_260_000;
        let verifier = Verifier::new("s3cret").unwrap();
        assert!(verifier.verify_at(Some("Bearer s3cret"), &body, sent).is_ok());
        assert!(verifier.verify_at(Some("s3cret"), &body, sent).is_ok());
        for wrong in [Some("Bearer s3cre"), Some("s3cret2"), Some(""), None] {
            let error = verifier.verify_at(wrong, &body, sent).unwrap_err();
            assert_eq!(error.field(), Some("authorization"), "{wrong:?}");
        }
        let recent = verifier.clone().max_age(Duration::from_secs(60));
        assert!(recent.verify_at(Some("s3cret"), &body, sent + 59_000).is_ok());
        let error = recent.verify_at(Some("s3cret"), &body, sent + 61_000).unwrap_err();
        assert_eq!(error.field(), Some("timestamp"));
        assert!(error.to_string().contains("61 s"), "{error}");
        let mut iso = good();
        iso["timestamp"] = json!("2024-01-15T08:11:00Z");
        let iso = serde_json::to_vec(&iso).unwrap();
        assert!(recent.verify_at(Some("s3cret"), &iso, sent).is_ok());
        assert_eq!(Verifier::new(" ").unwrap_err().kind(), crate::ErrorKind::Configuration);
        assert!(!format!("{verifier:?}").contains("s3cret"));
    }
}
