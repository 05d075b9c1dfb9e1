//! Registry credentials on the wire: v1's `token`, v2's `password` and `type`.

use super::{missing, text};
use crate::error::Result;
use crate::ids::CredentialId;
use crate::model::{Credential, CredentialSpec, CredentialUpdate, RegistryType};
use crate::operation::Call;
use yotta_api::types;

pub fn v1_create(spec: &CredentialSpec) -> Result<types::OpenapiCredentialCreateRequest> {
    Ok(types::OpenapiCredentialCreateRequest {
        name: text("name", &spec.name)?,
        username: text("username", &spec.username)?,
        token: text("password", &spec.password)?,
    })
}

pub fn v2_create(spec: &CredentialSpec) -> Result<types::CredentialV2CreateRequest> {
    use types::CredentialV2CreateRequestType as Type;
    let registry_type = spec
        .registry_type
        .as_ref()
        .map(|t| match t {
            RegistryType::DockerHub => Ok(Type::DockerHub),
            RegistryType::Gcr => Ok(Type::Gcr),
            RegistryType::Ecr => Ok(Type::Ecr),
            RegistryType::Acr => Ok(Type::Acr),
            RegistryType::Private => Ok(Type::Private),
            RegistryType::Other(other) => Err(crate::Error::validation(
                "type",
                format!("must be one of {} (got {other:?})", RegistryType::KNOWN.join(", ")),
            )),
        })
        .transpose()?;
    Ok(types::CredentialV2CreateRequest {
        name: text("name", &spec.name)?,
        type_: registry_type,
        username: text("username", &spec.username)?,
        password: text("password", &spec.password)?,
    })
}

pub fn v2_update(update: &CredentialUpdate) -> Result<types::CredentialV2UpdateRequest> {
    Ok(types::CredentialV2UpdateRequest {
        name: update.name.as_deref().map(|v| text("name", v)).transpose()?,
        username: update.username.as_deref().map(|v| text("username", v)).transpose()?,
        password: update.password.as_deref().map(|v| text("password", v)).transpose()?,
    })
}

/// Both versions' credential responses share their fields.
macro_rules! credential_from_wire {
    ($call:expr, $wire:expr) => {{
        let call: Call = $call;
        let wire = $wire;
        let (Some(id), Some(name)) = (wire.id, wire.name) else {
            return Err(missing(call, "credential id or name"));
        };
        Ok(Credential {
            id: CredentialId::from_wire(id),
            name,
            registry_type: wire.type_.as_deref().map(RegistryType::parse),
            created_at: wire.created_at,
        })
    }};
}

pub fn from_v1(call: Call, wire: types::OpenapiCredentialDetail) -> Result<Credential> {
    credential_from_wire!(call, wire)
}

pub fn from_v2(call: Call, wire: types::CredentialV2Response) -> Result<Credential> {
    credential_from_wire!(call, wire)
}
