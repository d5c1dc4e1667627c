//! `usage_baselines`, `usage_ledger`, `usage_daily`.

use std::collections::HashMap;

use deadpool_postgres::GenericClient;
use uuid::Uuid;

use crate::services::accounting::Observation;

/// The last observation of every user on a router.
pub async fn baselines(
    db: &impl GenericClient,
    router_id: Uuid,
) -> Result<HashMap<Uuid, (Observation, time::OffsetDateTime)>, tokio_postgres::Error> {
    let stmt = db
        .prepare_cached(
            "select user_id, committed, sessions, hosts, updated_at
             from usage_baselines where router_id = $1",
        )
        .await?;
    Ok(db
        .query(&stmt, &[&router_id])
        .await?
        .iter()
        .map(|r| {
            let sessions: serde_json::Value = r.get(2);
            let hosts: serde_json::Value = r.get(3);
            (
                r.get(0),
                (
                    Observation {
                        committed: r.get(1),
                        sessions: serde_json::from_value(sessions).unwrap_or_default(),
                        hosts: serde_json::from_value(hosts).unwrap_or_default(),
                    },
                    r.get(4),
                ),
            )
        })
        .collect())
}

/// What the hotspot account had counted at the last observation of one user on
/// one router (0 when never observed): its limit is measured against this.
pub async fn baseline_total(
    db: &impl GenericClient,
    user_id: Uuid,
    router_id: Uuid,
) -> Result<i64, tokio_postgres::Error> {
    let stmt = db
        .prepare_cached(
            "select committed, sessions from usage_baselines where user_id = $1 and router_id = $2",
        )
        .await?;
    Ok(db
        .query_opt(&stmt, &[&user_id, &router_id])
        .await?
        .map(|r| {
            let sessions: serde_json::Value = r.get(1);
            Observation {
                committed: r.get(0),
                sessions: serde_json::from_value(sessions).unwrap_or_default(),
                hosts: Default::default(),
            }
            .account_total()
        })
        .unwrap_or(0))
}

/// A zero baseline for an account gerbang is about to create on the router.
pub async fn init_baseline(
    db: &impl GenericClient,
    user_id: Uuid,
    router_id: Uuid,
) -> Result<(), tokio_postgres::Error> {
    db.execute(
        "insert into usage_baselines (user_id, router_id, committed) values ($1, $2, 0)
         on conflict do nothing",
        &[&user_id, &router_id],
    )
    .await?;
    Ok(())
}

/// Stores a new observation of a user.
pub async fn set_baseline(
    db: &impl GenericClient,
    user_id: Uuid,
    router_id: Uuid,
    obs: &Observation,
) -> Result<(), tokio_postgres::Error> {
    let sessions = serde_json::to_value(&obs.sessions).unwrap_or_default();
    let hosts = serde_json::to_value(&obs.hosts).unwrap_or_default();
    db.execute(
        "insert into usage_baselines (user_id, router_id, committed, sessions, hosts)
         values ($1, $2, $3, $4, $5)
         on conflict (user_id, router_id) do update
         set committed = excluded.committed, sessions = excluded.sessions,
             hosts = excluded.hosts, updated_at = now()",
        &[&user_id, &router_id, &obs.committed, &sessions, &hosts],
    )
    .await?;
    Ok(())
}

/// What a cycle charged a user, with the row as it stands after the charge.
pub struct Charged {
    pub user_id: Uuid,
    pub phone: Option<String>,
    /// Bytes taken from the quota (0 while unlimited).
    pub counted: i64,
    pub quota_bytes: i64,
    pub used_bytes: i64,
    /// Which package the quota belongs to, and what was left right after it
    /// was credited (docs/notifications.md, "Quota low").
    pub quota_epoch: i32,
    pub quota_base_bytes: i64,
}

/// Charges `bytes` to a user for one cycle: ledger row, used bytes and the
/// daily rollup (in `time_zone`); the cycle adds its total to the router's
/// day once ([`add_to_router_day`]). Returns the user's row as it stands
/// after the charge, or None when this cycle already counted the user.
pub async fn charge(
    db: &impl GenericClient,
    user_id: Uuid,
    router_id: Uuid,
    cycle_id: Uuid,
    bytes: i64,
    time_zone: &str,
) -> Result<Option<Charged>, tokio_postgres::Error> {
    let inserted = db
        .execute(
            "insert into usage_ledger (id, user_id, router_id, cycle_id, bytes)
             values ($1, $2, $3, $4, $5) on conflict (cycle_id, user_id) do nothing",
            &[&Uuid::now_v7(), &user_id, &router_id, &cycle_id, &bytes],
        )
        .await?;
    if inserted == 0 {
        return Ok(None);
    }
    // Traffic while unlimited is recorded in the ledger but not taken from the quota.
    let row = db
        .query_one(
            "with counted as (
                 select case when unlimited or unlimited_until > now() then 0
                             else $2::bigint end as bytes
                 from users where id = $1)
             update users set used_bytes = used_bytes + counted.bytes, updated_at = now()
             from counted where id = $1
             returning phone, counted.bytes, quota_bytes, used_bytes, quota_epoch,
                       quota_base_bytes",
            &[&user_id, &bytes],
        )
        .await?;
    db.execute(
        "insert into usage_daily (user_id, day, bytes)
         values ($1, (now() at time zone $3)::date, $2)
         on conflict (user_id, day) do update set bytes = usage_daily.bytes + excluded.bytes",
        &[&user_id, &bytes, &time_zone],
    )
    .await?;
    Ok(Some(Charged {
        user_id,
        phone: row.get(0),
        counted: row.get(1),
        quota_bytes: row.get(2),
        used_bytes: row.get(3),
        quota_epoch: row.get(4),
        quota_base_bytes: row.get(5),
    }))
}

/// Adds a cycle's charged bytes to the router's daily total (in
/// `time_zone`), once per cycle, in the cycle's transaction.
pub async fn add_to_router_day(
    db: &impl GenericClient,
    router_id: Uuid,
    bytes: i64,
    time_zone: &str,
) -> Result<(), tokio_postgres::Error> {
    db.execute(
        "insert into usage_router_daily (router_id, day, bytes)
         values ($1, (now() at time zone $3)::date, $2)
         on conflict (router_id, day) do update set bytes = usage_router_daily.bytes + excluded.bytes",
        &[&router_id, &bytes, &time_zone],
    )
    .await?;
    Ok(())
}

/// Ledger rows older than `days` (the daily rollup keeps the history for charts).
pub async fn delete_ledger_older_than(
    db: &impl GenericClient,
    days: u32,
) -> Result<u64, tokio_postgres::Error> {
    let stmt = db
        .prepare_cached("delete from usage_ledger where at < now() - make_interval(days => $1)")
        .await?;
    db.execute(&stmt, &[&(days as i32)]).await
}

/// Daily usage of one user for the last `days` days up to today (in
/// `time_zone`), oldest first, days without traffic as 0.
pub async fn daily(
    db: &impl GenericClient,
    user_id: Uuid,
    days: i32,
    time_zone: &str,
) -> Result<Vec<(String, i64)>, tokio_postgres::Error> {
    let rows = db
        .query(
            "with today as (select (now() at time zone $3)::date as d)
             select to_char(g.day, 'YYYY-MM-DD'), coalesce(u.bytes, 0)::bigint
             from today,
                  generate_series(today.d - ($2::int - 1), today.d, interval '1 day') as g(day)
             left join usage_daily u on u.user_id = $1 and u.day = g.day::date
             order by g.day",
            &[&user_id, &days, &time_zone],
        )
        .await?;
    Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
}
