//! Request hooks for the generated client (progenitor's `ClientHooks`, implemented for
//! `Client` itself so it takes precedence over the generated default for `&Client`).

use crate::Client;
use progenitor_client::{ClientHooks, Error, OperationInfo};

/// The header progenitor adds to every request with the spec's `info.version`. The API ignores
/// it, and as a non-safelisted header it makes browsers send a CORS preflight before every call.
const PROGENITOR_VERSION_HEADER: &str = "api-version";

impl ClientHooks for Client {
    async fn pre<E>(&self, request: &mut reqwest::Request, _info: &OperationInfo) -> Result<(), Error<E>> {
        request.headers_mut().remove(PROGENITOR_VERSION_HEADER);
        Ok(())
    }
}
