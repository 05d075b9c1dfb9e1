//! Endpoints: list, get, create, update, start, stop, delete, scale, and wait for a status.

use crate::client::Client;
use crate::error::Result;
use crate::ids::{EndpointId, as_int64};
use crate::model::{Endpoint, EndpointSpec, EndpointStatus, EndpointUpdate};
use crate::operation::{ApiVersion, Operation};
use crate::wait::{WaitOptions, poll_until};
use crate::{validate, wire};
use yotta_api::prelude::*;

/// An action on one endpoint with no result, whose builders have the same shape in both
/// versions (only their names differ).
macro_rules! endpoint_action {
    ($self:ident, $id:expr, $operation:expr, $v1:ident, $v2:ident) => {{
        let id = as_int64("id", $id.as_str())?;
        match $self.client.call_for($operation).version {
            ApiVersion::V1 => $self.client.execute($operation, |api| api.$v1().id(id).send()).await,
            ApiVersion::V2 => $self.client.execute($operation, |api| api.$v2().id(id).send()).await,
        }
        .map(drop)
    }};
}

/// Endpoint operations of a [`Client`] (`client.endpoints()`).
#[derive(Clone, Copy, Debug)]
pub struct Endpoints<'a> {
    pub(crate) client: &'a Client,
}

fn status_list(statuses: &[EndpointStatus]) -> Vec<String> {
    statuses.iter().map(|s| s.as_str().to_string()).collect()
}

impl Endpoints<'_> {
    /// All endpoints, or those in one of `statuses` (none given: all).
    pub async fn list(&self, statuses: &[EndpointStatus]) -> Result<Vec<Endpoint>> {
        let filter = status_list(statuses);
        let call = self.client.call_for(Operation::ListEndpoints);
        match call.version {
            ApiVersion::V1 => {
                let data = self
                    .client
                    .execute(Operation::ListEndpoints, |api| {
                        let request = api.v1_endpoint_list();
                        if filter.is_empty() {
                            request
                        } else {
                            request.status_list(filter.clone())
                        }
                        .send()
                    })
                    .await?;
                data.unwrap_or_default()
                    .into_iter()
                    .map(|e| wire::endpoint::from_v1(call, e))
                    .collect()
            }
            ApiVersion::V2 => {
                let data = self
                    .client
                    .execute(Operation::ListEndpoints, |api| {
                        let request = api.v2_list_endpoints();
                        if filter.is_empty() {
                            request
                        } else {
                            request.status_list(filter.clone())
                        }
                        .send()
                    })
                    .await?;
                data.unwrap_or_default()
                    .into_iter()
                    .map(|e| wire::endpoint::from_v2(call, e))
                    .collect()
            }
        }
    }

    pub async fn get(&self, id: impl Into<EndpointId>) -> Result<Endpoint> {
        let id = as_int64("id", id.into().as_str())?;
        let call = self.client.call_for(Operation::GetEndpoint);
        match call.version {
            ApiVersion::V1 => {
                let data = self
                    .client
                    .execute_data(Operation::GetEndpoint, |api| api.v1_endpoint_detail().id(id).send())
                    .await?;
                wire::endpoint::from_v1(call, data)
            }
            ApiVersion::V2 => {
                let data = self
                    .client
                    .execute_data(Operation::GetEndpoint, |api| api.v2_get_endpoint().id(id).send())
                    .await?;
                wire::endpoint::from_v2(call, data)
            }
        }
    }

    /// Creates an endpoint (validated first). Never retried unless the request certainly did
    /// not reach the API, so it cannot create two endpoints.
    pub async fn create(&self, spec: &EndpointSpec) -> Result<Endpoint> {
        let call = self.client.call_for(Operation::CreateEndpoint);
        validate::endpoint_spec(spec, call.version)?;
        match call.version {
            ApiVersion::V1 => {
                let body = wire::endpoint::v1_create(spec)?;
                let data = self
                    .client
                    .execute_data(Operation::CreateEndpoint, |api| {
                        api.v1_endpoint_create().body(body.clone()).send()
                    })
                    .await?;
                wire::endpoint::from_v1(call, data)
            }
            ApiVersion::V2 => {
                let body = wire::endpoint::v2_create(spec)?;
                let data = self
                    .client
                    .execute_data(Operation::CreateEndpoint, |api| {
                        api.v2_create_endpoint().body(body.clone()).send()
                    })
                    .await?;
                wire::endpoint::from_v2(call, data)
            }
        }
    }

    /// Replaces an endpoint's configuration (v1: only while STOPPED, else code 24002).
    pub async fn update(&self, id: impl Into<EndpointId>, update: &EndpointUpdate) -> Result<Endpoint> {
        let id = as_int64("id", id.into().as_str())?;
        let call = self.client.call_for(Operation::UpdateEndpoint);
        validate::endpoint_update(update, call.version)?;
        match call.version {
            ApiVersion::V1 => {
                let body = wire::endpoint::v1_update(update)?;
                let data = self
                    .client
                    .execute_data(Operation::UpdateEndpoint, |api| {
                        api.v1_endpoint_update().id(id).body(body.clone()).send()
                    })
                    .await?;
                wire::endpoint::from_v1(call, data)
            }
            ApiVersion::V2 => {
                let body = wire::endpoint::v2_update(update)?;
                let data = self
                    .client
                    .execute_data(Operation::UpdateEndpoint, |api| {
                        api.v2_update_endpoint().id(id).body(body.clone()).send()
                    })
                    .await?;
                wire::endpoint::from_v2(call, data)
            }
        }
    }

    /// Starts (or resumes) a stopped endpoint.
    pub async fn start(&self, id: impl Into<EndpointId>) -> Result<()> {
        endpoint_action!(
            self,
            id.into(),
            Operation::StartEndpoint,
            v1_endpoint_start,
            v2_start_endpoint
        )
    }

    pub async fn stop(&self, id: impl Into<EndpointId>) -> Result<()> {
        endpoint_action!(
            self,
            id.into(),
            Operation::StopEndpoint,
            v1_endpoint_stop,
            v2_stop_endpoint
        )
    }

    /// Deletes a stopped endpoint (a running one is refused with code 24002: stop it first).
    pub async fn delete(&self, id: impl Into<EndpointId>) -> Result<()> {
        endpoint_action!(
            self,
            id.into(),
            Operation::DeleteEndpoint,
            v1_endpoint_delete,
            v2_delete_endpoint
        )
    }

    /// Sets the number of workers (v1: POST body `{"workers": n}`; v2: PUT `?count=n`).
    pub async fn scale(&self, id: impl Into<EndpointId>, workers: i64) -> Result<()> {
        let id = as_int64("id", id.into().as_str())?;
        validate::worker_count(workers)?;
        let workers = wire::int32("workers", workers)?;
        match self.client.call_for(Operation::ScaleWorkers).version {
            ApiVersion::V1 => {
                let body = yotta_api::types::OpenapiElasticWorkerScaleRequest { workers };
                self.client
                    .execute(Operation::ScaleWorkers, |api| {
                        api.v1_endpoint_scale().id(id).body(body.clone()).send()
                    })
                    .await
            }
            ApiVersion::V2 => {
                self.client
                    .execute(Operation::ScaleWorkers, |api| {
                        api.v2_scale_workers().id(id).count(workers).send()
                    })
                    .await
            }
        }
        .map(drop)
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
