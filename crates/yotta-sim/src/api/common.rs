//! Path parameters, converted the way Spring converts them (`long` ids; HTTP 400 otherwise).

use axum::extract::Path;
use axum::extract::rejection::PathRejection;

use crate::http::envelope::ApiError;

pub type OnePath = Result<Path<String>, PathRejection>;
pub type TwoPaths = Result<Path<(String, String)>, PathRejection>;

fn rejection(e: PathRejection) -> ApiError {
    ApiError::bad_request(e.body_text())
}

/// A path value bound to a Java `long`. Negative ids are valid longs that match nothing.
pub fn long(raw: &str, name: &str) -> Result<u64, ApiError> {
    raw.trim()
        .parse::<i64>()
        .map(|n| u64::try_from(n).unwrap_or(0))
        .map_err(|_| ApiError::bad_request(format!("{name}: failed to convert value '{raw}' to required type long")))
}

pub fn id(path: OnePath) -> Result<u64, ApiError> {
    let Path(raw) = path.map_err(rejection)?;
    long(&raw, "id")
}

pub fn id_and(path: TwoPaths) -> Result<(u64, String), ApiError> {
    let Path((raw, second)) = path.map_err(rejection)?;
    Ok((long(&raw, "id")?, second))
}
