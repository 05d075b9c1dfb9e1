//! Tolerant types for response fields whose JSON type differs between the docs' pages
//! (see `flexible_scalars` in `xtask/src/spec/normalize.rs` for the list and the reasons).
//!
//! Each accepts every documented form and keeps the value exactly: ids are held as their
//! decimal text (they exceed 2^53), amounts keep the text they arrived as, integers are
//! range-checked rather than truncated, statuses keep the code or the name they arrived as. Anything else is a decode error, never a guess.

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use std::fmt;

/// An identifier sent as a JSON integer or as a string, held as its exact text.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FlexibleId(String);

impl FlexibleId {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

impl From<&str> for FlexibleId {
    fn from(text: &str) -> Self {
        Self(text.to_string())
    }
}

impl fmt::Display for FlexibleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for FlexibleId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for FlexibleId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct IdVisitor;
        impl Visitor<'_> for IdVisitor {
            type Value = FlexibleId;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an id as a JSON integer or string")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                Ok(FlexibleId(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                Ok(FlexibleId(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
                // A fractional or exponent form has already lost the id's exact digits.
                Err(E::custom(format_args!("id {v} is not an exact integer")))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(FlexibleId(v.to_string()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(FlexibleId(v))
            }
        }
        deserializer.deserialize_any(IdVisitor)
    }
}

/// A decimal amount (cost, price) sent as a JSON number or a numeric string.
///
/// Keeps the text it arrived as (a string is kept verbatim; a number as the shortest text that
/// round-trips its `f64`), so `"0.000416666666666667"` is not rounded on the way through.
#[derive(Clone, Debug, PartialEq)]
pub struct FlexibleNumber {
    text: String,
    value: f64,
}

impl FlexibleNumber {
    pub fn as_f64(&self) -> f64 {
        self.value
    }

    /// The amount's exact decimal text.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    fn parse(text: &str) -> Result<Self, String> {
        let trimmed = text.trim();
        match trimmed.parse::<f64>() {
            Ok(value) if value.is_finite() && !trimmed.is_empty() && is_decimal(trimmed) => Ok(Self {
                text: trimmed.to_string(),
                value,
            }),
            _ => Err(format!("{text:?} is not a decimal number")),
        }
    }
}

fn is_decimal(text: &str) -> bool {
    // f64::from_str also takes "inf", "NaN" and "+1"; the API's forms are plain decimals.
    text.bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'-' | b'.' | b'e' | b'E' | b'+'))
        && text.bytes().next().is_some_and(|b| b.is_ascii_digit() || b == b'-')
}

impl From<f64> for FlexibleNumber {
    fn from(value: f64) -> Self {
        Self {
            text: value.to_string(),
            value,
        }
    }
}

impl fmt::Display for FlexibleNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl Serialize for FlexibleNumber {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_f64(self.value)
    }
}

impl<'de> Deserialize<'de> for FlexibleNumber {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct NumberVisitor;
        impl Visitor<'_> for NumberVisitor {
            type Value = FlexibleNumber;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number or a numeric string")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                Ok(FlexibleNumber {
                    text: v.to_string(),
                    value: v as f64,
                })
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                Ok(FlexibleNumber {
                    text: v.to_string(),
                    value: v as f64,
                })
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
                Ok(FlexibleNumber::from(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                FlexibleNumber::parse(v).map_err(E::custom)
            }
        }
        deserializer.deserialize_any(NumberVisitor)
    }
}

/// An integer (uptime in ms, a paging offset) sent as a JSON integer or a string of digits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FlexibleInteger(pub i64);

impl FlexibleInteger {
    pub fn get(self) -> i64 {
        self.0
    }
}

impl fmt::Display for FlexibleInteger {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl Serialize for FlexibleInteger {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_i64(self.0)
    }
}

impl<'de> Deserialize<'de> for FlexibleInteger {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct IntegerVisitor;
        impl Visitor<'_> for IntegerVisitor {
            type Value = FlexibleInteger;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an integer or a string of digits")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                i64::try_from(v)
                    .map(FlexibleInteger)
                    .map_err(|_| E::custom(format_args!("integer {v} is out of range")))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                Ok(FlexibleInteger(v))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
                Err(E::custom(format_args!("{v} is not an integer")))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                v.trim()
                    .parse::<i64>()
                    .map(FlexibleInteger)
                    .map_err(|_| E::custom(format_args!("{v:?} is not an integer")))
            }
        }
        deserializer.deserialize_any(IntegerVisitor)
    }
}

/// A status sent as its documented integer code or as its name: the v1 task page's tables give
/// task `status` and `resultSendStatus` as integers (0=PROCESSING, ...) while its examples show
/// names ("PROCESSING"). The code-to-name tables are in [`crate::catalog`]
/// (`OPENAPI_TASK_DETAIL_STATUS_NAMES`, ...).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum FlexibleStatus {
    Code(i32),
    Name(String),
}

impl FlexibleStatus {
    /// The status's name through `names` (code -> name); a name is returned as sent, and a
    /// code the table does not list gives `None`.
    pub fn name<'a>(&'a self, names: &[(i32, &'static str)]) -> Option<&'a str> {
        match self {
            FlexibleStatus::Code(code) => names.iter().find(|(c, _)| c == code).map(|(_, name)| *name),
            FlexibleStatus::Name(name) => Some(name),
        }
    }

    /// The status's code through `names`; a name is matched case-insensitively.
    pub fn code(&self, names: &[(i32, &'static str)]) -> Option<i32> {
        match self {
            FlexibleStatus::Code(code) => Some(*code),
            FlexibleStatus::Name(name) => names
                .iter()
                .find(|(_, n)| n.eq_ignore_ascii_case(name))
                .map(|(code, _)| *code),
        }
    }
}

impl fmt::Display for FlexibleStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FlexibleStatus::Code(code) => code.fmt(f),
            FlexibleStatus::Name(name) => f.write_str(name),
        }
    }
}

impl Serialize for FlexibleStatus {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            FlexibleStatus::Code(code) => serializer.serialize_i32(*code),
            FlexibleStatus::Name(name) => serializer.serialize_str(name),
        }
    }
}

impl<'de> Deserialize<'de> for FlexibleStatus {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct StatusVisitor;
        impl Visitor<'_> for StatusVisitor {
            type Value = FlexibleStatus;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a status code (integer) or name (string)")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                i32::try_from(v)
                    .map(FlexibleStatus::Code)
                    .map_err(|_| E::custom(format_args!("status code {v} is out of range")))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                i32::try_from(v)
                    .map(FlexibleStatus::Code)
                    .map_err(|_| E::custom(format_args!("status code {v} is out of range")))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
                Err(E::custom(format_args!("status code {v} is not an integer")))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(FlexibleStatus::Name(v.to_string()))
            }
        }
        deserializer.deserialize_any(StatusVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse<T: for<'de> Deserialize<'de>>(json: &str) -> Result<T, serde_json::Error> {
        serde_json::from_str(json)
    }

    #[test]
    fn ids_above_2_pow_53_are_exact_in_both_forms() {
        assert_eq!(
            parse::<FlexibleId>("378888638324150969").unwrap().as_str(),
            "378888638324150969"
        );
        assert_eq!(
            parse::<FlexibleId>("\"378888638324150969\"").unwrap().as_str(),
            "378888638324150969"
        );
        assert_eq!(
            parse::<FlexibleId>("18446744073709551615").unwrap().as_str(),
            "18446744073709551615"
        );
        assert!(parse::<FlexibleId>("3.78888638324151e17").is_err());
        assert!(parse::<FlexibleId>("true").is_err());
    }

    #[test]
    fn amounts_keep_their_text() {
        let n = parse::<FlexibleNumber>("\"0.000416666666666667\"").unwrap();
        assert_eq!(n.as_str(), "0.000416666666666667");
        assert!((n.as_f64() - 0.000416666666666667).abs() < 1e-18);
        assert_eq!(parse::<FlexibleNumber>("1.5").unwrap().as_str(), "1.5");
        assert_eq!(parse::<FlexibleNumber>("12").unwrap().as_f64(), 12.0);
        for bad in ["\"abc\"", "\"\"", "\"NaN\"", "\"inf\"", "null", "[]"] {
            assert!(parse::<FlexibleNumber>(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn statuses_read_codes_and_names() {
        const NAMES: [(i32, &str); 2] = [(0, "PROCESSING"), (1, "DELIVERED")];
        let code = parse::<FlexibleStatus>("1").unwrap();
        assert_eq!((code.name(&NAMES), code.code(&NAMES)), (Some("DELIVERED"), Some(1)));
        let name = parse::<FlexibleStatus>("\"processing\"").unwrap();
        assert_eq!((name.name(&NAMES), name.code(&NAMES)), (Some("processing"), Some(0)));
        assert_eq!(parse::<FlexibleStatus>("7").unwrap().name(&NAMES), None);
        for bad in ["1.5", "4294967296", "-4294967296", "null", "{}"] {
            assert!(parse::<FlexibleStatus>(bad).is_err(), "{bad}");
        }
        assert_eq!(serde_json::to_string(&code).unwrap(), "1");
    }

    #[test]
    fn integers_are_range_checked_not_truncated() {
        assert_eq!(parse::<FlexibleInteger>("\"12400\"").unwrap().get(), 12400);
        assert_eq!(parse::<FlexibleInteger>("86400000").unwrap().get(), 86_400_000);
        assert!(parse::<FlexibleInteger>("18446744073709551615").is_err());
        assert!(parse::<FlexibleInteger>("1.5").is_err());
        assert!(parse::<FlexibleInteger>("\"12a\"").is_err());
    }
}
