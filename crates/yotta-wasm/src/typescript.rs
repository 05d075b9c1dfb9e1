//! TypeScript declarations of the npm package's data types (`web/package/src/types.ts`),
//! generated from the Rust types (their JSON Schemas, which schemars derives from the same serde
//! attributes that shape the values JavaScript receives), so the two cannot drift apart.
//!
//! Results use the *serialise* contract (every field present, `null` when absent); arguments use
//! the *deserialise* contract (fields with defaults are optional). A type used both ways gets
//! its argument form, which every result also satisfies.

use schemars::generate::{Contract, SchemaSettings};
use schemars::{JsonSchema, Schema};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

/// Named schemas, with the contract each was generated under.
#[derive(Default)]
struct Definitions {
    schemas: BTreeMap<String, (Value, Contract)>,
}

impl Definitions {
    fn add<T: JsonSchema>(&mut self, contract: Contract) {
        let generator = SchemaSettings::draft2020_12()
            .with(|s| s.contract = contract.clone())
            .into_generator();
        let root: Schema = generator.into_root_schema_for::<T>();
        let mut root = root.to_value();
        let defs = root.as_object_mut().and_then(|o| o.remove("$defs")).unwrap_or_default();
        for (name, schema) in defs.as_object().into_iter().flatten() {
            self.insert(name.clone(), schema.clone(), contract.clone());
        }
        if let Some(object) = root.as_object_mut() {
            object.remove("$schema");
        }
        self.insert(T::schema_name().into_owned(), root, contract);
    }

    fn insert(&mut self, name: String, schema: Value, contract: Contract) {
        match self.schemas.get(&name) {
            // The argument (deserialise) form is the looser one; it wins.
            Some((_, Contract::Deserialize)) => {}
            _ => {
                self.schemas.insert(name, (schema, contract));
            }
        }
    }
}

/// How JSON values of unknown shape (task input and output) are written in a declaration.
struct Context<'a> {
    /// `J` in a result type that takes the JSON type as a parameter, `ExactJsonValue` in an
    /// argument type (a `bigint` is always sent exactly).
    json: &'a str,
    /// The result types that take the JSON type as a parameter.
    generic: &'a BTreeSet<String>,
}

/// The declarations of every type the package's methods take or return.
///
/// Results hold task data as `J`, a type parameter defaulting to `JsonValue` (what `JSON.parse`
/// gives); a client created with `{ bigint: true }` returns them with `J = ExactJsonValue`,
/// whose integers beyond 2^53 are `bigint`s. Arguments accept `ExactJsonValue` always.
pub fn declarations() -> String {
    let defs = definitions();
    // The result types holding JSON data, directly or through another such type.
    let mut generic = BTreeSet::new();
    loop {
        let before = generic.len();
        for (name, (schema, contract)) in &defs.schemas {
            let probe = Context {
                json: "\u{1}",
                generic: &generic,
            };
            if matches!(contract, Contract::Serialize) && body(name, schema, &probe).contains('\u{1}') {
                generic.insert(name.clone());
            }
        }
        if generic.len() == before {
            break;
        }
    }
    let mut declarations = String::new();
    for (name, (schema, contract)) in &defs.schemas {
        let (json, parameters) = match contract {
            _ if generic.contains(name) => ("J", "<J = JsonValue>"),
            Contract::Serialize => ("JsonValue", ""),
            _ => ("ExactJsonValue", ""),
        };
        let context = Context {
            json,
            generic: &generic,
        };
        declarations.push('\n');
        declarations.push_str(&doc_comment(name, schema, ""));
        let text = body(name, schema, &context).replacen(&format!(" {name} "), &format!(" {name}{parameters} "), 1);
        declarations.push_str(&text);
    }
    let used: Vec<&str> = ["ExactJsonValue", "JsonValue"]
        .into_iter()
        .filter(|name| declarations.contains(name))
        .collect();
    format!(
        "// @generated from the Rust types by `cargo test -p yotta-wasm` (crates/yotta-wasm/src/typescript.rs).\n\
         // Do not edit by hand: change the Rust types, then run the tests, which rewrite this file.\n\
         import type {{ {} }} from './json.js';\n{declarations}",
        used.join(", ")
    )
}

/// A GPU type endpoints accept, as the package's `GPU_TYPES` lists it.
#[derive(serde::Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
struct GpuType {
    /// The code `resources[].gpuType` takes, e.g. `NVIDIA_RTX_4090_24G`.
    code: &'static str,
    /// The docs' display name, e.g. `RTX 4090`.
    display_name: &'static str,
    /// Memory per card in GB.
    vram_gb: u32,
}

impl From<&yotta::GpuType> for GpuType {
    fn from(gpu: &yotta::GpuType) -> Self {
        GpuType {
            code: gpu.code,
            display_name: gpu.display_name,
            vram_gb: gpu.vram_gb,
        }
    }
}

fn definitions() -> Definitions {
    let results = Contract::Serialize;
    let arguments = Contract::Deserialize;
    let mut defs = Definitions::default();
    defs.add::<yotta::Endpoint>(results.clone());
    defs.add::<yotta::Worker>(results.clone());
    defs.add::<yotta::LogPage>(results.clone());
    defs.add::<yotta::Task>(results.clone());
    defs.add::<yotta::TaskPage>(results.clone());
    defs.add::<yotta::TaskCount>(results.clone());
    defs.add::<yotta::webhook::TaskNotification>(results.clone());
    defs.add::<yotta::Credential>(results.clone());
    defs.add::<GpuType>(results.clone());
    defs.add::<yotta::ErrorKind>(results);
    defs.add::<yotta::EndpointSpec>(arguments.clone());
    defs.add::<yotta::EndpointUpdate>(arguments.clone());
    defs.add::<yotta::EndpointPatch>(arguments.clone());
    defs.add::<yotta::TaskSpec>(arguments.clone());
    defs.add::<yotta::CredentialSpec>(arguments.clone());
    defs.add::<yotta::CredentialUpdate>(arguments.clone());
    defs.add::<yotta::LogQuery>(arguments.clone());
    defs.add::<yotta::TaskListQuery>(arguments.clone());
    defs.add::<crate::ClientOptions>(arguments.clone());
    defs.add::<crate::WaitOptions>(arguments);
    defs
}

/// `export interface name { ... }` or `export type name = ...;`.
fn body(name: &str, schema: &Value, context: &Context) -> String {
    let mut out = String::new();
    if schema.get("properties").is_some() {
        writeln!(out, "export interface {name} {{").unwrap();
        let required: Vec<&str> = schema["required"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        for (property, property_schema) in properties(schema) {
            out.push_str(&doc_comment(&format!("{name}.{property}"), property_schema, "  "));
            let optional = if required.contains(&property.as_str()) { "" } else { "?" };
            writeln!(out, "  {property}{optional}: {};", type_of(property_schema, context)).unwrap();
        }
        out.push_str("}\n");
    } else {
        writeln!(out, "export type {name} = {};", type_of(schema, context)).unwrap();
    }
    out
}

fn properties(schema: &Value) -> impl Iterator<Item = (&String, &Value)> {
    schema["properties"].as_object().into_iter().flatten()
}

/// The package's tables derived from the Rust side (`web/package/src/tables.ts`): the fields
/// of a fetched endpoint an update cannot set (what `updateEndpoint` ignores), the names of the
/// client's data options (checked before the WebAssembly module is loaded), and the GPU catalogue
/// (`GPU_TYPES`, exported by the package).
pub fn tables() -> String {
    let defs = definitions();
    let names = |type_name: &str| -> Vec<String> {
        properties(&defs.schemas[type_name].0)
            .map(|(name, _)| name.clone())
            .collect()
    };
    let without = |all: Vec<String>, settable: Vec<String>| -> Vec<String> {
        all.into_iter().filter(|name| !settable.contains(name)).collect()
    };
    let mut out = String::from(GENERATED);
    out.push_str("import type { GpuType, RegistryType } from './types.js';\n");
    constant(
        &mut out,
        "Fields of a fetched `Endpoint` that no update sets (both versions' update operations lack them).",
        "ENDPOINT_READ_ONLY",
        &without(names("Endpoint"), names("EndpointUpdate")),
    );
    constant(
        &mut out,
        "Fields of a fetched endpoint's `ResourceInfo` that a `Resource` lacks.",
        "RESOURCE_READ_ONLY",
        &without(names("ResourceInfo"), names("Resource")),
    );
    constant(
        &mut out,
        "The data options of `new YottaClient()`.",
        "CLIENT_OPTIONS",
        &names("ClientOptions"),
    );
    // Public: exported by the entry module. Frozen, since every user shares the one list.
    out.push_str(
        "\n/**\n * Every GPU type the docs list (the API guides' GPU types reference), in their order.\n * \
         An endpoint's `resources[].gpuType` takes the `code`; the API may accept types added since.\n \
         */\nexport const GPU_TYPES: readonly Readonly<GpuType>[] = Object.freeze([\n",
    );
    for gpu in &yotta::GPU_TYPES {
        let json = serde_json::to_string(&GpuType::from(gpu)).unwrap();
        writeln!(out, "  {json},").unwrap();
    }
    out.push_str("].map((gpu) => Object.freeze(gpu)));\n");
    let registries: Vec<String> = yotta::RegistryType::KNOWN.iter().map(|t| format!("'{t}'")).collect();
    out.push_str("\n/** The registry kinds the docs list, a credential's `type`; the API may accept others. */\n");
    writeln!(
        out,
        "export const REGISTRY_TYPES: readonly RegistryType[] = Object.freeze([{}]);",
        registries.join(", ")
    )
    .unwrap();
    out
}

/// The API's routes (`web/package/src/routes.ts`), from the generated operation table: what
/// `createProxyHandler` forwards, as the development server's proxy mode does.
pub fn routes() -> String {
    let routes: Vec<String> = yotta_api::operations::ALL
        .iter()
        .map(|op| format!("{} {}", op.method.as_str(), op.path))
        .collect();
    let mut out = String::from(GENERATED);
    constant(
        &mut out,
        "Every route of both API versions, `METHOD /path/{param}`, from the generated operation table.",
        "ROUTES",
        &routes,
    );
    out
}

const GENERATED: &str = "// @generated from the Rust side by `cargo test -p yotta-wasm` (crates/yotta-wasm/src/typescript.rs).\n\
                         // Do not edit by hand: the tests rewrite this file when it is stale.\n";

/// `export const name: readonly string[] = [...]`, internal to the package.
fn constant(out: &mut String, doc: &str, name: &str, items: &[String]) {
    let quoted: Vec<String> = items.iter().map(|item| format!("'{item}'")).collect();
    writeln!(
        out,
        "\n/** @internal {doc} */\nexport const {name}: readonly string[] = [{}];",
        quoted.join(", ")
    )
    .unwrap();
}

/// JavaScript documentation for the declarations whose Rust documentation speaks Rust (a doctest,
/// a Rust path, `Debug`), keyed by type or `Type.property`. The tests fail when an entry stops
/// being used or Rust is left in the declarations.
const JAVASCRIPT_DOCS: &[(&str, &str)] = &[
    (
        "CredentialSpec",
        "A registry credential to create, for private images (`createCredential`).\n\nThe secret is \
         `password` in both versions (v1's `token` is accepted as a spelling); `type` is sent where \
         the version has it (v2: the guide requires it).\n\n@example\nconst credential = await \
         client.createCredential({ name: 'dockerhub', type: 'DOCKER_HUB', username: 'me', password: \
         token });",
    ),
    (
        "CredentialSpec.password",
        "The registry password or access token (write-only: never returned).",
    ),
    (
        "CredentialUpdate",
        "Changes for `updateCredential`: fields left out or `null` keep their values (a v1 client's \
         update goes to v2, which serves the same credentials).",
    ),
    (
        "CredentialUpdate.password",
        "A new password or access token (write-only: never returned).",
    ),
    (
        "EndpointPatch",
        "Changes for `patchEndpoint`: the fields given are changed; the others, and those given as \
         `null`, keep their current values. A patch cannot clear an optional field: see \
         `patchEndpoint`.\n\n@example\nawait client.patchEndpoint(id, { workers: 3, webhook: \
         'https://hooks.example.com/yotta' });",
    ),
    (
        "EndpointSpec",
        "Everything needed to create an endpoint.\n\nField names follow the docs; the guides' other \
         spellings are accepted too (`envVars`, `webhookUrl`, `containerRegistryAuthId`), and the SDK \
         sends each version's own spelling.\n\n@example\nconst endpoint = await \
         client.createEndpoint({\n  name: 'llama-inference',\n  image: 'vllm/vllm-openai:latest',\n  \
         resources: [{ region: 'us-east-1', gpuType: 'NVIDIA_RTX_4090_24G', gpuCount: 1 }],\n  \
         workers: 2,\n  containerVolumeInGb: 120,\n  serviceMode: 'QUEUE',\n  environmentVars: [{ \
         key: 'MODEL', value: 'llama-3-8b' }],\n});",
    ),
    (
        "EndpointUpdate",
        "A new configuration for an existing endpoint: both versions replace the whole configuration \
         (v1 only while the endpoint is STOPPED). Start from the current one, whose read-only fields \
         are ignored, or change a few fields with `patchEndpoint`.\n\nThe API reports live workers \
         (`totalWorkers`), not the configured count: set `workers` explicitly.\n\n@example\n\
         const current = await client.getEndpoint(id);\nawait client.updateEndpoint(id, { \
         ...current, workers: 2, containerVolumeInGb: 80 });",
    ),
    (
        "LogPage.next",
        "Pass as `after` to `workerLogsPage` to get the following page (in the same direction).",
    ),
    (
        "LogQuery",
        "What to read from a worker's log.\n\n@example\nconst page = await \
         client.workerLogsPage(id, workerId, { keyword: 'error', pageSize: 500, direction: \
         'Backward' });",
    ),
    (
        "TaskNotification",
        "A checked task notification, in the SDK's vocabulary.",
    ),
    (
        "TaskSpec",
        "A task to submit.\n\nWithout a `taskId` the SDK generates one, so that retrying a \
         submission after a lost response cannot queue the task twice.\n\n@example\nconst taskId \
         = await client.submitTask(id, {\n  input: { prompt: 'Hello' },\n  workerPort: 8000,\n  \
         processUri: '/v1/chat/completions',\n  taskId: 'my_task_001',\n  headers: { \
         Authorization: 'Bearer token123' },\n});",
    ),
    (
        "TaskSpec.webhookAuthKey",
        "Sent to the webhook with the result (check it there with `verifyTaskNotification`); never \
         logged.",
    ),
];

fn doc_comment(key: &str, schema: &Value, indent: &str) -> String {
    let javascript = JAVASCRIPT_DOCS.iter().find(|(k, _)| *k == key).map(|(_, doc)| *doc);
    match javascript.or_else(|| schema.get("description").and_then(Value::as_str)) {
        Some(text) => {
            let text = text.replace("*/", "* /").replace('\n', &format!("\n{indent} * "));
            format!("{indent}/** {text} */\n")
        }
        None => String::new(),
    }
}

/// The TypeScript type of a schema.
fn type_of(schema: &Value, context: &Context) -> String {
    let object = match schema {
        Value::Bool(true) => return context.json.into(),
        Value::Bool(false) => return "never".into(),
        Value::Object(object) => object,
        _ => return "unknown".into(),
    };
    if let Some(reference) = object.get("$ref").and_then(Value::as_str) {
        let name = reference.rsplit('/').next().unwrap_or(reference);
        return if context.generic.contains(name) {
            format!("{name}<{}>", context.json)
        } else {
            name.to_string()
        };
    }
    if let Some(alternatives) = object
        .get("anyOf")
        .or_else(|| object.get("oneOf"))
        .and_then(Value::as_array)
    {
        let open_enum = alternatives.iter().any(|a| a.get("enum").is_some());
        return union(
            alternatives
                .iter()
                .map(|a| {
                    if open_enum {
                        open_alternative(a, context)
                    } else {
                        type_of(a, context)
                    }
                })
                .collect(),
        );
    }
    if let Some(values) = object.get("enum").and_then(Value::as_array) {
        return union(values.iter().map(literal).collect());
    }
    if let Some(value) = object.get("const") {
        return literal(value);
    }
    match object.get("type") {
        Some(Value::Array(types)) => union(
            types
                .iter()
                .map(|t| single_type(object, t.as_str().unwrap_or("unknown"), context))
                .collect(),
        ),
        Some(Value::String(kind)) => single_type(object, kind, context),
        _ if object.is_empty() || object.keys().all(|k| k == "description") => context.json.into(),
        _ => "unknown".into(),
    }
}

/// In an open enum (`anyOf: [{enum: [...]}, {type: string}]`) the plain string alternative is
/// written `(string & {})`, which keeps editor completion for the documented values.
fn open_alternative(schema: &Value, context: &Context) -> String {
    let plain_string = schema
        .as_object()
        .is_some_and(|o| o.get("type") == Some(&Value::from("string")) && o.len() == 1);
    if plain_string {
        "(string & {})".into()
    } else {
        type_of(schema, context)
    }
}

fn single_type(object: &Map<String, Value>, kind: &str, context: &Context) -> String {
    match kind {
        "string" => "string".into(),
        "integer" | "number" => "number".into(),
        "boolean" => "boolean".into(),
        "null" => "null".into(),
        "array" => {
            let items = object
                .get("items")
                .map(|items| type_of(items, context))
                .unwrap_or_else(|| context.json.into());
            if items.contains(' ') {
                format!("({items})[]")
            } else {
                format!("{items}[]")
            }
        }
        "object" => match object.get("additionalProperties") {
            Some(values) if object.get("properties").is_none() => {
                format!("Record<string, {}>", type_of(values, context))
            }
            _ => format!("Record<string, {}>", context.json),
        },
        _ => "unknown".into(),
    }
}

fn literal(value: &Value) -> String {
    match value {
        Value::String(text) => format!("{text:?}").replace("\\'", "'"),
        other => other.to_string(),
    }
}

fn union(mut members: Vec<String>) -> String {
    members.dedup();
    // `null` last reads naturally: `string | null`.
    if let Some(position) = members.iter().position(|m| m == "null") {
        let null = members.remove(position);
        members.push(null);
    }
    members.join(" | ")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The committed declarations and tables are current; when not, they are rewritten (review
    /// and commit the change) and the test fails.
    #[test]
    fn package_types_and_tables_are_current() {
        let mut stale = Vec::new();
        for (file, expected) in [
            ("types.ts", declarations()),
            ("tables.ts", tables()),
            ("routes.ts", routes()),
        ] {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../../web/package/src")
                .join(file);
            if std::fs::read_to_string(&path).unwrap_or_default() != expected {
                std::fs::write(&path, &expected).unwrap();
                stale.push(file);
            }
        }
        assert!(
            stale.is_empty(),
            "web/package/src/{stale:?} was stale and has been rewritten: review and commit it"
        );
    }

    #[test]
    fn tables_come_from_the_rust_side() {
        let routes = routes();
        assert!(routes.contains("'GET /v2/serverless/{id}/tasks/{taskId}'"), "{routes}");
        assert!(routes.contains("'POST /openapi/v1/elastic/deploy/{id}/update'"));
        assert!(routes.contains("'GET /openapi/v1/skywalker/tasks/{userTaskId}'"));
        assert!(routes.contains("'PATCH /v2/container-registry-auths/{id}'"));
        assert_eq!(
            routes.matches(" /openapi/").count() + routes.matches(" /v2/").count(),
            yotta_api::operations::ALL.len(),
            "one route per operation of the table"
        );
        let tables = tables();
        let read_only = tables.lines().find(|l| l.contains("ENDPOINT_READ_ONLY")).unwrap();
        for field in [
            "'id'",
            "'status'",
            "'cost'",
            "'perHourPrice'",
            "'totalWorkers'",
            "'image'",
        ] {
            assert!(read_only.contains(field), "{read_only}");
        }
        for settable in ["'name'", "'resources'", "'webhook'", "'environmentVars'"] {
            assert!(!read_only.contains(settable), "{read_only}");
        }
        assert!(tables.contains("RESOURCE_READ_ONLY: readonly string[] = ['regionDisplayName', 'gpuDisplayName',"));
        let gpus: Vec<&str> = tables.lines().filter(|l| l.starts_with("  {\"code\":")).collect();
        assert_eq!(gpus.len(), yotta::GPU_TYPES.len(), "one line per GPU type: {tables}");
        for (line, gpu) in gpus.iter().zip(&yotta::GPU_TYPES) {
            let want = format!(
                r#"  {{"code":"{}","displayName":"{}","vramGb":{}}},"#,
                gpu.code, gpu.display_name, gpu.vram_gb
            );
            assert_eq!(*line, want);
        }
        assert!(tables.contains(
            "REGISTRY_TYPES: readonly RegistryType[] = Object.freeze(['DOCKER_HUB', 'GCR', 'ECR', 'ACR', 'PRIVATE']);"
        ));
    }

    #[test]
    fn declarations_document_javascript_not_rust() {
        let ts = declarations();
        for rust in ["```", "::", "[`", "Debug", "use yotta", "serde", "&endpoint", "Some("] {
            let line = ts.lines().find(|l| l.contains(rust));
            assert!(line.is_none(), "Rust in the declarations ({rust:?}): {line:?}");
        }
        for (key, _) in JAVASCRIPT_DOCS {
            let (name, property) = key.split_once('.').map_or((*key, None), |(n, p)| (n, Some(p)));
            let declared = ts.contains(&format!(" {name} ")) || ts.contains(&format!(" {name}<"));
            let has_property = property.is_none_or(|p| ts.contains(&format!("  {p}")));
            assert!(declared && has_property, "{key} documents nothing that is declared");
        }
        assert!(
            ts.contains(" * @example\n * const endpoint = await client.createEndpoint({"),
            "{ts}"
        );
    }

    #[test]
    fn results_and_arguments_read_as_intended() {
        let ts = declarations();
        assert!(ts.contains("export interface Endpoint {"), "{ts}");
        assert!(ts.contains("  id: EndpointId;"), "ids are required in results");
        assert!(
            ts.contains("  cost: Amount | null;"),
            "absent values are null in results"
        );
        assert!(ts.contains("export type EndpointId = string;"));
        assert!(ts.contains("export type EndpointStatus = \"INITIALIZING\" | \"RUNNING\" | \"STOPPING\" | \"STOPPED\" | \"FAILED\" | \"TERMINATED\" | (string & {});"), "{ts}");
        assert!(ts.contains("  webhook?: string | null;"), "optional in arguments");
        assert!(ts.contains("export type ErrorKind = \"notFound\""));
        assert!(
            ts.contains("export interface Task<J = JsonValue> {"),
            "task data is a type parameter"
        );
        assert!(ts.contains("  output: J;"));
        assert!(ts.contains("  items: Task<J>[];"), "types holding tasks pass it on");
        assert!(ts.contains("  input: ExactJsonValue;"), "arguments accept bigints");
        assert!(
            ts.contains("export interface Endpoint {"),
            "types without JSON data stay plain"
        );
        assert!(ts.contains("export interface GpuType {"), "{ts}");
        assert!(ts.contains("export interface CredentialSpec {"), "{ts}");
        assert!(ts.contains("  vramGb: number;"));
        assert!(!ts.contains(": any"), "no any in the public surface");
        let untyped = ts
            .lines()
            .find(|l| l.ends_with(": unknown;") || l.contains("= unknown") || l.contains("| unknown "));
        assert!(untyped.is_none(), "every schema maps to a TypeScript type: {untyped:?}");
    }
}
