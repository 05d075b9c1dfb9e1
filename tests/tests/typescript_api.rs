//! The npm package's TypeScript surface: the declarations tsc writes for the entry modules
//! (`yotta-serverless` and `yotta-serverless/proxy`) and the modules they re-export. The wasm
//! core's declarations (`Core.free()` and the rest of the plumbing) are not shipped. Needs the
//! built package (`cargo xtask wasm`; `cargo xtask test` builds it first).

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
    let files = [
        "index.d.ts",
        "error.d.ts",
        "json.d.ts",
        "config.d.ts",
        "types.d.ts",
        "proxy.d.ts",
    ];
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
        !read("index.d.ts").contains("Core") && !surface.contains("free()") && !surface.contains("yotta_wasm.js"),
        "the wasm core is not part of the public surface"
    );
    assert!(
        !xtask::workspace_root().join("web/pkg/yotta_wasm.d.ts").exists(),
        "the core's declarations are not shipped"
    );
    insta::assert_snapshot!(surface);
}
