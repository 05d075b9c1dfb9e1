//! Endpoints: list, get, create, update, start, stop, delete, scale, and wait for a status.

use crate::client::Client;
use crate::decode;
use crate::error::Result;
use crate::ids::{EndpointId, as_int64};
use crate::model::{Endpoint, EndpointPatch, EndpointSpec, EndpointStatus, EndpointUpdate};
use crate::operation::{ApiVersion, Operation};
use crate::wait::{WaitOptions, poll_until};
use crate::{validate, wire};
use yotta_api::operations as op;

/// Endpoint operations of a [`Client`] (`client.endpoints()`).
#[derive(Clone, Copy, Debug)]
pub struct Endpoints<'a> {
    pub(crate) client: &'a Client,
}

impl Endpoints<'_> {
    /// All endpoints, or those in one of `statuses` (none given: all).
    pub async fn list(&self, statuses: &[EndpointStatus]) -> Result<Vec<Endpoint>> {
        let status_list = (!statuses.is_empty()).then(|| statuses.iter().map(|s| s.as_str().to_string()).collect());
        let call = self.client.call_for(Operation::ListEndpoints);
        let body = match call.version {
            ApiVersion::V1 => self.client.send(call, &op::V1ListEndpoints { status_list }).await?,
            ApiVersion::V2 => self.client.send(call, &op::V2ListEndpoints { status_list }).await?,
        };
        decode::endpoints(call, &body)
    }

    pub async fn get(&self, id: impl Into<EndpointId>) -> Result<Endpoint> {
        let id = as_int64("id", id.into().as_str())?;
        let call = self.client.call_for(Operation::GetEndpoint);
        let body = match call.version {
            ApiVersion::V1 => self.client.send(call, &op::V1GetEndpoint { id }).await?,
            ApiVersion::V2 => self.client.send(call, &op::V2GetEndpoint { id }).await?,
        };
        decode::endpoint(call, &body)
    }

    /// Creates an endpoint (validated first). Never retried unless the request certainly did
    /// not reach the API, so it cannot create two endpoints.
    pub async fn create(&self, spec: &EndpointSpec) -> Result<Endpoint> {
        let call = self.client.call_for(Operation::CreateEndpoint);
        validate::endpoint_spec(spec, call.version)?;
        let body = match call.version {
            ApiVersion::V1 => {
                let body = wire::endpoint::v1_create(spec)?;
                self.client.send(call, &op::V1CreateEndpoint { body }).await?
            }
            ApiVersion::V2 => {
                let body = wire::endpoint::v2_create(spec)?;
                self.client.send(call, &op::V2CreateEndpoint { body }).await?
            }
        };
        decode::endpoint(call, &body)
    }

    /// Replaces an endpoint's configuration (v1: only while STOPPED, else code 24002).
    pub async fn update(&self, id: impl Into<EndpointId>, update: &EndpointUpdate) -> Result<Endpoint> {
        let id = as_int64("id", id.into().as_str())?;
        let call = self.client.call_for(Operation::UpdateEndpoint);
        validate::endpoint_update(update, call.version)?;
        let body = match call.version {
            ApiVersion::V1 => {
                let body = wire::endpoint::v1_update(update)?;
                self.client.send(call, &op::V1UpdateEndpoint { id, body }).await?
            }
            ApiVersion::V2 => {
                let body = wire::endpoint::v2_update(update)?;
                self.client.send(call, &op::V2UpdateEndpoint { id, body }).await?
            }
        };
        decode::endpoint(call, &body)
    }

    /// Changes some of an endpoint's configuration: reads it, applies `patch` and sends the
    /// whole configuration, as both versions' update operations require (v1: only while the
    /// endpoint is STOPPED). Returns the updated endpoint.
    ///
    /// The API reports an endpoint's live workers, not its configured count: when the patch
    /// leaves `workers` unset and the endpoint reports none running, the count to keep is
    /// unknown and the patch is refused (field `workers`) rather than sent with a guess.
    pub async fn patch(&self, id: impl Into<EndpointId>, patch: &EndpointPatch) -> Result<Endpoint> {
        let id = id.into();
        let current = self.get(&id).await?;
        if patch.workers.is_none() && current.total_workers.unwrap_or(0) <= 0 {
            return Err(crate::Error::validation(
                "workers",
                "the endpoint reports no live workers, so its configured count is unknown: give workers",
            ));
        }
        let merged = patch.apply_to(&EndpointUpdate::from(&current));
        self.update(id, &merged).await
    }

    /// Starts (or resumes) a stopped endpoint.
    pub async fn start(&self, id: impl Into<EndpointId>) -> Result<()> {
        let id = as_int64("id", id.into().as_str())?;
        let call = self.client.call_for(Operation::StartEndpoint);
        let body = match call.version {
            ApiVersion::V1 => self.client.send(call, &op::V1StartEndpoint { id }).await?,
            ApiVersion::V2 => self.client.send(call, &op::V2StartEndpoint { id }).await?,
        };
        decode::nothing(call, &body)
    }

    pub async fn stop(&self, id: impl Into<EndpointId>) -> Result<()> {
        let id = as_int64("id", id.into().as_str())?;
        let call = self.client.call_for(Operation::StopEndpoint);
        let body = match call.version {
            ApiVersion::V1 => self.client.send(call, &op::V1StopEndpoint { id }).await?,
            ApiVersion::V2 => self.client.send(call, &op::V2StopEndpoint { id }).await?,
        };
        decode::nothing(call, &body)
    }

    /// Deletes a stopped endpoint (a running one is refused with code 24002: stop it first).
    pub async fn delete(&self, id: impl Into<EndpointId>) -> Result<()> {
        let id = as_int64("id", id.into().as_str())?;
        let call = self.client.call_for(Operation::DeleteEndpoint);
        let body = match call.version {
            ApiVersion::V1 => self.client.send(call, &op::V1DeleteEndpoint { id }).await?,
            ApiVersion::V2 => self.client.send(call, &op::V2DeleteEndpoint { id }).await?,
        };
        decode::nothing(call, &body)
    }

    /// Sets the number of workers (v1: POST body `{"workers": n}`; v2: PUT `?count=n`).
    pub async fn scale(&self, id: impl Into<EndpointId>, workers: i64) -> Result<()> {
        let id = as_int64("id", id.into().as_str())?;
        validate::worker_count(workers)?;
        let workers = wire::int32("workers", workers)?;
        let call = self.client.call_for(Operation::ScaleWorkers);
        let body = match call.version {
            ApiVersion::V1 => {
                let body = yotta_api::types::OpenapiElasticWorkerScaleRequest { workers };
                self.client.send(call, &op::V1ScaleWorkers { id, body }).await?
            }
            ApiVersion::V2 => {
                self.client
                    .send(call, &op::V2ScaleWorkers { id, count: workers })
                    .await?
            }
        };
        decode::nothing(call, &body)
    }

    /// Polls until the endpoint reaches `status`, returning it. Stops early with
    /// [`crate::Error::EndpointFailed`] when it enters FAILED instead, and with
    /// [`crate::Error::WaitTimeout`] (carrying the last status seen) at the deadline.
    pub async fn wait_for_status(
        &self,
        id: impl Into<EndpointId>,
        status: EndpointStatus,
        options: WaitOptions,
    ) -> Result<Endpoint> {
        self.wait_for_status_with(id, status, options, |_| {}).await
    }

    /// [`Self::wait_for_status`], calling `progress` with every state observed.
    pub async fn wait_for_status_with(
        &self,
        id: impl Into<EndpointId>,
        status: EndpointStatus,
        options: WaitOptions,
        mut progress: impl FnMut(&Endpoint),
    ) -> Result<Endpoint> {
        let id = id.into();
        let target = format!("endpoint {id} to be {status}");
        poll_until(
            &options,
            &target,
            || self.get(&id),
            |endpoint| {
                progress(endpoint);
                if endpoint.status == status {
                    return crate::wait::Verdict::Done;
                }
                if endpoint.status == EndpointStatus::Failed {
                    return crate::wait::Verdict::Fail(crate::Error::EndpointFailed {
                        endpoint_id: id.to_string(),
                        wanted: status.to_string(),
                    });
                }
                crate::wait::Verdict::Continue(endpoint.status.to_string())
            },
        )
        .await
    }
}
