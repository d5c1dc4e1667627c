use crate::helpers::{envelope, spawn_app, spawn_app_with};

fn report() -> serde_json::Value {
    serde_json::json!({"page": "/captive", "message": "panicked at src/pages/login.rs:10", "build": "0.1.0"})
}

#[tokio::test]
async fn a_report_is_stored_with_the_client_ip() {
    let app = spawn_app().await;
    let resp = app
        .http
        .post(app.url("/api/v1/client-errors"))
        .header("user-agent", "Mozilla/5.0 (Linux; Android 10; SM-A105F)")
        .json(&report())
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 202);
    let id: uuid::Uuid = resp.json::<serde_json::Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let row = app
        .db()
        .await
        .query_one(
            "select page, message, host(ip), user_agent from client_errors where id = $1",
            &[&id],
        )
        .await
        .unwrap();
    assert_eq!(row.get::<_, String>(0), "/captive");
    assert_eq!(row.get::<_, String>(2), "127.0.0.1");
    assert_eq!(
        row.get::<_, String>(3),
        "Mozilla/5.0 (Linux; Android 10; SM-A105F)"
    );
    app.stop().await;
}

#[tokio::test]
async fn invalid_fields_are_listed_and_nothing_is_stored() {
    let app = spawn_app().await;
    let bad = serde_json::json!({"page": "", "message": "x".repeat(2001)});
    let (status, body) = envelope(app.post_json("/api/v1/client-errors", &bad).await).await;
    assert_eq!(status, 422);
    assert_eq!(body["code"], "validation_failed");
    assert_eq!(
        body["details"]["fields"]["page"],
        serde_json::json!(["length"])
    );
    assert_eq!(
        body["details"]["fields"]["message"],
        serde_json::json!(["length"])
    );
    let count = app.count("client_errors").await;
    assert_eq!(count, 0);
    app.stop().await;
}

#[tokio::test]
async fn reports_are_rate_limited_per_client_ip() {
    let app = spawn_app_with(|s| s.http.public_writes_per_minute = 2).await;
    for _ in 0..2 {
        assert_eq!(
            app.post_json("/api/v1/client-errors", &report())
                .await
                .status(),
            202
        );
    }
    let resp = app.post_json("/api/v1/client-errors", &report()).await;
    let retry_after: u64 = resp.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry_after), "{retry_after}");
    let (status, body) = envelope(resp).await;
    assert_eq!((status, body["code"].as_str()), (429, Some("rate_limited")));
    assert_eq!(body["details"]["retry_after_seconds"], retry_after);
    let count = app.count("client_errors").await;
    assert_eq!(count, 2, "the refused report was not stored");
    app.stop().await;
}

/// Sends a report with an `X-Forwarded-For` header and returns the IP stored for it.
async fn stored_ip_for(app: &crate::helpers::TestApp, forwarded_for: &str) -> String {
    let resp = app
        .http
        .post(app.url("/api/v1/client-errors"))
        .header("x-forwarded-for", forwarded_for)
        .json(&report())
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 202);
    app.db()
        .await
        .query_one("select host(ip) from client_errors", &[])
        .await
        .unwrap()
        .get(0)
}

#[tokio::test]
async fn forwarded_for_is_ignored_unless_the_peer_is_a_trusted_proxy() {
    let untrusting = spawn_app().await;
    assert_eq!(
        stored_ip_for(&untrusting, "198.51.100.7").await,
        "127.0.0.1"
    );
    untrusting.stop().await;

    let behind_proxy =
        spawn_app_with(|s| s.http.trusted_proxies = vec!["127.0.0.1/32".parse().unwrap()]).await;
    assert_eq!(
        stored_ip_for(&behind_proxy, "203.0.113.1, 198.51.100.7").await,
        "198.51.100.7",
        "rightmost untrusted hop"
    );
    behind_proxy.stop().await;
}
