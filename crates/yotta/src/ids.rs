//! Identifiers. All are strings, whatever JSON type the server used: endpoint ids exceed 2^53,
//! so as JSON numbers they would lose digits in JavaScript (378888638324150969 would become
//! 378888638324151000). Deserialising accepts a JSON integer or a string and keeps the digits.

use crate::error::Error;
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use std::fmt;

macro_rules! string_id {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(String);

        impl $name {
            pub fn new(id: impl Into<String>) -> Self {
                Self(id.into())
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }

            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({:?})", stringify!($name), self.0)
            }
        }

        impl From<&str> for $name {
            fn from(id: &str) -> Self {
                Self(id.to_string())
            }
        }

        impl From<String> for $name {
            fn from(id: String) -> Self {
                Self(id)
            }
        }

        impl From<&String> for $name {
            fn from(id: &String) -> Self {
                Self(id.clone())
            }
        }

        impl From<&$name> for $name {
            fn from(id: &$name) -> Self {
                id.clone()
            }
        }

        impl From<u64> for $name {
            fn from(id: u64) -> Self {
                Self(id.to_string())
            }
        }

        impl From<i64> for $name {
            fn from(id: i64) -> Self {
                Self(id.to_string())
            }
        }

        impl $name {
            /// From the generated client's tolerant id (kept out of the public API).
            #[allow(dead_code, reason = "not every id type arrives as a FlexibleId")]
            pub(crate) fn from_wire(id: yotta_api::flexible::FlexibleId) -> Self {
                Self(id.into_string())
            }
        }

        #[cfg(feature = "schema")]
        impl schemars::JsonSchema for $name {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }
            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                schemars::json_schema!({"type": "string", "description": "An id, always as a string (exact beyond 2^53)."})
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(&self.0)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                deserializer.deserialize_any(IdText).map($name)
            }
        }
    };
}

/// Accepts an id as a JSON string or integer, as exact text.
struct IdText;

impl Visitor<'_> for IdText {
    type Value = String;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an id (string or integer)")
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<String, E> {
        // A JS caller that parsed the id as a number has already lost its digits.
        Err(E::custom(format_args!(
            "id {v} is not an exact integer; pass ids as strings"
        )))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<String, E> {
        Ok(v)
    }
}

string_id! {
    /// An endpoint (elastic deployment) id, e.g. `"378888638324150969"`.
    EndpointId
}

string_id! {
    /// A worker id.
    WorkerId
}

string_id! {
    /// A task id: chosen by the caller (letters, digits, `_`, at most 255) or generated.
    TaskId
}

string_id! {
    /// A container registry credential id. v1 sends it as a string, v2 as an integer; either
    /// way it is written here as text (v2 then requires digits).
    CredentialId
}

/// Parses a decimal id for APIs that take it as an int64 (every path `id`, v2 `credentialId`).
pub(crate) fn as_int64(field: &str, id: &str) -> Result<i64, Error> {
    let trimmed = id.trim();
    if trimmed.is_empty() || !trimmed.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::validation(
            field,
            format!("must be a decimal number (got {id:?})"),
        ));
    }
    trimmed
        .parse::<i64>()
        .map_err(|_| Error::validation(field, format!("{id} is larger than a 64-bit id")))
}

impl TaskId {
    /// A fresh random id: a version-4 UUID in its 32-hex-digit form (the dashed form would break
    /// the task id pattern `^[A-Za-z0-9_]*$`).
    pub fn generate() -> Self {
        // From our random bytes (which fall back to the clock where no source exists) rather than
        // `Uuid::new_v4`, which panics then.
        let uuid = uuid::Builder::from_random_bytes(crate::runtime::random_bytes()).into_uuid();
        TaskId(uuid.simple().to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_accept_numbers_and_strings_exactly() {
        let from_number: EndpointId = serde_json::from_str("378888638324150969").unwrap();
        let from_string: EndpointId = serde_json::from_str("\"378888638324150969\"").unwrap();
        assert_eq!(from_number, from_string);
        assert_eq!(from_number.as_str(), "378888638324150969");
        assert_eq!(serde_json::to_string(&from_number).unwrap(), "\"378888638324150969\"");
        assert!(serde_json::from_str::<EndpointId>("3.78888638324151e17").is_err());
        assert!(serde_json::from_str::<EndpointId>("null").is_err());
    }

    #[test]
    fn int64_ids_are_validated() {
        assert_eq!(as_int64("id", "378888638324150969").unwrap(), 378888638324150969);
        let error = as_int64("id", "abc").unwrap_err();
        assert_eq!(error.field(), Some("id"));
        assert!(
            as_int64("credentialId", "99999999999999999999")
                .unwrap_err()
                .to_string()
                .contains("64-bit")
        );
        assert!(as_int64("id", "-5").is_err());
    }

    #[test]
    fn generated_task_ids_match_the_pattern_and_differ() {
        let a = TaskId::generate();
        let b = TaskId::generate();
        assert_ne!(a, b);
        assert_eq!(a.as_str().len(), 32);
        assert!(a.as_str().bytes().all(|c| c.is_ascii_alphanumeric()));
    }
}
