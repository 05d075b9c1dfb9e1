//! The public Rust API of a workspace crate as sorted text lines, from rustdoc's JSON output
//! (stable rustdoc with `RUSTC_BOOTSTRAP=1`), so a snapshot changes exactly when the surface does.
//!
//! One line per public item: modules, types with their public fields and variants, functions
//! and methods with signatures, constants, trait implementations (auto traits included: a type
//! that stops being `Send` is a breaking change). Blanket implementations are left out.

use anyhow::{Context, Result, bail};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

/// Builds rustdoc JSON for `package` (in its own target directory, so this can run inside
/// `cargo test` without waiting on the test's build lock) and renders it.
pub fn render_crate(root: &Path, package: &str) -> Result<String> {
    let target = root.join("target").join("public-api");
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .current_dir(root)
        .args(["doc", "--no-deps", "--quiet", "-p", package])
        .env("CARGO_TARGET_DIR", &target)
        .env("RUSTC_BOOTSTRAP", "1")
        // Broken or private intra-doc links fail the snapshot rather than scroll past in its log.
        .env("RUSTDOCFLAGS", "-Z unstable-options --output-format json -D warnings")
        .status()
        .context("running cargo doc")?;
    if !status.success() {
        bail!("cargo doc -p {package} failed");
    }
    let file = target.join("doc").join(format!("{}.json", package.replace('-', "_")));
    let json: Value = serde_json::from_str(&std::fs::read_to_string(&file).with_context(|| format!("{file:?}"))?)?;
    Ok(render(&json))
}

pub fn render(doc: &Value) -> String {
    let root = doc["root"].clone();
    let name = item(doc, &root)["name"].as_str().unwrap_or("crate").to_string();
    let mut public = BTreeMap::new();
    collect_public_paths(doc, &root, &name, &mut public);
    let cx = Cx { doc, public };
    let mut renderer = Renderer {
        doc,
        cx: &cx,
        lines: BTreeSet::new(),
        visited: BTreeSet::new(),
    };
    renderer.module(&root, &name);
    let mut text = renderer.lines.into_iter().collect::<Vec<_>>().join("\n");
    text.push('\n');
    text
}

/// The shortest public path of every local item reachable from `module`.
fn collect_public_paths(doc: &Value, module: &Value, path: &str, into: &mut BTreeMap<String, String>) {
    for child in item(doc, module)["inner"]["module"]["items"]
        .as_array()
        .into_iter()
        .flatten()
    {
        let entry = item(doc, child);
        if entry["visibility"] != "public" {
            continue;
        }
        let (target, name) = match entry["inner"].get("use") {
            Some(reexport) if reexport["is_glob"] == true => {
                collect_public_paths(doc, &reexport["id"], path, into);
                continue;
            }
            Some(reexport) => (
                reexport["id"].clone(),
                reexport["name"].as_str().unwrap_or("?").to_string(),
            ),
            None => (child.clone(), entry["name"].as_str().unwrap_or("?").to_string()),
        };
        let full = format!("{path}::{name}");
        let key = id_key(&target);
        let shorter = into.get(&key).is_none_or(|known: &String| full.len() < known.len());
        if shorter {
            into.insert(key, full.clone());
        }
        if item(doc, &target)["inner"].get("module").is_some() {
            collect_public_paths(doc, &target, &full, into);
        }
    }
}

fn item<'a>(doc: &'a Value, id: &Value) -> &'a Value {
    &doc["index"][id_key(id)]
}

fn id_key(id: &Value) -> String {
    match id {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The rustdoc JSON and, for local items, the public path users name them by.
struct Cx<'a> {
    doc: &'a Value,
    public: BTreeMap<String, String>,
}

struct Renderer<'a> {
    doc: &'a Value,
    cx: &'a Cx<'a>,
    lines: BTreeSet<String>,
    /// (item id, path) pairs already rendered, so re-exports are listed once per path.
    visited: BTreeSet<(String, String)>,
}

impl Renderer<'_> {
    fn module(&mut self, id: &Value, path: &str) {
        let module = item(self.doc, id);
        for child in module["inner"]["module"]["items"].as_array().into_iter().flatten() {
            self.item(child, path);
        }
    }

    fn item(&mut self, id: &Value, parent: &str) {
        let entry = item(self.doc, id);
        if entry.is_null() || entry["visibility"] != "public" {
            return;
        }
        let inner = &entry["inner"];
        if let Some(reexport) = inner.get("use") {
            let Some(target) = reexport.get("id").filter(|t| !t.is_null()) else {
                return;
            };
            if reexport["is_glob"] == true {
                self.module(target, parent);
            } else {
                let name = reexport["name"].as_str().unwrap_or("?");
                self.named(target, &format!("{parent}::{name}"));
            }
            return;
        }
        let name = entry["name"].as_str().unwrap_or("?");
        self.named(id, &format!("{parent}::{name}"));
    }

    /// Renders the item `id` as if it lived at `path`.
    fn named(&mut self, id: &Value, path: &str) {
        if !self.visited.insert((id_key(id), path.to_string())) {
            return;
        }
        let doc = self.doc;
        let entry = item(doc, id);
        let inner = &entry["inner"];
        let Some((kind, body)) = inner.as_object().and_then(|o| o.iter().next()) else {
            return;
        };
        match kind.as_str() {
            "module" => {
                self.lines.insert(format!("pub mod {path}"));
                self.module(id, path);
            }
            "struct" => {
                let generics = generics(self.cx, &body["generics"]);
                self.lines.insert(format!("pub struct {path}{generics}"));
                let kind = &body["kind"];
                let fields = kind.pointer("/plain/fields").or_else(|| kind.get("tuple"));
                for field in fields.and_then(Value::as_array).into_iter().flatten() {
                    let field = item(doc, field);
                    if field["visibility"] == "public" {
                        let name = field["name"].as_str().unwrap_or("?");
                        self.lines.insert(format!(
                            "pub {path}::{name}: {}",
                            ty(self.cx, &field["inner"]["struct_field"])
                        ));
                    }
                }
                self.impls(&body["impls"], path);
            }
            "enum" => {
                self.lines
                    .insert(format!("pub enum {path}{}", generics(self.cx, &body["generics"])));
                for variant in body["variants"].as_array().into_iter().flatten() {
                    let variant = item(doc, variant);
                    let name = variant["name"].as_str().unwrap_or("?");
                    let shape = variant_shape(self.cx, &variant["inner"]["variant"]["kind"]);
                    self.lines.insert(format!("pub {path}::{name}{shape}"));
                }
                self.impls(&body["impls"], path);
            }
            "function" => {
                self.lines.insert(function(self.cx, path, body));
            }
            "constant" => {
                self.lines
                    .insert(format!("pub const {path}: {}", ty(self.cx, &body["type"])));
            }
            "static" => {
                self.lines
                    .insert(format!("pub static {path}: {}", ty(self.cx, &body["type"])));
            }
            "type_alias" => {
                let generics = generics(self.cx, &body["generics"]);
                self.lines
                    .insert(format!("pub type {path}{generics} = {}", ty(self.cx, &body["type"])));
            }
            "trait" => {
                self.lines
                    .insert(format!("pub trait {path}{}", generics(self.cx, &body["generics"])));
                for member in body["items"].as_array().into_iter().flatten() {
                    let member = item(doc, member);
                    let name = member["name"].as_str().unwrap_or("?");
                    if let Some(function_body) = member["inner"].get("function") {
                        self.lines
                            .insert(function(self.cx, &format!("{path}::{name}"), function_body));
                    }
                }
            }
            "macro" | "proc_macro" => {
                self.lines.insert(format!("pub macro {path}!"));
            }
            _ => {}
        }
    }

    fn impls(&mut self, impls: &Value, path: &str) {
        let doc = self.doc;
        for id in impls.as_array().into_iter().flatten() {
            let implementation = &item(doc, id)["inner"]["impl"];
            if !implementation["blanket_impl"].is_null() {
                continue;
            }
            match implementation.get("trait").filter(|t| !t.is_null()) {
                Some(trait_path) => {
                    let name = path_text(self.cx, trait_path);
                    // Unstable auto traits vary with the toolchain, not with our API.
                    if UNSTABLE_AUTO_TRAITS.contains(&name.as_str()) {
                        continue;
                    }
                    let negative = if implementation["is_negative"] == true { "!" } else { "" };
                    self.lines.insert(format!(
                        "impl {negative}{name} for {}",
                        ty(self.cx, &implementation["for"])
                    ));
                }
                None => {
                    for member in implementation["items"].as_array().into_iter().flatten() {
                        let member = item(doc, member);
                        if member["visibility"] != "public" {
                            continue;
                        }
                        let name = member["name"].as_str().unwrap_or("?");
                        if let Some(function_body) = member["inner"].get("function") {
                            self.lines
                                .insert(function(self.cx, &format!("{path}::{name}"), function_body));
                        } else if let Some(constant) =
                            member["inner"].get("assoc_const").or(member["inner"].get("constant"))
                        {
                            let kind = constant.get("type").unwrap_or(&Value::Null);
                            self.lines
                                .insert(format!("pub const {path}::{name}: {}", ty(self.cx, kind)));
                        }
                    }
                }
            }
        }
    }
}

const UNSTABLE_AUTO_TRAITS: [&str; 2] = ["Freeze", "UnsafeUnpin"];

fn variant_shape(doc: &Cx, kind: &Value) -> String {
    if let Some(fields) = kind.get("tuple").and_then(Value::as_array) {
        let types: Vec<String> = fields
            .iter()
            .map(|f| {
                if f.is_null() {
                    "_".to_string()
                } else {
                    ty(doc, &item(doc.doc, f)["inner"]["struct_field"])
                }
            })
            .collect();
        return format!("({})", types.join(", "));
    }
    if let Some(fields) = kind.pointer("/struct/fields").and_then(Value::as_array) {
        let fields: Vec<String> = fields
            .iter()
            .map(|f| {
                let f = item(doc.doc, f);
                format!(
                    "{}: {}",
                    f["name"].as_str().unwrap_or("?"),
                    ty(doc, &f["inner"]["struct_field"])
                )
            })
            .collect();
        return format!(" {{ {} }}", fields.join(", "));
    }
    String::new()
}

fn function(doc: &Cx, path: &str, body: &Value) -> String {
    let header = &body["header"];
    let mut prefix = String::from("pub ");
    for (flag, word) in [("is_const", "const "), ("is_async", "async "), ("is_unsafe", "unsafe ")] {
        if header[flag] == true {
            prefix.push_str(word);
        }
    }
    let inputs: Vec<String> = body["sig"]["inputs"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|input| {
            let name = input[0].as_str().unwrap_or("_");
            let kind = ty(doc, &input[1]);
            match (name, kind.as_str()) {
                ("self", "Self") => "self".to_string(),
                ("self", "&Self") => "&self".to_string(),
                ("self", "&mut Self") => "&mut self".to_string(),
                _ => format!("{name}: {kind}"),
            }
        })
        .collect();
    let output = match &body["sig"]["output"] {
        Value::Null => String::new(),
        output => format!(" -> {}", ty(doc, output)),
    };
    let generics = generics(doc, &body["generics"]);
    let bounds = where_clause(doc, &body["generics"]);
    format!("{prefix}fn {path}{generics}({}){output}{bounds}", inputs.join(", "))
}

fn generics(doc: &Cx, generics: &Value) -> String {
    let params: Vec<String> = generics["params"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|p| p["kind"].pointer("/type/is_synthetic") != Some(&Value::Bool(true)))
        .map(|p| {
            let name = p["name"].as_str().unwrap_or("?").to_string();
            let bounds = p["kind"]
                .pointer("/type/bounds")
                .map(|b| bounds_text(doc, b))
                .unwrap_or_default();
            if bounds.is_empty() {
                name
            } else {
                format!("{name}: {bounds}")
            }
        })
        .collect();
    if params.is_empty() {
        String::new()
    } else {
        format!("<{}>", params.join(", "))
    }
}

fn where_clause(doc: &Cx, generics: &Value) -> String {
    let predicates: Vec<String> = generics["where_predicates"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| {
            let bound = p.get("bound_predicate")?;
            Some(format!(
                "{}: {}",
                ty(doc, &bound["type"]),
                bounds_text(doc, &bound["bounds"])
            ))
        })
        .collect();
    if predicates.is_empty() {
        String::new()
    } else {
        format!(" where {}", predicates.join(", "))
    }
}

fn bounds_text(doc: &Cx, bounds: &Value) -> String {
    let parts: Vec<String> = bounds
        .as_array()
        .into_iter()
        .flatten()
        .map(|bound| {
            if let Some(trait_bound) = bound.get("trait_bound") {
                let maybe = if trait_bound["modifier"] == "maybe" { "?" } else { "" };
                format!("{maybe}{}", path_text(doc, &trait_bound["trait"]))
            } else if let Some(lifetime) = bound.get("outlives") {
                lifetime.as_str().unwrap_or("'_").to_string()
            } else {
                "?".to_string()
            }
        })
        .collect();
    parts.join(" + ")
}

/// A path with its generic arguments, named by the item's canonical path when known.
fn path_text(doc: &Cx, path: &Value) -> String {
    let name = path
        .get("path")
        .or_else(|| path.get("name"))
        .and_then(Value::as_str)
        .unwrap_or("?");
    let public = path.get("id").and_then(|id| doc.public.get(&id_key(id)));
    let canonical = public
        .cloned()
        .or_else(|| {
            path.get("id")
                .and_then(|id| doc.doc["paths"].get(id_key(id)))
                .and_then(|summary| summary["path"].as_array())
                .map(|segments| segments.iter().filter_map(Value::as_str).collect::<Vec<_>>().join("::"))
                .filter(|p| p.starts_with("yotta"))
        })
        .unwrap_or_else(|| name.rsplit("::").next().unwrap_or(name).to_string());
    format!("{canonical}{}", args_text(doc, &path["args"]))
}

fn args_text(doc: &Cx, args: &Value) -> String {
    if let Some(angle) = args.get("angle_bracketed") {
        let mut parts: Vec<String> = angle["args"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|arg| {
                if let Some(t) = arg.get("type") {
                    ty(doc, t)
                } else if let Some(l) = arg.get("lifetime") {
                    l.as_str().unwrap_or("'_").to_string()
                } else {
                    "_".to_string()
                }
            })
            .collect();
        for constraint in angle["constraints"].as_array().into_iter().flatten() {
            let name = constraint["name"].as_str().unwrap_or("?");
            if let Some(t) = constraint.pointer("/binding/equality/type") {
                parts.push(format!("{name} = {}", ty(doc, t)));
            } else if let Some(b) = constraint.pointer("/binding/constraint") {
                parts.push(format!("{name}: {}", bounds_text(doc, b)));
            }
        }
        return if parts.is_empty() {
            String::new()
        } else {
            format!("<{}>", parts.join(", "))
        };
    }
    if let Some(parenthesized) = args.get("parenthesized") {
        let inputs: Vec<String> = parenthesized["inputs"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|t| ty(doc, t))
            .collect();
        let output = match &parenthesized["output"] {
            Value::Null => String::new(),
            o => format!(" -> {}", ty(doc, o)),
        };
        return format!("({}){output}", inputs.join(", "));
    }
    String::new()
}

fn ty(doc: &Cx, t: &Value) -> String {
    if let Some(path) = t.get("resolved_path") {
        return path_text(doc, path);
    }
    if let Some(name) = t.get("generic").and_then(Value::as_str) {
        return name.to_string();
    }
    if let Some(name) = t.get("primitive").and_then(Value::as_str) {
        return name.to_string();
    }
    if let Some(reference) = t.get("borrowed_ref") {
        let lifetime = reference["lifetime"]
            .as_str()
            .map(|l| format!("{l} "))
            .unwrap_or_default();
        let mutable = if reference["is_mutable"] == true { "mut " } else { "" };
        return format!("&{lifetime}{mutable}{}", ty(doc, &reference["type"]));
    }
    if let Some(items) = t.get("tuple").and_then(Value::as_array) {
        return format!("({})", items.iter().map(|i| ty(doc, i)).collect::<Vec<_>>().join(", "));
    }
    if let Some(inner) = t.get("slice") {
        return format!("[{}]", ty(doc, inner));
    }
    if let Some(array) = t.get("array") {
        return format!(
            "[{}; {}]",
            ty(doc, &array["type"]),
            array["len"].as_str().unwrap_or("_")
        );
    }
    if let Some(bounds) = t.get("impl_trait") {
        return format!("impl {}", bounds_text(doc, bounds));
    }
    if let Some(dynamic) = t.get("dyn_trait") {
        let traits: Vec<String> = dynamic["traits"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|p| path_text(doc, &p["trait"]))
            .collect();
        return format!("dyn {}", traits.join(" + "));
    }
    if let Some(pointer) = t.get("raw_pointer") {
        let mutability = if pointer["is_mutable"] == true { "mut" } else { "const" };
        return format!("*{mutability} {}", ty(doc, &pointer["type"]));
    }
    if let Some(qualified) = t.get("qualified_path") {
        return format!(
            "<{}>::{}",
            ty(doc, &qualified["self_type"]),
            qualified["name"].as_str().unwrap_or("?")
        );
    }
    if t.get("function_pointer").is_some() {
        return "fn(..)".to_string();
    }
    "_".to_string()
}
