//! `Client::from_env` (its own test binary: it changes the process environment).

use yotta::{ApiVersion, Client, ErrorKind};

#[test]
fn configuration_comes_from_the_environment() {
    // SAFETY: this binary has this one test, so nothing else reads the environment meanwhile.
    unsafe {
        std::env::set_var("YOTTA_API_KEY", "env-key");
        std::env::set_var("YOTTA_BASE_URL", "http://127.0.0.1:8787/");
        std::env::set_var("YOTTA_API_VERSION", "v1");
    }
    let client = Client::from_env().unwrap();
    assert_eq!(client.base_url(), "http://127.0.0.1:8787");
    assert_eq!(client.api_version(), ApiVersion::V1);
    assert!(format!("{client:?}").contains("<redacted>"));

    unsafe { std::env::set_var("YOTTA_API_VERSION", "v3") };
    let error = Client::from_env().unwrap_err();
    assert_eq!(
        (error.kind(), error.field()),
        (ErrorKind::Validation, Some("YOTTA_API_VERSION"))
    );

    unsafe {
        std::env::remove_var("YOTTA_API_VERSION");
        std::env::set_var("YOTTA_BASE_URL", "http://api.example.com");
    }
    let error = Client::from_env().unwrap_err();
    assert_eq!(
        error.field(),
        Some("baseUrl"),
        "the key is never sent over plain http to another host"
    );

    unsafe {
        std::env::remove_var("YOTTA_API_KEY");
        std::env::remove_var("YOTTA_BASE_URL");
    }
    // No key anywhere: a configuration error naming the variable, before any request.
    let error = Client::from_env().unwrap_err();
    assert_eq!(
        (error.kind(), error.field()),
        (ErrorKind::Configuration, Some("YOTTA_API_KEY"))
    );
    assert!(error.advice().unwrap().contains("YOTTA_API_KEY"));
    // A keyless client needs its proxy's URL said explicitly.
    assert_eq!(Client::builder().build().unwrap_err().kind(), ErrorKind::Configuration);
    let proxied = Client::keyless("http://127.0.0.1:8787").unwrap();
    assert_eq!(
        (proxied.base_url(), proxied.api_version()),
        ("http://127.0.0.1:8787", ApiVersion::V2)
    );
}
