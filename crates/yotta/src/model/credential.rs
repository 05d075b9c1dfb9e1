//! Container registry credentials: what a private image needs (an endpoint's `credentialId`).

use super::enums::RegistryType;
use crate::ids::CredentialId;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A registry credential as the API describes it. Its secret is never returned.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Credential {
    pub id: CredentialId,
    pub name: String,
    /// The registry's kind (v2; v1 does not report it).
    #[serde(rename = "type")]
    pub registry_type: Option<RegistryType>,
    /// As sent by the API (ISO 8601 in v2).
    pub created_at: Option<String>,
}

/// A credential to create.
///
/// One vocabulary over both versions: the secret is `password` (v1 calls it `token`, accepted
/// as a spelling here), and `type` (the v2 guide's registry kind) is sent where the version has
/// it: v2 (the v2 reference page does not list it, the guide requires it; the SDK sends it when
/// given). v1 has no such field and it is not sent there.
///
/// ```
/// use yotta::{CredentialSpec, RegistryType};
/// let spec = CredentialSpec::new("dockerhub", "me", "s3cret").registry_type(RegistryType::DockerHub);
/// assert!(!format!("{spec:?}").contains("s3cret"));
/// ```
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CredentialSpec {
    pub name: String,
    #[serde(default, rename = "type")]
    pub registry_type: Option<RegistryType>,
    pub username: String,
    /// The registry password or access token; never shown in `Debug` output.
    #[serde(alias = "token")]
    pub password: String,
}

impl CredentialSpec {
    pub fn new(name: impl Into<String>, username: impl Into<String>, password: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            registry_type: None,
            username: username.into(),
            password: password.into(),
        }
    }

    pub fn registry_type(mut self, registry_type: RegistryType) -> Self {
        self.registry_type = Some(registry_type);
        self
    }
}

impl fmt::Debug for CredentialSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CredentialSpec")
            .field("name", &self.name)
            .field("registry_type", &self.registry_type)
            .field("username", &self.username)
            .field("password", &"<redacted>")
            .finish()
    }
}

/// Changes to a credential (v2 documents updates; a v1 client sends them to v2, which serves the
/// same credentials). Fields left `None` keep their values.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CredentialUpdate {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub username: Option<String>,
    /// Never shown in `Debug` output.
    #[serde(default, alias = "token")]
    pub password: Option<String>,
}

impl fmt::Debug for CredentialUpdate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CredentialUpdate")
            .field("name", &self.name)
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}
