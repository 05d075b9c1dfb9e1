//! The documented catalogue (`crates/yotta-api/src/generated_catalog.rs`): the GPU types and
//! endpoint constraints `openapi/yotta.json` carries in `x-gpu-types` and `x-constraints` (read
//! from the API guides overview, see `documented_catalog` in xtask/src/spec/normalize.rs), and
//! every integer-coded status a schema names with `x-enum-names`.

use super::rust_file;
use anyhow::{Context, Result, bail};
use serde_json::Value;
use std::fmt::Write as _;

pub fn generate_catalog(yotta: &Value) -> Result<String> {
    let mut source = String::from(
        "//! What the docs list beyond the operations: the GPU types endpoints accept, the documented\n\
         //! endpoint constraints and the names of integer-coded statuses, each with its source page.\n",
    );
    let gpus = &yotta["x-gpu-types"];
    let types = gpus["types"]
        .as_array()
        .context("openapi/yotta.json has no x-gpu-types.types")?;
    let mut rows = Vec::new();
    for gpu in types {
        let (Some(code), Some(name), Some(vram)) = (
            gpu["code"].as_str(),
            gpu["displayName"].as_str(),
            gpu["vramGb"].as_u64().and_then(|v| u32::try_from(v).ok()),
        ) else {
            bail!("x-gpu-types: a row lacks code, displayName or vramGb: {gpu}");
        };
        rows.push(format!(
            "GpuType {{ code: {code:?}, display_name: {name:?}, vram_gb: {vram} }}"
        ));
    }
    writeln!(
        source,
        "/// A GPU type endpoints accept in `resources[].gpuType`.\n\
         #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]\n\
         pub struct GpuType {{ \n/// The code requests use, e.g. `NVIDIA_RTX_4090_24G`.\npub code: &'static str,\n\
         /// The docs' display name, e.g. `RTX 4090`.\npub display_name: &'static str,\n\
         /// Memory per card in GB.\npub vram_gb: u32 }}\n\
         /// Every GPU type the docs list ({}), in their order.\npub static GPU_TYPES: [GpuType; {}] = [{}];\n\
         /// The documented GPU type with this code (codes are compared exactly, as the API does).\n\
         pub fn gpu_type(code: &str) -> Option<&'static GpuType> {{ GPU_TYPES.iter().find(|gpu| gpu.code == code) }}",
        gpus["source"].as_str().unwrap_or("x-gpu-types"),
        rows.len(),
        rows.join(", ")
    )?;

    let constraints = &yotta["x-constraints"];
    let volume = &constraints["minContainerVolumeGb"];
    let min_volume = volume["value"]
        .as_u64()
        .and_then(|v| u32::try_from(v).ok())
        .context("x-constraints.minContainerVolumeGb.value")?;
    let power = &constraints["gpuCountPowerOfTwo"];
    writeln!(
        source,
        "/// The smallest `containerVolumeInGb` of an endpoint: \"{}\" ({}).\npub const MIN_CONTAINER_VOLUME_GB: u32 = {min_volume};\n\
         /// Whether an endpoint resource may have `count` GPUs: \"{}\" ({}).\n\
         pub const fn gpu_count_allowed(count: u32) -> bool {{ count.is_power_of_two() }}",
        text(volume, "note")?,
        text(volume, "source")?,
        text(power, "note")?,
        text(power, "source")?,
    )?;

    for (schema, definition) in yotta["components"]["schemas"].as_object().into_iter().flatten() {
        for (property, value) in definition["properties"].as_object().into_iter().flatten() {
            let Some(names) = value.get("x-enum-names").and_then(Value::as_object) else {
                continue;
            };
            let mut pairs = Vec::new();
            for (code, name) in names {
                let code: i32 = code
                    .parse()
                    .with_context(|| format!("{schema}.{property}: x-enum-names key {code} is not an integer"))?;
                let name = name
                    .as_str()
                    .with_context(|| format!("{schema}.{property}: x-enum-names values are names"))?;
                pairs.push((code, name));
            }
            pairs.sort();
            writeln!(
                source,
                "/// `{schema}.{property}`: each documented code and its name.\npub const {}: [(i32, &str); {}] = [{}];",
                constant(schema, property),
                pairs.len(),
                pairs
                    .iter()
                    .map(|(code, name)| format!("({code}, {name:?})"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )?;
        }
    }
    let file: syn::File = syn::parse_str(&source).context("the catalogue is not valid Rust")?;
    Ok(rust_file(&file))
}

fn text<'a>(value: &'a Value, key: &str) -> Result<&'a str> {
    value[key]
        .as_str()
        .with_context(|| format!("x-constraints entry has no {key}: {value}"))
}

/// `OpenapiTaskDetail`, `resultSendStatus` -> `OPENAPI_TASK_DETAIL_RESULT_SEND_STATUS_NAMES`.
fn constant(schema: &str, property: &str) -> String {
    let mut out = String::new();
    for part in [schema, property] {
        if !out.is_empty() {
            out.push('_');
        }
        for (i, c) in part.chars().enumerate() {
            if c.is_ascii_uppercase() && i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_uppercase());
        }
    }
    out.push_str("_NAMES");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_catalogue_is_generated_from_the_extensions() {
        let yotta = json!({
            "x-gpu-types": {"source": "o.md, 'GPU'", "types": [{"code": "NVIDIA_H100_80G", "displayName": "H100", "vramGb": 80}]},
            "x-constraints": {
                "gpuCountPowerOfTwo": {"note": "GPU counts must be powers of 2", "source": "o.md"},
                "minContainerVolumeGb": {"value": 20, "note": "Minimum container volume is 20 GB", "source": "o.md"}},
            "components": {"schemas": {"OpenapiTaskDetail": {"properties": {
                "status": {"x-enum-names": {"1": "DELIVERED", "0": "PROCESSING"}}}}}}
        });
        let code = generate_catalog(&yotta).unwrap();
        assert!(code.contains("pub static GPU_TYPES: [GpuType; 1]"), "{code}");
        assert!(code.contains("display_name: \"H100\""), "{code}");
        assert!(code.contains("pub const MIN_CONTAINER_VOLUME_GB: u32 = 20;"), "{code}");
        assert!(
            code.contains("OPENAPI_TASK_DETAIL_STATUS_NAMES: [(i32, &str); 2]"),
            "{code}"
        );
        let (processing, delivered) = (code.find("(0, \"PROCESSING\")"), code.find("(1, \"DELIVERED\")"));
        assert!(processing.is_some() && processing < delivered, "codes in order: {code}");
        assert!(generate_catalog(&json!({})).is_err());
    }
}
