//! `openapi.json` at the repository root must equal what the code generates.

#[test]
fn checked_in_openapi_json_matches_the_code() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../openapi.json");
    let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
    let generated = api::routes::spec_json();
    assert!(
        checked_in == generated,
        "openapi.json is out of date; regenerate it with:\n\n    cargo run -p api -- openapi > openapi.json\n"
    );
}

// The SPA client is checked call by call against the contract in spa_contract.rs.
