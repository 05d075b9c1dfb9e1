//! The committed artefacts are current, and a docs edit flows through to every one of them.

use std::path::{Path, PathBuf};
use xtask::files::{Mode, sync};
use xtask::{codegen, spec};

/// A fresh directory under the system temp dir holding a copy of `openapi/`'s files.
fn copy_of_openapi(name: &str) -> PathBuf {
    let scratch = std::env::temp_dir().join(format!("{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    copy_files(&xtask::workspace_root().join("openapi"), &scratch);
    scratch
}

fn copy_files(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
    }
}

#[test]
fn xtask_depends_on_no_product_crate() {
    // `cargo xtask codegen` must run while the code it regenerates does not compile, so xtask
    // never links the crates it writes into.
    let manifest = std::fs::read_to_string(xtask::workspace_root().join("xtask/Cargo.toml")).unwrap();
    let product: Vec<&str> = manifest
        .lines()
        .filter(|line| line.trim_start().starts_with("yotta"))
        .collect();
    assert!(product.is_empty(), "xtask depends on {product:?}");
}

#[test]
fn codegen_regenerates_a_tree_whose_facade_does_not_compile() {
    let root = xtask::workspace_root();
    let scratch = std::env::temp_dir().join(format!("codegen-broken-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    copy_files(&root.join("openapi"), &scratch.join("openapi"));
    let broken = scratch.join("crates/yotta/src/lib.rs");
    std::fs::create_dir_all(broken.parent().unwrap()).unwrap();
    std::fs::write(&broken, "compile_error!(\"the facade is mid-edit\");\n").unwrap();

    codegen::run(&scratch, Mode::Write).unwrap();
    let specs = spec::build(&root.join("openapi")).unwrap();
    for artefact in codegen::artefacts(&specs).unwrap() {
        let written = std::fs::read_to_string(scratch.join(&artefact.path)).unwrap();
        assert!(written == artefact.contents, "{} differs", artefact.path);
    }
    std::fs::remove_dir_all(&scratch).unwrap();
}

#[test]
fn committed_artefacts_are_up_to_date() {
    // Same check as `cargo xtask codegen --check`: fails with a diff when anything is stale.
    let root = xtask::workspace_root();
    let specs = spec::build(&root.join("openapi")).unwrap();
    sync(&root, &codegen::artefacts(&specs).unwrap(), Mode::Check).unwrap();
}

#[test]
fn merged_spec_has_every_documented_operation_with_unique_clean_ids() {
    let specs = spec::build(&xtask::workspace_root().join("openapi")).unwrap();
    assert_eq!(spec::operations(&specs.v1).len(), 10);
    assert_eq!(spec::operations(&specs.v2).len(), 12);
    let ops = spec::operations(&specs.yotta);
    assert_eq!(
        ops.len(),
        22 + 2 + 8 + 5,
        "22 from the references, the v2 guide's workers and logs, v1 credentials and tasks, v2 credentials"
    );
    let mut ids: Vec<&str> = ops
        .iter()
        .map(|(_, _, op)| op["operationId"].as_str().unwrap())
        .collect();
    assert!(ids.iter().all(|id| {
        let (version, rest) = id.split_once('_').unwrap();
        matches!(version, "v1" | "v2") && rest.chars().all(|c| c.is_ascii_alphanumeric())
    }));
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 37);
    // v1 and v2 read in parallel: every v1 operation has a v2 operation of the same name.
    for v1 in ids.iter().filter_map(|id| id.strip_prefix("v1_")) {
        assert!(
            ids.contains(&format!("v2_{v1}").as_str()),
            "v1_{v1} has no v2 counterpart"
        );
    }
    assert_eq!(
        specs.shared_schemas,
        [
            "OpenapiElasticResource",
            "KeyValuePairDTO",
            "OpenapiElasticResourceResponse",
            "OpenapiExposePortResponse",
            "ResultVoid"
        ]
    );
}

#[test]
fn editing_a_vendored_page_updates_the_spec_the_code_and_the_table() {
    let scratch = copy_of_openapi("codegen-edit");
    let before = spec::build(&scratch).unwrap();

    // Upstream adds a property to the v2 create request (in the page's one json block for it).
    let page = scratch.join(spec::V2_PAGE);
    let text = std::fs::read_to_string(&page).unwrap();
    let anchor = r#""ElasticV2CreateRequest":{"type":"object","description":"Elastic Endpoint Create Request v2","properties":{"#;
    assert!(
        text.contains(anchor),
        "the v2 create request schema moved; update this test"
    );
    let edited = text.replacen(
        anchor,
        &format!(r#"{anchor}"gpuPriority":{{"type":"integer","format":"int32","description":"Scheduling priority"}},"#),
        1,
    );
    std::fs::write(&page, edited).unwrap();
    let after = spec::build(&scratch).unwrap();

    let property = &after.yotta["components"]["schemas"]["ElasticV2CreateRequest"]["properties"]["gpuPriority"];
    assert_eq!(property["type"], "integer");
    assert_eq!(property["nullable"], true, "normalised like every optional property");
    let code = codegen::generate_client(&after.yotta).unwrap();
    assert!(
        code.types.contains("pub gpu_priority: ::std::option::Option<i32>"),
        "generated field missing"
    );
    assert!(
        !codegen::generate_client(&before.yotta)
            .unwrap()
            .types
            .contains("gpu_priority")
    );

    let table_before = spec::table::render(&before.yotta);
    let table_after = spec::table::render(&after.yotta);
    let removed: Vec<_> = table_before
        .lines()
        .filter(|l| !table_after.lines().any(|a| a == *l))
        .collect();
    let added: Vec<_> = table_after
        .lines()
        .filter(|l| !table_before.lines().any(|b| b == *l))
        .collect();
    assert!(removed.is_empty(), "{removed:?}");
    assert_eq!(added, ["  gpuPriority: integer(int32)?"]);
    std::fs::remove_dir_all(&scratch).unwrap();
}

#[test]
fn editing_a_guide_table_updates_the_catalogue_the_limits_and_the_codes() {
    let scratch = copy_of_openapi("codegen-guides");
    let edit = |file: &str, from: &str, to: &str| {
        let text = std::fs::read_to_string(scratch.join(file)).unwrap();
        assert!(
            text.contains(from),
            "{file} no longer contains {from:?}; update this test"
        );
        std::fs::write(scratch.join(file), text.replacen(from, to, 1)).unwrap();
    };
    edit(
        "api-guides-overview.md",
        "| AMD\\_MI300X\\_192G           | MI300X        | 192 GB |",
        "| AMD\\_MI300X\\_192G           | MI300X        | 192 GB |\n| AMD\\_MI355X\\_288G | MI355X | 288 GB |",
    );
    edit(
        "api-guides-overview.md",
        "| 10007 | Record not exist           |",
        "| 10007 | Record gone |",
    );
    edit(
        "v1-guide-queue-based-execution.md",
        "Per `X-Endpoint-ID`: 40 QPS",
        "Per `X-Endpoint-ID`: 50 QPS",
    );
    let after = spec::build(&scratch).unwrap();
    let types = after.yotta["x-gpu-types"]["types"].as_array().unwrap();
    assert_eq!(types.len(), 17);
    assert_eq!(types[16]["code"], "AMD_MI355X_288G");
    let create = &after.yotta["paths"]["/openapi/v1/skywalker/tasks/create"]["post"];
    assert_eq!(create["x-rate-limit"]["perEndpointQps"], 50);
    assert_eq!(create["x-business-codes"]["10007"], "Record gone");
    let catalogue = codegen::generate_catalog(&after.yotta).unwrap();
    assert!(catalogue.contains("\"AMD_MI355X_288G\""));
    std::fs::remove_dir_all(&scratch).unwrap();
}
