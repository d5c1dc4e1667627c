//! What every answer carries, with or without nginx in front: security
//! headers, `no-store` on API answers, a CSP for the SPA; and database errors
//! that reach the logs without the row's personal data.

use api::error::ApiError;

use crate::helpers::*;

#[tokio::test]
async fn api_answers_are_not_cached_and_carry_the_security_headers() {
    let w = World::start(|_| {}).await;
    let resident = w.logged_in_resident(1_000_000_000).await;
    let resp = authed(
        &w.app,
        reqwest::Method::GET,
        "/api/v1/me",
        &resident.cookies,
    )
    .send()
    .await
    .unwrap();
    assert_eq!(resp.status(), 200);
    let h = resp.headers();
    assert_eq!(h["cache-control"], "no-store");
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["x-frame-options"], "DENY");
    assert_eq!(h["referrer-policy"], "no-referrer");
    assert_eq!(
        h["content-security-policy"],
        "default-src 'none'; frame-ancestors 'none'"
    );
    // Errors too.
    let resp = w.app.get("/api/v1/me").await;
    assert_eq!(resp.status(), 401);
    assert_eq!(resp.headers()["cache-control"], "no-store");
    // The captive API keeps its own caching rule.
    let resp = w.app.get("/api/v1/captive").await;
    assert_eq!(resp.headers()["cache-control"], "private, no-store");
    w.stop().await;
}

#[tokio::test]
async fn the_spa_served_by_the_api_gets_a_csp_with_its_loader_hashes() {
    let dir = std::env::temp_dir().join(format!("gerbang-spa-{}", uuid::Uuid::now_v7()));
    std::fs::create_dir_all(dir.join("captive")).unwrap();
    let loader = "import init from '/web.js'; init();";
    std::fs::write(
        dir.join("index.html"),
        format!("<!doctype html><script type=\"module\">{loader}</script>"),
    )
    .unwrap();
    std::fs::write(dir.join("captive").join("index.html"), "<!doctype html>").unwrap();
    let spa = dir.clone();
    let app = spawn_app_with(move |s| {
        s.http.spa_dir = Some(spa);
        s.turnstile.script_url = "https://challenges.cloudflare.com/turnstile/v0/api.js".into();
    })
    .await;
    let resp = app.get("/paket").await;
    assert_eq!(resp.status(), 200);
    let csp = resp.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    use base64::Engine;
    use sha2::Digest;
    let hash = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(loader));
    assert!(csp.contains(&format!("'sha256-{hash}'")), "{csp}");
    assert!(
        csp.contains("frame-src https://challenges.cloudflare.com;"),
        "{csp}"
    );
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    assert_eq!(resp.headers()["x-frame-options"], "DENY");
    app.stop().await;
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn a_database_error_is_logged_without_the_rows_personal_data() {
    let w = World::start(|_| {}).await;
    w.resident(PHONE).await;
    // A duplicate phone number: PostgreSQL's DETAIL names the number.
    let err = w
        .app
        .db()
        .await
        .execute(
            "insert into users (id, phone, name, role, blok, kamar, approval)
             values ($1, $2, 'Dua', 'resident', 'A', '1', 'approved')",
            &[&uuid::Uuid::now_v7(), &PHONE],
        )
        .await
        .unwrap_err();
    let raw = std::error::Error::source(&err)
        .map(|s| s.to_string())
        .unwrap_or_default();
    assert!(raw.contains(PHONE), "PostgreSQL's own text has it: {raw}");
    let logged = format!("{:?}", ApiError::from(err));
    assert!(!logged.contains(PHONE), "{logged}");
    assert!(!logged.contains("81234567890"), "{logged}");
    assert!(logged.contains("23505"), "the SQLSTATE stays: {logged}");
    w.stop().await;
}
