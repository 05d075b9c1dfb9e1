//! The checks agree with what `openapi/yotta.json` documents. For every bound on a request
//! property the value at the bound passes and the value one past it fails, naming the field;
//! every documented pattern rejects a value it excludes; the open enums know exactly the
//! documented values. A docs change that moves a bound, adds a constraint or a value fails
//! here until the facade follows.

use super::*;
use crate::model::{DeliveryStatus, EndpointStatus, RegistryType, TaskStatus, WorkerStatus};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

const SPEC: &str = include_str!("../../../../openapi/yotta.json");

fn spec() -> Value {
    serde_json::from_str(SPEC).expect("yotta.json is JSON")
}

/// How one request schema reaches the facade's checks: a valid request in the facade's
/// vocabulary, where the schema's properties sit in it, and the check that runs.
struct Target {
    base: Value,
    /// JSON pointer of the object holding the schema's properties.
    at: &'static str,
    check: Check,
}

type Check = fn(&Value) -> Result<()>;

fn from<T: DeserializeOwned>(value: &Value) -> T {
    serde_json::from_value(value.clone()).unwrap_or_else(|e| panic!("{value} is not a facade request: {e}"))
}

fn endpoint() -> Value {
    json!({
        "name": "llama", "image": "vllm/vllm-openai:latest", "serviceMode": "QUEUE",
        "resources": [{"region": "us-east-1", "gpuType": "NVIDIA_RTX_4090_24G", "gpuCount": 1}],
        "workers": 1, "containerVolumeInGb": 20,
        "environmentVars": [{"key": "K", "value": "V"}],
        "expose": {"port": 8000, "protocol": "http"}
    })
}

fn update() -> Value {
    let mut update = endpoint();
    let fields = update.as_object_mut().unwrap();
    fields.remove("image");
    fields.remove("serviceMode");
    update
}

fn task() -> Value {
    json!({"input": {}, "workerPort": 8000, "processUri": "/run"})
}

fn credential() -> Value {
    json!({"name": "registry", "username": "me", "password": "secret"})
}

fn target(schema: &str) -> Target {
    use ApiVersion::{V1, V2};
    let (base, at, check): (Value, &str, Check) = match schema {
        "OpenapiElasticCreateRequest" => (endpoint(), "", |v| endpoint_spec(&from(v), V1)),
        "ElasticV2CreateRequest" => (endpoint(), "", |v| endpoint_spec(&from(v), V2)),
        "OpenapiElasticUpdateRequest" => (update(), "", |v| endpoint_update(&from(v), V1)),
        "ElasticV2UpdateRequest" => (update(), "", |v| endpoint_update(&from(v), V2)),
        // Shared by both versions: both must agree.
        "OpenapiElasticResource" => (endpoint(), "/resources/0", both),
        "KeyValuePairDTO" => (endpoint(), "/environmentVars/0", both),
        "OpenapiExposePort" => (endpoint(), "/expose", |v| endpoint_spec(&from(v), V1)),
        "ElasticV2ExposePort" => (endpoint(), "/expose", |v| endpoint_spec(&from(v), V2)),
        "OpenapiCredentialCreateRequest" => (credential(), "", |v| credential_spec(&from(v), V1)),
        "CredentialV2CreateRequest" => (credential(), "", |v| credential_spec(&from(v), V2)),
        "CredentialV2UpdateRequest" => (credential(), "", |v| credential_update(&from(v))),
        "OpenapiTaskCreateRequest" | "ElasticV2SubmitTaskRequest" => (task(), "", |v| task_spec(&from(v))),
        other => panic!("{other} has documented constraints: teach this test how the facade checks it"),
    };
    Target { base, at, check }
}

fn both(value: &Value) -> Result<()> {
    let v1 = endpoint_spec(&from(value), ApiVersion::V1);
    let v2 = endpoint_spec(&from(value), ApiVersion::V2);
    assert_eq!(v1.is_ok(), v2.is_ok(), "the versions disagree on {value}");
    v1.and(v2)
}

/// The facade's name for a property where the v1 reference spells it differently.
fn facade_name(property: &str) -> &str {
    match property {
        "userTaskId" => "taskId",
        "notifyUrl" => "webhook",
        "notifyAuthKey" => "webhookAuthKey",
        "token" => "password",
        other => other,
    }
}

/// The field an error about `property` at `at` names: `resources[0].region`, `expose.port`.
fn field_name(at: &str, property: &str) -> String {
    let mut field = String::new();
    for part in at.split('/').filter(|p| !p.is_empty()) {
        if part.bytes().all(|b| b.is_ascii_digit()) {
            field.push_str(&format!("[{part}]"));
        } else {
            field.push_str(part);
        }
    }
    if !field.is_empty() {
        field.push('.');
    }
    field + facade_name(property)
}

/// A value of `length` characters that breaks no other rule of `property`.
fn text_of_length(property: &str, length: usize) -> String {
    match facade_name(property) {
        "webhook" => format!("https://{}", "a".repeat(length.saturating_sub(8))),
        "processUri" => format!("/{}", "a".repeat(length.saturating_sub(1))),
        _ => "a".repeat(length),
    }
}

fn with(target: &Target, property: &str, value: Value) -> Value {
    let mut request = target.base.clone();
    request
        .pointer_mut(target.at)
        .and_then(Value::as_object_mut)
        .unwrap_or_else(|| panic!("no object at {}", target.at))
        .insert(facade_name(property).to_string(), value);
    request
}

/// Runs `target`'s check on a request with `property` set to `value`.
fn outcome(target: &Target, property: &str, value: Value) -> Result<()> {
    (target.check)(&with(target, property, value))
}

fn assert_passes(schema: &str, property: &str, target: &Target, value: Value) {
    if let Err(error) = outcome(target, property, value.clone()) {
        panic!("{schema}.{property} = {value} is documented as valid, the facade says: {error}");
    }
}

fn assert_fails(schema: &str, property: &str, target: &Target, value: Value) {
    match outcome(target, property, value.clone()) {
        Ok(()) => panic!("{schema}.{property} = {value} breaks the docs' rule, the facade accepts it"),
        Err(error) => assert_eq!(
            error.field(),
            Some(field_name(target.at, property).as_str()),
            "{schema}.{property} = {value}: {error}"
        ),
    }
}

/// One value each documented pattern excludes (the facade implements them by hand: no regex
/// engine in the browser package).
fn excluded_by(pattern: &str) -> &'static str {
    match pattern {
        "^(?=[A-Za-z])[A-Za-z0-9@._-]{1,50}$" | "^(?=[A-Za-z])[A-Za-z0-9@._-]{1,20}$" => "1st",
        "^[A-Za-z0-9_]+$" | "^[A-Za-z0-9_]*$" => "has-dash",
        "^[^ ]*$" => "/a b",
        "^https?://.*" => "ftp://example.com",
        other => panic!("teach the facade and this test the documented pattern {other}"),
    }
}

#[test]
fn every_documented_bound_and_pattern_is_enforced() {
    let spec = spec();
    let mut checked = 0;
    for (schema, definition) in spec["components"]["schemas"].as_object().unwrap() {
        let Some(properties) = definition["properties"].as_object() else {
            continue;
        };
        for (property, rules) in properties {
            let documented = ["minLength", "maxLength", "minimum", "maximum", "minItems", "x-pattern"];
            if !documented.iter().any(|rule| rules.get(rule).is_some()) {
                continue;
            }
            let target = target(schema);
            let bound = |rule: &str| rules[rule].as_u64().map(|n| n as usize);
            if let Some(min) = bound("minLength") {
                assert_eq!(min, 1, "{schema}.{property}: only non-empty is modelled");
                assert_fails(schema, property, &target, json!(""));
                if bound("maxLength").is_none() {
                    assert_passes(schema, property, &target, json!(text_of_length(property, 1)));
                }
            }
            if let Some(max) = bound("maxLength") {
                assert_passes(schema, property, &target, json!(text_of_length(property, max)));
                assert_fails(schema, property, &target, json!(text_of_length(property, max + 1)));
            }
            if let Some(min) = rules["minimum"].as_i64() {
                assert_passes(schema, property, &target, json!(min));
                assert_fails(schema, property, &target, json!(min - 1));
            }
            if let Some(max) = rules["maximum"].as_i64() {
                assert_passes(schema, property, &target, json!(max));
                assert_fails(schema, property, &target, json!(max + 1));
            }
            if bound("minItems").is_some() {
                assert_fails(schema, property, &target, json!([]));
            }
            if let Some(pattern) = rules["x-pattern"].as_str() {
                assert_fails(schema, property, &target, json!(excluded_by(pattern)));
                if let Some(max) = pattern.strip_suffix("}$").and_then(|p| p.rsplit_once(',')) {
                    // The name patterns carry their length: `{1,20}$`.
                    let max: usize = max.1.parse().unwrap();
                    assert_passes(schema, property, &target, json!(text_of_length(property, max)));
                    assert_fails(schema, property, &target, json!(text_of_length(property, max + 1)));
                }
            }
            checked += 1;
        }
    }
    assert!(
        checked >= 40,
        "only {checked} constrained properties: did yotta.json move?"
    );
}

#[test]
fn documented_query_bounds_are_enforced() {
    let spec = spec();
    let operations = spec["paths"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|p| p.as_object().unwrap().values());
    for operation in operations {
        let id = operation["operationId"].as_str().unwrap();
        for parameter in operation["parameters"].as_array().into_iter().flatten() {
            let schema = &parameter["schema"];
            if schema.get("minimum").is_none() && schema.get("maximum").is_none() {
                continue;
            }
            match (id, parameter["name"].as_str().unwrap()) {
                ("v2_queryWorkerLogs", "pageSize") => {
                    let max = schema["maximum"].as_i64().unwrap();
                    log_query(&LogQuery::default().page_size(max)).unwrap();
                    let error = log_query(&LogQuery::default().page_size(max + 1)).unwrap_err();
                    assert_eq!(error.field(), Some("pageSize"));
                }
                // The facade sends a typed status, as the code the docs name for it.
                ("v1_listTasks", "status") => {
                    let codes = yotta_api::catalog::OPENAPI_TASK_DETAIL_STATUS_NAMES.map(|(code, _)| i64::from(code));
                    let range = schema["minimum"].as_i64().unwrap()..=schema["maximum"].as_i64().unwrap();
                    assert!(
                        codes.iter().all(|code| range.contains(code)),
                        "{codes:?} outside {range:?}"
                    );
                    assert_eq!(codes.len() as i64, range.end() - range.start() + 1);
                }
                (id, name) => panic!("{id}'s {name} has documented bounds: teach the facade and this test"),
            }
        }
    }
}

#[test]
fn the_open_enums_know_the_documented_values() {
    let spec = spec();
    let schemas = &spec["components"]["schemas"];
    let known = |schema: &str, property: &str| -> Vec<String> {
        let rules = &schemas[schema]["properties"][property];
        let values = rules.get("x-known-values").or_else(|| rules.get("enum"));
        let values = values.unwrap_or_else(|| panic!("{schema}.{property} lists no values"));
        serde_json::from_value(values.clone()).unwrap()
    };
    for (schema, property) in [
        ("ElasticV2Response", "status"),
        ("OpenapiElasticDetailResponse", "status"),
    ] {
        assert_eq!(known(schema, property), EndpointStatus::KNOWN, "{schema}.{property}");
    }
    assert_eq!(known("ElasticV2Response", "serviceMode"), ServiceMode::KNOWN);
    for (schema, property) in [
        ("CredentialV2Response", "type"),
        ("CredentialV2CreateRequest", "type"),
        ("OpenapiCredentialDetail", "type"),
    ] {
        assert_eq!(known(schema, property), RegistryType::KNOWN, "{schema}.{property}");
    }
    let names = |table: &[(i32, &'static str)]| table.iter().map(|(_, name)| *name).collect::<Vec<_>>();
    assert_eq!(
        names(&yotta_api::catalog::OPENAPI_TASK_DETAIL_STATUS_NAMES),
        TaskStatus::KNOWN
    );
    assert_eq!(
        names(&yotta_api::catalog::OPENAPI_TASK_DETAIL_RESULT_SEND_STATUS_NAMES),
        DeliveryStatus::KNOWN
    );
    // Worker statuses are listed only in the v1 guide's prose, not in a schema.
    let guide = include_str!("../../../../openapi/v1-guide-elastic-deployment.txt");
    assert!(
        guide.contains(&WorkerStatus::KNOWN.join(", ")),
        "{:?}",
        WorkerStatus::KNOWN
    );
}
