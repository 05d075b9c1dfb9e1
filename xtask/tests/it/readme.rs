//! The README's layout table matches the tree: every path it names exists (build output aside),
//! and every crate and every folder of `web/` has a row.

use std::collections::BTreeSet;

/// The paths in the first column of the table under `## Layout`, without trailing slashes.
fn layout_paths(readme: &str) -> BTreeSet<String> {
    let section = readme.split("## Layout\n").nth(1).expect("a Layout section");
    let section = section.split("\n## ").next().unwrap();
    section
        .lines()
        .filter_map(|line| line.strip_prefix("| `"))
        .filter_map(|rest| rest.split_once('`'))
        .map(|(path, _)| path.trim_end_matches('/').to_string())
        .collect()
}

/// Folders of `parent` as `parent/name`, skipping what git ignores here.
fn folders(root: &std::path::Path, parent: &str) -> Vec<String> {
    let mut found: Vec<String> = std::fs::read_dir(root.join(parent))
        .unwrap()
        .map(|entry| entry.unwrap())
        .filter(|entry| entry.file_type().unwrap().is_dir())
        .map(|entry| format!("{parent}/{}", entry.file_name().to_string_lossy()))
        .filter(|path| !path.ends_with("node_modules") && !path.ends_with("test-results"))
        .collect();
    found.sort();
    found
}

#[test]
fn the_layout_table_matches_the_tree() {
    let root = xtask::workspace_root();
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let listed = layout_paths(&readme);
    let build_output = "web/dist";
    for path in &listed {
        assert!(
            path == build_output || root.join(path).exists(),
            "the README's layout table names {path}, which does not exist"
        );
    }
    let mut expected: Vec<String> = folders(&root, "crates");
    expected.extend(folders(&root, "web").into_iter().filter(|p| p != build_output));
    expected.extend(["openapi", "xtask", "tests", "docs/benchmarks.md"].map(String::from));
    for path in expected {
        assert!(
            listed.contains(&path),
            "the README's layout table has no row for {path}"
        );
    }
}
