//! Create and update requests of both versions, bound and validated into one [`Spec`].
//!
//! The spelling differences are exactly the reference specs': v1 `environmentVars`/`webhookUrl`
//! and a string `credentialId`; v2 `envVars`/`webhook` and an integer `credentialId`. A field
//! spelled the other version's way is an unknown field and is silently ignored.

use super::fields::{Obj, Violations, http_url_ok, name_ok};
use crate::http::envelope::ApiError;
use crate::state::Version;
use crate::state::endpoint::{EnvVar, Expose, Resource, ServiceMode, Spec};
use yotta_api::catalog::{MIN_CONTAINER_VOLUME_GB, gpu_count_allowed};

struct Names {
    env: &'static str,
    webhook: &'static str,
    name_max: usize,
}

fn names(version: Version) -> Names {
    match version {
        Version::V1 => Names {
            env: "environmentVars",
            webhook: "webhookUrl",
            name_max: 50,
        },
        Version::V2 => Names {
            env: "envVars",
            webhook: "webhook",
            name_max: 20,
        },
    }
}

struct RawResource {
    region: Option<String>,
    gpu_type: Option<String>,
    gpu_count: Option<i32>,
}

struct RawExpose {
    port: Option<i32>,
    protocol: Option<String>,
}

/// A create request and the spelling its credential came in; `Err` carries the 400 or 10001.
pub fn create(version: Version, body: Obj<'_>) -> Result<(Spec, &'static str), ApiError> {
    let bound = bind(version, body, true)?;
    let field = bound.credential_field;
    Ok((bound.apply(None), field))
}

/// An update request, validated before the endpoint is looked up (as Spring validates a body
/// before the handler runs); [`Bound::apply`] then merges it over the current configuration.
pub fn update(version: Version, body: Obj<'_>) -> Result<Bound<'_>, ApiError> {
    bind(version, body, false)
}

/// A request whose fields have the right types and pass every rule.
pub struct Bound<'a> {
    name: Option<&'a str>,
    image: Option<&'a str>,
    image_registry: Option<&'a str>,
    service_mode: Option<&'a str>,
    resources: Option<Vec<RawResource>>,
    min_vram: Option<i32>,
    min_vcpu: Option<i32>,
    min_ram: Option<i32>,
    workers: Option<i32>,
    volume: Option<i32>,
    credential: Option<Result<i64, String>>,
    /// `credentialId`, or `containerRegistryAuthId` when a v2 create named it that way.
    credential_field: &'static str,
    init_command: Option<&'a str>,
    env: Option<Vec<(Option<String>, Option<String>)>>,
    expose: Option<RawExpose>,
    webhook: Option<&'a str>,
}

fn bind(version: Version, body: Obj<'_>, creating: bool) -> Result<Bound<'_>, ApiError> {
    let n = names(version);
    // Binding first: any wrong JSON type is a 400 before a single rule is checked.
    let name = body.string("name")?;
    let image = if creating { body.string("image")? } else { None };
    let image_registry = if creating { body.string("imageRegistry")? } else { None };
    let service_mode = if creating { body.string("serviceMode")? } else { None };
    let resources = body.each_object("resources", |r| {
        Ok(RawResource {
            region: r.string("region")?.map(str::to_owned),
            gpu_type: r.string("gpuType")?.map(str::to_owned),
            gpu_count: r.int32("gpuCount")?,
        })
    })?;
    let min_vram = body.int32("minSingleCardVramInGb")?;
    let min_vcpu = body.int32("minSingleCardVcpu")?;
    let min_ram = body.int32("minSingleCardRamInGb")?;
    let workers = body.int32("workers")?;
    let volume = body.int32("containerVolumeInGb")?;
    let credential = match version {
        Version::V1 => body
            .string("credentialId")?
            .map(|s| s.trim().parse::<i64>().map_err(|_| s.to_owned())),
        Version::V2 => body.int64("credentialId")?.map(Ok),
    };
    // The v2 guide, the API guides overview and the vendor SDK name the credential of a v2
    // create `containerRegistryAuthId`; the v2 reference says `credentialId`. Both are taken as
    // the same field.
    let auth_id = if creating && version == Version::V2 {
        body.int64("containerRegistryAuthId")?
    } else {
        None
    };
    let init_command = body.string("initializationCommand")?;
    let env = body.each_object(n.env, |e| {
        Ok((
            e.string("key")?.map(str::to_owned),
            e.string("value")?.map(str::to_owned),
        ))
    })?;
    let expose = body.with_nested("expose", |e| {
        Ok(RawExpose {
            port: e.int32("port")?,
            protocol: e.string("protocol")?.map(str::to_owned),
        })
    })?;
    let webhook = body.string(n.webhook)?;

    let mut v = Violations::default();
    if let Some(name) = v.require(name, "name") {
        v.check(
            name_ok(name, n.name_max),
            "name",
            format_args!("must match \"^(?=[A-Za-z])[A-Za-z0-9@._-]{{1,{}}}$\"", n.name_max),
        );
    }
    if creating {
        let image = v.require(image, "image");
        v.length(image, "image", 1, Some(255));
        if version == Version::V2 {
            v.length(image_registry, "imageRegistry", 0, Some(255));
        }
        let mode = v.require(service_mode, "serviceMode");
        if let Some(mode) = mode {
            v.check(
                ServiceMode::parse(mode).is_some(),
                "serviceMode",
                "must be one of ALB, QUEUE, CUSTOM",
            );
            v.check(
                mode != "ALB" || expose.is_some(),
                "expose",
                "must not be null when serviceMode is ALB",
            );
        }
        // The create schemas bound these two; the update schemas do not.
        v.range(min_vram.map(i64::from), "minSingleCardVramInGb", Some(0), Some(1536));
        v.range(min_ram.map(i64::from), "minSingleCardRamInGb", Some(0), Some(1536));
    }
    if let Some(list) = v.require(resources.as_ref(), "resources") {
        v.check(!list.is_empty(), "resources", "size must be at least 1");
        for (i, r) in list.iter().enumerate() {
            let field = |f: &str| format!("resources[{i}].{f}");
            let region = v.require(r.region.as_deref(), &field("region"));
            v.length(region, &field("region"), 1, None);
            let gpu_type = v.require(r.gpu_type.as_deref(), &field("gpuType"));
            v.length(gpu_type, &field("gpuType"), 1, None);
            // Not in the spec: a worker without a GPU cannot be placed, so 0 or less is rejected here.
            let gpu_count = v.require(r.gpu_count, &field("gpuCount"));
            v.range(gpu_count.map(i64::from), &field("gpuCount"), Some(1), None);
            // The API guides overview: "GPU counts must be powers of 2 (1, 2, 4, 8, ...)".
            if let Some(count) = gpu_count.and_then(|c| u32::try_from(c).ok()).filter(|c| *c >= 1) {
                v.check(gpu_count_allowed(count), &field("gpuCount"), "must be a power of 2");
            }
        }
        let counts: Vec<i32> = list.iter().filter_map(|r| r.gpu_count).collect();
        v.check(
            counts.windows(2).all(|w| w[0] == w[1]),
            "resources",
            "every resource must have the same gpuCount",
        );
    }
    let required_workers = v.require(workers, "workers");
    v.range(required_workers.map(i64::from), "workers", Some(1), None);
    let required_volume = v.require(volume, "containerVolumeInGb");
    v.range(
        required_volume.map(i64::from),
        "containerVolumeInGb",
        Some(i64::from(MIN_CONTAINER_VOLUME_GB)),
        None,
    );
    if let (Some(Ok(id)), Some(auth)) = (&credential, auth_id)
        && *id != auth
    {
        v.add(
            "containerRegistryAuthId",
            format_args!("names credential {auth} while credentialId names {id}; they are one field, send one value"),
        );
    }
    let credential_field = if credential.is_none() && auth_id.is_some() {
        "containerRegistryAuthId"
    } else {
        "credentialId"
    };
    let credential = credential.or(auth_id.map(Ok));
    if let Some(Err(raw)) = &credential {
        v.add(
            "credentialId",
            format_args!("must be a numeric credential id, got {raw:?}"),
        );
    }
    for (i, (key, value)) in env.iter().flatten().enumerate() {
        let field = |f: &str| format!("{}[{i}].{f}", n.env);
        let key = v.require(key.as_deref(), &field("key"));
        v.length(key, &field("key"), 1, None);
        let value = v.require(value.as_deref(), &field("value"));
        v.length(value, &field("value"), 1, None);
    }
    if let Some(e) = &expose {
        let port = v.require(e.port, "expose.port");
        v.range(port.map(i64::from), "expose.port", Some(1), Some(65535));
        if version == Version::V2 {
            v.require(e.protocol.as_deref(), "expose.protocol");
        }
    }
    if version == Version::V2
        && let Some(url) = webhook
    {
        v.length(Some(url), n.webhook, 0, Some(512));
        v.check(http_url_ok(url), n.webhook, "must match \"^https?://.*\"");
    }
    v.into_result()?;
    Ok(Bound {
        name,
        image,
        image_registry,
        service_mode,
        resources,
        min_vram,
        min_vcpu,
        min_ram,
        workers,
        volume,
        credential,
        credential_field,
        init_command,
        env,
        expose,
        webhook,
    })
}

impl Bound<'_> {
    /// The credential this request sets, if any (to check it names a credential).
    pub fn credential(&self) -> Option<i64> {
        self.credential.as_ref().and_then(|c| c.as_ref().ok()).copied()
    }

    /// The credential this request sets, with the field it came in.
    pub fn credential_field(&self) -> &'static str {
        self.credential_field
    }

    /// The resulting configuration: optional fields left out keep their `current` value.
    pub fn apply(self, current: Option<&Spec>) -> Spec {
        let Bound {
            name,
            image,
            image_registry,
            service_mode,
            resources,
            min_vram,
            min_vcpu,
            min_ram,
            workers,
            volume,
            credential,
            credential_field: _,
            init_command,
            env,
            expose,
            webhook,
        } = self;
        let keep = |f: fn(&Spec) -> Option<String>| current.and_then(f);
        Spec {
            name: name.unwrap_or_default().to_owned(),
            image: image
                .map(str::to_owned)
                .or_else(|| current.map(|c| c.image.clone()))
                .unwrap_or_default(),
            image_registry: image_registry
                .map(str::to_owned)
                .or_else(|| keep(|c| c.image_registry.clone())),
            resources: resources
                .unwrap_or_default()
                .into_iter()
                .map(|r| Resource {
                    region: r.region.unwrap_or_default(),
                    gpu_type: r.gpu_type.unwrap_or_default(),
                    gpu_count: r.gpu_count.and_then(|c| u32::try_from(c).ok()).unwrap_or(1),
                })
                .collect(),
            min_single_card_vram_in_gb: min_vram.or_else(|| current.and_then(|c| c.min_single_card_vram_in_gb)),
            min_single_card_vcpu: min_vcpu.or_else(|| current.and_then(|c| c.min_single_card_vcpu)),
            min_single_card_ram_in_gb: min_ram.or_else(|| current.and_then(|c| c.min_single_card_ram_in_gb)),
            credential_id: credential
                .and_then(Result::ok)
                .or_else(|| current.and_then(|c| c.credential_id)),
            container_volume_in_gb: volume.unwrap_or(MIN_CONTAINER_VOLUME_GB as i32),
            initialization_command: init_command
                .map(str::to_owned)
                .or_else(|| keep(|c| c.initialization_command.clone())),
            environment_vars: env
                .map(|list| {
                    list.into_iter()
                        .map(|(key, value)| EnvVar {
                            key: key.unwrap_or_default(),
                            value: value.unwrap_or_default(),
                        })
                        .collect()
                })
                .or_else(|| current.and_then(|c| c.environment_vars.clone())),
            expose: expose
                .map(|e| Expose {
                    port: e.port.unwrap_or(0),
                    protocol: e.protocol,
                })
                .or_else(|| current.and_then(|c| c.expose.clone())),
            service_mode: service_mode
                .and_then(ServiceMode::parse)
                .or_else(|| current.map(|c| c.service_mode))
                .unwrap_or(ServiceMode::Custom),
            webhook: webhook.map(str::to_owned).or_else(|| keep(|c| c.webhook.clone())),
            workers: workers.and_then(|w| u32::try_from(w).ok()).unwrap_or(1),
        }
    }
}
