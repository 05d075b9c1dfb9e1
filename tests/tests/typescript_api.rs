//! The npm package's TypeScript surface: the entry's exports and the declarations they name.
//! Needs the built package (`cargo xtask wasm`; `cargo xtask test` builds it first).

fn read(file: &str) -> String {
    let path = xtask::workspace_root().join("web/pkg").join(file);
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{} is missing ({e}): build the package with `cargo xtask wasm`",
            path.display()
        )
    })
}

/// Drops the blocks that are wasm-bindgen's plumbing rather than the SDK's surface: the raw
/// exports of the wasm module, and the stream adapter classes reqwest's fetch support brings
/// (neither is exported by the package's entry module).
fn public_declarations(text: &str) -> String {
    let mut out = Vec::new();
    let mut skipping = false;
    for line in text.lines() {
        let internal = line.starts_with("export interface InitOutput")
            || line.starts_with("export class IntoUnderlying")
            || line.starts_with("export type ReadableStreamType");
        if internal {
            skipping = !line.ends_with(';');
            continue;
        }
        if skipping {
            skipping = line != "}";
            continue;
        }
        out.push(line);
    }
    out.join("\n")
}

#[test]
fn typescript_declarations() {
    let entry = read("index.d.ts");
    let module = public_declarations(&read("yotta_wasm.d.ts"));
    let offenders: Vec<&str> = module
        .lines()
        .chain(entry.lines())
        .filter(|l| l.contains(": any") || l.contains("<any>"))
        .collect();
    assert!(offenders.is_empty(), "`any` in the public surface: {offenders:#?}");
    insta::assert_snapshot!(format!(
        "// index.d.ts\n{entry}\n// yotta_wasm.d.ts (public part)\n{module}\n"
    ));
}
