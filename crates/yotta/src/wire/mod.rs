//! Translation between the facade's vocabulary and each version's generated wire types.
//!
//! Requests: one function per (operation, version) building the generated request body, with
//! each version's field names and types (`environmentVars` vs `envVars`, `webhookUrl` vs
//! `webhook`, credential id as text vs integer). Input is validated before it gets here; the
//! conversions still return field-named errors instead of assuming.
//! Responses: generated types into the facade's, requiring what identifies a thing (an
//! endpoint's id, name and status) and keeping everything else optional.

pub mod credential;
pub mod endpoint;
pub mod log;
pub mod task;
pub mod worker;

use crate::error::{Error, Result};
use std::fmt::Display;
use std::num::NonZeroU32;

/// A generated constrained string type (name, image, ...) from text.
pub(crate) fn text<T>(field: &str, value: &str) -> Result<T>
where
    T: TryFrom<String>,
    T::Error: Display,
{
    T::try_from(value.to_string()).map_err(|e| Error::validation(field, e.to_string()))
}

pub(crate) fn int32(field: &str, value: i64) -> Result<i32> {
    i32::try_from(value).map_err(|_| Error::validation(field, format!("{value} does not fit in a 32-bit integer")))
}

pub(crate) fn positive(field: &str, value: i64) -> Result<NonZeroU32> {
    u32::try_from(value)
        .ok()
        .and_then(NonZeroU32::new)
        .ok_or_else(|| Error::validation(field, format!("must be a positive 32-bit integer (got {value})")))
}

pub(crate) fn optional_int32(field: &str, value: Option<i64>) -> Result<Option<i32>> {
    value.map(|v| int32(field, v)).transpose()
}

/// What a response lacked that the facade needs, reported as a decode error of `call`. (The
/// body is not re-serialised for an excerpt: that would link every response type's serialiser
/// into the browser package for a case the API's own schema rules out.)
pub(crate) fn missing(call: crate::operation::Call, what: &str) -> Error {
    // The status is filled in by the decoding step that knows it (decode::answered).
    Error::decode(call, 200, format!("the response has no {what}"))
}
