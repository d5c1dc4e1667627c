//! `gerbang worker`: the background loop. Each job is idempotent and safe to
//! run on two workers at once. Besides the periodic pass, the worker listens
//! for user changes (PostgreSQL `LISTEN`) and reconciles that user at once.

use std::time::Duration;

use futures_util::StreamExt;
use tokio::{sync::mpsc, task::JoinHandle};
use tokio_postgres::AsyncMessage;
use uuid::Uuid;

use crate::state::AppState;

/// Starts listening for user changes; returns once `LISTEN` is in effect.
/// Each announced user is reconciled on their router right away.
pub async fn start_listener(state: AppState) -> anyhow::Result<JoinHandle<()>> {
    let (client, mut conn) =
        tokio_postgres::connect(state.settings.database.url.expose(), tokio_postgres::NoTls)
            .await?;
    let (tx, mut rx) = mpsc::unbounded_channel::<String>();
    tokio::spawn(async move {
        let mut messages = futures_util::stream::poll_fn(move |cx| conn.poll_message(cx));
        while let Some(msg) = messages.next().await {
            match msg {
                Ok(AsyncMessage::Notification(n)) => {
                    if tx.send(n.payload().to_owned()).is_err() {
                        break;
                    }
                }
                Ok(_) => {}
                Err(e) => {
                    tracing::warn!(error = %e, "change listener connection lost");
                    break;
                }
            }
        }
    });
    client
        .batch_execute(&format!("LISTEN {}", crate::db::users::CHANGED_CHANNEL))
        .await?;
    Ok(tokio::spawn(async move {
        // The client keeps the connection (and the LISTEN) alive.
        let _client = client;
        while let Some(payload) = rx.recv().await {
            let Ok(id) = payload.parse::<Uuid>() else {
                continue;
            };
            if let Err(e) = reconcile_user_now(&state, id).await {
                tracing::warn!(user = %id, error = format!("{e:#}"), "targeted reconcile failed");
            }
        }
    }))
}

/// Reconciles one user on their router (the targeted reaction to a change).
pub async fn reconcile_user_now(state: &AppState, id: Uuid) -> anyhow::Result<usize> {
    let user = {
        let db = state.db.get().await?;
        crate::db::users::by_id(&db, id).await?
    };
    let Some(user) = user else {
        return Ok(0);
    };
    let (router, client) = crate::services::hotspot::session_for(state, &user).await?;
    let password = crate::services::reconcile::password_of(state, &user).await?;
    let writes = crate::services::reconcile::reconcile_user(
        state,
        &client,
        &router,
        &user,
        &password,
        time::OffsetDateTime::now_utc(),
    )
    .await?;
    tracing::info!(user = %id, writes, "targeted reconcile");
    Ok(writes)
}

/// Runs jobs every `worker.tick_seconds` until `shutdown` resolves.
pub async fn run(state: AppState, shutdown: impl std::future::Future<Output = ()>) {
    let period = Duration::from_secs(state.settings.worker.tick_seconds.max(1));
    let mut tick = tokio::time::interval(period);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    tokio::pin!(shutdown);
    tracing::info!(tick_seconds = period.as_secs(), "worker started");
    let mut listener: Option<JoinHandle<()>> = None;
    loop {
        // (Re)start the change listener; a lost connection is retried on the next tick.
        if listener.as_ref().is_none_or(|l| l.is_finished()) {
            match start_listener(state.clone()).await {
                Ok(l) => listener = Some(l),
                Err(e) => tracing::warn!(error = %e, "change listener not started"),
            }
        }
        tokio::select! {
            _ = &mut shutdown => break,
            _ = tick.tick() => run_jobs(&state).await,
        }
    }
    if let Some(l) = listener {
        l.abort();
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
pub fn lock_key(router: &uuid::Uuid) -> i64 {
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
