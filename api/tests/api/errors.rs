use crate::helpers::{envelope, spawn_app, spawn_app_with};

#[tokio::test]
async fn malformed_json_gets_the_envelope_with_a_stable_code() {
    let app = spawn_app().await;
    let resp = app
        .http
        .post(app.url("/api/v1/client-errors"))
        .header("content-type", "application/json")
        .body(r#"{"page": "/captive", "message": "#)
        .send()
        .await
        .unwrap();
    assert!(resp.headers().contains_key("x-request-id"));
    let (status, body) = envelope(resp).await;
    assert_eq!(status, 400);
    assert_eq!(body["code"], "malformed_body");

    // Valid JSON of the wrong shape is the same client mistake.
    let (status, body) = envelope(
        app.post_json("/api/v1/client-errors", &serde_json::json!({"page": 5}))
            .await,
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(body["code"], "malformed_body");
    app.stop().await;
}

#[tokio::test]
async fn unknown_routes_and_methods_get_the_envelope() {
    let app = spawn_app().await;
    for path in ["/api/v1/nope", "/api/nope", "/nope"] {
        let (status, body) = envelope(app.get(path).await).await;
        assert_eq!(
            (status, body["code"].as_str()),
            (404, Some("not_found")),
            "{path}"
        );
    }
    let resp = app
        .http
        .delete(app.url("/api/v1/health"))
        .send()
        .await
        .unwrap();
    let (status, body) = envelope(resp).await;
    assert_eq!(status, 405);
    assert_eq!(body["code"], "method_not_allowed");
    app.stop().await;
}

#[tokio::test]
async fn wrong_content_type_and_oversized_bodies_are_refused_cleanly() {
    let app = spawn_app_with(|s| s.http.max_body_bytes = 1024).await;
    let resp = app
        .http
        .post(app.url("/api/v1/client-errors"))
        .header("content-type", "text/plain")
        .body("hello")
        .send()
        .await
        .unwrap();
    let (status, body) = envelope(resp).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (415, Some("unsupported_media_type"))
    );

    let big = serde_json::json!({"page": "/", "message": "x".repeat(4096)});
    let (status, body) = envelope(app.post_json("/api/v1/client-errors", &big).await).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (413, Some("payload_too_large"))
    );

    // Chunked bodies (no Content-Length) are counted too.
    let chunks = futures_stream(big.to_string());
    let resp = app
        .http
        .post(app.url("/api/v1/client-errors"))
        .header("content-type", "application/json")
        .body(reqwest::Body::wrap_stream(chunks))
        .send()
        .await
        .unwrap();
    let (status, body) = envelope(resp).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (413, Some("payload_too_large"))
    );
    app.stop().await;
}

fn futures_stream(
    s: String,
) -> impl futures_core::Stream<Item = Result<Vec<u8>, std::io::Error>> + Send + 'static {
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> =
        s.into_bytes().chunks(512).map(|c| Ok(c.to_vec())).collect();
    tokio_stream::iter(chunks)
}

#[tokio::test]
async fn request_ids_are_echoed_or_generated() {
    let app = spawn_app().await;
    let resp = app
        .http
        .get(app.url("/healthz"))
        .header("x-request-id", "nginx-abc-12345")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.headers()["x-request-id"], "nginx-abc-12345");

    let resp = app
        .http
        .get(app.url("/healthz"))
        .header("x-request-id", "bad id with spaces")
        .send()
        .await
        .unwrap();
    let generated = resp.headers()["x-request-id"].to_str().unwrap().to_string();
    assert!(uuid::Uuid::parse_str(&generated).is_ok(), "{generated}");
    app.stop().await;
}

#[tokio::test]
async fn spec_and_docs_are_served() {
    let app = spawn_app().await;
    let resp = app.get("/api/openapi.json").await;
    assert_eq!(resp.status(), 200);
    // Served exactly as the checked-in contract (security requirements joined).
    let text = resp.text().await.unwrap();
    assert_eq!(text, api::routes::spec_json());
    let spec: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(spec["servers"][0]["url"], "/api/v1");
    assert_eq!(
        spec["paths"]["/admin/staff"]["post"]["security"],
        serde_json::json!([{"session": [], "csrf": []}])
    );
    assert_eq!(
        spec["paths"]["/admin/staff"]["get"]["security"],
        serde_json::json!([{"session": []}])
    );
    assert!(spec["paths"]["/client-errors"]["post"].is_object());
    let docs = app.get("/api/docs/").await;
    assert_eq!(docs.status(), 200);
    assert!(docs.text().await.unwrap().contains("swagger"));
    app.stop().await;
}
