//! The wasm size breakdown: `twiggy top` and `twiggy monos` on a module that kept its name
//! section, grouped by crate and by concern so the next size cut is obvious.

use anyhow::{Context, Result, bail};
use serde_json::Value;
use std::collections::HashMap;
use std::path::Path;
use std::process::Command;

/// Sizes in bytes of the module's code and data (the name section and custom sections, which
/// the shipped module does not carry, are left out).
pub struct Breakdown {
    pub total: u64,
    pub by_crate: Vec<(String, u64)>,
    pub by_concern: Vec<(String, u64)>,
    pub top_items: Vec<(String, u64)>,
    pub monos: Vec<Mono>,
}

/// A generic function and its monomorphised copies.
pub struct Mono {
    pub generic: String,
    pub copies: u64,
    pub total: u64,
    pub bloat: u64,
}

pub fn analyse(twiggy: &Path, wasm: &Path) -> Result<Breakdown> {
    let top = run_json(twiggy, &["top", "-n", "1000000", "-f", "json"], wasm)?;
    let monos = run_json(twiggy, &["monos", "-m", "12", "--all-monos", "-f", "json"], wasm)?;
    let items: Vec<(String, u64)> = top
        .as_array()
        .context("twiggy top: not a JSON array")?
        .iter()
        .filter_map(|item| Some((item["name"].as_str()?.to_string(), item["shallow_size"].as_u64()?)))
        .filter(|(name, _)| !is_metadata(name))
        .collect();
    Ok(Breakdown {
        total: items.iter().map(|(_, size)| size).sum(),
        by_crate: group(&items, crate_of),
        by_concern: group(&items, |name| concern_of(name).to_string()),
        top_items: items.iter().take(15).cloned().collect(),
        monos: parse_monos(&monos)?,
    })
}

fn run_json(twiggy: &Path, args: &[&str], wasm: &Path) -> Result<Value> {
    let output = Command::new(twiggy)
        .args(args)
        .arg(wasm)
        .output()
        .with_context(|| format!("running {}", twiggy.display()))?;
    if !output.status.success() {
        bail!("twiggy {} failed: {}", args[0], String::from_utf8_lossy(&output.stderr));
    }
    serde_json::from_slice(&output.stdout).with_context(|| format!("twiggy {} output", args[0]))
}

fn parse_monos(value: &Value) -> Result<Vec<Mono>> {
    let list = value.as_array().context("twiggy monos: not a JSON array")?;
    Ok(list
        .iter()
        .filter_map(|entry| {
            let generic = entry["generic"].as_str()?;
            if generic.starts_with("... and ") || generic.starts_with('Σ') {
                return None;
            }
            let copies = entry["monomorphizations"].as_array().map_or(0, |monos| {
                monos
                    .iter()
                    .map(|m| {
                        let name = m["name"].as_str().unwrap_or_default();
                        more_count(name).unwrap_or(1)
                    })
                    .sum()
            });
            Some(Mono {
                generic: generic.to_string(),
                copies,
                total: entry["total_size"].as_u64()?,
                bloat: entry["approximate_monomorphization_bloat_bytes"].as_u64()?,
            })
        })
        .collect())
}

/// `... and 16 more.` -> 16
fn more_count(name: &str) -> Option<u64> {
    name.strip_prefix("... and ")?.split_whitespace().next()?.parse().ok()
}

/// Sections a shipped (wasm-opt without -g) module does not have.
fn is_metadata(name: &str) -> bool {
    (name.starts_with('"') && name.ends_with("subsection")) || name.starts_with("custom section")
}

fn group(items: &[(String, u64)], key: impl Fn(&str) -> String) -> Vec<(String, u64)> {
    let mut sums: HashMap<String, u64> = HashMap::new();
    for (name, size) in items {
        *sums.entry(key(name)).or_default() += size;
    }
    let mut groups: Vec<_> = sums.into_iter().collect();
    groups.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    groups
}

/// The crate an item's code belongs to: the first path segment, or for `<T as Trait>::f` the
/// crate of `T` (of `Trait` when `T` is a primitive or a generic parameter).
pub fn crate_of(name: &str) -> String {
    if name.starts_with("data segment") {
        return "(data segments: strings, tables)".into();
    }
    if name.starts_with("code[") {
        return "(functions without a name)".into();
    }
    if name.starts_with("export ")
        || name.starts_with("import ")
        || ["elem[", "type[", "table[", "global[", "memory["]
            .iter()
            .any(|p| name.starts_with(p))
    {
        return "(wasm structure: exports, imports, tables)".into();
    }
    let krate = if let Some(rest) = name.strip_prefix('<') {
        let inner = &rest[..closing_angle(rest)];
        let (self_ty, trait_path) = match split_top_level_as(inner) {
            Some((ty, tr)) => (ty, Some(tr)),
            None => (inner, None),
        };
        type_crate(self_ty).or_else(|| trait_path.and_then(type_crate))
    } else {
        type_crate(name)
    };
    match krate {
        Some(k) => normalise_crate(&k),
        None if name.contains("shim") || name.starts_with("__wbg") || name.starts_with("__wbindgen") => {
            "wasm-bindgen (exports, shims)".into()
        }
        None if name.starts_with("__") || ["memcpy", "memmove", "memset", "memcmp"].contains(&name) => {
            "compiler-builtins".into()
        }
        None => "wasm-bindgen (exports, shims)".into(),
    }
}

/// Index in `s` of the `>` closing an already opened `<` (or `s.len()`).
fn closing_angle(s: &str) -> usize {
    let mut depth = 1usize;
    for (i, c) in s.char_indices() {
        match c {
            '<' => depth += 1,
            '>' => {
                depth -= 1;
                if depth == 0 {
                    return i;
                }
            }
            _ => {}
        }
    }
    s.len()
}

/// `A<B as C> as D` -> (`A<B as C>`, `D`): the ` as ` outside any angle brackets.
fn split_top_level_as(s: &str) -> Option<(&str, &str)> {
    let mut depth = 0i32;
    let bytes = s.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'<' | b'(' | b'[' => depth += 1,
            b'>' | b')' | b']' => depth -= 1,
            b' ' if depth == 0 && s[i..].starts_with(" as ") => return Some((&s[..i], &s[i + 4..])),
            _ => {}
        }
    }
    None
}

/// The crate of a type or path (`&mut serde_json::de::Deserializer<R>` -> serde_json); None
/// for primitives, generic parameters, slices and tuples.
fn type_crate(ty: &str) -> Option<String> {
    let mut t = ty.trim();
    for prefix in ["&mut ", "&", "*const ", "*mut ", "dyn ", "impl "] {
        while let Some(rest) = t.strip_prefix(prefix) {
            t = rest.trim_start();
        }
    }
    let end = t.find(['<', ' ', '(']).unwrap_or(t.len());
    let path = &t[..end];
    let (first, _) = path.split_once("::")?;
    let first = first.split('[').next().unwrap_or(first);
    (!first.is_empty() && first.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')).then(|| first.to_string())
}

fn normalise_crate(krate: &str) -> String {
    match krate {
        "core" | "alloc" | "std" => "std (core, alloc)".into(),
        "serde_core" | "serde" => "serde".into(),
        other => other.replace('_', "-"),
    }
}

/// The concern an item serves, for finding the next size cut.
pub fn concern_of(name: &str) -> &'static str {
    if name.starts_with("data segment") {
        return "static data (strings, tables)";
    }
    let is_async = name.contains("{{closure}}")
        && [
            "yotta::",
            "yotta_wasm::",
            "progenitor_client::",
            "js_sys::futures",
            "wasm_bindgen_futures::",
        ]
        .iter()
        .any(|p| name.contains(p));
    if is_async {
        return "async call state machines (per operation)";
    }
    if name.contains("core::fmt") || name.contains("::fmt::") || name.contains("flt2dec") || name.contains("alloc::fmt")
    {
        return "formatting (Display/Debug, float printing)";
    }
    if name.contains("serde") || name.contains("Deserialize") || name.contains("Visitor") {
        return "JSON (de)serialisation";
    }
    if ["url::", "idna::", "http::", "form_urlencoded::", "percent_encoding::"]
        .iter()
        .any(|p| name.contains(p))
    {
        return "URLs, IDNA and HTTP types";
    }
    let interop = [
        "yotta_wasm::",
        "wasm_bindgen",
        "js_sys::",
        "import ",
        "export ",
        "__wbg",
        "__wbindgen",
        "__externref",
    ]
    .iter()
    .any(|p| name.starts_with(p))
        || name.contains(" shim");
    if interop {
        return "JS interop (exports, argument and result conversion)";
    }
    if name.starts_with("yotta::") || name.starts_with("yotta_api::") {
        return "SDK logic (wire mapping, validation, waiters)";
    }
    if name.contains("dlmalloc") || name.contains("core::panicking") || name.starts_with("__") {
        return "allocator and runtime";
    }
    "other code"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crates_of_paths_impls_and_trait_calls() {
        let cases = [
            (
                "http::header::name::StandardHeader::from_bytes::h79fd73ec5ac0c9d2",
                "http",
            ),
            (
                "<&mut serde_json::de::Deserializer<R> as serde_core::de::Deserializer>::deserialize_struct::h7",
                "serde-json",
            ),
            (
                "<f64 as core[c5930c85a12de822]::fmt::Display>::fmt",
                "std (core, alloc)",
            ),
            (
                "core[c5930c85a12de822]::num::flt2dec::strategy::dragon::format_shortest",
                "std (core, alloc)",
            ),
            (
                "<dlmalloc[e24a27700634d609]::dlmalloc::Dlmalloc<dlmalloc[e24a27700634d609]::sys::System>>::malloc",
                "dlmalloc",
            ),
            (
                "yotta::call::<impl yotta::client::Client>::execute::{{closure}}::h2",
                "yotta",
            ),
            (
                "serde_core::de::impls::<impl serde_core::de::Deserialize for core::option::Option<T>>::deserialize",
                "serde",
            ),
            ("<T as core::any::Any>::type_id", "std (core, alloc)"),
            (
                "yottaclient_getEndpoint externref shim",
                "wasm-bindgen (exports, shims)",
            ),
            ("__multi3", "compiler-builtins"),
            ("data segment \".rodata\"", "(data segments: strings, tables)"),
            ("code[1895]", "(functions without a name)"),
            (
                "export \"yottaclient_new\"",
                "(wasm structure: exports, imports, tables)",
            ),
        ];
        for (name, krate) in cases {
            assert_eq!(crate_of(name), krate, "{name}");
        }
    }

    #[test]
    fn concerns() {
        assert_eq!(
            concern_of("yotta_wasm::client::promise::{{closure}}::{{closure}}::h31"),
            "async call state machines (per operation)"
        );
        assert_eq!(
            concern_of("<f64 as core::fmt::Display>::fmt"),
            "formatting (Display/Debug, float printing)"
        );
        assert_eq!(concern_of("serde_json::de::from_slice::hfc9"), "JSON (de)serialisation");
        assert_eq!(
            concern_of("url::parser::Parser::parse_file::h3d"),
            "URLs, IDNA and HTTP types"
        );
        assert_eq!(
            concern_of("data segment \".rodata.104\""),
            "static data (strings, tables)"
        );
        let interop = "JS interop (exports, argument and result conversion)";
        assert_eq!(concern_of("yotta_wasm::convert::js_to_json::hf2fa"), interop);
        assert_eq!(concern_of("yottaclient_listWorkers externref shim"), interop);
        let logic = "SDK logic (wire mapping, validation, waiters)";
        assert_eq!(concern_of("yotta::validate::common::hce5e"), logic);
        assert_eq!(concern_of("__multi3"), "allocator and runtime");
    }

    #[test]
    fn metadata_is_left_out() {
        assert!(is_metadata("\"function names\" subsection"));
        assert!(is_metadata("custom section 'producers'"));
        assert!(!is_metadata("data segment \".rodata\""));
        assert_eq!(more_count("... and 16 more."), Some(16));
    }
}
