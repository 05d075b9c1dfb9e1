//! Endpoints on the wire.

use super::{int32, missing, optional_int32, positive, text};
use crate::error::Result;
use crate::ids::{CredentialId, EndpointId, as_int64};
use crate::model::{Amount, ServiceMode};
use crate::model::{Endpoint, EndpointSpec, EndpointStatus, EndpointUpdate, EnvVar, Expose, Resource, ResourceInfo};
use crate::operation::Call;
use yotta_api::types;

fn resources(list: &[Resource]) -> Result<Vec<types::OpenapiElasticResource>> {
    list.iter()
        .enumerate()
        .map(|(i, r)| {
            Ok(types::OpenapiElasticResource {
                region: text(&format!("resources[{i}].region"), &r.region)?,
                gpu_type: text(&format!("resources[{i}].gpuType"), &r.gpu_type)?,
                gpu_count: int32(&format!("resources[{i}].gpuCount"), r.gpu_count)?,
            })
        })
        .collect()
}

fn environment(vars: &[EnvVar]) -> Result<Option<Vec<types::KeyValuePairDto>>> {
    if vars.is_empty() {
        return Ok(None);
    }
    vars.iter()
        .enumerate()
        .map(|(i, v)| {
            Ok(types::KeyValuePairDto {
                key: text(&format!("environmentVars[{i}].key"), &v.key)?,
                value: text(&format!("environmentVars[{i}].value"), &v.value)?,
            })
        })
        .collect::<Result<Vec<_>>>()
        .map(Some)
}

fn v1_expose(expose: &Option<Expose>) -> Result<Option<types::OpenapiExposePort>> {
    expose
        .as_ref()
        .map(|e| {
            Ok(types::OpenapiExposePort {
                port: positive("expose.port", e.port)?,
                protocol: e.protocol.clone(),
            })
        })
        .transpose()
}

/// v2 requires a protocol; the v1 guide documents HTTP as the one supported, so it is the default.
fn v2_expose(expose: &Option<Expose>) -> Result<Option<types::ElasticV2ExposePort>> {
    expose
        .as_ref()
        .map(|e| {
            Ok(types::ElasticV2ExposePort {
                port: positive("expose.port", e.port)?,
                protocol: e.protocol.clone().unwrap_or_else(|| "http".to_string()),
            })
        })
        .transpose()
}

fn v2_credential(id: &Option<CredentialId>) -> Result<Option<i64>> {
    id.as_ref().map(|c| as_int64("credentialId", c.as_str())).transpose()
}

pub fn v1_create(spec: &EndpointSpec) -> Result<types::OpenapiElasticCreateRequest> {
    Ok(types::OpenapiElasticCreateRequest {
        name: text("name", &spec.name)?,
        image: text("image", &spec.image)?,
        image_registry: spec.image_registry.clone(),
        resources: resources(&spec.resources)?,
        workers: positive("workers", spec.workers)?,
        container_volume_in_gb: int32("containerVolumeInGb", spec.container_volume_in_gb)?,
        service_mode: text("serviceMode", spec.service_mode.as_str())?,
        min_single_card_vram_in_gb: optional_int32("minSingleCardVramInGb", spec.min_single_card_vram_in_gb)?,
        min_single_card_vcpu: optional_int32("minSingleCardVcpu", spec.min_single_card_vcpu)?,
        min_single_card_ram_in_gb: optional_int32("minSingleCardRamInGb", spec.min_single_card_ram_in_gb)?,
        credential_id: spec.credential_id.as_ref().map(|c| c.as_str().to_string()),
        initialization_command: spec.initialization_command.clone(),
        environment_vars: environment(&spec.environment_vars)?,
        expose: v1_expose(&spec.expose)?,
        webhook_url: spec.webhook.clone(),
    })
}

pub fn v2_create(spec: &EndpointSpec) -> Result<types::ElasticV2CreateRequest> {
    Ok(types::ElasticV2CreateRequest {
        name: text("name", &spec.name)?,
        image: text("image", &spec.image)?,
        image_registry: spec
            .image_registry
            .as_deref()
            .map(|r| text("imageRegistry", r))
            .transpose()?,
        resources: resources(&spec.resources)?,
        workers: positive("workers", spec.workers)?,
        container_volume_in_gb: int32("containerVolumeInGb", spec.container_volume_in_gb)?,
        service_mode: text("serviceMode", spec.service_mode.as_str())?,
        min_single_card_vram_in_gb: optional_int32("minSingleCardVramInGb", spec.min_single_card_vram_in_gb)?,
        min_single_card_vcpu: optional_int32("minSingleCardVcpu", spec.min_single_card_vcpu)?,
        min_single_card_ram_in_gb: optional_int32("minSingleCardRamInGb", spec.min_single_card_ram_in_gb)?,
        // The v2 reference names it credentialId, the v2 guide containerRegistryAuthId: both
        // carry it, so the image is pulled whichever the API reads.
        container_registry_auth_id: v2_credential(&spec.credential_id)?,
        credential_id: v2_credential(&spec.credential_id)?,
        initialization_command: spec.initialization_command.clone(),
        env_vars: environment(&spec.environment_vars)?,
        expose: v2_expose(&spec.expose)?,
        webhook: spec.webhook.as_deref().map(|w| text("webhook", w)).transpose()?,
    })
}

pub fn v1_update(update: &EndpointUpdate) -> Result<types::OpenapiElasticUpdateRequest> {
    Ok(types::OpenapiElasticUpdateRequest {
        name: text("name", &update.name)?,
        resources: resources(&update.resources)?,
        workers: positive("workers", update.workers)?,
        container_volume_in_gb: int32("containerVolumeInGb", update.container_volume_in_gb)?,
        min_single_card_vram_in_gb: optional_int32("minSingleCardVramInGb", update.min_single_card_vram_in_gb)?,
        min_single_card_vcpu: optional_int32("minSingleCardVcpu", update.min_single_card_vcpu)?,
        min_single_card_ram_in_gb: optional_int32("minSingleCardRamInGb", update.min_single_card_ram_in_gb)?,
        credential_id: update.credential_id.as_ref().map(|c| c.as_str().to_string()),
        initialization_command: update.initialization_command.clone(),
        environment_vars: environment(&update.environment_vars)?,
        expose: v1_expose(&update.expose)?,
        webhook_url: update.webhook.clone(),
    })
}

pub fn v2_update(update: &EndpointUpdate) -> Result<types::ElasticV2UpdateRequest> {
    Ok(types::ElasticV2UpdateRequest {
        name: text("name", &update.name)?,
        resources: resources(&update.resources)?,
        workers: positive("workers", update.workers)?,
        container_volume_in_gb: int32("containerVolumeInGb", update.container_volume_in_gb)?,
        min_single_card_vram_in_gb: optional_int32("minSingleCardVramInGb", update.min_single_card_vram_in_gb)?,
        min_single_card_vcpu: optional_int32("minSingleCardVcpu", update.min_single_card_vcpu)?,
        min_single_card_ram_in_gb: optional_int32("minSingleCardRamInGb", update.min_single_card_ram_in_gb)?,
        credential_id: v2_credential(&update.credential_id)?,
        initialization_command: update.initialization_command.clone(),
        env_vars: environment(&update.environment_vars)?,
        expose: v2_expose(&update.expose)?,
        webhook: update.webhook.as_deref().map(|w| text("webhook", w)).transpose()?,
    })
}

fn resource_info(resource: types::OpenapiElasticResourceResponse) -> ResourceInfo {
    ResourceInfo {
        region: resource.region.unwrap_or_default(),
        region_display_name: resource.region_display_name,
        gpu_type: resource.gpu_type.unwrap_or_default(),
        gpu_display_name: resource.gpu_display_name,
        gpu_count: resource.gpu_count.unwrap_or_default(),
        single_card_vram_in_gb: resource.single_card_vram_in_gb,
        single_card_vcpu: resource.single_card_vcpu,
        single_card_ram_in_gb: resource.single_card_ram_in_gb,
    }
}

fn expose_info(expose: Option<types::OpenapiExposePortResponse>) -> Option<Expose> {
    let expose = expose?;
    Some(Expose {
        port: expose.port?.into(),
        protocol: expose.protocol,
    })
}

/// Both versions' endpoint responses share every field name but the webhook's.
macro_rules! endpoint_from_wire {
    ($call:expr, $wire:expr, $webhook:ident) => {{
        let call: Call = $call;
        let wire = $wire;
        let (Some(id), Some(name), Some(status)) = (wire.id, wire.name, wire.status) else {
            return Err(missing(call, "endpoint id, name or status"));
        };
        Ok(Endpoint {
            id: EndpointId::from_wire(id),
            name,
            status: EndpointStatus::parse(&status),
            service_mode: wire.service_mode.as_deref().map(ServiceMode::parse),
            image: wire.image,
            image_registry: wire.image_registry,
            creator: wire.creator,
            domain: wire.domain,
            resources: wire
                .resources
                .unwrap_or_default()
                .into_iter()
                .map(resource_info)
                .collect(),
            min_single_card_vram_in_gb: wire.min_single_card_vram_in_gb,
            min_single_card_vcpu: wire.min_single_card_vcpu,
            min_single_card_ram_in_gb: wire.min_single_card_ram_in_gb,
            credential_id: wire.credential_id.map(CredentialId::from_wire),
            container_volume_in_gb: wire.container_volume_in_gb,
            initialization_command: wire.initialization_command,
            environment_vars: wire
                .environment_vars
                .unwrap_or_default()
                .into_iter()
                .map(|kv| EnvVar {
                    key: kv.key.to_string(),
                    value: kv.value.to_string(),
                })
                .collect(),
            expose: expose_info(wire.expose),
            total_workers: wire.total_workers,
            running_workers: wire.running_workers,
            cost: wire.cost.map(Amount::from_wire),
            per_second_price: wire.per_second_price.map(Amount::from_wire),
            per_hour_price: wire.per_hour_price.map(Amount::from_wire),
            webhook: wire.$webhook,
        })
    }};
}

pub fn from_v1(call: Call, wire: types::OpenapiElasticDetailResponse) -> Result<Endpoint> {
    endpoint_from_wire!(call, wire, webhook_url)
}

pub fn from_v2(call: Call, wire: types::ElasticV2Response) -> Result<Endpoint> {
    endpoint_from_wire!(call, wire, webhook)
}
