//! `gerbang worker`: the background loop. Each job is idempotent and safe to
//! run on two workers at once. Besides the periodic pass, the worker listens
//! for user changes (PostgreSQL `LISTEN`) and reconciles that user at once,
//! and delivers queued WhatsApp notifications on its own beat.

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
    // Of a staff member's own account gerbang owns only whether it is
    // enabled (docs/architecture.md, "Staff accounts").
    if user.role == shared_types::Role::Staff {
        let writes = crate::services::staff_router::enforce_status(state, &user).await?;
        tracing::info!(user = %id, writes, "staff account status");
        return Ok(writes);
    }
    let (router, client) = crate::services::router_account::session_for(state, &user).await?;
    let writes = crate::services::reconcile::enforce_user(
        state,
        &client,
        &router,
        &user,
        time::OffsetDateTime::now_utc(),
    )
    .await?;
    tracing::info!(user = %id, writes, "targeted reconcile");
    Ok(writes)
}

/// Runs until `shutdown` resolves: each router is reconciled when it is due
/// (every tick, sooner in bypass mode near a limit, later with backoff while
/// it fails); the other jobs run every `worker.tick_seconds`.
pub async fn run(state: AppState, shutdown: impl std::future::Future<Output = ()>) {
    let period = Duration::from_secs(state.settings.worker.tick_seconds.max(1));
    let mut beat = tokio::time::interval(Duration::from_secs(1).min(period));
    beat.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    tokio::pin!(shutdown);
    tracing::info!(tick_seconds = period.as_secs(), "worker started");
    let mut listener: Option<JoinHandle<()>> = None;
    let (stop_delivery, delivery_stopped) = tokio::sync::watch::channel(false);
    let delivery = tokio::spawn(deliver_notifications(state.clone(), delivery_stopped));
    let mut schedule = Schedule::default();
    let mut jobs_due = tokio::time::Instant::now();
    loop {
        tokio::select! {
            _ = &mut shutdown => break,
            _ = beat.tick() => {}
        }
        // (Re)start the change listener; a lost connection is retried on the next beat.
        if listener.as_ref().is_none_or(|l| l.is_finished()) {
            match start_listener(state.clone()).await {
                Ok(l) => listener = Some(l),
                Err(e) => tracing::warn!(error = %e, "change listener not started"),
            }
        }
        let limit = Duration::from_secs(state.settings.worker.cycle_timeout_seconds.max(1));
        let due = tokio::time::timeout(limit, reconcile_due(&state, &mut schedule))
            .await
            .unwrap_or_else(|_| Err(anyhow::anyhow!("no end within {} s", limit.as_secs())));
        if let Err(e) = due {
            tracing::warn!(
                job = "reconcile_routers",
                error = format!("{e:#}"),
                "job failed"
            );
        }
        if tokio::time::Instant::now() >= jobs_due {
            if tokio::time::timeout(limit, run_jobs(&state)).await.is_err() {
                tracing::warn!(
                    seconds = limit.as_secs(),
                    "periodic jobs did not finish in time"
                );
            }
            jobs_due = tokio::time::Instant::now() + period;
        }
    }
    if let Some(l) = listener {
        l.abort();
    }
    // The message being sent finishes (its outcome recorded) before the worker ends.
    let _ = stop_delivery.send(true);
    if let Err(e) = delivery.await {
        tracing::warn!(error = %e, "notification delivery ended abnormally");
    }
    tracing::info!("worker stopped");
}

/// When each router is due next, and how often it failed in a row.
#[derive(Debug, Default)]
pub struct Schedule {
    due: std::collections::HashMap<Uuid, (tokio::time::Instant, u32)>,
}

impl Schedule {
    fn is_due(&self, router: &Uuid, now: tokio::time::Instant) -> bool {
        self.due.get(router).is_none_or(|(at, _)| *at <= now)
    }

    /// Records an outcome: the next run follows the cycle's own advice, the
    /// tick for a skipped router, exponential backoff for a failing one.
    pub fn record(
        &mut self,
        settings: &crate::settings::Settings,
        router: Uuid,
        outcome: &CycleOutcome,
        now: tokio::time::Instant,
    ) -> Duration {
        let tick = Duration::from_secs(settings.worker.tick_seconds.max(1));
        let failures = self.due.get(&router).map_or(0, |(_, f)| *f);
        let (wait, failures) = match outcome {
            CycleOutcome::Done(stats) => (next_cycle_in(settings, stats), 0),
            CycleOutcome::Skipped => (tick, 0),
            CycleOutcome::Failed(_) => (backoff(settings, failures + 1), failures + 1),
        };
        self.due.insert(router, (now + wait, failures));
        wait
    }
}

/// The wait after the `failures`-th failure in a row: the tick, doubling, capped.
pub fn backoff(settings: &crate::settings::Settings, failures: u32) -> Duration {
    let tick = settings.worker.tick_seconds.max(1);
    let max = settings.worker.max_backoff_seconds.max(tick);
    Duration::from_secs(
        tick.saturating_mul(1u64 << failures.saturating_sub(1).min(20))
            .min(max),
    )
}

/// Reconciles the routers that are due and records when each is due again.
pub async fn reconcile_due(state: &AppState, schedule: &mut Schedule) -> anyhow::Result<()> {
    let now = tokio::time::Instant::now();
    let routers = {
        let db = state.db.get().await?;
        crate::db::routers::all(&db).await?
    };
    let due: Vec<_> = routers
        .into_iter()
        .filter(|r| schedule.is_due(&r.id, now))
        .collect();
    let ids: Vec<Uuid> = due.iter().map(|r| r.id).collect();
    let outcomes = reconcile_each(state, due).await;
    let done = tokio::time::Instant::now();
    for (id, (_, outcome)) in ids.into_iter().zip(&outcomes) {
        schedule.record(&state.settings, id, outcome, done);
    }
    Ok(())
}

/// Reconciles every router, concurrently: a router that is down or slow only
/// delays itself. Each router is owned by one worker at a time through a
/// transaction-scoped PostgreSQL advisory lock; another worker skips it.
pub async fn reconcile_routers(state: &AppState) -> anyhow::Result<Vec<(String, CycleOutcome)>> {
    let routers = {
        let db = state.db.get().await?;
        crate::db::routers::all(&db).await?
    };
    Ok(reconcile_each(state, routers).await)
}

/// Reconciles these routers, concurrently and each within its deadline.
pub async fn reconcile_each(
    state: &AppState,
    routers: Vec<crate::db::routers::RouterRow>,
) -> Vec<(String, CycleOutcome)> {
    let cycles = routers.into_iter().map(|router| async move {
        let outcome = reconcile_within_deadline(state, &router).await;
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
    // Each cycle holds two database connections (the lock and its own work):
    // more routers at once than the pool allows would starve each other.
    futures_util::stream::iter(cycles)
        .buffered(router_concurrency(&state.settings))
        .collect()
        .await
}

/// Routers reconciled at once: `worker.router_concurrency`, bounded by the pool.
pub fn router_concurrency(settings: &crate::settings::Settings) -> usize {
    let by_pool = (settings.database.pool_size.saturating_sub(1) / 2).max(1);
    settings.worker.router_concurrency.clamp(1, by_pool)
}

/// When a router that just finished a cycle should be reconciled again:
/// the regular tick, or sooner (never below `worker.min_interval_seconds`)
/// when a bypassed user is about to use up their quota.
pub fn next_cycle_in(
    settings: &crate::settings::Settings,
    stats: &crate::services::reconcile::CycleStats,
) -> Duration {
    let tick = Duration::from_secs(settings.worker.tick_seconds.max(1));
    let floor = Duration::from_secs(settings.worker.min_interval_seconds.max(1));
    stats
        .next_in
        .map_or(tick, |d| d.clamp(floor, tick.max(floor)))
}

/// What happened to one router in one pass.
#[derive(Debug)]
pub enum CycleOutcome {
    Done(crate::services::reconcile::CycleStats),
    /// Another worker holds the router's lock.
    Skipped,
    Failed(String),
}

/// The cycle of one router, given at most `worker.cycle_timeout_seconds`: a
/// database or router that stops answering fails the cycle (recorded when the
/// database lets us) instead of stalling the worker.
async fn reconcile_within_deadline(
    state: &AppState,
    router: &crate::db::routers::RouterRow,
) -> CycleOutcome {
    let limit = Duration::from_secs(state.settings.worker.cycle_timeout_seconds.max(1));
    match tokio::time::timeout(limit, reconcile_owned(state, router)).await {
        Ok(outcome) => outcome,
        Err(_) => {
            let error = format!("no end within {} s", limit.as_secs());
            let record = crate::db::cycles::CycleRecord {
                router_id: router.id,
                ok: false,
                duration_ms: i32::try_from(limit.as_millis()).unwrap_or(i32::MAX),
                users: 0,
                online: None,
                reads: 0,
                writes: 0,
                error: Some(&error),
            };
            let recorded = tokio::time::timeout(state.settings.database.connect_timeout(), async {
                let db = state.db.get().await?;
                crate::db::cycles::record(&db, &record).await?;
                anyhow::Ok(())
            })
            .await;
            if !matches!(recorded, Ok(Ok(()))) {
                tracing::warn!(router = %router.name, "the failed cycle could not be recorded");
            }
            CycleOutcome::Failed(error)
        }
    }
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
    let owned = match crate::db::routers::try_lock(&tx, &router.id).await {
        Ok(owned) => owned,
        Err(e) => return CycleOutcome::Failed(e.to_string()),
    };
    if !owned {
        return CycleOutcome::Skipped;
    }
    let started = std::time::Instant::now();
    let outcome = match crate::services::reconcile::reconcile_router(state, router).await {
        Ok(stats) => CycleOutcome::Done(stats),
        Err(e) => CycleOutcome::Failed(e.to_string()),
    };
    let stats = match &outcome {
        CycleOutcome::Done(s) => *s,
        _ => Default::default(),
    };
    let error = match &outcome {
        CycleOutcome::Failed(e) => Some(e.as_str()),
        _ => None,
    };
    let record = crate::db::cycles::CycleRecord {
        router_id: router.id,
        ok: error.is_none(),
        duration_ms: i32::try_from(started.elapsed().as_millis()).unwrap_or(i32::MAX),
        users: i32::try_from(stats.users).unwrap_or(i32::MAX),
        online: error
            .is_none()
            .then(|| i32::try_from(stats.online).unwrap_or(i32::MAX)),
        reads: i32::try_from(stats.reads).unwrap_or(i32::MAX),
        writes: i32::try_from(stats.writes).unwrap_or(i32::MAX),
        error,
    };
    if let Err(e) = crate::db::cycles::record(&tx, &record).await {
        tracing::warn!(router = %router.name, error = %e, "cycle not recorded");
    }
    // Ending the transaction releases the lock.
    if let Err(e) = tx.commit().await {
        tracing::warn!(router = %router.name, error = %e, "cycle record not committed");
    }
    outcome
}

/// Delivers queued WhatsApp notifications, one every
/// `notifications.send_interval_ms` at most (the gateway is WhatsApp Web:
/// bursts risk a ban), until `stop` turns true. Runs beside the router
/// cycles so a slow router never holds a message back.
pub async fn deliver_notifications(state: AppState, mut stop: tokio::sync::watch::Receiver<bool>) {
    let pace = Duration::from_millis(state.settings.notifications.send_interval_ms.max(200));
    let mut beat = tokio::time::interval(pace);
    beat.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let limit = Duration::from_secs(state.settings.worker.cycle_timeout_seconds.max(1));
    loop {
        tokio::select! {
            _ = stop.changed() => break,
            _ = beat.tick() => {}
        }
        let now = time::OffsetDateTime::now_utc();
        let pass = crate::services::whatsapp::deliver::deliver_due(&state, now, 1);
        match tokio::time::timeout(limit, pass).await {
            Ok(Ok(p)) if p.sent + p.failed > 0 => {
                tracing::info!(sent = p.sent, failed = p.failed, "notification delivered")
            }
            Ok(Ok(_)) => {}
            Ok(Err(e)) => report::<()>("deliver_notifications", Err(e)),
            Err(_) => tracing::warn!("notification delivery did not finish in time"),
        }
        if *stop.borrow() {
            break;
        }
    }
}

/// One pass over every periodic job. A failing job is logged and retried next tick.
pub async fn run_jobs(state: &AppState) {
    report("prune_client_errors", prune_client_errors(state).await);
    report("prune_sessions", prune_sessions(state).await);
    report("prune_devices", prune_devices(state).await);
    report("prune_ledger", prune_ledger(state).await);
    report(
        "reconcile_payments",
        crate::services::payments::reconcile_pending(state).await,
    );
    report(
        "watch_notifications",
        crate::services::whatsapp::watch::look(state, time::OffsetDateTime::now_utc()).await,
    );
}

fn report<T>(job: &str, result: anyhow::Result<T>) {
    if let Err(e) = result {
        tracing::warn!(job, error = format!("{e:#}"), "job failed");
    }
}

/// Devices without traffic for `devices.prune_after_days` are forgotten (the
/// next cycle removes their bypass bindings and list entries); each removal is
/// audited. Two workers at once delete each row once.
#[tracing::instrument(skip_all)]
async fn prune_devices(state: &AppState) -> anyhow::Result<usize> {
    let mut db = state.db.get().await?;
    let tx = db.transaction().await?;
    let days = state.settings.devices.prune_after_days;
    let gone = crate::db::devices::delete_unseen_for_days(&tx, days).await?;
    for (user, mac, router) in &gone {
        let entry = crate::db::audit::Entry::system("device.pruned")
            .target("user", user)
            .detail("mac", mac.as_str())
            .detail("router_id", router.map(|r| r.to_string()))
            .detail("days", days);
        crate::db::audit::record(&tx, &entry).await?;
    }
    tx.commit().await?;
    if !gone.is_empty() {
        tracing::info!(pruned = gone.len(), days, "pruned idle devices");
    }
    Ok(gone.len())
}

/// Retention of the usage ledger (the daily rollup keeps the history).
#[tracing::instrument(skip_all)]
async fn prune_ledger(state: &AppState) -> anyhow::Result<u64> {
    let db = state.db.get().await?;
    let days = state.settings.worker.ledger_retention_days;
    let deleted = crate::db::usage::delete_ledger_older_than(&db, days).await?;
    if deleted > 0 {
        tracing::info!(deleted, days, "pruned usage ledger");
    }
    Ok(deleted)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::services::reconcile::CycleStats;

    fn settings() -> crate::settings::Settings {
        crate::settings::Settings::load_from(None, []).unwrap()
    }

    #[test]
    fn a_failing_router_backs_off_exponentially_up_to_the_cap_and_recovers() {
        let s = settings();
        let waits: Vec<u64> = (1..=6).map(|n| backoff(&s, n).as_secs()).collect();
        assert_eq!(waits, [30, 60, 120, 240, 300, 300]);

        let mut schedule = Schedule::default();
        let router = Uuid::now_v7();
        let t0 = tokio::time::Instant::now();
        let failed = CycleOutcome::Failed("down".into());
        assert_eq!(schedule.record(&s, router, &failed, t0).as_secs(), 30);
        assert_eq!(schedule.record(&s, router, &failed, t0).as_secs(), 60);
        assert!(!schedule.is_due(&router, t0 + Duration::from_secs(59)));
        assert!(schedule.is_due(&router, t0 + Duration::from_secs(60)));
        // Back: the regular tick, and the failure count starts over.
        let done = CycleOutcome::Done(CycleStats::default());
        assert_eq!(schedule.record(&s, router, &done, t0).as_secs(), 30);
        assert_eq!(schedule.record(&s, router, &failed, t0).as_secs(), 30);
    }

    #[test]
    fn a_cycle_near_the_limit_brings_the_next_one_forward_but_not_below_the_floor() {
        let s = settings();
        let soon = |secs: f64| CycleStats {
            next_in: Some(Duration::from_secs_f64(secs)),
            ..CycleStats::default()
        };
        assert_eq!(next_cycle_in(&s, &soon(7.5)), Duration::from_secs_f64(7.5));
        assert_eq!(next_cycle_in(&s, &soon(0.1)), Duration::from_secs(2));
        assert_eq!(next_cycle_in(&s, &soon(900.0)), Duration::from_secs(30));
        assert_eq!(
            next_cycle_in(&s, &CycleStats::default()),
            Duration::from_secs(30)
        );
    }
}
