//! The operation table: for every operation of `openapi/yotta.json`, a descriptor (method, path
//! template, parameters, body and success schemas, business codes, retry safety, documented rate
//! limits) and a request
//! type holding its parameters and body, which encodes itself against the descriptor.
//!
//! The facade sends every request through one function that reads a descriptor, and the
//! simulator routes by the same table, so neither retypes a path or a parameter name.

use super::rust_file;
use crate::spec;
use anyhow::{Context, Result, bail};
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt::Write as _;

pub fn generate_operations(yotta: &Value, type_names: &BTreeMap<String, String>) -> Result<String> {
    let mut ops: Vec<Op> = spec::operations(yotta)
        .into_iter()
        .map(|(method, path, op)| Op::read(&method, &path, op, type_names))
        .collect::<Result<_>>()?;
    ops.sort_by(|a, b| a.id.cmp(&b.id));

    let mut source = String::from(
        "//! Every operation of `openapi/yotta.json`: its descriptor (`V1_LIST_ENDPOINTS`, ...) and its\n\
         //! request type (`V1ListEndpoints`, ...), v1 and v2 named in parallel.\n\
         use crate::operation::{BusinessCode, Encoder, EncodeError, Method, Operation, Param, ParamIn, RateLimit, Request, Retry, Version};\n\
         use crate::types;\n",
    );
    for op in &ops {
        op.write_descriptor(&mut source);
        op.write_request(&mut source);
    }
    writeln!(
        source,
        "/// Every operation, v1 first, each version's in name order.\npub static ALL: [&Operation; {}] = [{}];",
        ops.len(),
        ops.iter()
            .map(|op| format!("&{}", op.constant()))
            .collect::<Vec<_>>()
            .join(", ")
    )?;
    let file: syn::File = syn::parse_str(&source).context("the operation table is not valid Rust")?;
    Ok(rust_file(&file))
}

/// One operation, read from the spec.
struct Op {
    /// `v1_listEndpoints`
    id: String,
    version: &'static str,
    method: String,
    path: String,
    summary: String,
    params: Vec<Param>,
    /// Rust type of the request body.
    body: Option<String>,
    /// Rust type of the success (HTTP 200) envelope.
    response: String,
    /// Schema names, as in the spec.
    body_schema: Option<String>,
    response_schema: String,
    business_codes: Vec<(i64, String)>,
    retry_safe: bool,
    rate_limit: Option<RateLimit>,
}

/// `x-rate-limit` of an operation (see `guide_references` in xtask/src/spec/normalize.rs).
struct RateLimit {
    per_endpoint_qps: Option<u32>,
    per_endpoint_total: Option<u32>,
    global_qps: Option<u32>,
    endpoint_param: String,
    source: String,
}

impl RateLimit {
    fn read(id: &str, limit: &Value) -> Result<Self> {
        let figure = |key: &str| -> Result<Option<u32>> {
            match limit.get(key) {
                None => Ok(None),
                Some(value) => value
                    .as_u64()
                    .and_then(|n| u32::try_from(n).ok())
                    .map(Some)
                    .with_context(|| format!("{id}: x-rate-limit.{key} is not a count")),
            }
        };
        Ok(Self {
            per_endpoint_qps: figure("perEndpointQps")?,
            per_endpoint_total: figure("perEndpointTotal")?,
            global_qps: figure("globalQps")?,
            endpoint_param: limit["endpointParam"]
                .as_str()
                .with_context(|| format!("{id}: x-rate-limit has no endpointParam"))?
                .to_string(),
            source: limit["source"].as_str().unwrap_or_default().to_string(),
        })
    }

    fn rust(&self) -> String {
        format!(
            "Some(RateLimit {{ per_endpoint_qps: {:?}, per_endpoint_total: {:?}, global_qps: {:?}, endpoint_param: {:?}, source: {:?} }})",
            self.per_endpoint_qps, self.per_endpoint_total, self.global_qps, self.endpoint_param, self.source
        )
    }
}

struct Param {
    name: String,
    location: &'static str,
    required: bool,
    /// Rust type of one value.
    rust_type: &'static str,
    /// An array: one query pair per item.
    repeated: bool,
    description: Option<String>,
}

impl Op {
    fn read(method: &str, path: &str, op: &Value, type_names: &BTreeMap<String, String>) -> Result<Self> {
        let id = op["operationId"]
            .as_str()
            .with_context(|| format!("{method} {path} has no operationId"))?
            .to_string();
        let version = match id.split_once('_') {
            Some(("v1", _)) => "V1",
            Some(("v2", _)) => "V2",
            _ => bail!("{id}: operation ids start with v1_ or v2_"),
        };
        let params = op["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|p| Param::read(&id, p))
            .collect::<Result<Vec<_>>>()?;
        let schema_name = |pointer: &str| -> Result<Option<String>> {
            match op.pointer(pointer) {
                None => Ok(None),
                Some(schema) => schema["$ref"]
                    .as_str()
                    .and_then(|r| r.strip_prefix("#/components/schemas/"))
                    .map(|name| Some(name.to_string()))
                    .with_context(|| format!("{id}: {pointer} is not a reference to a component schema")),
            }
        };
        let rust_type = |schema: &str| -> Result<String> {
            type_names
                .get(schema)
                .map(|name| format!("types::{name}"))
                .with_context(|| format!("{id}: no generated type for schema {schema}"))
        };
        let body_schema = schema_name("/requestBody/content/application~1json/schema")?;
        let response_schema = schema_name("/responses/200/content/application~1json/schema")?
            .with_context(|| format!("{id}: no JSON response for HTTP 200"))?;
        let business_codes = op["x-business-codes"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(code, description)| {
                let code: i64 = code.parse().with_context(|| format!("{id}: business code {code}"))?;
                Ok((code, description.as_str().unwrap_or_default().to_string()))
            })
            .collect::<Result<Vec<_>>>()?;
        let retry_safe = match op["x-retry"].as_str() {
            Some("safe") => true,
            Some("ifNotProcessed") => false,
            other => bail!("{id}: x-retry is {other:?} (see retry_safety in xtask/src/spec/normalize.rs)"),
        };
        let rate_limit = op
            .get("x-rate-limit")
            .map(|limit| RateLimit::read(&id, limit))
            .transpose()?;
        Ok(Op {
            rate_limit,
            version,
            method: method.to_string(),
            path: path.to_string(),
            summary: op["summary"].as_str().unwrap_or_default().trim().to_string(),
            params,
            body: body_schema.as_deref().map(rust_type).transpose()?,
            response: rust_type(&response_schema)?,
            body_schema,
            response_schema,
            business_codes,
            retry_safe,
            id,
        })
    }

    /// `V1_LIST_ENDPOINTS`
    fn constant(&self) -> String {
        snake_case(&self.id).to_ascii_uppercase()
    }

    /// `V1ListEndpoints`
    fn request_type(&self) -> String {
        let mut name = String::new();
        for part in self.id.split('_') {
            let mut chars = part.chars();
            if let Some(first) = chars.next() {
                name.push(first.to_ascii_uppercase());
                name.extend(chars);
            }
        }
        name
    }

    fn write_descriptor(&self, out: &mut String) {
        let params: Vec<String> = self
            .params
            .iter()
            .map(|p| {
                format!(
                    "Param {{ name: {:?}, location: ParamIn::{}, required: {}, repeated: {} }}",
                    p.name, p.location, p.required, p.repeated
                )
            })
            .collect();
        let codes: Vec<String> = self
            .business_codes
            .iter()
            .map(|(code, description)| format!("BusinessCode {{ code: {code}, description: {description:?} }}"))
            .collect();
        let method = capitalised(&self.method.to_ascii_lowercase());
        writeln!(
            out,
            "/// `{} {}`{}\npub const {}: Operation = Operation {{ id: {:?}, version: Version::{}, method: Method::{method}, \
             path: {:?}, params: &[{}], body: {:?}, response: {:?}, business_codes: &[{}], retry: Retry::{}, rate_limit: {} }};",
            self.method,
            self.path,
            if self.summary.is_empty() { String::new() } else { format!(": {}.", self.summary) },
            self.constant(),
            self.id,
            self.version,
            self.path,
            params.join(", "),
            self.body_schema,
            self.response_schema,
            codes.join(", "),
            if self.retry_safe { "Safe" } else { "IfNotProcessed" },
            self.rate_limit.as_ref().map_or_else(|| "None".to_string(), RateLimit::rust),
        )
        .expect("writing to a String");
    }

    fn write_request(&self, out: &mut String) {
        let name = self.request_type();
        let all_optional = self.body.is_none() && self.params.iter().all(|p| !p.required);
        let derives = if all_optional {
            "Clone, Debug, Default, PartialEq"
        } else {
            "Clone, Debug, PartialEq"
        };
        writeln!(
            out,
            "/// The parameters and body of [`{}`] (`{} {}`).\n#[derive({derives})]\npub struct {name} {{",
            self.constant(),
            self.method,
            self.path
        )
        .expect("writing to a String");
        for param in &self.params {
            if let Some(description) = &param.description {
                writeln!(out, "/// {description}").expect("writing to a String");
            }
            writeln!(out, "pub {}: {},", field_name(&param.name), param.field_type()).expect("writing to a String");
        }
        if let Some(body) = &self.body {
            writeln!(out, "pub body: {body},").expect("writing to a String");
        }
        out.push_str("}\n");

        let mut encode = String::new();
        for param in &self.params {
            let field = field_name(&param.name);
            let call = match param.location {
                "Path" => "path",
                "Header" => "header",
                _ => "query",
            };
            let line = match (param.required, param.repeated) {
                (true, false) => format!("out.{call}({:?}, &self.{field});", param.name),
                (true, true) => format!("for value in &self.{field} {{ out.{call}({:?}, value); }}", param.name),
                (false, false) => format!(
                    "if let Some(value) = &self.{field} {{ out.{call}({:?}, value); }}",
                    param.name
                ),
                (false, true) => format!(
                    "for value in self.{field}.iter().flatten() {{ out.{call}({:?}, value); }}",
                    param.name
                ),
            };
            encode.push_str(&line);
        }
        if self.body.is_some() {
            encode.push_str("out.json(&self.body)?;");
        }
        let out_name = if encode.is_empty() { "_out" } else { "out" };
        writeln!(
            out,
            "impl Request for {name} {{ type Response = {}; const OPERATION: &'static Operation = &{}; \
             fn write(&self, {out_name}: &mut Encoder) -> Result<(), EncodeError> {{ {encode} Ok(()) }} }}",
            self.response,
            self.constant()
        )
        .expect("writing to a String");
    }
}

impl Param {
    fn read(operation: &str, param: &Value) -> Result<Self> {
        let name = param["name"]
            .as_str()
            .with_context(|| format!("{operation}: a parameter has no name"))?
            .to_string();
        let location = match param["in"].as_str() {
            Some("path") => "Path",
            Some("query") => "Query",
            Some("header") => "Header",
            other => bail!("{operation}: parameter {name} is in {other:?}; only path, query and header are supported"),
        };
        let schema = &param["schema"];
        let (rust_type, repeated) = match schema["type"].as_str() {
            Some("array") => (scalar_type(operation, &name, &schema["items"])?, true),
            _ => (scalar_type(operation, &name, schema)?, false),
        };
        Ok(Param {
            required: param["required"] == true || location == "Path",
            description: param["description"].as_str().map(|d| d.trim().to_string()),
            name,
            location,
            rust_type,
            repeated,
        })
    }

    fn field_type(&self) -> String {
        let one = self.rust_type.to_string();
        let value = if self.repeated { format!("Vec<{one}>") } else { one };
        if self.required {
            value
        } else {
            format!("Option<{value}>")
        }
    }
}

fn scalar_type(operation: &str, name: &str, schema: &Value) -> Result<&'static str> {
    Ok(match (schema["type"].as_str(), schema["format"].as_str()) {
        (Some("integer"), Some("int32")) => "i32",
        (Some("integer"), _) => "i64",
        (Some("string"), _) => "String",
        (Some("boolean"), _) => "bool",
        (Some("number"), _) => "f64",
        other => bail!("{operation}: parameter {name} has an unsupported type {other:?}"),
    })
}

/// The Rust field of a parameter: `searchAfterOffset` -> `search_after_offset`, and a header
/// name's words joined by underscores: `X-Endpoint-ID` -> `x_endpoint_id`.
fn field_name(name: &str) -> String {
    if name.contains('-') {
        name.split('-')
            .filter(|w| !w.is_empty())
            .map(str::to_ascii_lowercase)
            .collect::<Vec<_>>()
            .join("_")
    } else {
        snake_case(name)
    }
}

/// `searchAfterOffset` -> `search_after_offset`; `v1_listEndpoints` -> `v1_list_endpoints`.
fn snake_case(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 && !out.ends_with('_') {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|first| first.to_ascii_uppercase().to_string() + chars.as_str())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_rust_conventions() {
        assert_eq!(snake_case("searchAfterOffset"), "search_after_offset");
        assert_eq!(snake_case("v1_listEndpoints"), "v1_list_endpoints");
        assert_eq!(snake_case("id"), "id");
        assert_eq!(field_name("X-Endpoint-ID"), "x_endpoint_id");
        assert_eq!(field_name("userTaskId"), "user_task_id");
        let op = |id: &str| Op {
            id: id.into(),
            version: "V1",
            method: "GET".into(),
            path: "/x".into(),
            summary: String::new(),
            params: Vec::new(),
            body: None,
            response: "types::R".into(),
            body_schema: None,
            response_schema: "R".into(),
            business_codes: Vec::new(),
            retry_safe: true,
            rate_limit: None,
        };
        assert_eq!(op("v1_listEndpoints").constant(), "V1_LIST_ENDPOINTS");
        assert_eq!(op("v2_getTaskCount").request_type(), "V2GetTaskCount");
    }
}
