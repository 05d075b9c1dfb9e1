//! progenitor on the normalised spec, split in two files: the wire types (no HTTP client, so the
//! browser build links no reqwest) and the builder client (native builds only).

use super::rust_file;
use crate::spec::normalize;
use anyhow::{Context, Result, bail};
use progenitor::{GenerationSettings, Generator, InterfaceStyle, TagStyle};
use serde_json::Value;
use std::collections::BTreeMap;

/// The generated `Client`'s inner state.
const INNER_TYPE: &str = "crate::RequestContext";

/// Hand-written types that replace the `Flexible*` schemas in the generated code.
const REPLACEMENTS: [(&str, &str); 4] = [
    ("FlexibleId", "crate::flexible::FlexibleId"),
    ("FlexibleNumber", "crate::flexible::FlexibleNumber"),
    ("FlexibleInteger", "crate::flexible::FlexibleInteger"),
    ("FlexibleStatus", "crate::flexible::FlexibleStatus"),
];

/// progenitor's output, split.
pub struct GeneratedClient {
    /// `pub mod types { ... }`: request and response types.
    pub types: String,
    /// The builder client, its methods and builders.
    pub client: String,
    /// Schema name in the spec -> name of its Rust type in `types`.
    pub type_names: BTreeMap<String, String>,
}

pub fn generate_client(yotta: &Value) -> Result<GeneratedClient> {
    let openapi: openapiv3::OpenAPI =
        serde_json::from_value(yotta.clone()).context("openapi/yotta.json is not a valid OpenAPI 3.0 document")?;
    let mut settings = GenerationSettings::default();
    settings
        .with_interface(InterfaceStyle::Builder)
        .with_tag(TagStyle::Separate)
        .with_map_type("::std::collections::BTreeMap")
        // Per-client request context (the API key), read by the request hook in
        // crates/yotta-api/src/hooks.rs, so a caller-supplied reqwest client needs no set-up.
        .with_inner_type(INNER_TYPE.parse().expect("a Rust path"))
        .with_derive("PartialEq");
    for (schema, rust_type) in REPLACEMENTS {
        assert!(
            normalize::is_replaced_schema(schema),
            "{schema} is not a Flexible* schema"
        );
        settings.with_replacement(schema, rust_type, std::iter::empty());
    }
    let mut generator = Generator::new(&settings);
    let tokens = generator
        .generate_tokens(&openapi)
        .map_err(|e| anyhow::anyhow!("progenitor failed on openapi/yotta.json: {e}"))?;
    let type_names = type_names(yotta, generator.get_type_space().iter_types().map(|t| t.name()))?;
    let file: syn::File = syn::parse2(tokens).context("progenitor produced unparsable Rust")?;
    let (types, rest): (Vec<syn::Item>, Vec<syn::Item>) = file
        .items
        .into_iter()
        .partition(|item| matches!(item, syn::Item::Mod(m) if m.ident == "types"));
    if types.len() != 1 {
        bail!("progenitor's output has no single `types` module");
    }
    let mut client_items: Vec<syn::Item> = vec![syn::parse_quote! {
        // The builders refer to `super::types`.
        use crate::types;
    }];
    client_items.extend(rest);
    Ok(GeneratedClient {
        types: rust_file(&syn::File {
            shebang: None,
            attrs: Vec::new(),
            items: types,
        }),
        client: rust_file(&syn::File {
            shebang: None,
            attrs: Vec::new(),
            items: client_items,
        }),
        type_names,
    })
}

/// Each component schema's Rust type name. typify derives names by changing case
/// (`KeyValuePairDTO` becomes `KeyValuePairDto`), so names are matched ignoring case; a schema
/// without exactly one match is an error rather than a guess.
fn type_names(yotta: &Value, generated: impl Iterator<Item = String>) -> Result<BTreeMap<String, String>> {
    let generated: Vec<String> = generated.collect();
    let fold = |name: &str| name.to_ascii_lowercase().replace('_', "");
    let mut names = BTreeMap::new();
    for schema in yotta["components"]["schemas"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(k, _)| k)
    {
        if normalize::is_replaced_schema(schema) {
            continue;
        }
        let matches: Vec<&String> = generated.iter().filter(|g| fold(g) == fold(schema)).collect();
        match matches.as_slice() {
            [one] => names.insert(schema.clone(), (*one).clone()),
            _ => bail!("schema {schema} maps to {} generated types: {matches:?}", matches.len()),
        };
    }
    Ok(names)
}
