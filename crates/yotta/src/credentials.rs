//! Container registry credentials: list, get, create, update (v2; a v1 client's updates go to
//! v2), delete. A private image's endpoint refers to one by id (`EndpointSpec::credential`).

use crate::client::Client;
use crate::decode;
use crate::error::Result;
use crate::ids::{CredentialId, as_int64};
use crate::model::{Credential, CredentialSpec, CredentialUpdate};
use crate::operation::{ApiVersion, Operation};
use crate::{validate, wire};
use yotta_api::operations as op;

/// Credential operations of a [`Client`] (`client.credentials()`).
#[derive(Clone, Copy, Debug)]
pub struct Credentials<'a> {
    pub(crate) client: &'a Client,
}

impl Credentials<'_> {
    /// Every credential of the organisation (secrets are never returned).
    pub async fn list(&self) -> Result<Vec<Credential>> {
        let call = self.client.call_for(Operation::ListCredentials);
        let body = match call.version {
            ApiVersion::V1 => self.client.send(call, &op::V1ListCredentials {}).await?,
            ApiVersion::V2 => self.client.send(call, &op::V2ListCredentials {}).await?,
        };
        decode::credentials(call, &body)
    }

    pub async fn get(&self, id: impl Into<CredentialId>) -> Result<Credential> {
        let id = id.into();
        let call = self.client.call_for(Operation::GetCredential);
        let body = match call.version {
            ApiVersion::V1 => {
                let id = validate::credential_id(id.as_str())?.to_string();
                self.client.send(call, &op::V1GetCredential { id }).await?
            }
            ApiVersion::V2 => {
                let id = as_int64("id", id.as_str())?;
                self.client.send(call, &op::V2GetCredential { id }).await?
            }
        };
        decode::credential(call, &body)
    }

    /// Creates a credential (validated first). Never retried unless the request certainly did
    /// not reach the API, so it cannot create two.
    pub async fn create(&self, spec: &CredentialSpec) -> Result<Credential> {
        let call = self.client.call_for(Operation::CreateCredential);
        validate::credential_spec(spec, call.version)?;
        let body = match call.version {
            ApiVersion::V1 => {
                let body = wire::credential::v1_create(spec)?;
                self.client.send(call, &op::V1CreateCredential { body }).await?
            }
            ApiVersion::V2 => {
                let body = wire::credential::v2_create(spec)?;
                self.client.send(call, &op::V2CreateCredential { body }).await?
            }
        };
        decode::credential(call, &body)
    }

    /// Changes a credential's name, username or secret (fields left `None` are kept). v1
    /// documents no update; a v1 client's update is sent to v2, which serves the same
    /// credentials.
    pub async fn update(&self, id: impl Into<CredentialId>, update: &CredentialUpdate) -> Result<Credential> {
        let id = as_int64("id", id.into().as_str())?;
        let call = self.client.call_for(Operation::UpdateCredential);
        validate::credential_update(update)?;
        let body = wire::credential::v2_update(update)?;
        let reply = self.client.send(call, &op::V2UpdateCredential { id, body }).await?;
        decode::credential(call, &reply)
    }

    /// Deletes a credential. One that an endpoint uses is refused (kind `NotAllowed`): delete
    /// the endpoint, or point it at another credential, first.
    pub async fn delete(&self, id: impl Into<CredentialId>) -> Result<()> {
        let id = id.into();
        let call = self.client.call_for(Operation::DeleteCredential);
        let body = match call.version {
            ApiVersion::V1 => {
                let id = validate::credential_id(id.as_str())?.to_string();
                self.client.send(call, &op::V1DeleteCredential { id }).await?
            }
            ApiVersion::V2 => {
                let id = as_int64("id", id.as_str())?;
                self.client.send(call, &op::V2DeleteCredential { id }).await?
            }
        };
        decode::nothing(call, &body)
    }
}
