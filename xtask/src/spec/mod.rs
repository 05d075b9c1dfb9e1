//! From the vendored documentation pages to the three committed spec artefacts:
//! `openapi/v1.json` and `openapi/v2.json` (each version's reference blocks merged, otherwise
//! untouched) and `openapi/yotta.json` (both versions, the overlay and what codegen reads from the
//! guide pages' tables, normalised for codegen).

pub mod extract;
pub mod guide;
pub mod merge;
pub mod normalize;
pub mod table;

use anyhow::{Context, Result, bail};
use merge::Merger;
use normalize::Version;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::Path;

pub const V1_PAGE: &str = "v1-reference-serverless.md";
pub const V2_PAGE: &str = "v2-reference-serverless.md";
pub const OVERLAY: &str = "overlay.json";
pub const PAGES: &str = "pages.json";

/// The vendored pages listed in `openapi/pages.json`, by file name.
#[derive(Debug, Default, Clone)]
pub struct Pages(BTreeMap<String, String>);

impl Pages {
    pub fn load(openapi_dir: &Path) -> Result<Self> {
        let manifest: Value = serde_json::from_str(
            &std::fs::read_to_string(openapi_dir.join(PAGES)).with_context(|| format!("reading openapi/{PAGES}"))?,
        )
        .with_context(|| format!("parsing openapi/{PAGES}"))?;
        let mut pages = BTreeMap::new();
        for page in manifest["pages"].as_array().into_iter().flatten() {
            let file = page["file"]
                .as_str()
                .with_context(|| format!("openapi/{PAGES}: a page without a `file`"))?;
            let text =
                std::fs::read_to_string(openapi_dir.join(file)).with_context(|| format!("reading openapi/{file}"))?;
            pages.insert(file.to_string(), text);
        }
        Ok(Self(pages))
    }

    /// The text of a vendored page; an error names the page when it is not one.
    pub fn get(&self, file: &str) -> Result<&str> {
        self.0
            .get(file)
            .map(String::as_str)
            .with_context(|| format!("{file} is not a vendored page (openapi/{PAGES} does not list it)"))
    }

    #[cfg(test)]
    pub fn from_texts(pages: &[(&str, &str)]) -> Self {
        Self(pages.iter().map(|(f, t)| (f.to_string(), t.to_string())).collect())
    }
}

/// The specs derived from one set of pages.
#[derive(Debug)]
pub struct Specs {
    pub v1: Value,
    pub v2: Value,
    pub yotta: Value,
    /// Schemas v1 and v2 both define, byte-for-byte identical (merged into one).
    pub shared_schemas: Vec<String>,
}

pub fn build(openapi_dir: &Path) -> Result<Specs> {
    let read =
        |name: &str| std::fs::read_to_string(openapi_dir.join(name)).with_context(|| format!("reading openapi/{name}"));
    let v1 = merge_page(V1_PAGE, &read(V1_PAGE)?)?;
    let v2 = merge_page(V2_PAGE, &read(V2_PAGE)?)?;
    let overlay: Value = serde_json::from_str(&read(OVERLAY)?).with_context(|| format!("parsing openapi/{OVERLAY}"))?;
    let pages = Pages::load(openapi_dir)?;
    let yotta = combine(&v1, &v2, &overlay, &pages)?;
    Ok(Specs {
        v1,
        v2,
        shared_schemas: yotta.1,
        yotta: yotta.0,
    })
}

/// Merges every json block of a reference page into one document.
pub fn merge_page(page: &str, text: &str) -> Result<Value> {
    let blocks = extract::json_blocks(page, text)?;
    if blocks.is_empty() {
        bail!("{page}: no ```json blocks found; is this still a reference page?");
    }
    let mut merger = Merger::new(&["openapi", "info", "servers", "security", "tags"]);
    for block in &blocks {
        merger.add(
            &format!("{page} block {} (line {})", block.number, block.line),
            &block.document,
        )?;
    }
    Ok(merger.finish())
}

/// A version's reference document with the overlay's paths and schemas for that version added.
fn with_overlay(page: &str, doc: &Value, overlay: &Value, version: &str) -> Result<Value> {
    let mut merged = Merger::new(&[]);
    merged.add(page, doc)?;
    if let Some(additions) = overlay.get(version) {
        let mut taken = serde_json::Map::new();
        for key in ["paths", "components"] {
            if let Some(value) = additions.get(key) {
                taken.insert(key.to_string(), value.clone());
            }
        }
        merged.add(&format!("{OVERLAY} ({version})"), &Value::Object(taken))?;
    }
    Ok(merged.finish())
}

fn combine(v1: &Value, v2: &Value, overlay: &Value, pages: &Pages) -> Result<(Value, Vec<String>)> {
    let mut v1 = with_overlay(V1_PAGE, v1, overlay, "v1")?;
    let mut v2 = with_overlay(V2_PAGE, v2, overlay, "v2")?;

    let page_codes = |version: &str| -> Result<Option<normalize::PageCodes>> {
        match overlay.get(version).and_then(|o| o.get("businessCodes")) {
            Some(codes) => Ok(Some(
                serde_json::from_value(codes.clone()).with_context(|| format!("overlay {version}.businessCodes"))?,
            )),
            None => Ok(None),
        }
    };
    normalize::normalize_version(&mut v1, Version::V1, page_codes("v1")?.as_ref(), pages)?;
    normalize::normalize_version(&mut v2, Version::V2, page_codes("v2")?.as_ref(), pages)?;

    let mut combined = Merger::new(&[]);
    combined.add(
        "openapi/v1.json",
        &json!({"paths": v1["paths"], "components": v1["components"]}),
    )?;
    combined.add(
        "openapi/v2.json",
        &json!({"paths": v2["paths"], "components": v2["components"]}),
    )?;
    let shared = combined
        .shared_components()
        .iter()
        .map(|s| s.trim_start_matches("schemas.").to_string())
        .collect();
    let merged = combined.finish();

    let mut yotta = json!({
        "openapi": "3.0.3",
        "info": {
            "title": "Yotta Labs Serverless API",
            "version": upstream_version(&v1, &v2)?,
            "description": "Both versions of the Yotta Labs Serverless (Elastic Deployment) API in one document, generated by `cargo xtask codegen` from the published reference pages, the guide pages' tables and openapi/overlay.json. Do not edit: see xtask/src/spec/normalize.rs for every rule applied."
        },
        "servers": [{"url": "https://api.yottalabs.ai"}],
        "tags": [
            {"name": "v1", "description": "API v1: Elastic Deployment (/openapi/v1/elastic/deploy), credentials (/openapi/v1/credentials), queue tasks (/openapi/v1/skywalker/tasks)"},
            {"name": "v2", "description": "API v2: Serverless (/v2/serverless), registry credentials (/v2/container-registry-auths)"}
        ],
        "paths": merged["paths"],
        "components": merged["components"],
    });
    let global = overlay.get("global").cloned().unwrap_or(Value::Null);
    normalize::normalize_combined(&mut yotta, &global, pages)?;
    Ok((yotta, shared))
}

fn upstream_version(v1: &Value, v2: &Value) -> Result<String> {
    let (a, b) = (&v1["info"]["version"], &v2["info"]["version"]);
    match (a.as_str(), b.as_str()) {
        (Some(a), Some(b)) if a == b => Ok(a.to_string()),
        _ => bail!(
            "the reference pages declare different info.version values ({a} vs {b}); pick one in xtask/src/spec/mod.rs"
        ),
    }
}

/// Every operation of a spec as (method, path, operation).
pub fn operations(doc: &Value) -> Vec<(String, String, &Value)> {
    let mut ops = Vec::new();
    for (path, item) in doc["paths"].as_object().into_iter().flatten() {
        for method in merge::HTTP_METHODS {
            if let Some(op) = item.get(method) {
                ops.push((method.to_uppercase(), path.clone(), op));
            }
        }
    }
    ops
}
