//! The production deployment files keep what must survive a restart.

#[test]
fn redis_in_compose_persists_otp_counters_and_limits() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../compose.yaml");
    let compose = std::fs::read_to_string(path).unwrap();
    let redis = compose
        .split("\n  redis:\n")
        .nth(1)
        .expect("a redis service")
        .split("\n  migrate:")
        .next()
        .unwrap();
    assert!(
        redis.contains(r#""--appendonly", "yes""#),
        "append-only persistence: {redis}"
    );
    assert!(redis.contains("redisdata:/data"), "on a volume: {redis}");
    assert!(compose.contains("\n  redisdata:"), "the volume is declared");
}
