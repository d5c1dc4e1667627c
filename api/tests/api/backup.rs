//! Backups that restore: a dump of a running facility, restored into a new
//! database, serves the same people with the same sessions.

use crate::helpers::*;

#[tokio::test]
async fn a_backup_restored_into_a_new_database_serves_the_same_people() {
    let w = World::start(|_| {}).await;
    let resident = w.logged_in_resident(2_000_000_000).await;
    let me = resident.me().await;
    let file = std::env::temp_dir().join(format!("gerbang-{}.dump", uuid::Uuid::now_v7()));
    api::db::backup::dump(&w.app.state.settings.database, &file).unwrap();

    // A new, empty database; restoring twice is refused.
    let name = format!("gerbang_test_restore_{}", uuid::Uuid::now_v7().simple());
    let (admin_db, conn) = tokio_postgres::connect(&admin_database_url(), tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(conn);
    admin_db
        .batch_execute(&format!("create database {name}"))
        .await
        .unwrap();
    let mut target = w.app.state.settings.database.clone();
    target.url = api::settings::Secret::new(database_url(&name));
    api::db::backup::restore(&target, &file).await.unwrap();
    let again = api::db::backup::restore(&target, &file).await.unwrap_err();
    assert!(format!("{again:#}").contains("not empty"), "{again:#}");

    // An API on the restored database knows the resident and their session.
    let url = database_url(&name);
    let restored = spawn_app_with(move |s| s.database.url = api::settings::Secret::new(url)).await;
    let (status, body) = admin_call_on(&restored, "/api/v1/me", &resident.cookies).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["id"], me.id.as_str());
    assert_eq!(body["phone"], PHONE);
    assert_eq!(
        restored.count("users").await,
        w.app.count("users").await,
        "every account came back"
    );
    restored.stop().await;
    w.stop().await;
    let _ = std::fs::remove_file(file);
}

async fn admin_call_on(app: &TestApp, path: &str, c: &Cookies) -> (u16, serde_json::Value) {
    let resp = authed(app, reqwest::Method::GET, path, c)
        .send()
        .await
        .unwrap();
    (resp.status().as_u16(), resp.json().await.unwrap())
}
