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

/// Every path the SPA's typed client calls (`web/src/api/*.rs`) exists in the contract.
#[test]
fn the_spa_client_calls_only_documented_paths() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../web/src/api");
    let mut source = String::new();
    for entry in std::fs::read_dir(&dir).expect("web/src/api") {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "rs") {
            source.push_str(&std::fs::read_to_string(&path).unwrap());
        }
    }
    let spec: serde_json::Value = serde_json::from_str(&api::routes::spec_json()).unwrap();
    let documented: Vec<&String> = spec["paths"].as_object().unwrap().keys().collect();
    let called: Vec<String> = source
        .split('"')
        .skip(1)
        .step_by(2)
        .map(|lit| lit.trim_start_matches("{BASE}").to_owned())
        .filter(|lit| lit.starts_with('/') && !lit.starts_with("/api") && !lit.contains(' '))
        .collect();
    assert!(
        called.len() >= 15,
        "the scan finds the client's paths: {called:?}"
    );
    let missing: Vec<&String> = called
        .iter()
        .filter(|p| !documented.iter().any(|d| d == p))
        .collect();
    assert!(missing.is_empty(), "not in openapi.json: {missing:?}");
}
