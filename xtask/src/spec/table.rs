//! A readable rendering of a spec's surface (operations, then schemas), one fact per line so
//! that an upstream change shows up as a small, reviewable snapshot diff.

use super::operations;
use serde_json::Value;
use std::fmt::Write as _;

pub fn render(doc: &Value) -> String {
    let mut out = String::new();
    let ops = operations(doc);
    writeln!(out, "# Operations ({})\n", ops.len()).unwrap();
    for (method, path, op) in &ops {
        let id = op["operationId"].as_str().unwrap_or("?");
        writeln!(out, "{id}: {method} {path}").unwrap();
        if let Some(upstream) = op["x-upstream-operation-id"].as_str() {
            writeln!(out, "  upstream id: {upstream}").unwrap();
        }
        for param in op["parameters"].as_array().into_iter().flatten() {
            let required = if param["required"] == true { " (required)" } else { "" };
            let default = param["schema"]
                .get("default")
                .map(|d| format!(" default={d}"))
                .unwrap_or_default();
            let max = param["schema"]
                .get("maximum")
                .map(|d| format!(" maximum={d}"))
                .unwrap_or_default();
            writeln!(
                out,
                "  param {} in {}: {}{required}{default}{max}",
                param["name"].as_str().unwrap_or("?"),
                param["in"].as_str().unwrap_or("?"),
                type_of(&param["schema"])
            )
            .unwrap();
        }
        if let Some(body) = op.pointer("/requestBody/content/application~1json/schema") {
            writeln!(out, "  request: {}", type_of(body)).unwrap();
        }
        for (status, response) in op["responses"].as_object().into_iter().flatten() {
            match response.pointer("/content/application~1json/schema") {
                Some(schema) => writeln!(out, "  response {status}: {}", type_of(schema)).unwrap(),
                None => writeln!(out, "  response {status}: (no body)").unwrap(),
            }
        }
        if let Some(codes) = op["x-business-codes"].as_object() {
            let codes: Vec<&str> = codes.keys().map(String::as_str).collect();
            writeln!(out, "  business codes: {}", codes.join(", ")).unwrap();
        }
        if let Some(retry) = op["x-retry"].as_str() {
            writeln!(out, "  retry: {retry}").unwrap();
        }
        if let Some(limit) = op.get("x-rate-limit") {
            let per = limit["endpointParam"].as_str().unwrap_or("?");
            let mut parts = Vec::new();
            if let Some(qps) = limit["perEndpointQps"].as_u64() {
                parts.push(format!("{qps} QPS per {per}"));
            }
            if let Some(total) = limit["perEndpointTotal"].as_u64() {
                parts.push(format!("{total} tasks per {per}"));
            }
            if let Some(qps) = limit["globalQps"].as_u64() {
                parts.push(format!("{qps} QPS global"));
            }
            writeln!(
                out,
                "  rate limit: {} ({})",
                parts.join(", "),
                limit["source"].as_str().unwrap_or("?")
            )
            .unwrap();
        }
        out.push('\n');
    }
    let schemas = doc["components"]["schemas"].as_object().cloned().unwrap_or_default();
    writeln!(out, "# Schemas ({})\n", schemas.len()).unwrap();
    for (name, schema) in &schemas {
        writeln!(out, "{name}").unwrap();
        let required: Vec<&str> = schema["required"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        for (property, property_schema) in schema["properties"].as_object().into_iter().flatten() {
            let marker = if required.contains(&property.as_str()) {
                " (required)"
            } else {
                ""
            };
            writeln!(
                out,
                "  {property}: {}{marker}{}",
                type_of(property_schema),
                constraints(property_schema)
            )
            .unwrap();
        }
        for alternative in schema["oneOf"].as_array().into_iter().flatten() {
            writeln!(out, "  one of: {}{}", type_of(alternative), constraints(alternative)).unwrap();
        }
        out.push('\n');
    }
    if let Some(gpus) = doc["x-gpu-types"]["types"].as_array() {
        writeln!(out, "# GPU types ({})\n", gpus.len()).unwrap();
        for gpu in gpus {
            writeln!(
                out,
                "{}: {}, {} GB",
                gpu["code"].as_str().unwrap_or("?"),
                gpu["displayName"].as_str().unwrap_or("?"),
                gpu["vramGb"]
            )
            .unwrap();
        }
        out.push('\n');
    }
    if let Some(constraints) = doc["x-constraints"].as_object() {
        writeln!(out, "# Constraints\n").unwrap();
        for (name, constraint) in constraints {
            let value = constraint.get("value").map(|v| format!(" = {v}")).unwrap_or_default();
            writeln!(out, "{name}{value}: {}", constraint["note"].as_str().unwrap_or("?")).unwrap();
        }
    }
    out
}

fn type_of(schema: &Value) -> String {
    if let Some(reference) = schema["$ref"].as_str() {
        return reference.rsplit('/').next().unwrap_or(reference).to_string();
    }
    let nullable = if schema["nullable"] == true { "?" } else { "" };
    let base = match schema["type"].as_str() {
        Some("array") => format!("[{}]", type_of(&schema["items"])),
        Some("object") if schema.get("additionalProperties").is_some() => {
            format!("map<string, {}>", type_of(&schema["additionalProperties"]))
        }
        Some(kind) => match schema["format"].as_str() {
            Some(format) => format!("{kind}({format})"),
            None => kind.to_string(),
        },
        None => "any".to_string(),
    };
    let values = schema.get("enum").or_else(|| schema.get("x-known-values"));
    let values = match values.and_then(Value::as_array) {
        Some(values) => {
            let open = if schema.get("enum").is_some() { "" } else { "|…" };
            let names: Vec<String> = values.iter().map(|v| v.as_str().unwrap_or("?").to_string()).collect();
            format!(" {{{}{open}}}", names.join("|"))
        }
        None => String::new(),
    };
    format!("{base}{nullable}{values}")
}

fn constraints(schema: &Value) -> String {
    let mut out = String::new();
    for key in [
        "minLength",
        "maxLength",
        "minimum",
        "maximum",
        "minItems",
        "pattern",
        "x-pattern",
        "x-documented-as",
        "x-enum-names",
    ] {
        if let Some(value) = schema.get(key) {
            write!(out, " {key}={value}").unwrap();
        }
    }
    out
}
