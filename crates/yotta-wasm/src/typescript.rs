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
use std::collections::BTreeMap;
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

/// The declarations of every type the package's methods take or return.
pub fn declarations() -> String {
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
    defs.add::<yotta::ErrorKind>(results);
    defs.add::<yotta::EndpointSpec>(arguments.clone());
    defs.add::<yotta::EndpointUpdate>(arguments.clone());
    defs.add::<yotta::TaskSpec>(arguments.clone());
    defs.add::<yotta::LogQuery>(arguments.clone());
    defs.add::<yotta::TaskListQuery>(arguments.clone());
    defs.add::<crate::ClientOptions>(arguments.clone());
    defs.add::<crate::WaitOptions>(arguments);

    let mut out = String::from(
        "// @generated from the Rust types by `cargo test -p yotta-wasm` (crates/yotta-wasm/src/typescript.rs).\n\
         // Do not edit by hand: change the Rust types, then run the tests, which rewrite this file.\n\
         import type { JsonValue } from './json.js';\n",
    );
    for (name, (schema, _)) in &defs.schemas {
        out.push('\n');
        out.push_str(&doc_comment(schema, ""));
        let is_object = schema.get("properties").is_some();
        if is_object {
            writeln!(out, "export interface {name} {{").unwrap();
            let required: Vec<&str> = schema["required"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            for (property, property_schema) in schema["properties"].as_object().into_iter().flatten() {
                out.push_str(&doc_comment(property_schema, "  "));
                let optional = if required.contains(&property.as_str()) { "" } else { "?" };
                writeln!(out, "  {property}{optional}: {};", type_of(property_schema)).unwrap();
            }
            out.push_str("}\n");
        } else {
            writeln!(out, "export type {name} = {};", type_of(schema)).unwrap();
        }
    }
    out
}

fn doc_comment(schema: &Value, indent: &str) -> String {
    match schema.get("description").and_then(Value::as_str) {
        Some(text) => {
            let text = text.replace("*/", "* /").replace('\n', &format!("\n{indent} * "));
            format!("{indent}/** {text} */\n")
        }
        None => String::new(),
    }
}

/// The TypeScript type of a schema.
fn type_of(schema: &Value) -> String {
    let object = match schema {
        Value::Bool(true) => return "JsonValue".into(),
        Value::Bool(false) => return "never".into(),
        Value::Object(object) => object,
        _ => return "unknown".into(),
    };
    if let Some(reference) = object.get("$ref").and_then(Value::as_str) {
        return reference.rsplit('/').next().unwrap_or(reference).to_string();
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
                .map(|a| if open_enum { open_alternative(a) } else { type_of(a) })
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
                .map(|t| single_type(object, t.as_str().unwrap_or("unknown")))
                .collect(),
        ),
        Some(Value::String(kind)) => single_type(object, kind),
        _ if object.is_empty() || object.keys().all(|k| k == "description") => "JsonValue".into(),
        _ => "unknown".into(),
    }
}

/// In an open enum (`anyOf: [{enum: [...]}, {type: string}]`) the plain string alternative is
/// written `(string & {})`, which keeps editor completion for the documented values.
fn open_alternative(schema: &Value) -> String {
    let plain_string = schema
        .as_object()
        .is_some_and(|o| o.get("type") == Some(&Value::from("string")) && o.len() == 1);
    if plain_string {
        "(string & {})".into()
    } else {
        type_of(schema)
    }
}

fn single_type(object: &Map<String, Value>, kind: &str) -> String {
    match kind {
        "string" => "string".into(),
        "integer" | "number" => "number".into(),
        "boolean" => "boolean".into(),
        "null" => "null".into(),
        "array" => {
            let items = object.get("items").map(type_of).unwrap_or_else(|| "JsonValue".into());
            if items.contains(' ') {
                format!("({items})[]")
            } else {
                format!("{items}[]")
            }
        }
        "object" => match object.get("additionalProperties") {
            Some(values) if object.get("properties").is_none() => format!("Record<string, {}>", type_of(values)),
            _ => "Record<string, JsonValue>".into(),
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

    /// The committed declarations are current; when not, they are rewritten (review and commit
    /// the change) and the test fails.
    #[test]
    fn package_types_are_current() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../web/package/src/types.ts");
        let expected = declarations();
        let current = std::fs::read_to_string(&path).unwrap_or_default();
        if current != expected {
            std::fs::write(&path, &expected).unwrap();
            panic!("web/package/src/types.ts was stale and has been rewritten: review and commit it");
        }
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
        assert!(!ts.contains(": any"), "no any in the public surface");
        let untyped = ts
            .lines()
            .find(|l| l.ends_with(": unknown;") || l.contains("= unknown") || l.contains("| unknown "));
        assert!(untyped.is_none(), "every schema maps to a TypeScript type: {untyped:?}");
    }
}
