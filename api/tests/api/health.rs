use crate::helpers::{
    admin_database_url, database_url, redis_url, socket_of, spawn_app, spawn_app_with, url_via,
    TcpProxy,
};

#[tokio::test]
async fn readyz_is_200_with_every_dependency_up() {
    let app = spawn_app().await;
    let resp = app.get("/readyz").await;
    assert_eq!(resp.status(), 200);
    let body: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(body["status"], "ok");
    assert_eq!(body["failed"], serde_json::json!([]));
    let names: Vec<&str> = body["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["postgres", "redis"]);

    // The versioned, documented twin answers the same.
    let resp = app.get("/api/v1/health").await;
    assert_eq!(resp.status(), 200);
    assert_eq!(app.get("/healthz").await.status(), 200);
    app.stop().await;
}

#[tokio::test]
async fn readyz_names_redis_when_redis_becomes_unreachable() {
    let proxy = TcpProxy::start(socket_of(&redis_url(), 6379)).await;
    let via = url_via(&redis_url(), proxy.addr);
    let app = spawn_app_with(|s| s.redis.url = api::settings::Secret::new(via)).await;
    assert_eq!(app.get("/readyz").await.status(), 200);

    proxy.cut().await;

    let resp = app.get("/readyz").await;
    assert_eq!(resp.status(), 503);
    let body: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(body["status"], "down");
    assert_eq!(body["failed"], serde_json::json!(["redis"]));
    let pg = body["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "postgres")
        .unwrap();
    assert_eq!(pg["status"], "ok", "PostgreSQL is still fine: {body}");
    // Causes stay in the logs.
    assert!(!body.to_string().contains("refused"));

    let resp = app.get("/api/v1/health").await;
    assert_eq!(resp.status(), 503);
    app.stop().await;
}

#[tokio::test]
async fn readyz_names_postgres_when_postgres_becomes_unreachable() {
    let proxy = TcpProxy::start(socket_of(&admin_database_url(), 5432)).await;
    let app = spawn_app_with(|s| {
        let direct = s.database.url.expose().to_string();
        let _ = database_url; // same database, reached through the proxy
        s.database.url = api::settings::Secret::new(url_via(&direct, proxy.addr));
    })
    .await;
    assert_eq!(app.get("/readyz").await.status(), 200);

    proxy.cut().await;

    let resp = app.get("/readyz").await;
    assert_eq!(resp.status(), 503);
    let body: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(body["failed"], serde_json::json!(["postgres"]));
    app.stop().await;
}

#[tokio::test]
async fn metrics_count_requests_by_operation_and_status() {
    let app = spawn_app().await;
    app.get("/api/v1/health").await;
    app.get("/api/v1/health").await;
    app.get("/api/v1/no-such-thing").await;
    let resp = app.get("/metrics").await;
    assert_eq!(resp.status(), 200);
    assert!(resp.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/plain"));
    let text = resp.text().await.unwrap();
    assert!(
        text.contains(
            r#"gerbang_http_requests_total{method="GET",operation="get_health",status="200"} 2"#
        ),
        "{text}"
    );
    assert!(
        text.contains(
            r#"gerbang_http_requests_total{method="GET",operation="unmatched",status="404"} 1"#
        ),
        "{text}"
    );
    assert!(
        text.contains(r#"gerbang_http_request_duration_seconds_count{operation="get_health"} 2"#)
    );
    app.stop().await;
}
