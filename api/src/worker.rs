//! `gerbang worker`: the background loop. Each job is idempotent and safe to
//! run on two workers at once; later issues add reconciliation and accounting.

use std::time::Duration;

use crate::state::AppState;

/// Runs jobs every `worker.tick_seconds` until `shutdown` resolves.
pub async fn run(state: AppState, shutdown: impl std::future::Future<Output = ()>) {
    let period = Duration::from_secs(state.settings.worker.tick_seconds.max(1));
    let mut tick = tokio::time::interval(period);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    tokio::pin!(shutdown);
    tracing::info!(tick_seconds = period.as_secs(), "worker started");
    loop {
        tokio::select! {
            _ = &mut shutdown => break,
            _ = tick.tick() => run_jobs(&state).await,
        }
    }
    tracing::info!("worker stopped");
}

/// Reconciles every router, concurrently: a router that is down or slow only
/// delays itself. Each router is owned by one worker at a time through a
/// transaction-scoped PostgreSQL advisory lock; another worker skips it.
pub async fn reconcile_routers(state: &AppState) -> anyhow::Result<Vec<(String, CycleOutcome)>> {
    let routers = {
        let db = state.db.get().await?;
        crate::db::routers::all(&db).await?
    };
    let cycles = routers.into_iter().map(|router| async move {
        let outcome = reconcile_owned(state, &router).await;
        match &outcome {
            CycleOutcome::Done(stats) => tracing::info!(
                router = %router.name,
                users = stats.users,
                writes = stats.writes,
                removed = stats.removed,
                "reconciled"
            ),
            CycleOutcome::Skipped => {
                tracing::debug!(router = %router.name, "owned by another worker")
            }
            CycleOutcome::Failed(e) => {
                tracing::warn!(router = %router.name, error = %e, "reconcile failed")
            }
        }
        (router.name.clone(), outcome)
    });
    Ok(futures_util::future::join_all(cycles).await)
}

/// What happened to one router in one pass.
#[derive(Debug)]
pub enum CycleOutcome {
    Done(crate::services::reconcile::CycleStats),
    /// Another worker holds the router's lock.
    Skipped,
    Failed(String),
}

/// The advisory-lock key of a router (two 32-bit halves of its id's hash).
fn lock_key(router: &uuid::Uuid) -> i64 {
    let b = router.as_bytes();
    i64::from_be_bytes([b[0], b[1], b[2], b[3], b[12], b[13], b[14], b[15]]) ^ 0x6765_7262_0000_0000
}

async fn reconcile_owned(state: &AppState, router: &crate::db::routers::RouterRow) -> CycleOutcome {
    let mut db = match state.db.get().await {
        Ok(db) => db,
        Err(e) => return CycleOutcome::Failed(e.to_string()),
    };
    let tx = match db.transaction().await {
        Ok(tx) => tx,
        Err(e) => return CycleOutcome::Failed(e.to_string()),
    };
    let owned: bool = match tx
        .query_one(
            "select pg_try_advisory_xact_lock($1)",
            &[&lock_key(&router.id)],
        )
        .await
    {
        Ok(row) => row.get(0),
        Err(e) => return CycleOutcome::Failed(e.to_string()),
    };
    if !owned {
        return CycleOutcome::Skipped;
    }
    let outcome = match crate::services::reconcile::reconcile_router(state, router).await {
        Ok(stats) => CycleOutcome::Done(stats),
        Err(e) => CycleOutcome::Failed(e.to_string()),
    };
    // Ending the transaction releases the lock.
    let _ = tx.rollback().await;
    outcome
}

/// One pass over every periodic job. A failing job is logged and retried next tick.
pub async fn run_jobs(state: &AppState) {
    if let Err(e) = reconcile_routers(state).await {
        tracing::warn!(
            job = "reconcile_routers",
            error = format!("{e:#}"),
            "job failed"
        );
    }
    if let Err(e) = prune_client_errors(state).await {
        tracing::warn!(
            job = "prune_client_errors",
            error = format!("{e:#}"),
            "job failed"
        );
    }
    if let Err(e) = prune_sessions(state).await {
        tracing::warn!(
            job = "prune_sessions",
            error = format!("{e:#}"),
            "job failed"
        );
    }
}

/// Sessions that ended (expired or revoked) more than a week ago, with their
/// refresh tokens; kept that long so reuse of an old token is still recognised.
#[tracing::instrument(skip_all)]
async fn prune_sessions(state: &AppState) -> anyhow::Result<u64> {
    let client = state.db.get().await?;
    let deleted = crate::db::sessions::delete_ended_before_days(&client, 7).await?;
    if deleted > 0 {
        tracing::info!(deleted, "pruned ended sessions");
    }
    Ok(deleted)
}

/// Retention of SPA error reports.
#[tracing::instrument(skip_all)]
async fn prune_client_errors(state: &AppState) -> anyhow::Result<u64> {
    let client = state.db.get().await?;
    let days = state.settings.worker.client_error_retention_days;
    let deleted = crate::db::client_errors::delete_older_than(&client, days).await?;
    if deleted > 0 {
        tracing::info!(deleted, days, "pruned client error reports");
    }
    Ok(deleted)
}
