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

/// One pass over every periodic job. A failing job is logged and retried next tick.
pub async fn run_jobs(state: &AppState) {
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
