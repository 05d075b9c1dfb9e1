//! The API surface as the docs define it: a snapshot of every operation and schema in
//! openapi/yotta.json. An upstream docs change shows up here as a reviewed diff.

#[test]
fn operation_table() {
    let spec: serde_json::Value =
        serde_json::from_str(include_str!("../../../openapi/yotta.json")).expect("yotta.json is JSON");
    insta::assert_snapshot!(xtask::spec::table::render(&spec));
}
