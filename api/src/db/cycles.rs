//! `router_cycles`: the last reconcile cycle of each router.

use deadpool_postgres::GenericClient;
use time::OffsetDateTime;
use uuid::Uuid;

/// What the worker records after a cycle.
pub struct CycleRecord<'a> {
    pub router_id: Uuid,
    pub ok: bool,
    pub duration_ms: i32,
    pub users: i32,
    /// Live sessions seen; None when the cycle failed.
    pub online: Option<i32>,
    pub reads: i32,
    pub writes: i32,
    pub error: Option<&'a str>,
}

/// Cycles kept per router for the routers screen's chart.
pub const HISTORY_HOURS: i32 = 6;

pub async fn record(
    db: &impl GenericClient,
    r: &CycleRecord<'_>,
) -> Result<(), tokio_postgres::Error> {
    // The router's last cycle, the chart's history of it, and nothing in the
    // history older than HISTORY_HOURS: one statement.
    let stmt = db
        .prepare_cached(
            "with latest as (
                 insert into router_cycles as c (router_id, at, ok, duration_ms, users, reads, writes,
                                                error, consecutive_failures, failures_total,
                                                last_ok_at, online)
                 values ($1, now(), $2, $3, $4, $5, $6, $7,
                         case when $2 then 0 else 1 end, case when $2 then 0 else 1 end,
                         case when $2 then now() end, $8)
                 on conflict (router_id) do update set
                     at = now(), ok = $2, duration_ms = $3, users = $4, reads = $5, writes = $6,
                     error = $7, online = $8,
                     consecutive_failures = case when $2 then 0 else c.consecutive_failures + 1 end,
                     failures_total = c.failures_total + case when $2 then 0 else 1 end,
                     last_ok_at = case when $2 then now() else c.last_ok_at end
                 returning router_id),
             gone as (
                 delete from router_cycle_history
                 where router_id = $1 and at < now() - make_interval(hours => $9))
             insert into router_cycle_history
                 (router_id, at, ok, duration_ms, users, reads, writes, error, online)
             select router_id, clock_timestamp(), $2, $3, $4, $5, $6, $7, $8 from latest
             on conflict do nothing",
        )
        .await?;
    db.execute(
        &stmt,
        &[
            &r.router_id,
            &r.ok,
            &r.duration_ms,
            &r.users,
            &r.reads,
            &r.writes,
            &r.error,
            &r.online,
            &HISTORY_HOURS,
        ],
    )
    .await?;
    Ok(())
}

/// The last `limit` cycles of a router, oldest first.
pub async fn history(
    db: &impl GenericClient,
    router_id: Uuid,
    limit: i64,
) -> Result<Vec<shared_types::RecentCycle>, tokio_postgres::Error> {
    let stmt = db
        .prepare_cached(
            "select * from (
                 select at, ok, duration_ms, reads, writes, online, error
                 from router_cycle_history where router_id = $1
                 order by at desc limit $2) recent
             order by at",
        )
        .await?;
    Ok(db
        .query(&stmt, &[&router_id, &limit])
        .await?
        .iter()
        .map(|r| shared_types::RecentCycle {
            at: super::users::rfc3339(r.get(0)).into(),
            ok: r.get(1),
            duration_ms: r.get(2),
            reads: r.get(3),
            writes: r.get(4),
            online: r.get(5),
            error: r.get(6),
        })
        .collect())
}

/// The last cycle of a router, as stored.
#[derive(Debug, Clone)]
pub struct LastCycle {
    pub router_id: Uuid,
    pub router_name: String,
    pub at: OffsetDateTime,
    pub ok: bool,
    pub duration_ms: i32,
    pub users: i32,
    pub reads: i32,
    pub writes: i32,
    pub error: Option<String>,
    pub online: Option<i32>,
    pub consecutive_failures: i32,
    pub failures_total: i64,
    pub last_ok_at: Option<OffsetDateTime>,
}

fn from_row(r: &tokio_postgres::Row) -> LastCycle {
    LastCycle {
        router_id: r.get("router_id"),
        router_name: r.get("name"),
        at: r.get("at"),
        ok: r.get("ok"),
        duration_ms: r.get("duration_ms"),
        users: r.get("users"),
        reads: r.get("reads"),
        writes: r.get("writes"),
        error: r.get("error"),
        online: r.get("online"),
        consecutive_failures: r.get("consecutive_failures"),
        failures_total: r.get("failures_total"),
        last_ok_at: r.get("last_ok_at"),
    }
}

const SELECT: &str = "select c.*, r.name from router_cycles c join routers r on r.id = c.router_id";

pub async fn all(db: &impl GenericClient) -> Result<Vec<LastCycle>, tokio_postgres::Error> {
    let stmt = db
        .prepare_cached(&format!("{SELECT} order by r.name"))
        .await?;
    Ok(db.query(&stmt, &[]).await?.iter().map(from_row).collect())
}

pub async fn of_router(
    db: &impl GenericClient,
    router_id: Uuid,
) -> Result<Option<LastCycle>, tokio_postgres::Error> {
    let stmt = db
        .prepare_cached(&format!("{SELECT} where c.router_id = $1"))
        .await?;
    Ok(db
        .query_opt(&stmt, &[&router_id])
        .await?
        .as_ref()
        .map(from_row))
}
