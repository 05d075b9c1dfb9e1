//! Checks input against the reference specs' constraints before anything is sent, so a mistake
//! costs no round trip and the error names the field and the rule (the API's 10001 says only
//! "parameter error").

use crate::error::{Error, Result};
use crate::model::{CredentialSpec, CredentialUpdate};
use crate::model::{EndpointSpec, EndpointUpdate, EnvVar, Expose, LogQuery, LogTime, Resource, ServiceMode};
use crate::model::{TaskListQuery, TaskSpec};
use crate::operation::ApiVersion;
use yotta_api::catalog;

/// Longest endpoint name per version (`^(?=[A-Za-z])[A-Za-z0-9@._-]{1,N}$`).
pub fn max_name_length(version: ApiVersion) -> usize {
    match version {
        ApiVersion::V1 => 50,
        ApiVersion::V2 => 20,
    }
}

pub const MAX_LOG_PAGE_SIZE: i64 = 1000;

fn fail<T>(field: impl Into<String>, rule: impl Into<String>) -> Result<T> {
    Err(Error::validation(field, rule))
}

fn length(field: &str, value: &str, min: usize, max: usize) -> Result<()> {
    let count = value.chars().count();
    if count < min {
        return fail(
            field,
            if min == 1 {
                "must not be empty".to_string()
            } else {
                format!("needs at least {min} characters")
            },
        );
    }
    if count > max {
        return fail(field, format!("must be at most {max} characters (got {count})"));
    }
    Ok(())
}

fn range(field: &str, value: i64, min: i64, max: i64) -> Result<()> {
    if value < min {
        return fail(field, format!("must be at least {min} (got {value})"));
    }
    if value > max {
        return fail(field, format!("must be at most {max} (got {value})"));
    }
    Ok(())
}

const INT32_MAX: i64 = i32::MAX as i64;

pub fn name(value: &str, version: ApiVersion) -> Result<()> {
    let max = max_name_length(version);
    length("name", value, 1, max)?;
    if !value.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return fail("name", "must start with a letter");
    }
    if let Some(bad) = value
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || "@._-".contains(*c)))
    {
        return fail(
            "name",
            format!("may contain only letters, digits, '@', '.', '_' and '-' (found {bad:?})"),
        );
    }
    Ok(())
}

/// `^https?://.*`, at most 512 characters (v2 endpoint and task webhooks).
pub fn webhook(field: &str, value: &str) -> Result<()> {
    length(field, value, 1, 512)?;
    if !(value.starts_with("http://") || value.starts_with("https://")) {
        return fail(field, "must be an http:// or https:// URL");
    }
    Ok(())
}

fn resources(list: &[Resource]) -> Result<()> {
    if list.is_empty() {
        return fail("resources", "needs at least one resource (region, gpuType, gpuCount)");
    }
    for (i, resource) in list.iter().enumerate() {
        length(&format!("resources[{i}].region"), &resource.region, 1, usize::MAX)?;
        length(&format!("resources[{i}].gpuType"), &resource.gpu_type, 1, usize::MAX)?;
        range(&format!("resources[{i}].gpuCount"), resource.gpu_count, 1, INT32_MAX)?;
        if !u32::try_from(resource.gpu_count).is_ok_and(catalog::gpu_count_allowed) {
            return fail(
                format!("resources[{i}].gpuCount"),
                format!("must be a power of 2: 1, 2, 4, 8, ... (got {})", resource.gpu_count),
            );
        }
        if resource.gpu_count != list[0].gpu_count {
            return fail(
                format!("resources[{i}].gpuCount"),
                format!(
                    "must equal resources[0].gpuCount ({}): every resource of an endpoint uses the same GPU count",
                    list[0].gpu_count
                ),
            );
        }
    }
    Ok(())
}

fn environment(vars: &[EnvVar]) -> Result<()> {
    for (i, var) in vars.iter().enumerate() {
        length(&format!("environmentVars[{i}].key"), &var.key, 1, usize::MAX)?;
        length(&format!("environmentVars[{i}].value"), &var.value, 1, usize::MAX)?;
    }
    Ok(())
}

fn expose(expose: &Expose) -> Result<()> {
    range("expose.port", expose.port, 1, 65535)?;
    if let Some(protocol) = &expose.protocol {
        length("expose.protocol", protocol, 1, usize::MAX)?;
    }
    Ok(())
}

/// The fields creation and update share.
struct Common<'a> {
    name: &'a str,
    resources: &'a [Resource],
    workers: i64,
    container_volume_in_gb: i64,
    min_vram: Option<i64>,
    min_vcpu: Option<i64>,
    min_ram: Option<i64>,
    credential: Option<&'a str>,
    environment: &'a [EnvVar],
    expose: Option<&'a Expose>,
    webhook: Option<&'a str>,
}

fn common(fields: Common<'_>, version: ApiVersion) -> Result<()> {
    name(fields.name, version)?;
    resources(fields.resources)?;
    range("workers", fields.workers, 1, INT32_MAX)?;
    range(
        "containerVolumeInGb",
        fields.container_volume_in_gb,
        catalog::MIN_CONTAINER_VOLUME_GB.into(),
        INT32_MAX,
    )?;
    if let Some(vram) = fields.min_vram {
        range("minSingleCardVramInGb", vram, 0, 1536)?;
    }
    if let Some(vcpu) = fields.min_vcpu {
        range("minSingleCardVcpu", vcpu, 0, INT32_MAX)?;
    }
    if let Some(ram) = fields.min_ram {
        range("minSingleCardRamInGb", ram, 0, 1536)?;
    }
    if let Some(credential) = fields.credential {
        length("credentialId", credential, 1, usize::MAX)?;
        if version == ApiVersion::V2 {
            crate::ids::as_int64("credentialId", credential)?;
        }
    }
    environment(fields.environment)?;
    if let Some(exposed) = fields.expose {
        expose(exposed)?;
    }
    // v1's webhookUrl has no documented constraints; v2's webhook does.
    if let (Some(url), ApiVersion::V2) = (fields.webhook, version) {
        webhook("webhook", url)?;
    }
    Ok(())
}

pub fn endpoint_spec(spec: &EndpointSpec, version: ApiVersion) -> Result<()> {
    common(
        Common {
            name: &spec.name,
            resources: &spec.resources,
            workers: spec.workers,
            container_volume_in_gb: spec.container_volume_in_gb,
            min_vram: spec.min_single_card_vram_in_gb,
            min_vcpu: spec.min_single_card_vcpu,
            min_ram: spec.min_single_card_ram_in_gb,
            credential: spec.credential_id.as_ref().map(|c| c.as_str()),
            environment: &spec.environment_vars,
            expose: spec.expose.as_ref(),
            webhook: spec.webhook.as_deref(),
        },
        version,
    )?;
    length("image", &spec.image, 1, 255)?;
    if let (Some(registry), ApiVersion::V2) = (&spec.image_registry, version) {
        length("imageRegistry", registry, 0, 255)?;
    }
    length("serviceMode", spec.service_mode.as_str(), 1, usize::MAX)?;
    if spec.service_mode == ServiceMode::Alb && spec.expose.is_none() {
        return fail(
            "expose",
            "is required when serviceMode is ALB (the port your service listens on)",
        );
    }
    Ok(())
}

pub fn endpoint_update(update: &EndpointUpdate, version: ApiVersion) -> Result<()> {
    common(
        Common {
            name: &update.name,
            resources: &update.resources,
            workers: update.workers,
            container_volume_in_gb: update.container_volume_in_gb,
            min_vram: update.min_single_card_vram_in_gb,
            min_vcpu: update.min_single_card_vcpu,
            min_ram: update.min_single_card_ram_in_gb,
            credential: update.credential_id.as_ref().map(|c| c.as_str()),
            environment: &update.environment_vars,
            expose: update.expose.as_ref(),
            webhook: update.webhook.as_deref(),
        },
        version,
    )
}

/// A credential id in a v1 path (text there; v2 takes an integer, checked where it is parsed).
pub fn credential_id(id: &str) -> Result<&str> {
    let id = id.trim();
    length("id", id, 1, usize::MAX)?;
    Ok(id)
}

/// v2's reference limits (name 1-20 characters, starting with a letter, like endpoint names;
/// username and password 1-255); v1's partial page states none, so v1 checks only that each
/// field is there.
pub fn credential_spec(spec: &CredentialSpec, version: ApiVersion) -> Result<()> {
    match version {
        ApiVersion::V2 => credential_name(&spec.name)?,
        ApiVersion::V1 => length("name", &spec.name, 1, usize::MAX)?,
    }
    let max = if version == ApiVersion::V2 { 255 } else { usize::MAX };
    length("username", &spec.username, 1, max)?;
    length("password", &spec.password, 1, max)
}

pub fn credential_update(update: &CredentialUpdate) -> Result<()> {
    if let Some(name) = &update.name {
        credential_name(name)?;
    }
    if let Some(username) = &update.username {
        length("username", username, 1, 255)?;
    }
    if let Some(password) = &update.password {
        length("password", password, 1, 255)?;
    }
    Ok(())
}

/// `^(?=[A-Za-z])[A-Za-z0-9@._-]{1,20}$` (the v2 reference): the endpoint name rule at v2's
/// length.
fn credential_name(name: &str) -> Result<()> {
    self::name(name, ApiVersion::V2)
}

pub fn worker_count(workers: i64) -> Result<()> {
    range("workers", workers, 0, INT32_MAX)
}

/// Non-empty, as v1's `userTaskId` requires (v2's pattern would allow an empty id, which names
/// no task: the SDK generates an id when none is given).
pub fn task_id(id: &str) -> Result<()> {
    length("taskId", id, 1, 255)?;
    if let Some(bad) = id.chars().find(|c| !(c.is_ascii_alphanumeric() || *c == '_')) {
        return fail(
            "taskId",
            format!("may contain only letters, digits and '_' (found {bad:?})"),
        );
    }
    Ok(())
}

pub fn task_spec(task: &TaskSpec) -> Result<()> {
    if let Some(id) = &task.task_id {
        task_id(id.as_str())?;
    }
    range("workerPort", task.worker_port, 1, 65535)?;
    length("processUri", &task.process_uri, 1, 255)?;
    if task.process_uri.chars().any(char::is_whitespace) {
        return fail("processUri", "must not contain spaces");
    }
    if let Some(url) = &task.webhook {
        webhook("webhook", url)?;
    }
    if let Some(key) = &task.webhook_auth_key {
        length("webhookAuthKey", key, 0, 255)?;
    }
    for name in task.headers.keys() {
        if name.is_empty()
            || !name
                .bytes()
                .all(|b| b.is_ascii_graphic() && !b"()<>@,;:\\\"/[]?={}".contains(&b))
        {
            return fail(format!("headers[{name:?}]"), "must be a valid HTTP header name");
        }
    }
    Ok(())
}

fn log_time(field: &str, time: &LogTime) -> Result<()> {
    let LogTime::Text(text) = time else { return Ok(()) };
    let text = text.trim();
    let epoch = !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit());
    let bytes = text.as_bytes();
    let iso = bytes.len() >= 10
        && bytes[..4].iter().all(u8::is_ascii_digit)
        && bytes[4] == b'-'
        && bytes[5..7].iter().all(u8::is_ascii_digit)
        && bytes[7] == b'-'
        && bytes[8..10].iter().all(u8::is_ascii_digit);
    if !(epoch || iso) {
        return fail(
            field,
            format!("must be epoch milliseconds or an ISO 8601 time like 2024-01-15T10:30:00Z (got {text:?})"),
        );
    }
    Ok(())
}

pub fn log_query(query: &LogQuery) -> Result<()> {
    if let Some(size) = query.page_size {
        range("pageSize", size, 1, MAX_LOG_PAGE_SIZE)?;
    }
    if let Some(start) = &query.start_time {
        log_time("startTime", start)?;
    }
    if let Some(end) = &query.end_time {
        log_time("endTime", end)?;
    }
    if let (Some(LogTime::EpochMillis(start)), Some(LogTime::EpochMillis(end))) = (&query.start_time, &query.end_time)
        && start > end
    {
        return fail("endTime", "must not be before startTime");
    }
    Ok(())
}

pub fn task_list_query(query: &TaskListQuery) -> Result<()> {
    if let Some(page) = query.page_number {
        range("pageNumber", page, 1, INT32_MAX)?;
    }
    if let Some(size) = query.page_size {
        range("pageSize", size, 1, INT32_MAX)?;
    }
    Ok(())
}

#[cfg(test)]
mod documented;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ServiceMode;

    fn spec() -> EndpointSpec {
        EndpointSpec::new("llama", "vllm/vllm-openai:latest", ServiceMode::Queue)
            .resource("us-east-1", "NVIDIA_RTX_4090_24G", 1)
            .workers(2)
            .container_volume_in_gb(120)
    }

    fn field_of(result: Result<()>) -> String {
        result.unwrap_err().field().unwrap().to_string()
    }

    #[test]
    fn a_good_spec_passes_both_versions() {
        endpoint_spec(&spec(), ApiVersion::V1).unwrap();
        endpoint_spec(&spec(), ApiVersion::V2).unwrap();
    }

    #[test]
    fn names_follow_each_versions_pattern() {
        let long = "a".repeat(21);
        assert!(name(&long, ApiVersion::V1).is_ok());
        let error = name(&long, ApiVersion::V2).unwrap_err().to_string();
        assert_eq!(error, "invalid name: must be at most 20 characters (got 21)");
        assert!(
            name("1abc", ApiVersion::V1)
                .unwrap_err()
                .to_string()
                .contains("start with a letter")
        );
        assert!(name("a b", ApiVersion::V1).unwrap_err().to_string().contains("' '"));
        assert!(name("a@b.c_d-e", ApiVersion::V2).is_ok());
        assert!(name(&"a".repeat(51), ApiVersion::V1).is_err());
    }

    #[test]
    fn each_constraint_names_its_field() {
        let mut s = spec();
        s.resources.push(Resource::new("eu-west-1", "H100", 2));
        assert_eq!(field_of(endpoint_spec(&s, ApiVersion::V2)), "resources[1].gpuCount");
        assert_eq!(field_of(endpoint_spec(&spec().workers(0), ApiVersion::V2)), "workers");
        assert_eq!(
            field_of(endpoint_spec(&spec().container_volume_in_gb(19), ApiVersion::V2)),
            "containerVolumeInGb"
        );
        assert_eq!(
            field_of(endpoint_spec(&spec().expose(70000, "http"), ApiVersion::V2)),
            "expose.port"
        );
        assert_eq!(
            field_of(endpoint_spec(&spec().webhook("ftp://x"), ApiVersion::V2)),
            "webhook"
        );
        assert!(
            endpoint_spec(&spec().webhook("ftp://x"), ApiVersion::V1).is_ok(),
            "v1 webhookUrl is free-form"
        );
        assert_eq!(
            field_of(endpoint_spec(&spec().credential("abc"), ApiVersion::V2)),
            "credentialId"
        );
        assert!(endpoint_spec(&spec().credential("abc"), ApiVersion::V1).is_ok());
        assert_eq!(
            field_of(endpoint_spec(&spec().env("", "x"), ApiVersion::V1)),
            "environmentVars[0].key"
        );
        let mut alb = spec();
        alb.service_mode = ServiceMode::Alb;
        assert_eq!(field_of(endpoint_spec(&alb, ApiVersion::V1)), "expose");
        assert!(endpoint_spec(&alb.expose(8000, "http"), ApiVersion::V1).is_ok());
        let mut vram = spec();
        vram.min_single_card_vram_in_gb = Some(2000);
        assert_eq!(field_of(endpoint_spec(&vram, ApiVersion::V1)), "minSingleCardVramInGb");
        let mut none = spec();
        none.resources.clear();
        assert_eq!(field_of(endpoint_spec(&none, ApiVersion::V1)), "resources");
        let mut image = spec();
        image.image = "x".repeat(256);
        assert_eq!(field_of(endpoint_spec(&image, ApiVersion::V1)), "image");
    }

    #[test]
    fn tasks_and_logs() {
        let task = TaskSpec::new(serde_json::json!({}), 8000, "/run");
        task_spec(&task).unwrap();
        assert_eq!(field_of(task_spec(&task.clone().task_id("has-dash"))), "taskId");
        assert_eq!(field_of(task_spec(&task.clone().task_id("x".repeat(256)))), "taskId");
        assert_eq!(
            field_of(task_spec(&TaskSpec::new(serde_json::json!(1), 0, "/run"))),
            "workerPort"
        );
        assert_eq!(
            field_of(task_spec(&TaskSpec::new(serde_json::json!(1), 80, "/a b"))),
            "processUri"
        );
        assert_eq!(
            field_of(task_spec(&task.clone().header("bad header", "v"))),
            "headers[\"bad header\"]"
        );
        assert_eq!(field_of(log_query(&LogQuery::default().page_size(1001))), "pageSize");
        log_query(
            &LogQuery::default()
                .page_size(1000)
                .since("2024-01-15T10:30:00Z")
                .until(1705306215123),
        )
        .unwrap();
        assert_eq!(
            field_of(log_query(&LogQuery::default().since("yesterday"))),
            "startTime"
        );
        assert_eq!(field_of(log_query(&LogQuery::default().since(10).until(5))), "endTime");
        assert_eq!(
            field_of(task_list_query(&TaskListQuery {
                page_number: Some(0),
                ..Default::default()
            })),
            "pageNumber"
        );
    }
}
