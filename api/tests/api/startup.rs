use std::process::Command;

use crate::helpers::{database_url, fresh_database, test_settings};

async fn closed_port() -> u16 {
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    l.local_addr().unwrap().port()
    // dropped here: nothing listens on the port any more
}

#[tokio::test]
async fn unreachable_redis_fails_fast_with_one_clear_line() {
    let port = closed_port().await;
    let mut settings = test_settings();
    settings.database.url = api::settings::Secret::new(database_url(&fresh_database().await));
    settings.redis.url = api::settings::Secret::new(format!("redis://:hunter2@127.0.0.1:{port}"));
    let err = api::startup::Application::build(settings)
        .await
        .err()
        .expect("build fails");
    let msg = format!("{err:#}");
    assert!(
        msg.starts_with(&format!(
            "cannot reach Redis at redis://:***@127.0.0.1:{port}"
        )),
        "{msg}"
    );
    assert!(!msg.contains("hunter2"));
    assert!(!msg.contains('\n'));
}

#[test]
fn the_binary_exits_1_with_one_line_when_postgres_is_unreachable() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let out = Command::new(env!("CARGO_BIN_EXE_gerbang"))
        .arg("migrate")
        .env(
            "GERBANG__DATABASE__URL",
            format!("postgres://gerbang:hunter2@127.0.0.1:{port}/gerbang"),
        )
        .env("GERBANG__DATABASE__CONNECT_TIMEOUT_MS", "2000")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with("gerbang: cannot reach PostgreSQL at postgres://gerbang:***@127.0.0.1:"),
        "{stderr}"
    );
    assert!(!stderr.contains("hunter2"));
}

#[test]
fn openapi_subcommand_needs_no_database() {
    let out = Command::new(env!("CARGO_BIN_EXE_gerbang"))
        .arg("openapi")
        .env("GERBANG__DATABASE__URL", "postgres://nowhere.invalid/x")
        .output()
        .unwrap();
    assert!(out.status.success());
    let spec: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(spec["info"]["title"], "gerbang API");
}

#[tokio::test]
async fn migrations_create_the_foundation_and_audit_log_is_append_only() {
    let name = fresh_database().await;
    let (client, conn) = tokio_postgres::connect(&database_url(&name), tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(conn);
    client
        .execute(
            "insert into audit_log (id, actor_kind, action) values ($1, 'system', 'settings.update')",
            &[&uuid::Uuid::now_v7()],
        )
        .await
        .unwrap();
    let err = client
        .execute("update audit_log set action = 'x.y'", &[])
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("cannot be updated")
            || format!("{err:?}").contains("cannot be updated"),
        "{err:?}"
    );
    let err = client
        .execute(
            "insert into settings (key, value) values ('Bad Key', '1')",
            &[],
        )
        .await
        .unwrap_err();
    assert!(format!("{err:?}").contains("check"), "{err:?}");
    // A second migrate run applies nothing.
    let mut settings = test_settings();
    settings.database.url = api::settings::Secret::new(database_url(&name));
    assert!(api::db::migrate(&settings.database)
        .await
        .unwrap()
        .is_empty());
}

#[test]
fn the_demo_refuses_to_run_in_production() {
    use base64::Engine;
    let key = base64::engine::general_purpose::STANDARD.encode([7u8; 32]);
    let out = Command::new(env!("CARGO_BIN_EXE_gerbang"))
        .arg("demo")
        .env("GERBANG__ENVIRONMENT", "production")
        .env("GERBANG__CRYPTO__KEYS", format!("prod:{key}"))
        .env("GERBANG__CRYPTO__ACTIVE_KID", "prod")
        .env(
            "GERBANG__OTP__PEPPER",
            "a-production-pepper-of-at-least-32-chars",
        )
        .env("GERBANG__TURNSTILE__ALLOW_TEST_KEYS", "false")
        .env("GERBANG__MIDTRANS__SERVER_KEY", "Mid-server-merchant-key")
        .env("GERBANG__SESSION__COOKIE_SECURE", "true")
        .env("GERBANG__DATABASE__URL", "postgres://nowhere.invalid/x")
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("`gerbang demo`") && stderr.contains("development only"),
        "{stderr}"
    );
}
