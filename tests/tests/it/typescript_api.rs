//! The npm package's TypeScript surface: the declarations tsc writes for the entry module and
//! the modules it re-exports (the wasm core's own declarations are internal: index.js does not
//! export them). Needs the built package (`cargo xtask wasm`; `cargo xtask test` builds it first).

fn read(file: &str) -> String {
    let path = xtask::workspace_root().join("web/pkg").join(file);
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{} is missing ({e}): build the package with `cargo xtask wasm`",
            path.display()
        )
    })
}

#[test]
fn typescript_declarations() {
    let files = ["index.d.ts", "error.d.ts", "json.d.ts", "types.d.ts"];
    let surface: String = files
        .iter()
        .map(|file| format!("// {file}\n{}\n", read(file)))
        .collect();
    let offenders: Vec<&str> = surface
        .lines()
        .filter(|l| l.contains(": any") || l.contains("<any>"))
        .collect();
    assert!(offenders.is_empty(), "`any` in the public surface: {offenders:#?}");
    assert!(
        !read("index.d.ts").contains("Core"),
        "the wasm core is not part of the public surface"
    );
    insta::assert_snapshot!(surface);
}
