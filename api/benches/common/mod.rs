//! What the benchmarks share: a fresh database, the app state on it, and
//! simulated routers registered in it. Real PostgreSQL, Redis and the RouterOS
//! simulator over TCP (GERBANG_TEST_DATABASE_URL / GERBANG_TEST_REDIS_URL as in
//! the tests).
// Each benchmark binary compiles this module and uses only part of it.
#![allow(dead_code)]

use api::{crypto::aad, db::routers::NewRouter, settings::Settings, state::AppState};
use sandbox::routeros_sim::{spawn, RouterConfig, RunningRouter};
use shared_types::LoginMode;
use tokio_postgres::NoTls;
use uuid::Uuid;

pub fn env_or(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.into())
}

/// p50 and p95 of the times, in milliseconds.
pub fn percentiles(mut t: Vec<std::time::Duration>) -> (f64, f64) {
    t.sort();
    let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
    (ms(t[t.len() / 2]), ms(t[t.len() * 95 / 100]))
}

pub fn size(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

async fn fresh_database(admin_url: &str, name: &str) -> anyhow::Result<String> {
    let (client, conn) = tokio_postgres::connect(admin_url, NoTls).await?;
    tokio::spawn(conn);
    client
        .batch_execute(&format!("drop database if exists {name} with (force)"))
        .await?;
    client
        .batch_execute(&format!("create database {name}"))
        .await?;
    let mut url = url::Url::parse(admin_url)?;
    url.set_path(&format!("/{name}"));
    Ok(url.to_string())
}

pub async fn state(database: &str) -> anyhow::Result<AppState> {
    let admin = env_or(
        "GERBANG_TEST_DATABASE_URL",
        "postgres://postgres@127.0.0.1:5432/postgres",
    );
    let db_url = fresh_database(&admin, database).await?;
    let env = [
        ("GERBANG__DATABASE__URL", db_url),
        (
            "GERBANG__REDIS__URL",
            env_or("GERBANG_TEST_REDIS_URL", "redis://127.0.0.1:6379"),
        ),
        ("GERBANG__REDIS__KEY_PREFIX", "bench:".into()),
        ("GERBANG__DATABASE__POOL_SIZE", "16".into()),
        ("GERBANG__LOG__FILTER", "warn".into()),
    ];
    let mut settings = Settings::load_from(None, env.map(|(k, v)| (k.to_string(), v)))?;
    settings.routers.command_timeout_ms = 120_000;
    api::db::migrate(&settings.database).await?;
    AppState::connect(settings).await
}

/// A simulated router and its row; returns the router.
pub async fn add_router(
    state: &AppState,
    name: &str,
    mode: LoginMode,
) -> anyhow::Result<(Uuid, RunningRouter)> {
    let sim = spawn(RouterConfig::default(), "127.0.0.1:0".parse()?).await?;
    let id = Uuid::now_v7();
    let sealed = state
        .sealer
        .seal("sandbox", &aad("routers", "api_password_sealed", &id));
    let db = state.db.get().await?;
    let port = i32::from(sim.addr.port());
    api::db::routers::upsert(
        &db,
        &NewRouter {
            id,
            name,
            host: "127.0.0.1",
            port,
            api_username: "admin",
            api_password_sealed: &sealed,
            login_mode: mode,
            login_url: "http://10.5.50.1/login",
            is_default: false,
        },
    )
    .await?;
    Ok((id, sim))
}
