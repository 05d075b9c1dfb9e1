//! Workers of an endpoint.

use crate::client::Client;
use crate::decode;
use crate::error::Result;
use crate::ids::{EndpointId, as_int64};
use crate::model::{Worker, WorkerStatus};
use crate::operation::{ApiVersion, Operation};
use yotta_api::operations as op;

/// Worker operations of a [`Client`] (`client.workers()`).
#[derive(Clone, Copy, Debug)]
pub struct Workers<'a> {
    pub(crate) client: &'a Client,
}

impl Workers<'_> {
    /// The endpoint's workers, or those in one of `statuses` (none given: all).
    pub async fn list(&self, endpoint: impl Into<EndpointId>, statuses: &[WorkerStatus]) -> Result<Vec<Worker>> {
        let id = as_int64("id", endpoint.into().as_str())?;
        let status_list = (!statuses.is_empty()).then(|| statuses.iter().map(|s| s.as_str().to_string()).collect());
        let call = self.client.call_for(Operation::ListWorkers);
        let body = match call.version {
            ApiVersion::V1 => self.client.send(call, &op::V1ListWorkers { id, status_list }).await?,
            ApiVersion::V2 => self.client.send(call, &op::V2ListWorkers { id, status_list }).await?,
        };
        decode::workers(call, &body)
    }
}
