use crate::helpers::{envelope, spawn_app_with};

#[tokio::test]
async fn the_spa_is_served_on_the_api_origin_with_history_fallback() {
    let dir = std::env::temp_dir().join(format!("gerbang-spa-{}", uuid::Uuid::now_v7().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("index.html"),
        "<!doctype html><title>gerbang-spa-test</title>",
    )
    .unwrap();
    std::fs::write(dir.join("app-123.js"), "console.log(1)").unwrap();
    // Without the captive bundle the full SPA answers /captive too.
    let spa = dir.clone();
    let app = spawn_app_with(move |s| s.http.spa_dir = Some(spa)).await;
    let resp = app.get("/captive?mac=AA:BB:CC:DD:EE:FF").await;
    assert!(resp.text().await.unwrap().contains("gerbang-spa-test"));
    app.stop().await;

    std::fs::create_dir_all(dir.join("captive")).unwrap();
    std::fs::write(
        dir.join("captive").join("index.html"),
        "<!doctype html><title>gerbang-captive-test</title>",
    )
    .unwrap();
    let spa = dir.clone();
    let app = spawn_app_with(move |s| s.http.spa_dir = Some(spa)).await;
    for path in ["/captive", "/captive?ip=10.5.50.2&mac=AA:BB:CC:DD:EE:FF"] {
        let resp = app.get(path).await;
        assert_eq!(resp.status(), 200, "{path}");
        assert!(
            resp.text().await.unwrap().contains("gerbang-captive-test"),
            "{path}"
        );
    }
    for path in ["/", "/paket", "/bayar/GRB-1", "/dashboard/devices"] {
        let resp = app.get(path).await;
        assert_eq!(resp.status(), 200, "{path}");
        assert!(
            resp.text().await.unwrap().contains("gerbang-spa-test"),
            "{path}"
        );
    }
    assert_eq!(
        app.get("/app-123.js").await.text().await.unwrap(),
        "console.log(1)"
    );
    app.stop().await;

    // The admin dashboard is its own bundle: every /admin/… page gets its
    // index, its files are served as they are, and the residents' bundle
    // never answers there.
    std::fs::create_dir_all(dir.join("admin")).unwrap();
    std::fs::write(
        dir.join("admin").join("index.html"),
        "<!doctype html><title>gerbang-admin-test</title>",
    )
    .unwrap();
    std::fs::write(dir.join("admin").join("admin-9.js"), "console.log(9)").unwrap();
    let spa = dir.clone();
    let app = spawn_app_with(move |s| s.http.spa_dir = Some(spa)).await;
    for path in [
        "/admin",
        "/admin/",
        "/admin/pengguna",
        "/admin/pengguna/0191-x",
        "/admin/audit?user=1",
    ] {
        let resp = app.get(path).await;
        assert_eq!(resp.status(), 200, "{path}");
        assert!(
            resp.text().await.unwrap().contains("gerbang-admin-test"),
            "{path}"
        );
    }
    assert_eq!(
        app.get("/admin/admin-9.js").await.text().await.unwrap(),
        "console.log(9)"
    );
    assert!(app
        .get("/paket")
        .await
        .text()
        .await
        .unwrap()
        .contains("gerbang-spa-test"));
    // The API keeps its own 404s.
    let (status, body) = envelope(app.get("/api/v1/nope").await).await;
    assert_eq!((status, body["code"].as_str()), (404, Some("not_found")));
    app.stop().await;
    std::fs::remove_dir_all(dir).unwrap();
}
