//! Endpoints (elastic deployments): what the API returns, and what creating or updating one takes.

use super::Amount;
use super::enums::{EndpointStatus, ServiceMode};
use crate::ids::{CredentialId, EndpointId};
use serde::{Deserialize, Serialize};

/// An endpoint as the API describes it.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Endpoint {
    pub id: EndpointId,
    pub name: String,
    pub status: EndpointStatus,
    pub service_mode: Option<ServiceMode>,
    pub image: Option<String>,
    pub image_registry: Option<String>,
    /// Creator's email.
    pub creator: Option<String>,
    /// The load balancer's domain (ALB endpoints).
    pub domain: Option<String>,
    pub resources: Vec<ResourceInfo>,
    pub min_single_card_vram_in_gb: Option<i32>,
    pub min_single_card_vcpu: Option<i32>,
    pub min_single_card_ram_in_gb: Option<i32>,
    pub credential_id: Option<CredentialId>,
    pub container_volume_in_gb: Option<i32>,
    pub initialization_command: Option<String>,
    pub environment_vars: Vec<EnvVar>,
    pub expose: Option<Expose>,
    pub total_workers: Option<i32>,
    pub running_workers: Option<i32>,
    /// Accumulated cost.
    pub cost: Option<Amount>,
    pub per_second_price: Option<Amount>,
    pub per_hour_price: Option<Amount>,
    /// Webhook URL (v1 calls it `webhookUrl`).
    pub webhook: Option<String>,
}

/// GPU resources of an endpoint, as the API reports them.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ResourceInfo {
    pub region: String,
    pub region_display_name: Option<String>,
    pub gpu_type: String,
    pub gpu_display_name: Option<String>,
    pub gpu_count: i32,
    pub single_card_vram_in_gb: Option<i32>,
    pub single_card_vcpu: Option<i32>,
    pub single_card_ram_in_gb: Option<i32>,
}

/// Where workers may run: a region, a GPU type, and GPUs per worker.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Resource {
    pub region: String,
    pub gpu_type: String,
    /// GPUs per worker; every resource of an endpoint must use the same count.
    pub gpu_count: i64,
}

impl Resource {
    pub fn new(region: impl Into<String>, gpu_type: impl Into<String>, gpu_count: i64) -> Self {
        Self {
            region: region.into(),
            gpu_type: gpu_type.into(),
            gpu_count,
        }
    }
}

/// An environment variable of the workers.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnvVar {
    pub key: String,
    pub value: String,
}

/// The port a worker exposes (the HTTP port of ALB endpoints, or a health-check port).
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expose {
    pub port: i64,
    /// e.g. `"http"` or `"tcp"`; required by v2 (the SDK sends `"http"` when absent).
    #[serde(default)]
    pub protocol: Option<String>,
}

/// Everything needed to create an endpoint.
///
/// Field names follow the docs; the guides' other spellings are accepted when deserialising
/// (`envVars`, `webhookUrl`, `containerRegistryAuthId`), and the SDK sends each version's own
/// spelling.
///
/// ```
/// use yotta::{EndpointSpec, ServiceMode};
/// let spec = EndpointSpec::new("llama-inference", "vllm/vllm-openai:latest", ServiceMode::Queue)
///     .resource("us-east-1", "NVIDIA_RTX_4090_24G", 1)
///     .workers(2)
///     .container_volume_in_gb(120)
///     .env("MODEL", "llama-3-8b");
/// assert_eq!(spec.resources.len(), 1);
/// ```
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EndpointSpec {
    pub name: String,
    pub image: String,
    #[serde(default)]
    pub image_registry: Option<String>,
    pub resources: Vec<Resource>,
    pub workers: i64,
    pub container_volume_in_gb: i64,
    pub service_mode: ServiceMode,
    #[serde(default)]
    pub min_single_card_vram_in_gb: Option<i64>,
    #[serde(default)]
    pub min_single_card_vcpu: Option<i64>,
    #[serde(default)]
    pub min_single_card_ram_in_gb: Option<i64>,
    #[serde(default, alias = "containerRegistryAuthId")]
    pub credential_id: Option<CredentialId>,
    #[serde(default)]
    pub initialization_command: Option<String>,
    #[serde(default, alias = "envVars")]
    pub environment_vars: Vec<EnvVar>,
    #[serde(default)]
    pub expose: Option<Expose>,
    #[serde(default, alias = "webhookUrl")]
    pub webhook: Option<String>,
}

impl EndpointSpec {
    /// A spec with one worker, the minimum 20 GB volume and no resources yet.
    pub fn new(name: impl Into<String>, image: impl Into<String>, service_mode: ServiceMode) -> Self {
        Self {
            name: name.into(),
            image: image.into(),
            image_registry: None,
            resources: Vec::new(),
            workers: 1,
            container_volume_in_gb: 20,
            service_mode,
            min_single_card_vram_in_gb: None,
            min_single_card_vcpu: None,
            min_single_card_ram_in_gb: None,
            credential_id: None,
            initialization_command: None,
            environment_vars: Vec::new(),
            expose: None,
            webhook: None,
        }
    }

    pub fn resource(mut self, region: impl Into<String>, gpu_type: impl Into<String>, gpu_count: i64) -> Self {
        self.resources.push(Resource::new(region, gpu_type, gpu_count));
        self
    }

    pub fn workers(mut self, workers: i64) -> Self {
        self.workers = workers;
        self
    }

    pub fn container_volume_in_gb(mut self, gigabytes: i64) -> Self {
        self.container_volume_in_gb = gigabytes;
        self
    }

    pub fn env(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.environment_vars.push(EnvVar {
            key: key.into(),
            value: value.into(),
        });
        self
    }

    pub fn expose(mut self, port: i64, protocol: impl Into<String>) -> Self {
        self.expose = Some(Expose {
            port,
            protocol: Some(protocol.into()),
        });
        self
    }

    pub fn webhook(mut self, url: impl Into<String>) -> Self {
        self.webhook = Some(url.into());
        self
    }

    pub fn credential(mut self, id: impl Into<CredentialId>) -> Self {
        self.credential_id = Some(id.into());
        self
    }

    pub fn image_registry(mut self, registry: impl Into<String>) -> Self {
        self.image_registry = Some(registry.into());
        self
    }

    pub fn initialization_command(mut self, command: impl Into<String>) -> Self {
        self.initialization_command = Some(command.into());
        self
    }
}

/// A new configuration for an existing endpoint. Both versions replace the whole
/// configuration, so start from the current one: `EndpointUpdate::from(&endpoint)`.
/// v1 accepts updates only while the endpoint is STOPPED.
///
/// The API reports live workers (`totalWorkers`), not the configured count: converting a
/// stopped endpoint, which has none, gives `workers: 1`; set the count you want explicitly.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EndpointUpdate {
    pub name: String,
    pub resources: Vec<Resource>,
    pub workers: i64,
    pub container_volume_in_gb: i64,
    #[serde(default)]
    pub min_single_card_vram_in_gb: Option<i64>,
    #[serde(default)]
    pub min_single_card_vcpu: Option<i64>,
    #[serde(default)]
    pub min_single_card_ram_in_gb: Option<i64>,
    #[serde(default, alias = "containerRegistryAuthId")]
    pub credential_id: Option<CredentialId>,
    #[serde(default)]
    pub initialization_command: Option<String>,
    #[serde(default, alias = "envVars")]
    pub environment_vars: Vec<EnvVar>,
    #[serde(default)]
    pub expose: Option<Expose>,
    #[serde(default, alias = "webhookUrl")]
    pub webhook: Option<String>,
}

impl From<&Endpoint> for EndpointUpdate {
    fn from(endpoint: &Endpoint) -> Self {
        Self {
            name: endpoint.name.clone(),
            resources: endpoint
                .resources
                .iter()
                .map(|r| Resource::new(&r.region, &r.gpu_type, r.gpu_count.into()))
                .collect(),
            workers: endpoint.total_workers.filter(|n| *n > 0).unwrap_or(1).into(),
            container_volume_in_gb: endpoint.container_volume_in_gb.unwrap_or(20).into(),
            min_single_card_vram_in_gb: endpoint.min_single_card_vram_in_gb.map(Into::into),
            min_single_card_vcpu: endpoint.min_single_card_vcpu.map(Into::into),
            min_single_card_ram_in_gb: endpoint.min_single_card_ram_in_gb.map(Into::into),
            credential_id: endpoint.credential_id.clone(),
            initialization_command: endpoint.initialization_command.clone(),
            environment_vars: endpoint.environment_vars.clone(),
            expose: endpoint.expose.clone(),
            webhook: endpoint.webhook.clone(),
        }
    }
}

/// Changes to an endpoint's configuration, for [`crate::Endpoints::patch`]: the fields set are
/// changed, the others keep their current values.
///
/// Clearing an optional field is not something a patch can say: both versions' update
/// operations take the whole configuration, and the SDK sends an absent optional field as
/// absent (an empty list of environment variables likewise). The docs do not say whether the
/// API then clears or keeps it.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EndpointPatch {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub resources: Option<Vec<Resource>>,
    #[serde(default)]
    pub workers: Option<i64>,
    #[serde(default)]
    pub container_volume_in_gb: Option<i64>,
    #[serde(default)]
    pub min_single_card_vram_in_gb: Option<i64>,
    #[serde(default)]
    pub min_single_card_vcpu: Option<i64>,
    #[serde(default)]
    pub min_single_card_ram_in_gb: Option<i64>,
    #[serde(default, alias = "containerRegistryAuthId")]
    pub credential_id: Option<CredentialId>,
    #[serde(default)]
    pub initialization_command: Option<String>,
    #[serde(default, alias = "envVars")]
    pub environment_vars: Option<Vec<EnvVar>>,
    #[serde(default)]
    pub expose: Option<Expose>,
    #[serde(default, alias = "webhookUrl")]
    pub webhook: Option<String>,
}

impl EndpointPatch {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    pub fn workers(mut self, workers: i64) -> Self {
        self.workers = Some(workers);
        self
    }

    pub fn container_volume_in_gb(mut self, gigabytes: i64) -> Self {
        self.container_volume_in_gb = Some(gigabytes);
        self
    }

    pub fn env(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.environment_vars.get_or_insert_with(Vec::new).push(EnvVar {
            key: key.into(),
            value: value.into(),
        });
        self
    }

    pub fn webhook(mut self, url: impl Into<String>) -> Self {
        self.webhook = Some(url.into());
        self
    }

    /// `current` with these changes.
    pub fn apply_to(&self, current: &EndpointUpdate) -> EndpointUpdate {
        let mut merged = current.clone();
        let set = |target: &mut Option<i64>, value: Option<i64>| {
            if value.is_some() {
                *target = value;
            }
        };
        if let Some(name) = &self.name {
            merged.name = name.clone();
        }
        if let Some(resources) = &self.resources {
            merged.resources = resources.clone();
        }
        if let Some(workers) = self.workers {
            merged.workers = workers;
        }
        if let Some(volume) = self.container_volume_in_gb {
            merged.container_volume_in_gb = volume;
        }
        set(&mut merged.min_single_card_vram_in_gb, self.min_single_card_vram_in_gb);
        set(&mut merged.min_single_card_vcpu, self.min_single_card_vcpu);
        set(&mut merged.min_single_card_ram_in_gb, self.min_single_card_ram_in_gb);
        if self.credential_id.is_some() {
            merged.credential_id = self.credential_id.clone();
        }
        if self.initialization_command.is_some() {
            merged.initialization_command = self.initialization_command.clone();
        }
        if let Some(vars) = &self.environment_vars {
            merged.environment_vars = vars.clone();
        }
        if self.expose.is_some() {
            merged.expose = self.expose.clone();
        }
        if self.webhook.is_some() {
            merged.webhook = self.webhook.clone();
        }
        merged
    }
}

impl From<&EndpointSpec> for EndpointUpdate {
    fn from(spec: &EndpointSpec) -> Self {
        Self {
            name: spec.name.clone(),
            resources: spec.resources.clone(),
            workers: spec.workers,
            container_volume_in_gb: spec.container_volume_in_gb,
            min_single_card_vram_in_gb: spec.min_single_card_vram_in_gb,
            min_single_card_vcpu: spec.min_single_card_vcpu,
            min_single_card_ram_in_gb: spec.min_single_card_ram_in_gb,
            credential_id: spec.credential_id.clone(),
            initialization_command: spec.initialization_command.clone(),
            environment_vars: spec.environment_vars.clone(),
            expose: spec.expose.clone(),
            webhook: spec.webhook.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guide_spellings_are_accepted() {
        let spec: EndpointSpec = serde_json::from_value(serde_json::json!({
            "name": "llama-inference", "image": "vllm/vllm-openai:latest", "containerRegistryAuthId": 123,
            "resources": [{"region": "us-east-1", "gpuType": "NVIDIA_RTX_4090_24G", "gpuCount": 1}],
            "workers": 2, "containerVolumeInGb": 120,
            "envVars": [{"key": "MODEL", "value": "llama-3-8b"}],
            "expose": {"port": 8000, "protocol": "http"}, "serviceMode": "QUEUE",
            "webhookUrl": "https://webhook.example.com/status"
        }))
        .unwrap();
        assert_eq!(spec.credential_id.unwrap().as_str(), "123");
        assert_eq!(spec.environment_vars[0].key, "MODEL");
        assert_eq!(spec.webhook.as_deref(), Some("https://webhook.example.com/status"));
        assert_eq!(spec.service_mode, ServiceMode::Queue);
    }

    #[test]
    fn unknown_fields_are_refused_by_name() {
        let error = serde_json::from_value::<EndpointSpec>(serde_json::json!({
            "name": "a", "image": "b", "resources": [], "workers": 1, "containerVolumeInGb": 20,
            "serviceMode": "QUEUE", "gpuCounts": 1
        }))
        .unwrap_err()
        .to_string();
        assert!(error.contains("gpuCounts"), "{error}");
    }
}
