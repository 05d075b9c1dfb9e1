//! The npm package's TypeScript surface: the declarations tsc writes for the entry modules
//! (`yotta-serverless` and `yotta-serverless/proxy`) and the modules they re-export. The wasm
//! core's declarations (`Core.free()` and the rest of the plumbing) are not shipped. tsc writes
//! them when the package is built (`cargo xtask wasm`): on a fresh clone, where it is not, this
//! test says so and passes; under `cargo xtask test`, which builds the package first, a missing
//! file fails it.

fn read(file: &str) -> String {
    let path = xtask::workspace_root().join("web/dist").join(file);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn typescript_declarations() {
    let built = xtask::workspace_root().join("web/dist/index.d.ts").exists();
    if !built && std::env::var_os(xtask::test_all::PACKAGE_BUILT).is_none() {
        eprintln!("skipped: the npm package is not built (`cargo xtask wasm` builds it)");
        return;
    }
    let files = [
        "index.d.ts",
        "error.d.ts",
        "json.d.ts",
        "config.d.ts",
        "types.d.ts",
        "tables.d.ts",
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
        !xtask::workspace_root().join("web/dist/yotta_wasm.d.ts").exists(),
        "the core's declarations are not shipped"
    );
    insta::assert_snapshot!(surface);
}
