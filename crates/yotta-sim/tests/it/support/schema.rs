//! Validates response bodies against `openapi/yotta.json` (and, where the route exists there, the
//! version's raw reference `openapi/v1.json` / `openapi/v2.json`, whose types are exact: v1 ids
//! are strings, v2 ids integers).
//!
//! OpenAPI 3.0 to JSON Schema: `$ref`s point into `$defs`; `nullable: true` and every property not
//! listed in `required` also accept `null` (clients normalise absent and null alike); `x-pattern`
//! becomes `pattern`; int32/int64 formats become numeric bounds; other `x-*` keys are dropped,
//! except `x-known-values`, which becomes an `enum`: the simulator must only send documented values.
//! Objects with `properties` get `additionalProperties: false`, so an undocumented field (say
//! `webhookUrl` in a v2 response) fails too: stricter than the spec, on purpose.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use serde_json::{Map, Value, json};

struct Doc {
    name: &'static str,
    spec: Value,
    defs: Value,
    cache: Mutex<HashMap<(String, String), Arc<jsonschema::Validator>>>,
}

fn docs() -> &'static [Doc] {
    static DOCS: OnceLock<Vec<Doc>> = OnceLock::new();
    DOCS.get_or_init(|| {
        ["yotta.json", "v1.json", "v2.json"]
            .into_iter()
            .map(|name| {
                let path = format!("{}/../../openapi/{name}", env!("CARGO_MANIFEST_DIR"));
                let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {path}: {e}"));
                let spec: Value = serde_json::from_str(&text).expect("spec is JSON");
                let defs: Map<String, Value> = spec["components"]["schemas"]
                    .as_object()
                    .expect("components.schemas")
                    .iter()
                    .map(|(k, v)| (k.clone(), convert(v)))
                    .collect();
                Doc {
                    name,
                    spec,
                    defs: Value::Object(defs),
                    cache: Mutex::default(),
                }
            })
            .collect()
    })
}

fn convert(schema: &Value) -> Value {
    let Some(obj) = schema.as_object() else {
        return schema.clone();
    };
    if let Some(Value::String(r)) = obj.get("$ref") {
        return json!({ "$ref": r.replace("#/components/schemas/", "#/$defs/") });
    }
    let mut out = Map::new();
    let required: Vec<&str> = obj
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    for (key, value) in obj {
        match key.as_str() {
            "properties" => {
                let props = value
                    .as_object()
                    .into_iter()
                    .flatten()
                    .map(|(name, s)| {
                        let converted = convert(s);
                        let converted = if required.contains(&name.as_str()) {
                            converted
                        } else {
                            nullable(converted)
                        };
                        (name.clone(), converted)
                    })
                    .collect();
                out.insert(key.clone(), Value::Object(props));
            }
            "items" | "additionalProperties" | "not" => {
                out.insert(
                    key.clone(),
                    if value.is_object() {
                        convert(value)
                    } else {
                        value.clone()
                    },
                );
            }
            "oneOf" | "anyOf" | "allOf" => {
                out.insert(
                    key.clone(),
                    Value::Array(value.as_array().into_iter().flatten().map(convert).collect()),
                );
            }
            "x-pattern" => {
                out.insert("pattern".into(), value.clone());
            }
            "x-known-values" => {
                out.insert("enum".into(), value.clone());
            }
            "format" => match value.as_str() {
                Some("int32") => {
                    out.insert("minimum".into(), json!(i32::MIN));
                    out.insert("maximum".into(), json!(i32::MAX));
                }
                Some("int64") => {
                    out.insert("minimum".into(), json!(i64::MIN));
                    out.insert("maximum".into(), json!(i64::MAX));
                }
                _ => {}
            },
            k if k.starts_with("x-") => {}
            "nullable" | "example" | "examples" | "discriminator" | "xml" | "externalDocs" | "deprecated"
            | "readOnly" | "writeOnly" => {}
            _ => {
                out.insert(key.clone(), value.clone());
            }
        }
    }
    if out.contains_key("properties") && !out.contains_key("additionalProperties") {
        out.insert("additionalProperties".into(), Value::Bool(false));
    }
    let converted = Value::Object(out);
    if obj.get("nullable") == Some(&Value::Bool(true)) {
        nullable(converted)
    } else {
        converted
    }
}

fn nullable(schema: Value) -> Value {
    json!({ "anyOf": [{ "type": "null" }, schema] })
}

/// The template of `path` in `spec` for `method`, preferring the most literal segments
/// (`/tasks/count` over `/tasks/{taskId}`).
fn template<'a>(spec: &'a Value, method: &str, path: &str) -> Option<&'a str> {
    let want: Vec<&str> = path.split('/').collect();
    spec["paths"]
        .as_object()?
        .iter()
        .filter(|(_, ops)| ops.get(method).is_some())
        .filter_map(|(tpl, _)| {
            let have: Vec<&str> = tpl.split('/').collect();
            let fits = have.len() == want.len()
                && have
                    .iter()
                    .zip(&want)
                    .all(|(h, w)| (h.starts_with('{') && !w.is_empty()) || h == w);
            fits.then(|| (have.iter().filter(|h| !h.starts_with('{')).count(), tpl.as_str()))
        })
        .max()
        .map(|(_, tpl)| tpl)
}

fn validator(doc: &Doc, method: &str, tpl: &str) -> Arc<jsonschema::Validator> {
    let key = (method.to_owned(), tpl.to_owned());
    let mut cache = doc.cache.lock().unwrap_or_else(|e| e.into_inner());
    cache
        .entry(key)
        .or_insert_with(|| {
            let content = &doc.spec["paths"][tpl][method]["responses"]["200"]["content"];
            let schema = content
                .as_object()
                .and_then(|c| c.values().next())
                .map(|c| &c["schema"])
                .expect("200 schema");
            let root = json!({ "$defs": doc.defs, "allOf": [convert(schema)] });
            Arc::new(jsonschema::validator_for(&root).unwrap_or_else(|e| panic!("{}: {method} {tpl}: {e}", doc.name)))
        })
        .clone()
}

/// Checks `body` (a response to `method path`) against every spec that documents the route.
/// Returns the operation template from yotta.json.
pub fn validate(method: &str, path: &str, body: &Value) -> String {
    let method = method.to_ascii_lowercase();
    let path = path.split('?').next().unwrap_or(path);
    let mut matched = None;
    for doc in docs() {
        let Some(tpl) = template(&doc.spec, &method, path) else {
            continue;
        };
        let v = validator(doc, &method, tpl);
        let errors: Vec<String> = v
            .iter_errors(body)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(
            errors.is_empty(),
            "{} {method} {tpl}: response violates the schema:\n{}\n{body:#}",
            doc.name,
            errors.join("\n")
        );
        matched.get_or_insert_with(|| tpl.to_owned());
    }
    matched.unwrap_or_else(|| panic!("no operation documents {method} {path}"))
}

#[test]
fn the_validator_rejects_what_it_should() {
    let ok = json!({"code": 14000, "message": "Endpoint not found", "data": null});
    validate("GET", "/v2/serverless/1", &ok);
    let v2_with_string_id = json!({"code": 10000, "data": {"id": "1"}});
    let v2_tpl = template(&docs()[2].spec, "get", "/v2/serverless/1").unwrap();
    assert!(!validator(&docs()[2], "get", v2_tpl).is_valid(&v2_with_string_id));
    let undocumented = json!({"code": 10000, "data": {"webhookUrl": null}});
    assert!(!validator(&docs()[0], "get", "/v2/serverless/{id}").is_valid(&undocumented));
    let unknown_status = json!({"code": 10000, "data": {"status": "DELETED"}});
    assert!(!validator(&docs()[0], "get", "/v2/serverless/{id}").is_valid(&unknown_status));
    let bad_int32 = json!({"code": 10000, "data": {"processing": 3_000_000_000u64}});
    assert!(!validator(&docs()[0], "get", "/v2/serverless/{id}/tasks/count").is_valid(&bad_int32));
    assert_eq!(
        template(&docs()[0].spec, "get", "/v2/serverless/5/tasks/count"),
        Some("/v2/serverless/{id}/tasks/count")
    );
    assert_eq!(
        template(&docs()[0].spec, "get", "/openapi/v1/elastic/deploy/list"),
        Some("/openapi/v1/elastic/deploy/list")
    );
}
