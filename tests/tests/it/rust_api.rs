//! The facade's public Rust API, one item per line. A change here is an API change: review it
//! as one (is it additive? does a type stop being Send?).

#[test]
fn facade_public_api() {
    let root = xtask::workspace_root();
    let surface = xtask::public_api::render_crate(&root, "yotta").expect("rustdoc JSON of the yotta crate");
    insta::assert_snapshot!(surface);
}
