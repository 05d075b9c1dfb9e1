//! The "Levers" section: the biggest size cuts the twiggy breakdown points at, in words.

use super::report::{kb, thousands};
use super::twiggy::{Breakdown, concern_of};

/// What to do about each concern of `twiggy::concern_of`.
fn advice(concern: &str) -> &'static str {
    match concern {
        "async call state machines (per operation)" => {
            "The retry loop and the transport exist once (`yotta::execute`, a boxed future over the \
             generated operation table). What is left per method is the core's wrapper around each facade \
             call (`yotta_wasm::core::work`, one copy per method) with the facade method inlined into it: \
             the version dispatch, the request's encoding, and the typed decoding and re-serialising of the \
             result. Doing those in non-generic code outside the futures, over JSON values described by the \
             operation table, would leave one small future per method."
        }
        "JSON (de)serialisation" => {
            "serde's visitors are instantiated per wire type and again per field wrapper: \
             `Option<T>::deserialize` alone has dozens of copies (one per optional field type, through the \
             field-naming deserializer `yotta::json_path`), and the core reads each method's argument tuple \
             with its own instantiation (`yotta_wasm::args::read`). Decoding into `serde_json::Value` once and \
             mapping fields from a generated table would keep one copy."
        }
        "formatting (Display/Debug, float printing)" => {
            "`core::fmt` machinery and float printing (`f64` Display, `flt2dec`) come in through `Debug` \
             derives, error messages built with `format!` and serde_json's number output. Plain string \
             concatenation in the wasm build's error paths and no `Debug` on wire types would cut it."
        }
        "URLs, IDNA and HTTP types" => {
            "The wasm build sends requests through web-sys `fetch` with string URLs, without reqwest, `url` \
             or `idna`; what is counted here came in through a dependency, which `cargo tree --target \
             wasm32-unknown-unknown -p yotta-wasm -i <crate>` names."
        }
        "JS interop (exports, argument and result conversion)" => {
            "The package exports one `call` and one `stream`, with one JSON string each way. The `core_call` \
             shim holds the method dispatch with every method's argument reading inlined (the JSON cost \
             above); the rest is wasm-bindgen's glue for web-sys `fetch` (Request, Headers, Response, \
             AbortSignal) and js-sys."
        }
        "static data (strings, tables)" => {
            "Static data is mostly error message strings (validation rules, advice), Unicode tables used by \
             formatting, and the documented tables (GPU types, business codes). `panic = \"abort\"` is \
             already set; shorter error texts shrink it."
        }
        _ => "",
    }
}

pub fn paragraphs(b: &Breakdown, wasm_gz: u64) -> Vec<String> {
    let mut concerns: Vec<&(String, u64)> = b
        .by_concern
        .iter()
        .filter(|(name, _)| !advice(name).is_empty())
        .collect();
    concerns.sort_by_key(|c| std::cmp::Reverse(c.1));
    let Some((first, first_size)) = concerns.first().map(|c| (c.0.as_str(), c.1)) else {
        return Vec::new();
    };
    let share = |size: u64| size as f64 / b.total as f64;
    let monos: Vec<String> = b
        .monos
        .iter()
        .filter(|m| concern_of(&m.generic) == first)
        .take(3)
        .map(|m| format!("`{}` ({} copies, {} bytes)", m.generic, m.copies, thousands(m.total)))
        .collect();
    let mut out = vec![format!(
        "**Biggest lever: {first}: {} bytes, {:.0}% of the wasm's code and data (roughly {} of its {} gzip).** {}{}",
        thousands(first_size),
        share(first_size) * 100.0,
        kb((share(first_size) * wasm_gz as f64) as u64),
        kb(wasm_gz),
        advice(first),
        if monos.is_empty() {
            String::new()
        } else {
            format!(" Largest instances: {}.", monos.join("; "))
        }
    )];
    for (name, size) in concerns.iter().skip(1).take(3).map(|c| (c.0.as_str(), c.1)) {
        out.push(format!(
            "Next: {name}: {} bytes ({:.0}%). {}",
            thousands(size),
            share(size) * 100.0,
            advice(name)
        ));
    }
    out
}
