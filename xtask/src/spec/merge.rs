//! Merges OpenAPI documents (the blocks of one page, then the two API versions) into one,
//! refusing anything ambiguous: a path/method defined twice, or two different schemas with one
//! name. Errors name both origins so the upstream page can be found and read.

use anyhow::{Result, bail};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

pub const HTTP_METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// Accumulates documents, remembering where every path item, operation and component came from.
#[derive(Debug)]
pub struct Merger {
    document: Value,
    /// "paths./x.get" or "components.schemas.Foo" -> origin label.
    origins: BTreeMap<String, String>,
    /// Component names that arrived more than once, byte-for-byte identical.
    shared: Vec<String>,
    /// Top-level fields every document must agree on (e.g. `openapi`, `info`).
    agreed: Vec<&'static str>,
}

impl Merger {
    /// `agreed` lists the top-level fields that every merged document must carry with the same
    /// value (the blocks of one page share their header); others come from the first document.
    pub fn new(agreed: &[&'static str]) -> Self {
        Self {
            document: Value::Object(Map::new()),
            origins: BTreeMap::new(),
            shared: Vec::new(),
            agreed: agreed.to_vec(),
        }
    }

    pub fn add(&mut self, origin: &str, document: &Value) -> Result<()> {
        let Some(incoming) = document.as_object() else {
            bail!("{origin}: an OpenAPI document must be a JSON object");
        };
        let target = self.document.as_object_mut().expect("merger holds an object");
        let first = self.origins.is_empty();
        for (key, value) in incoming {
            match key.as_str() {
                "paths" | "components" => {}
                _ if self.agreed.contains(&key.as_str()) && !first => {
                    let existing = target.get(key);
                    if existing != Some(value) {
                        let first_origin = self.origins.get("$first").cloned().unwrap_or_default();
                        bail!(
                            "{origin}: top-level `{key}` differs from {first_origin}: {} vs {}",
                            compact(value),
                            existing.map(compact).unwrap_or_else(|| "(absent)".into())
                        );
                    }
                }
                _ => {
                    target.entry(key.clone()).or_insert_with(|| value.clone());
                }
            }
        }
        if first {
            self.origins.insert("$first".into(), origin.into());
        }
        if let Some(paths) = incoming.get("paths") {
            self.add_paths(origin, paths)?;
        }
        if let Some(components) = incoming.get("components") {
            self.add_components(origin, components)?;
        }
        Ok(())
    }

    fn add_paths(&mut self, origin: &str, paths: &Value) -> Result<()> {
        let Some(paths) = paths.as_object() else {
            bail!("{origin}: `paths` is not an object")
        };
        for (path, item) in paths {
            let Some(item) = item.as_object() else {
                bail!("{origin}: path item {path} is not an object")
            };
            for (field, value) in item {
                let key = format!("paths.{path}.{field}");
                let existing = self.slot(&["paths", path]).get(field).cloned();
                match existing {
                    None => {
                        self.slot(&["paths", path]).insert(field.clone(), value.clone());
                        self.origins.insert(key, origin.into());
                    }
                    // Shared path-level fields (summary, parameters) may repeat if identical.
                    Some(existing) if &existing == value && !HTTP_METHODS.contains(&field.as_str()) => {}
                    Some(_) => {
                        let before = &self.origins[&key];
                        if HTTP_METHODS.contains(&field.as_str()) {
                            bail!(
                                "{} {path} is defined twice: in {before} and in {origin}",
                                field.to_uppercase()
                            );
                        }
                        bail!("path {path}: `{field}` differs between {before} and {origin}");
                    }
                }
            }
        }
        Ok(())
    }

    fn add_components(&mut self, origin: &str, components: &Value) -> Result<()> {
        let Some(components) = components.as_object() else {
            bail!("{origin}: `components` is not an object")
        };
        for (kind, entries) in components {
            let Some(entries) = entries.as_object() else {
                bail!("{origin}: components.{kind} is not an object")
            };
            for (name, value) in entries {
                let key = format!("components.{kind}.{name}");
                let existing = self.slot(&["components", kind]).get(name).cloned();
                match existing {
                    None => {
                        self.slot(&["components", kind]).insert(name.clone(), value.clone());
                        self.origins.insert(key, origin.into());
                    }
                    Some(existing) if &existing == value => {
                        let before = &self.origins[&key];
                        if origin_source(before) != origin_source(origin) {
                            self.shared.push(format!("{kind}.{name}"));
                        }
                    }
                    Some(existing) => {
                        let before = &self.origins[&key];
                        bail!(
                            "components.{kind}.{name} is defined differently in {before} and in {origin}:\n  {before}: {}\n  {origin}: {}",
                            compact(&existing),
                            compact(value)
                        );
                    }
                }
            }
        }
        Ok(())
    }

    fn slot(&mut self, keys: &[&str]) -> &mut Map<String, Value> {
        let mut node = self.document.as_object_mut().expect("merger holds an object");
        for key in keys {
            node = node
                .entry(key.to_string())
                .or_insert_with(|| Value::Object(Map::new()))
                .as_object_mut()
                .expect("merge slots are objects");
        }
        node
    }

    /// Components that arrived from different sources with identical content, e.g. the
    /// schemas v1 and v2 share. Repeats between blocks of one page are not counted.
    pub fn shared_components(&self) -> &[String] {
        &self.shared
    }

    /// Where a path item field or component came from.
    pub fn origin_of(&self, key: &str) -> Option<&str> {
        self.origins.get(key).map(String::as_str)
    }

    pub fn finish(self) -> Value {
        self.document
    }
}

/// "v2-reference-serverless.md block 3" -> "v2-reference-serverless.md": the source a block
/// belongs to, so repeats within one page are not reported as sharing between sources.
fn origin_source(origin: &str) -> &str {
    origin.split(" block ").next().unwrap_or(origin)
}

fn compact(value: &Value) -> String {
    let text = value.to_string();
    if text.len() > 300 {
        format!("{}…", &text[..text.floor_char_boundary(300)])
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc(path: &str, method: &str, schema: Value) -> Value {
        json!({"openapi": "3.0.1", "info": {"title": "t", "version": "1"},
               "paths": {path: {method: {"operationId": format!("{method}{path}")}}},
               "components": {"schemas": {"Thing": schema}}})
    }

    #[test]
    fn merges_paths_and_identical_schemas() {
        let mut merger = Merger::new(&["openapi", "info"]);
        merger
            .add("a.md block 1", &doc("/x", "get", json!({"type": "string"})))
            .unwrap();
        merger
            .add("a.md block 2", &doc("/x", "post", json!({"type": "string"})))
            .unwrap();
        assert!(
            merger.shared_components().is_empty(),
            "repeats within one page are not sharing"
        );
        merger
            .add("b.md block 1", &doc("/y", "get", json!({"type": "string"})))
            .unwrap();
        assert_eq!(merger.shared_components(), ["schemas.Thing"]);
        let merged = merger.finish();
        assert!(merged["paths"]["/x"]["get"].is_object() && merged["paths"]["/x"]["post"].is_object());
        assert!(merged["paths"]["/y"]["get"].is_object());
    }

    #[test]
    fn path_method_collision_names_both_origins() {
        let mut merger = Merger::new(&[]);
        merger.add("v1 block 2", &doc("/x", "get", json!({}))).unwrap();
        let error = merger
            .add("v2 block 5", &doc("/x", "get", json!({})))
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("GET /x is defined twice: in v1 block 2 and in v2 block 5"),
            "{error}"
        );
    }

    #[test]
    fn differing_schemas_name_both_origins() {
        let mut merger = Merger::new(&[]);
        merger.add("v1", &doc("/x", "get", json!({"type": "string"}))).unwrap();
        let error = merger
            .add("v2", &doc("/y", "get", json!({"type": "integer"})))
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("components.schemas.Thing is defined differently in v1 and in v2"),
            "{error}"
        );
    }

    #[test]
    fn agreed_fields_must_match() {
        let mut merger = Merger::new(&["openapi"]);
        merger.add("p block 1", &doc("/x", "get", json!({}))).unwrap();
        let mut other = doc("/y", "get", json!({}));
        other["openapi"] = json!("3.1.0");
        let error = merger.add("p block 2", &other).unwrap_err().to_string();
        assert!(error.contains("top-level `openapi` differs from p block 1"), "{error}");
    }
}
