//! Normalisation of the merged spec for progenitor and for our own tooling.
//!
//! Every rule is a named step with the upstream defect (or toolchain limitation) it works
//! around. Steps are pure functions on the JSON document, so each can be tested on a fragment,
//! and the result (`openapi/yotta.json`) is committed so their combined effect is reviewable.

use super::Pages;
use super::guide;
use super::merge::HTTP_METHODS;
use anyhow::{Context, Result, bail};
use serde::Deserialize;
use serde_json::{Map, Value, json};
use std::collections::{BTreeMap, BTreeSet};

/// The API version a document describes; operations get its name as prefix and tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    V1,
    V2,
}

impl Version {
    pub fn tag(self) -> &'static str {
        match self {
            Version::V1 => "v1",
            Version::V2 => "v2",
        }
    }
}

/// Business codes a guide documents page-wide for the operations under one path prefix
/// (overlay `<version>.businessCodes`).
#[derive(Debug, Clone, Deserialize)]
pub struct PageCodes {
    /// The guide passage, for the record.
    pub source: String,
    /// The path prefix of the operations the guide covers.
    #[serde(rename = "appliesTo")]
    pub applies_to: String,
    /// Code -> documented description.
    pub codes: BTreeMap<String, String>,
}

/// Steps applied to one version's document (its reference blocks plus its overlay), in order.
pub fn normalize_version(
    doc: &mut Value,
    version: Version,
    page_codes: Option<&PageCodes>,
    pages: &Pages,
) -> Result<()> {
    downgrade_to_openapi_3_0(doc)?;
    version_operations(doc, version)?;
    guide_references(doc, pages)?;
    business_codes_to_extension(doc, page_codes)?;
    Ok(())
}

/// Steps applied to the combined document, in order. `global` is the overlay's `global` section.
pub fn normalize_combined(doc: &mut Value, global: &Value, pages: &Pages) -> Result<()> {
    json_content_types(doc);
    error_statuses_to_extension(doc);
    flexible_scalars(doc)?;
    open_response_enums(doc);
    known_values(doc, &global["knownValues"])?;
    global_business_codes(doc, &global["businessCodes"], pages)?;
    documented_catalog(doc, &global["catalog"], pages)?;
    guide_properties(doc, &global["guideProperties"], pages)?;
    nullable_optional_properties(doc);
    drop_zero_min_length(doc);
    patterns_to_extension(doc);
    prune_unreferenced_schemas(doc);
    api_key_security(doc);
    retry_safety(doc)?;
    check_references(doc)
}

/// Visits every operation object as (path, method, operation).
fn operations_mut(doc: &mut Value) -> impl Iterator<Item = (String, &'static str, &mut Map<String, Value>)> {
    doc.get_mut("paths")
        .and_then(Value::as_object_mut)
        .into_iter()
        .flat_map(|paths| paths.iter_mut())
        .flat_map(|(path, item)| {
            let path = path.clone();
            item.as_object_mut().into_iter().flat_map(move |item| {
                let path = path.clone();
                item.iter_mut().filter_map(move |(method, op)| {
                    let method = HTTP_METHODS.iter().find(|m| **m == method.as_str())?;
                    Some((path.clone(), *method, op.as_object_mut()?))
                })
            })
        })
}

/// Calls `f` on every schema object in the document: components, parameters, bodies,
/// responses, and everything nested in them (properties, items, compositions).
fn walk_schemas(node: &mut Value, f: &mut dyn FnMut(&mut Map<String, Value>)) {
    match node {
        Value::Object(map) => {
            let is_schema = map.contains_key("type")
                || map.contains_key("properties")
                || map.contains_key("$ref")
                || map.contains_key("oneOf");
            if is_schema {
                f(map);
            }
            for value in map.values_mut() {
                walk_schemas(value, f);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| walk_schemas(item, f)),
        _ => {}
    }
}

/// **Defect:** the v1 reference blocks declare OpenAPI 3.1.0 (springdoc's default) while
/// progenitor accepts only 3.0.x (`invalid version: 3.1.0`).
///
/// The blocks use nothing 3.1-specific; this step verifies that instead of assuming it, then
/// declares 3.0.3 (v2's 3.0.1 is raised to the same patch level).
pub fn downgrade_to_openapi_3_0(doc: &mut Value) -> Result<()> {
    let mut found = Vec::new();
    if doc.get("webhooks").is_some() {
        found.push("top-level `webhooks`".to_string());
    }
    walk_schemas(doc, &mut |schema| {
        if schema.get("type").is_some_and(Value::is_array) {
            found.push(format!("type array {}", schema["type"]));
        }
        for keyword in [
            "const",
            "examples",
            "$schema",
            "prefixItems",
            "unevaluatedProperties",
            "dependentSchemas",
        ] {
            if schema.contains_key(keyword) {
                found.push(format!("`{keyword}`"));
            }
        }
    });
    if !found.is_empty() {
        bail!(
            "the document uses OpenAPI 3.1 constructs that 3.0.3 cannot express: {}",
            found.join(", ")
        );
    }
    doc["openapi"] = json!("3.0.3");
    Ok(())
}

/// **Defect:** operation ids are unusable as a shared namespace: springdoc appends
/// de-duplication counters (`endpointDelete_2`, `endpointList_1`), the two versions use
/// different naming schemes (v1 noun first, `endpointList`; v2 verb first, `listEndpoints`), and
/// nothing says which version an operation belongs to.
///
/// Ids become `<version>_<name>`, where v1 operations take the name of the v2 operation that does
/// the same thing ([`V1_NAMES`]), so the two versions read in parallel (`v1_listEndpoints`,
/// `v2_listEndpoints`); each operation is tagged with its version only, so progenitor groups the
/// methods per version. A v1 id missing from [`V1_NAMES`] is an error: a new upstream operation
/// needs a name chosen here.
pub fn version_operations(doc: &mut Value, version: Version) -> Result<()> {
    let mut seen = BTreeMap::new();
    for (path, method, op) in operations_mut(doc) {
        let Some(upstream) = op.get("operationId").and_then(Value::as_str) else {
            bail!("{} {path} has no operationId", method.to_uppercase());
        };
        let clean = strip_dedup_counter(upstream);
        let name = match version {
            Version::V1 => match V1_NAMES.iter().find(|(v1, _)| *v1 == clean) {
                Some((_, name)) => *name,
                None => bail!(
                    "{} {path}: the v1 operation id {clean:?} has no parallel name; add it to V1_NAMES in xtask/src/spec/normalize.rs",
                    method.to_uppercase()
                ),
            },
            Version::V2 => clean,
        };
        let id = format!("{}_{name}", version.tag());
        if let Some(other) = seen.insert(id.clone(), format!("{} {path}", method.to_uppercase())) {
            bail!(
                "operation id {id} would be used by both {other} and {} {path}",
                method.to_uppercase()
            );
        }
        op.insert("x-upstream-operation-id".into(), json!(upstream));
        op.insert("operationId".into(), json!(id));
        op.insert("tags".into(), json!([version.tag()]));
    }
    doc["tags"] = json!([{"name": version.tag()}]);
    Ok(())
}

/// v1's operation ids (without springdoc's counters) and the v2 name of the same operation. The
/// v1 operations that come from the overlay (credentials, the v1 task API) have no upstream id:
/// the overlay gives them the v2 name directly.
pub const V1_NAMES: [(&str, &str); 18] = [
    ("endpointCreate", "createEndpoint"),
    ("endpointList", "listEndpoints"),
    ("endpointDetail", "getEndpoint"),
    ("endpointUpdate", "updateEndpoint"),
    ("endpointStart", "startEndpoint"),
    ("endpointStop", "stopEndpoint"),
    ("endpointDelete", "deleteEndpoint"),
    ("endpointScale", "scaleWorkers"),
    ("endpointWorkers", "listWorkers"),
    ("queryWorkerLogs", "queryWorkerLogs"),
    ("createCredential", "createCredential"),
    ("listCredentials", "listCredentials"),
    ("getCredential", "getCredential"),
    ("deleteCredential", "deleteCredential"),
    ("submitTask", "submitTask"),
    ("getTask", "getTask"),
    ("listTasks", "listTasks"),
    ("getTaskCount", "getTaskCount"),
];

fn strip_dedup_counter(id: &str) -> &str {
    match id.rsplit_once('_') {
        Some((base, counter)) if !counter.is_empty() && counter.bytes().all(|b| b.is_ascii_digit()) => base,
        _ => id,
    }
}

/// **Defect:** the business codes the API returns inside HTTP 200 envelopes are documented as
/// response keys (`"14000": {...}`) in the v2 reference, which are not HTTP statuses (progenitor
/// silently drops them), and only as page-wide tables in the guides (the v1 guide's for every
/// Elastic Deployment operation).
///
/// They move to `x-business-codes` (code -> documented description) on each operation, where
/// codegen turns them into each operation's `business_codes` (and a facade test checks that each
/// has an error kind). Codes an operation already lists (from the
/// overlay, see [`guide_references`]) are kept; `page_codes` (from the overlay) are added to every
/// operation under its `appliesTo` prefix, without replacing a description the operation has.
pub fn business_codes_to_extension(doc: &mut Value, page_codes: Option<&PageCodes>) -> Result<()> {
    for (path, method, op) in operations_mut(doc) {
        let mut codes: BTreeMap<String, String> = match op.remove("x-business-codes") {
            Some(existing) => serde_json::from_value(existing).with_context(|| {
                format!(
                    "{} {path}: x-business-codes is not a map of code to text",
                    method.to_uppercase()
                )
            })?,
            None => BTreeMap::new(),
        };
        if let Some(page) = page_codes.filter(|p| path.starts_with(&p.applies_to)) {
            for (code, description) in &page.codes {
                codes.entry(code.clone()).or_insert_with(|| description.clone());
            }
        }
        if let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) {
            let keys: Vec<String> = responses.keys().filter(|k| !is_http_status_key(k)).cloned().collect();
            for key in keys {
                if !key.bytes().all(|b| b.is_ascii_digit()) {
                    bail!(
                        "{} {path}: response key {key:?} is neither an HTTP status nor a business code",
                        method.to_uppercase()
                    );
                }
                let response = responses.remove(&key).expect("key listed above");
                let description = response.get("description").and_then(Value::as_str).unwrap_or_default();
                codes.insert(key, description.to_string());
            }
        }
        if !codes.is_empty() {
            op.insert("x-business-codes".into(), json!(codes));
        }
    }
    Ok(())
}

/// **Defect:** the guides document some operations' business codes and rate limits only in
/// prose and tables (the v1 task page's 'Response Codes' table and 'Rate Limiting' lists), and
/// no reference page covers those operations.
///
/// An overlay operation names the passage instead of retyping it: `x-business-codes-from`
/// (`{page, section, codes}`: the codes of that section's table this operation returns) becomes
/// entries of `x-business-codes` with the page's own text, and `x-rate-limit-from`
/// (`{page, section}`) becomes `x-rate-limit` (`perEndpointQps`, `perEndpointTotal`, `globalQps`,
/// `endpointParam`: the header whose value the per-endpoint limits count, `source`). A named code
/// missing from the table, or a limit keyed on a header the operation does not take, is an error.
pub fn guide_references(doc: &mut Value, pages: &Pages) -> Result<()> {
    for (path, method, op) in operations_mut(doc) {
        let at = format!("{} {path}", method.to_uppercase());
        if let Some(from) = op.remove("x-business-codes-from") {
            let (page, section) = page_and_section(&at, "x-business-codes-from", &from)?;
            let table = guide::business_codes(page, pages.get(page)?, section)?;
            let mut codes: BTreeMap<String, String> = match op.remove("x-business-codes") {
                Some(existing) => {
                    serde_json::from_value(existing).with_context(|| format!("{at}: x-business-codes"))?
                }
                None => BTreeMap::new(),
            };
            for code in from["codes"].as_array().into_iter().flatten() {
                let code = code
                    .as_str()
                    .with_context(|| format!("{at}: x-business-codes-from.codes are strings"))?;
                let description = table
                    .get(code)
                    .with_context(|| format!("{at}: code {code} is not in the table of {page}, section {section:?}"))?;
                codes.entry(code.to_string()).or_insert_with(|| description.clone());
            }
            op.insert("x-business-codes".into(), json!(codes));
        }
        if let Some(from) = op.remove("x-rate-limit-from") {
            let (page, section) = page_and_section(&at, "x-rate-limit-from", &from)?;
            let (limits, header) = guide::rate_limits(page, pages.get(page)?, section)?;
            let param = op
                .get("parameters")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .find(|p| p["in"] == "header" && p["name"].as_str().is_some_and(|n| n.eq_ignore_ascii_case(&header)))
                .and_then(|p| p["name"].as_str())
                .with_context(|| {
                    format!("{at}: its rate limit counts per {header}, which is not a header parameter of it")
                })?
                .to_string();
            let mut limit = Map::new();
            for (key, value) in [
                ("perEndpointQps", limits.per_endpoint_qps),
                ("perEndpointTotal", limits.per_endpoint_total),
                ("globalQps", limits.global_qps),
            ] {
                if let Some(value) = value {
                    limit.insert(key.into(), json!(value));
                }
            }
            limit.insert("endpointParam".into(), json!(param));
            limit.insert("source".into(), json!(format!("{page}, '{section}'")));
            op.insert("x-rate-limit".into(), Value::Object(limit));
        }
    }
    Ok(())
}

fn page_and_section<'a>(at: &str, key: &str, from: &'a Value) -> Result<(&'a str, &'a str)> {
    match (from["page"].as_str(), from["section"].as_str()) {
        (Some(page), Some(section)) => Ok((page, section)),
        _ => bail!("{at}: {key} needs a `page` and a `section`"),
    }
}

/// **Defect:** the API guides overview documents business codes of the whole platform ('Standard
/// Response Format') that no operation's documentation lists: 10002 (system error) and 10007
/// (record not exist) can come from any call.
///
/// The codes the overlay's `global.businessCodes` names are read from the page's table and added
/// to every operation's `x-business-codes` (an operation's own description wins), so each
/// descriptor's `business_codes` is the complete list a caller of that operation can meet, with
/// no second, global list to consult.
pub fn global_business_codes(doc: &mut Value, global: &Value, pages: &Pages) -> Result<()> {
    if global.is_null() {
        return Ok(());
    }
    let (page, section) = page_and_section("overlay global", "businessCodes", global)?;
    let table = guide::business_codes(page, pages.get(page)?, section)?;
    let mut added = BTreeMap::new();
    for code in global["codes"].as_array().into_iter().flatten() {
        let code = code
            .as_str()
            .context("overlay global.businessCodes.codes are strings")?;
        let description = table
            .get(code)
            .with_context(|| format!("global code {code} is not in the table of {page}, section {section:?}"))?;
        added.insert(code.to_string(), description.clone());
    }
    for (path, method, op) in operations_mut(doc) {
        let mut codes: Vec<(u64, String, Value)> = Vec::new();
        let existing = op.remove("x-business-codes").unwrap_or_else(|| json!({}));
        for (code, description) in existing.as_object().into_iter().flatten() {
            let number = code.parse().with_context(|| {
                format!(
                    "{} {path}: business code {code:?} is not a number",
                    method.to_uppercase()
                )
            })?;
            codes.push((number, code.clone(), description.clone()));
        }
        for (code, description) in &added {
            if !codes.iter().any(|(_, listed, _)| listed == code) {
                codes.push((code.parse().unwrap_or(u64::MAX), code.clone(), json!(description)));
            }
        }
        // In numeric order, so the page-wide codes sit among the operation's own.
        codes.sort_by_key(|(number, _, _)| *number);
        let sorted: Map<String, Value> = codes.into_iter().map(|(_, code, text)| (code, text)).collect();
        op.insert("x-business-codes".into(), Value::Object(sorted));
    }
    Ok(())
}

/// **Defect:** the API guides overview lists an endpoint status (TERMINATED) that neither
/// reference's status enum has, and the v1 reference types the status as a bare string.
///
/// Each entry of the overlay's `global.knownValues` (`{source, schemas, property, values}`) adds
/// its values to the property's `x-known-values` (after [`open_response_enums`], which keeps the
/// reference's values there). The operation table lists them, the simulator's schema tests keep
/// it to them, and `crates/yotta/src/validate/documented.rs` fails when the facade's open enums
/// disagree; the response stays open to values nobody documented.
pub fn known_values(doc: &mut Value, entries: &Value) -> Result<()> {
    for entry in entries.as_array().into_iter().flatten() {
        let property_name = entry["property"]
            .as_str()
            .context("knownValues entries name a `property`")?;
        for schema in entry["schemas"].as_array().into_iter().flatten() {
            let schema = schema.as_str().context("knownValues `schemas` are names")?;
            let Some(property) = doc["components"]["schemas"]
                .get_mut(schema)
                .and_then(|s| s.get_mut("properties"))
                .and_then(|p| p.get_mut(property_name))
                .and_then(Value::as_object_mut)
            else {
                bail!("knownValues: {schema}.{property_name} is not in the spec");
            };
            if property.contains_key("enum") {
                bail!(
                    "knownValues: {schema}.{property_name} is a closed (request) enum; known values are for responses"
                );
            }
            let mut known: Vec<Value> = property
                .get("x-known-values")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            for value in entry["values"].as_array().into_iter().flatten() {
                if !known.contains(value) {
                    known.push(value.clone());
                }
            }
            property.insert("x-known-values".into(), Value::Array(known));
            if let Some(source) = entry.get("source") {
                property.insert("x-known-values-source".into(), source.clone());
            }
        }
    }
    Ok(())
}

/// **Defect:** a guide's parameter table lists a request property the reference schema lacks
/// (the v2 guide's `containerRegistryAuthId` on create, where the v2 reference has only
/// `credentialId`).
///
/// Each overlay `global.guideProperties` entry (`{source, page, section, schema, property}`)
/// adds the property to the schema as the guide's table types it (`long` is int64, `integer`
/// int32, `string`), with the table's description and `x-source`. Codegen fails when the
/// reference starts documenting the property (delete the entry) or the guide stops listing it.
pub fn guide_properties(doc: &mut Value, entries: &Value, pages: &Pages) -> Result<()> {
    for entry in entries.as_array().into_iter().flatten() {
        let field = |name: &str| {
            entry[name]
                .as_str()
                .with_context(|| format!("overlay global.guideProperties entries need `{name}`"))
        };
        let (page, title, schema, property) = (field("page")?, field("section")?, field("schema")?, field("property")?);
        let section = guide::section(page, pages.get(page)?, title)?;
        let row = guide::tables(section)
            .into_iter()
            .find_map(|table| {
                let name = table.column(page, "field").ok()?;
                let kind = table.column(page, "type").ok()?;
                let description = table.column(page, "description").ok()?;
                let row = table
                    .rows
                    .iter()
                    .find(|row| row.get(name).is_some_and(|c| c == property))?;
                Some((
                    row.get(kind)?.clone(),
                    row.get(description).cloned().unwrap_or_default(),
                ))
            })
            .with_context(|| format!("{page}, '{title}': no table row for {property}"))?;
        let mut definition = match row.0.as_str() {
            "long" => json!({"type": "integer", "format": "int64"}),
            "integer" => json!({"type": "integer", "format": "int32"}),
            "string" => json!({"type": "string"}),
            other => bail!("{page}, '{title}': {property} has type {other:?}, which this step does not map"),
        };
        definition["description"] = json!(row.1);
        definition["x-source"] = json!(format!("{page}, '{title}'"));
        let Some(properties) = doc["components"]["schemas"]
            .get_mut(schema)
            .and_then(|s| s.get_mut("properties"))
            .and_then(Value::as_object_mut)
        else {
            bail!("guideProperties: {schema} is not in the spec");
        };
        if properties.contains_key(property) {
            bail!("guideProperties: the reference now documents {schema}.{property}: delete the overlay entry");
        }
        properties.insert(property.to_string(), definition);
    }
    Ok(())
}

/// **Not in any spec:** the only documented catalogue of GPU types ("you can use these codes in
/// your request") and the endpoint constraints (GPU counts are powers of 2, at least 20 GB of
/// container volume) are a table and notes of the API guides overview.
///
/// They are read from the page named by the overlay's `global.catalog` into the document's
/// `x-gpu-types` (`[{code, displayName, vramGb}]`) and `x-constraints`, from which codegen writes
/// `crates/yotta-api/src/generated_catalog.rs`.
pub fn documented_catalog(doc: &mut Value, catalog: &Value, pages: &Pages) -> Result<()> {
    if catalog.is_null() {
        return Ok(());
    }
    let page = catalog["page"].as_str().context("overlay global.catalog.page")?;
    let text = pages.get(page)?;
    let gpu_section = catalog["gpuTypesSection"]
        .as_str()
        .context("overlay global.catalog.gpuTypesSection")?;
    let notes_section = catalog["notesSection"]
        .as_str()
        .context("overlay global.catalog.notesSection")?;
    let gpus = guide::gpu_types(page, text, gpu_section)?;
    let constraints = guide::constraints(page, text, notes_section)?;
    doc["x-gpu-types"] = json!({
        "source": format!("{page}, '{gpu_section}'"),
        "types": gpus
            .iter()
            .map(|g| json!({"code": g.code, "displayName": g.display_name, "vramGb": g.vram_gb}))
            .collect::<Vec<_>>(),
    });
    doc["x-constraints"] = json!({
        "gpuCountPowerOfTwo": {"note": constraints.gpu_count_note, "source": format!("{page}, '{notes_section}'")},
        "minContainerVolumeGb": {
            "value": constraints.min_container_volume_gb,
            "note": constraints.min_volume_note,
            "source": format!("{page}, '{notes_section}'"),
        },
    });
    Ok(())
}

fn is_http_status_key(key: &str) -> bool {
    key == "default" || matches!(key.as_bytes(), [b'1'..=b'5', b'0'..=b'9' | b'X', b'0'..=b'9' | b'X'])
}

/// **Defect:** every response is declared with content type `*/*`, which progenitor does not
/// treat as JSON: each operation would return an untyped byte stream. The API sends JSON.
pub fn json_content_types(doc: &mut Value) {
    fn rename(body: &mut Value) {
        if let Some(content) = body.get_mut("content").and_then(Value::as_object_mut)
            && let Some(schema) = content.remove("*/*")
        {
            content.insert("application/json".into(), schema);
        }
    }
    for (_, _, op) in operations_mut(doc) {
        if let Some(body) = op.get_mut("requestBody") {
            rename(body);
        }
        if let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) {
            responses.values_mut().for_each(rename);
        }
    }
}

/// **Defect:** 400 and 500 are declared with the JSON envelope schema, but gateways in front of
/// the API answer errors with HTML pages. progenitor decodes declared error statuses itself and,
/// when that fails, reports `InvalidResponsePayload` without the HTTP status.
///
/// Non-2xx responses move to `x-error-responses` (status -> description), so every one reaches
/// the caller as an unexpected response with its status and raw body, which the facade
/// interprets (envelope, HTML page or nothing).
pub fn error_statuses_to_extension(doc: &mut Value) {
    for (_, _, op) in operations_mut(doc) {
        let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) else {
            continue;
        };
        let errors: Vec<String> = responses.keys().filter(|k| !k.starts_with('2')).cloned().collect();
        let mut moved = Map::new();
        for key in errors {
            let response = responses.remove(&key).expect("key listed above");
            moved.insert(key, response.get("description").cloned().unwrap_or(json!("")));
        }
        if !moved.is_empty() {
            op.insert("x-error-responses".into(), Value::Object(moved));
        }
    }
}

/// A response field whose documented JSON type differs between the pages.
struct FlexibleField {
    schema: &'static str,
    property: &'static str,
    flexible: &'static str,
}

const fn field(schema: &'static str, property: &'static str, flexible: &'static str) -> FlexibleField {
    FlexibleField {
        schema,
        property,
        flexible,
    }
}

/// **Defect:** the pages disagree on the JSON type of several response fields: endpoint ids are
/// int64 in the v2 reference but strings in the v1 reference and both guides; the v1 guide
/// documents cost, prices and worker uptime as strings where the references say numbers;
/// credential ids are int64 in responses but strings in the v1 guide (and the v1 credential page
/// types its id as a string while the v2 credential guide shows a JSON number); the logs' next
/// offset is a string while its query parameter is int64; task `endpointId` is int64 while
/// endpoint ids are strings elsewhere; the v1 task page's tables give task `status` and
/// `resultSendStatus` as integers (0=PROCESSING, ...) while its examples show names
/// ("PROCESSING", "INIT"). One backend serves both versions, so a client must accept every
/// documented form.
///
/// Each such field refers to a `Flexible*` schema (a `oneOf` of the documented forms) that
/// codegen replaces with a hand-written tolerant type in the generated crate.
const FLEXIBLE_FIELDS: &[FlexibleField] = &[
    field("OpenapiElasticDetailResponse", "id", "FlexibleId"),
    field("OpenapiElasticDetailResponse", "credentialId", "FlexibleId"),
    field("OpenapiElasticDetailResponse", "cost", "FlexibleNumber"),
    field("OpenapiElasticDetailResponse", "perSecondPrice", "FlexibleNumber"),
    field("OpenapiElasticDetailResponse", "perHourPrice", "FlexibleNumber"),
    field("ElasticV2Response", "id", "FlexibleId"),
    field("ElasticV2Response", "credentialId", "FlexibleId"),
    field("ElasticV2Response", "cost", "FlexibleNumber"),
    field("ElasticV2Response", "perSecondPrice", "FlexibleNumber"),
    field("ElasticV2Response", "perHourPrice", "FlexibleNumber"),
    field("OpenapiElasticWorkerResponse", "id", "FlexibleId"),
    field("OpenapiElasticWorkerResponse", "uptime", "FlexibleInteger"),
    field("OpenapiElasticWorkerResponse", "cost", "FlexibleNumber"),
    field("OpenapiLogResponse", "nextSearchAfterOffset", "FlexibleInteger"),
    field("ElasticV2TaskResponse", "endpointId", "FlexibleId"),
    field("ElasticV2TaskDetailResponse", "endpointId", "FlexibleId"),
    field("OpenapiCredentialDetail", "id", "FlexibleId"),
    field("CredentialV2Response", "id", "FlexibleId"),
    field("OpenapiTaskDetail", "status", "FlexibleStatus"),
    field("OpenapiTaskDetail", "resultSendStatus", "FlexibleStatus"),
];

fn flexible_schemas() -> Value {
    json!({
        "FlexibleId": {
            "description": "An identifier sent as a JSON integer or as a string. Kept as exact text (ids exceed 2^53).",
            "oneOf": [{"type": "integer", "format": "int64"}, {"type": "string"}]
        },
        "FlexibleNumber": {
            "description": "A decimal amount sent as a JSON number or as a numeric string.",
            "oneOf": [{"type": "number"}, {"type": "string", "pattern": "^-?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?$"}]
        },
        "FlexibleInteger": {
            "description": "An integer sent as a JSON integer or as a string of digits.",
            "oneOf": [{"type": "integer", "format": "int64"}, {"type": "string", "pattern": "^-?[0-9]+$"}]
        },
        "FlexibleStatus": {
            "description": "A status sent as its documented integer code or as its name (the property's x-enum-names maps one to the other).",
            "oneOf": [{"type": "integer", "format": "int32"}, {"type": "string"}]
        }
    })
}

pub fn flexible_scalars(doc: &mut Value) -> Result<()> {
    let schemas = doc["components"]["schemas"]
        .as_object_mut()
        .expect("merged spec has schemas");
    for flexible in FLEXIBLE_FIELDS {
        let Some(property) = schemas
            .get_mut(flexible.schema)
            .and_then(|s| s.get_mut("properties"))
            .and_then(|p| p.get_mut(flexible.property))
            .and_then(Value::as_object_mut)
        else {
            bail!(
                "flexible field {}.{} is no longer in the spec: update FLEXIBLE_FIELDS in xtask/src/spec/normalize.rs",
                flexible.schema,
                flexible.property
            );
        };
        let documented = property.remove("type").unwrap_or(Value::Null);
        let format = property.remove("format");
        let mut documented = format!("reference type: {}", documented.as_str().unwrap_or("?"));
        if let Some(format) = format.as_ref().and_then(Value::as_str) {
            documented.push_str(&format!(" ({format})"));
        }
        property.insert(
            "$ref".into(),
            json!(format!("#/components/schemas/{}", flexible.flexible)),
        );
        property.insert("x-documented-as".into(), json!(documented));
    }
    for (name, schema) in flexible_schemas().as_object().expect("literal object") {
        schemas.insert(name.clone(), schema.clone());
    }
    Ok(())
}

/// **Defect:** response enums (endpoint `status`, `serviceMode`) are closed lists, and progenitor
/// generates closed Rust enums from them: a new server-side value (say a future `DELETED`) would
/// fail the whole response. Response-side enums become plain strings; the documented values
/// stay in `x-known-values` (see [`known_values`] for who reads them).
pub fn open_response_enums(doc: &mut Value) {
    let reachable = schemas_reachable_from_responses(doc);
    let Some(schemas) = doc["components"]["schemas"].as_object_mut() else {
        return;
    };
    for (name, schema) in schemas.iter_mut() {
        if !reachable.contains(name) {
            continue;
        }
        walk_schemas(schema, &mut |node| {
            if let Some(values) = node.remove("enum") {
                node.insert("x-known-values".into(), values);
            }
        });
    }
}

fn schemas_reachable_from_responses(doc: &Value) -> BTreeSet<String> {
    let mut pending: Vec<String> = Vec::new();
    if let Some(paths) = doc["paths"].as_object() {
        for item in paths.values() {
            for method in HTTP_METHODS {
                if let Some(responses) = item.get(method).and_then(|op| op.get("responses")) {
                    collect_refs(responses, &mut pending);
                }
            }
        }
    }
    let mut reachable = BTreeSet::new();
    while let Some(name) = pending.pop() {
        if reachable.insert(name.clone()) {
            collect_refs(&doc["components"]["schemas"][&name], &mut pending);
        }
    }
    reachable
}

fn collect_refs(node: &Value, into: &mut Vec<String>) {
    match node {
        Value::Object(map) => {
            if let Some(name) = map
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix("#/components/schemas/"))
            {
                into.push(name.to_string());
            }
            map.values().for_each(|v| collect_refs(v, into));
        }
        Value::Array(items) => items.iter().for_each(|v| collect_refs(v, into)),
        _ => {}
    }
}

/// **Defect:** no response property is marked nullable, yet the API sends `null` for absent
/// values (`{"code":14000,"data":null}`, `"webhook": null`, `"error": null` in the guides).
/// progenitor turns an optional array into `Vec<T>` with `serde(default)`, which rejects `null`.
///
/// Every optional property that is not a `$ref` (those already become `Option<T>`) is marked
/// `nullable: true`.
pub fn nullable_optional_properties(doc: &mut Value) {
    walk_schemas(doc, &mut |schema| {
        let required: BTreeSet<String> = schema
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).map(str::to_owned).collect())
            .unwrap_or_default();
        if let Some(properties) = schema.get_mut("properties").and_then(Value::as_object_mut) {
            for (name, property) in properties.iter_mut() {
                if let Some(property) = property.as_object_mut()
                    && !required.contains(name)
                    && !property.contains_key("$ref")
                {
                    property.insert("nullable".into(), json!(true));
                }
            }
        }
    });
}

/// **Defect:** springdoc emits `minLength: 0` for optional strings; progenitor turns it into
/// `len < 0usize` comparisons, which warn (and fail under `-D warnings`). It constrains nothing.
pub fn drop_zero_min_length(doc: &mut Value) {
    walk_schemas(doc, &mut |schema| {
        if schema.get("minLength") == Some(&json!(0)) {
            schema.remove("minLength");
        }
    });
}

/// **Toolchain limit:** the name patterns use a lookahead (`^(?=[A-Za-z])...`), which progenitor
/// validates with the `regress` crate; linking it adds ~114 KB gzip of Unicode tables to the
/// browser package. The facade checks these patterns by hand before sending (with field-named
/// errors), so each `pattern` moves to `x-pattern`: the operation table lists it, the
/// simulator's schema tests apply it, and `crates/yotta/src/validate/documented.rs` fails when
/// the facade's checks and the documented patterns and bounds disagree.
pub fn patterns_to_extension(doc: &mut Value) {
    let mut move_pattern = |schema: &mut Map<String, Value>| {
        if let Some(pattern) = schema.remove("pattern") {
            schema.insert("x-pattern".into(), pattern);
        }
    };
    walk_schemas(&mut doc["paths"], &mut move_pattern);
    if let Some(schemas) = doc["components"]["schemas"].as_object_mut() {
        // The Flexible* schemas keep their patterns: codegen replaces them with hand-written
        // types, so progenitor never sees them, and the simulator's validation uses them.
        for (_, schema) in schemas.iter_mut().filter(|(name, _)| !is_replaced_schema(name)) {
            walk_schemas(schema, &mut move_pattern);
        }
    }
}

/// Schemas codegen replaces with hand-written types (see `flexible_scalars`).
pub fn is_replaced_schema(name: &str) -> bool {
    flexible_schemas().get(name).is_some()
}

/// **Consequence of the steps above:** the envelope schemas that only error responses used
/// (`Result`, `ResultObject`) are no longer referenced; progenitor would still generate them.
/// Unreferenced schemas are removed (v2's `Result` name is also awkward next to `std::result`).
pub fn prune_unreferenced_schemas(doc: &mut Value) {
    loop {
        let mut referenced = Vec::new();
        collect_refs(&doc["paths"], &mut referenced);
        let schemas = doc["components"]["schemas"].as_object().cloned().unwrap_or_default();
        let mut pending = referenced;
        let mut keep = BTreeSet::new();
        while let Some(name) = pending.pop() {
            if keep.insert(name.clone()) {
                collect_refs(&schemas[&name], &mut pending);
            }
        }
        let before = schemas.len();
        doc["components"]["schemas"]
            .as_object_mut()
            .expect("checked above")
            .retain(|name, _| keep.contains(name));
        if doc["components"]["schemas"].as_object().map(Map::len) == Some(before) {
            break;
        }
    }
}

/// **Defect:** the reference pages declare no security scheme (`security: [{}]`), while the v1
/// guide documents the `X-API-Key` header on every operation.
pub fn api_key_security(doc: &mut Value) {
    doc["components"]["securitySchemes"] = json!({
        "apiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key", "description": "Your API key (v1 guide, 'Authorizations')"}
    });
    doc["security"] = json!([{"apiKey": []}]);
}

/// **Not documented:** which calls may be repeated after an ambiguous failure (a timeout, a
/// dropped connection, a 5xx), when the first attempt may or may not have been processed.
///
/// Each operation gets `x-retry`: `safe` for the idempotent methods (GET, PUT, DELETE: RFC 9110
/// section 9.2.2) and for the POST/PATCH operations in [`SET_TO_VALUE`], `ifNotProcessed` for the
/// other POST/PATCH operations (creation, start, stop), which the SDK repeats only when the
/// request certainly was not processed (no connection made, HTTP 429, code 24000).
pub fn retry_safety(doc: &mut Value) -> Result<()> {
    let mut unused: BTreeSet<&str> = SET_TO_VALUE.iter().map(|(id, _)| *id).collect();
    for (_, method, op) in operations_mut(doc) {
        let id = op
            .get("operationId")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        unused.remove(id.as_str());
        let set_to_value = SET_TO_VALUE.iter().any(|(listed, _)| *listed == id);
        let safe = matches!(method, "get" | "put" | "delete" | "head" | "options") || set_to_value;
        op.insert("x-retry".into(), json!(if safe { "safe" } else { "ifNotProcessed" }));
    }
    if !unused.is_empty() {
        bail!("SET_TO_VALUE names operations the spec does not have: {unused:?}");
    }
    Ok(())
}

/// POST and PATCH operations that set a value rather than create or trigger something, so
/// repeating one leaves the same state, with the reason.
///
/// v2 task submission is not here: the SDK sends a taskId, but the v2 pages do not say the API
/// deduplicates it, so the facade looks the task up before sending it again.
pub const SET_TO_VALUE: [(&str, &str); 5] = [
    (
        "v1_updateEndpoint",
        "sends the whole configuration; repeating it sets the same values",
    ),
    ("v2_updateEndpoint", "sets the given fields to the given values"),
    (
        "v1_scaleWorkers",
        "sets the worker count (`{\"workers\": n}`), it does not add workers",
    ),
    (
        "v1_submitTask",
        "userTaskId is required and creation is idempotent on it (the v1 task page says so): a repeat names the same task",
    ),
    ("v2_updateCredential", "sets the given fields to the given values"),
];

/// Fails when a `$ref` points at nothing, e.g. an overlay entry naming a schema upstream renamed.
pub fn check_references(doc: &Value) -> Result<()> {
    let mut refs = Vec::new();
    collect_refs(doc, &mut refs);
    let missing: BTreeSet<_> = refs
        .into_iter()
        .filter(|name| doc["components"]["schemas"].get(name).is_none())
        .collect();
    if !missing.is_empty() {
        bail!(
            "unresolved schema references: {}",
            missing.into_iter().collect::<Vec<_>>().join(", ")
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn downgrade_rejects_3_1_constructs() {
        let mut doc = json!({"openapi": "3.1.0", "components": {"schemas": {"A": {"type": ["string", "null"]}}}});
        let error = downgrade_to_openapi_3_0(&mut doc).unwrap_err().to_string();
        assert!(error.contains("type array"), "{error}");
        let mut doc = json!({"openapi": "3.1.0", "components": {"schemas": {"A": {"type": "string"}}}});
        downgrade_to_openapi_3_0(&mut doc).unwrap();
        assert_eq!(doc["openapi"], "3.0.3");
    }

    #[test]
    fn operation_ids_lose_springdoc_counters_and_gain_version() {
        let mut doc = json!({"paths": {"/a": {"delete": {"operationId": "endpointDelete_2", "tags": ["X"]}},
                                       "/b": {"get": {"operationId": "endpointList_1"}}}});
        version_operations(&mut doc, Version::V1).unwrap();
        assert_eq!(doc["paths"]["/a"]["delete"]["operationId"], "v1_deleteEndpoint");
        assert_eq!(
            doc["paths"]["/a"]["delete"]["x-upstream-operation-id"],
            "endpointDelete_2"
        );
        assert_eq!(doc["paths"]["/a"]["delete"]["tags"], json!(["v1"]));
        assert_eq!(doc["paths"]["/b"]["get"]["operationId"], "v1_listEndpoints");
        let mut doc = json!({"paths": {"/b": {"get": {"operationId": "listTasks"}}}});
        version_operations(&mut doc, Version::V2).unwrap();
        assert_eq!(doc["paths"]["/b"]["get"]["operationId"], "v2_listTasks");
    }

    #[test]
    fn a_v1_operation_without_a_parallel_name_is_an_error() {
        let mut doc = json!({"paths": {"/a": {"get": {"operationId": "endpointBill"}}}});
        let error = version_operations(&mut doc, Version::V1).unwrap_err().to_string();
        assert!(error.contains("endpointBill") && error.contains("V1_NAMES"), "{error}");
    }

    #[test]
    fn clashing_clean_ids_are_an_error() {
        let mut doc =
            json!({"paths": {"/a": {"get": {"operationId": "list_1"}}, "/b": {"get": {"operationId": "list_2"}}}});
        let error = version_operations(&mut doc, Version::V2).unwrap_err().to_string();
        assert!(error.contains("v2_list would be used by both"), "{error}");
    }

    #[test]
    fn business_codes_move_to_extension() {
        let page = PageCodes {
            source: "guide".into(),
            applies_to: "/a".into(),
            codes: BTreeMap::from([
                ("24003".to_string(), "limit".to_string()),
                ("10001".to_string(), "page text".to_string()),
            ]),
        };
        let mut doc = json!({"paths": {
            "/a": {"get": {"x-business-codes": {"10001": "own text"}, "responses": {
                "200": {"description": "OK"}, "14000": {"description": "Endpoint not found"}}}},
            "/b": {"get": {"responses": {"200": {"description": "OK"}}}}}});
        business_codes_to_extension(&mut doc, Some(&page)).unwrap();
        let op = &doc["paths"]["/a"]["get"];
        assert_eq!(op["responses"], json!({"200": {"description": "OK"}}));
        assert_eq!(
            op["x-business-codes"],
            json!({"10001": "own text", "14000": "Endpoint not found", "24003": "limit"})
        );
        assert!(
            doc["paths"]["/b"]["get"].get("x-business-codes").is_none(),
            "outside appliesTo"
        );
    }

    const TASK_PAGE: &str = "## Create\n\n* **Rate Limiting:**\n  * Per `X-Endpoint-ID`: 40 QPS, 1000 Total Tasks.\n  * Global Limit: 200 QPS.\n\n## Response Codes\n\n| Code | Message | Description |\n| --- | --- | --- |\n| 429 | too many requests | QPS exceeded |\n| 40402 | Task not found | gone |\n";

    #[test]
    fn guide_references_resolve_to_codes_and_limits() {
        let pages = Pages::from_texts(&[("tasks.md", TASK_PAGE)]);
        let op = |header: &str| {
            json!({"paths": {"/t": {"post": {
                "parameters": [{"name": header, "in": "header", "required": true, "schema": {"type": "string"}}],
                "x-business-codes": {"25002": "assumed"},
                "x-business-codes-from": {"page": "tasks.md", "section": "Response Codes", "codes": ["429"]},
                "x-rate-limit-from": {"page": "tasks.md", "section": "Create"}}}}})
        };
        let mut doc = op("X-Endpoint-ID");
        guide_references(&mut doc, &pages).unwrap();
        let resolved = &doc["paths"]["/t"]["post"];
        assert_eq!(
            resolved["x-business-codes"],
            json!({"25002": "assumed", "429": "too many requests: QPS exceeded"})
        );
        assert_eq!(
            resolved["x-rate-limit"],
            json!({"perEndpointQps": 40, "perEndpointTotal": 1000, "globalQps": 200,
                   "endpointParam": "X-Endpoint-ID", "source": "tasks.md, 'Create'"})
        );
        assert!(resolved.get("x-rate-limit-from").is_none() && resolved.get("x-business-codes-from").is_none());
        let error = guide_references(&mut op("X-Other"), &pages).unwrap_err().to_string();
        assert!(error.contains("X-Endpoint-ID"), "{error}");
        let mut missing = op("X-Endpoint-ID");
        missing["paths"]["/t"]["post"]["x-business-codes-from"]["codes"] = json!(["40001"]);
        let error = guide_references(&mut missing, &pages).unwrap_err().to_string();
        assert!(error.contains("40001") && error.contains("tasks.md"), "{error}");
    }

    #[test]
    fn guide_properties_come_from_the_guides_table() {
        let pages = Pages::from_texts(&[(
            "g.md",
            "#### Create\n\n| FIELD | TYPE | REQUIRED | DESCRIPTION |\n| - | - | - | - |\n| authId | long | No | The credential |\n",
        )]);
        let entry =
            |property: &str| json!([{"page": "g.md", "section": "Create", "schema": "R", "property": property}]);
        let mut doc = json!({"components": {"schemas": {"R": {"properties": {"id": {"type": "string"}}}}}});
        guide_properties(&mut doc, &entry("authId"), &pages).unwrap();
        assert_eq!(
            doc["components"]["schemas"]["R"]["properties"]["authId"],
            json!({"type": "integer", "format": "int64", "description": "The credential", "x-source": "g.md, 'Create'"})
        );
        let again = guide_properties(&mut doc, &entry("authId"), &pages)
            .unwrap_err()
            .to_string();
        assert!(again.contains("delete the overlay entry"), "{again}");
        let gone = guide_properties(&mut doc, &entry("other"), &pages)
            .unwrap_err()
            .to_string();
        assert!(gone.contains("no table row for other"), "{gone}");
    }

    #[test]
    fn global_codes_reach_every_operation_without_replacing_their_own() {
        let pages = Pages::from_texts(&[(
            "o.md",
            "### Codes\n\n| CODE | DESCRIPTION |\n| - | - |\n| 10002 | System error |\n| 10007 | Record not exist |\n",
        )]);
        let mut doc = json!({"paths": {"/a": {"get": {"x-business-codes": {"10007": "own"}}, "post": {}}}});
        let global = json!({"page": "o.md", "section": "Codes", "codes": ["10002", "10007"]});
        global_business_codes(&mut doc, &global, &pages).unwrap();
        assert_eq!(
            doc["paths"]["/a"]["get"]["x-business-codes"],
            json!({"10002": "System error", "10007": "own"})
        );
        assert_eq!(
            doc["paths"]["/a"]["post"]["x-business-codes"],
            json!({"10002": "System error", "10007": "Record not exist"})
        );
    }

    #[test]
    fn known_values_extend_open_enums_only() {
        let mut doc = json!({"components": {"schemas": {
            "R": {"properties": {"status": {"type": "string", "x-known-values": ["RUNNING"]}}},
            "Q": {"properties": {"mode": {"type": "string", "enum": ["A"]}}}}}});
        let entries =
            json!([{"schemas": ["R"], "property": "status", "values": ["RUNNING", "TERMINATED"], "source": "s"}]);
        known_values(&mut doc, &entries).unwrap();
        assert_eq!(
            doc["components"]["schemas"]["R"]["properties"]["status"]["x-known-values"],
            json!(["RUNNING", "TERMINATED"])
        );
        let closed = json!([{"schemas": ["Q"], "property": "mode", "values": ["B"]}]);
        assert!(
            known_values(&mut doc, &closed)
                .unwrap_err()
                .to_string()
                .contains("request")
        );
        let gone = json!([{"schemas": ["Gone"], "property": "status", "values": ["B"]}]);
        assert!(
            known_values(&mut doc, &gone)
                .unwrap_err()
                .to_string()
                .contains("Gone.status")
        );
    }

    #[test]
    fn error_statuses_leave_only_success_responses() {
        let mut doc = json!({"paths": {"/a": {"get": {"responses": {
            "200": {"description": "OK"}, "400": {"description": "Bad Request"}, "500": {"description": "ISE"}}}}}});
        error_statuses_to_extension(&mut doc);
        let op = &doc["paths"]["/a"]["get"];
        assert_eq!(op["responses"], json!({"200": {"description": "OK"}}));
        assert_eq!(op["x-error-responses"], json!({"400": "Bad Request", "500": "ISE"}));
    }

    #[test]
    fn enums_open_only_on_the_response_side() {
        let mut doc = json!({
            "paths": {"/a": {"post": {
                "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Req"}}}},
                "responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Env"}}}}}}}},
            "components": {"schemas": {
                "Req": {"type": "object", "properties": {"mode": {"type": "string", "enum": ["A"]}}},
                "Env": {"type": "object", "properties": {"data": {"$ref": "#/components/schemas/Res"}}},
                "Res": {"type": "object", "properties": {"status": {"type": "string", "enum": ["RUNNING"]}}}}}});
        open_response_enums(&mut doc);
        assert_eq!(
            doc["components"]["schemas"]["Req"]["properties"]["mode"]["enum"],
            json!(["A"])
        );
        let status = &doc["components"]["schemas"]["Res"]["properties"]["status"];
        assert!(status.get("enum").is_none());
        assert_eq!(status["x-known-values"], json!(["RUNNING"]));
    }

    #[test]
    fn optional_properties_become_nullable() {
        let mut doc = json!({"components": {"schemas": {"A": {"type": "object", "required": ["r"], "properties": {
            "r": {"type": "string"}, "o": {"type": "array", "items": {"type": "string"}},
            "x": {"$ref": "#/components/schemas/B"}}}}}});
        nullable_optional_properties(&mut doc);
        let props = &doc["components"]["schemas"]["A"]["properties"];
        assert_eq!(props["o"]["nullable"], true);
        assert!(props["r"].get("nullable").is_none());
        assert!(props["x"].get("nullable").is_none());
    }

    #[test]
    fn zero_min_length_and_patterns_are_dropped() {
        let mut doc = json!({"components": {"schemas": {"A": {"type": "object", "properties": {
            "w": {"type": "string", "minLength": 0, "pattern": "^https?://.*"}, "n": {"type": "string", "minLength": 1}}}}}});
        drop_zero_min_length(&mut doc);
        patterns_to_extension(&mut doc);
        let props = &doc["components"]["schemas"]["A"]["properties"];
        assert_eq!(props["w"], json!({"type": "string", "x-pattern": "^https?://.*"}));
        assert_eq!(props["n"]["minLength"], 1);
    }

    #[test]
    fn unreferenced_schemas_are_pruned_transitively() {
        let mut doc = json!({"paths": {"/a": {"get": {"responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/A"}}}}}}}},
            "components": {"schemas": {"A": {"properties": {"b": {"$ref": "#/components/schemas/B"}}}, "B": {}, "Result": {"properties": {"c": {"$ref": "#/components/schemas/C"}}}, "C": {}}}});
        prune_unreferenced_schemas(&mut doc);
        let names: Vec<_> = doc["components"]["schemas"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        assert_eq!(names, ["A", "B"]);
    }

    #[test]
    fn retry_safety_follows_the_method_and_the_set_to_value_list() {
        let mut doc = json!({"paths": {
            "/a": {"get": {"operationId": "v2_getEndpoint"}, "post": {"operationId": "v1_updateEndpoint"}},
            "/b": {"post": {"operationId": "v2_createEndpoint"}, "patch": {"operationId": "v2_updateEndpoint"},
                   "delete": {"operationId": "v2_deleteEndpoint"}},
            "/c": {"post": {"operationId": "v1_scaleWorkers"}, "put": {"operationId": "v2_scaleWorkers"}},
            "/d": {"post": {"operationId": "v2_submitTask"}},
            "/e": {"post": {"operationId": "v1_submitTask"}, "patch": {"operationId": "v2_updateCredential"}},
            "/f": {"post": {"operationId": "v1_createCredential"}}}});
        retry_safety(&mut doc).unwrap();
        let retry = |path: &str, method: &str| doc["paths"][path][method]["x-retry"].as_str().unwrap().to_string();
        assert_eq!(retry("/a", "get"), "safe");
        assert_eq!(retry("/a", "post"), "safe");
        assert_eq!(retry("/b", "post"), "ifNotProcessed");
        assert_eq!(retry("/b", "patch"), "safe");
        assert_eq!(retry("/b", "delete"), "safe");
        assert_eq!(retry("/d", "post"), "ifNotProcessed");
        assert_eq!(retry("/e", "post"), "safe", "idempotent on userTaskId");
        assert_eq!(retry("/e", "patch"), "safe");
        assert_eq!(retry("/f", "post"), "ifNotProcessed");
        let mut missing = json!({"paths": {"/a": {"post": {"operationId": "v2_createEndpoint"}}}});
        assert!(
            retry_safety(&mut missing)
                .unwrap_err()
                .to_string()
                .contains("v1_updateEndpoint")
        );
    }

    #[test]
    fn dangling_reference_is_reported() {
        let doc = json!({"paths": {"/a": {"get": {"responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Gone"}}}}}}}}, "components": {"schemas": {}}});
        assert!(check_references(&doc).unwrap_err().to_string().contains("Gone"));
    }
}
