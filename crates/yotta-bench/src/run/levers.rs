//! The "Levers" section: the biggest size cuts the twiggy breakdown points at, in words.

use super::report::{kb, thousands};
use super::twiggy::{Breakdown, concern_of};

/// What to do about each concern of `twiggy::concern_of`.
fn advice(concern: &str) -> &'static str {
    match concern {
        "async call state machines (per operation)" => {
            "Every exported operation compiles its own copy of the retry loop's future \
             (`yotta::call::execute`), of the promise wrapper (`yotta_wasm::client::promise`) and of \
             progenitor's `send()`, each with the response type's decoding inlined. One non-generic path \
             (a single `execute` over an operation descriptor that returns the response bytes, with the \
             per-type decoding after it, outside the future) would keep one copy instead of one per operation."
        }
        "JSON (de)serialisation" => {
            "serde's deserializers are instantiated per response type and again per wrapper \
             (`serde_path_to_error`, `Option<T>`, the v1 and v2 wire types). Decoding both versions into one \
             set of wire types, dropping `serde_path_to_error` from the wasm build, or handing the JSON to \
             `JSON.parse` in JS and converting only ids would remove most copies."
        }
        "formatting (Display/Debug, float printing)" => {
            "`core::fmt` machinery and float printing (`f64` Display, `flt2dec`) come in through `Debug` \
             derives, error messages built with `format!` and serde_json's number output. Plain string \
             concatenation in the wasm build's error paths and no `Debug` on wire types would cut it."
        }
        "URLs, IDNA and HTTP types" => {
            "`url` (with IDNA) and `http` come with reqwest's wasm client. Building request URLs as strings \
             and calling `fetch` through web-sys directly would drop both."
        }
        "JS interop (exports, argument and result conversion)" => {
            "Every exported method reads its options object field by field and builds its result as JS \
             objects, with a shim per export. Passing one JSON string each way (`JSON.parse` in the JS glue, \
             ids kept as strings) would replace the per-type conversion code with one string copy."
        }
        "static data (strings, tables)" => {
            "Static data is mostly panic and error message strings, Unicode and header tables. \
             `panic = \"abort\"` is already set; shorter error texts and fewer tables (IDNA, header names) shrink it."
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
