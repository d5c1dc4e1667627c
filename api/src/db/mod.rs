//! PostgreSQL: the pool, migrations and connectivity checks. SQL lives in the
//! submodules, one per table family.

pub mod audit;
pub mod backup;
pub mod client_errors;
pub mod cycles;
pub mod devices;
pub mod facility;
pub mod ledger;
pub mod outbox;
pub mod overview;
pub mod packages;
pub mod payments;
pub mod payments_export;
pub mod quota_requests;
pub mod routers;
pub mod sessions;
pub mod staff;
pub mod usage;
pub mod user_search;
pub mod users;
pub mod whatsapp;

use std::{str::FromStr, time::Duration};

use anyhow::Context;
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod, Runtime};
use tokio_postgres::NoTls;

use crate::{settings::DatabaseSettings, telemetry::redact_url};

/// Whether a read takes the row lock for the rest of its transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowLock {
    /// A plain read.
    None,
    /// `FOR UPDATE`: concurrent writers of the row wait for this transaction.
    ForUpdate,
}

mod embedded {
    refinery::embed_migrations!("../migrations");
}

/// Arbitrary but fixed key of the advisory lock that serialises migrations
/// when `serve`, `worker` and `migrate` start at the same time.
const MIGRATION_LOCK_KEY: i64 = 0x6765_7262_616e_6701; // "gerbang\x01"

/// Builds the pool (no connection is made until first use).
pub fn pool(settings: &DatabaseSettings) -> anyhow::Result<Pool> {
    let mut pg = tokio_postgres::Config::from_str(settings.url.expose())
        .context("database.url is not a valid PostgreSQL URL")?;
    // Deadlines on both sides: PostgreSQL cancels a long statement, and the
    // socket gives up when the server stops answering (a black-holed path
    // would otherwise hold a pooled connection forever).
    let statement_ms = settings.statement_timeout_ms;
    let options = match pg.get_options() {
        Some(o) if !o.is_empty() => format!("{o} -c statement_timeout={statement_ms}"),
        _ => format!("-c statement_timeout={statement_ms}"),
    };
    pg.options(&options)
        .keepalives(true)
        .keepalives_idle(Duration::from_secs(10))
        .tcp_user_timeout(settings.statement_timeout() + Duration::from_secs(5));
    let manager = Manager::from_config(
        pg,
        NoTls,
        ManagerConfig {
            recycling_method: RecyclingMethod::Fast,
        },
    );
    let timeout = Some(settings.connect_timeout());
    Pool::builder(manager)
        .max_size(settings.pool_size)
        .wait_timeout(timeout)
        .create_timeout(timeout)
        .recycle_timeout(timeout)
        .runtime(Runtime::Tokio1)
        .build()
        .context("building the database pool")
}

/// Round-trips one query; used at start (fail fast) and by `/readyz`.
pub async fn ping(pool: &Pool, timeout: Duration) -> anyhow::Result<()> {
    tokio::time::timeout(timeout, async {
        let client = pool.get().await?;
        client.query_one("select 1", &[]).await?;
        anyhow::Ok(())
    })
    .await
    .context("timed out")?
}

/// Fails with one clear line when PostgreSQL cannot be reached.
pub async fn ensure_reachable(pool: &Pool, settings: &DatabaseSettings) -> anyhow::Result<()> {
    ping(pool, settings.connect_timeout())
        .await
        .map_err(|e| unreachable("PostgreSQL", settings.url.expose(), &e))
}

/// Applies pending migrations; safe to call from several processes at once.
/// Returns the versions applied by this call.
pub async fn migrate(settings: &DatabaseSettings) -> anyhow::Result<Vec<i64>> {
    let (mut client, connection) = tokio::time::timeout(
        settings.connect_timeout(),
        tokio_postgres::connect(settings.url.expose(), NoTls),
    )
    .await
    .map_err(|_| anyhow::anyhow!("timed out"))
    .and_then(|r| r.map_err(anyhow::Error::from))
    .map_err(|e| unreachable("PostgreSQL", settings.url.expose(), &e))?;
    let conn_task = tokio::spawn(connection);
    client
        .execute("select pg_advisory_lock($1)", &[&MIGRATION_LOCK_KEY])
        .await?;
    let report = embedded::migrations::runner()
        .set_abort_divergent(true)
        .run_async(&mut client)
        .await;
    // Unlock even when a migration failed; the session ends right after anyway.
    let _ = client
        .execute("select pg_advisory_unlock($1)", &[&MIGRATION_LOCK_KEY])
        .await;
    drop(client);
    let _ = conn_task.await;
    let report = report.context("applying migrations")?;
    Ok(report
        .applied_migrations()
        .iter()
        .map(|m| m.version())
        .collect())
}

/// The one-line start-up failure for a dependency, with the password masked.
pub fn unreachable(what: &str, url: &str, e: &anyhow::Error) -> anyhow::Error {
    anyhow::anyhow!(
        "cannot reach {what} at {}: {}",
        redact_url(url),
        root_cause(e)
    )
}

/// The innermost error message, which is the one a person can act on
/// ("connection refused", "password authentication failed").
pub fn root_cause(e: &anyhow::Error) -> String {
    let mut msg = e.to_string();
    for cause in e.chain().skip(1) {
        msg = cause.to_string();
    }
    msg
}
