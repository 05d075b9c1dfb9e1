//! Workers of an endpoint.

use crate::client::Client;
use crate::error::Result;
use crate::ids::{EndpointId, as_int64};
use crate::model::{Worker, WorkerStatus};
use crate::operation::{ApiVersion, Operation};
use crate::wire;
use yotta_api::prelude::*;

/// Worker operations of a [`Client`] (`client.workers()`).
#[derive(Clone, Copy, Debug)]
pub struct Workers<'a> {
    pub(crate) client: &'a Client,
}

impl Workers<'_> {
    /// The endpoint's workers, or those in one of `statuses` (none given: all).
    pub async fn list(&self, endpoint: impl Into<EndpointId>, statuses: &[WorkerStatus]) -> Result<Vec<Worker>> {
        let id = as_int64("id", endpoint.into().as_str())?;
        let filter: Vec<String> = statuses.iter().map(|s| s.as_str().to_string()).collect();
        let call = self.client.call_for(Operation::ListWorkers);
        let data = match call.version {
            ApiVersion::V1 => {
                self.client
                    .execute(Operation::ListWorkers, |api| {
                        let request = api.v1_endpoint_workers().id(id);
                        if filter.is_empty() {
                            request
                        } else {
                            request.status_list(filter.clone())
                        }
                        .send()
                    })
                    .await?
            }
            ApiVersion::V2 => {
                self.client
                    .execute(Operation::ListWorkers, |api| {
                        let request = api.v2_list_workers().id(id);
                        if filter.is_empty() {
                            request
                        } else {
                            request.status_list(filter.clone())
                        }
                        .send()
                    })
                    .await?
            }
        };
        data.unwrap_or_default()
            .into_iter()
            .map(|w| wire::worker::from_wire(call, w))
            .collect()
    }
}
