//! The overview's aggregates. Each reads a small table or one pass over
//! `users`: usage comes from the per-router daily totals
//! (`usage_router_daily`), revenue from the paid-purchases index, never from
//! the usage ledger. `benches/overview.rs` measures them on a big facility.

use deadpool_postgres::GenericClient;

/// People who use the hotspot, by access status now: (status, count).
pub async fn users_by_status(
    db: &impl GenericClient,
) -> Result<Vec<(String, i64)>, tokio_postgres::Error> {
    let stmt = db
        .prepare_cached(
            "select access_status(u, now()), count(*) from users u
             where role in ('resident', 'komandan', 'staff') group by 1",
        )
        .await?;
    Ok(db
        .query(&stmt, &[])
        .await?
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect())
}

/// Self-registrations waiting for review.
pub async fn registrations_waiting(db: &impl GenericClient) -> Result<i64, tokio_postgres::Error> {
    let stmt = db
        .prepare_cached("select count(*) from users where approval = 'pending'")
        .await?;
    Ok(db.query_one(&stmt, &[]).await?.get(0))
}

/// The last `days` days up to today in `time_zone`, oldest first, with the
/// amount `per_day` gives each (missing days as 0). `per_day` is a query
/// returning (day, amount) that may use `first.d` (the first day) and `$1`
/// (the time zone).
async fn series(
    db: &impl GenericClient,
    days: i32,
    time_zone: &str,
    per_day: &str,
) -> Result<Vec<(String, i64)>, tokio_postgres::Error> {
    let sql = format!(
        "with first as (select (now() at time zone $1)::date - ($2::int - 1) as d),
              amounts as ({per_day})
         select to_char(g.day, 'YYYY-MM-DD'), coalesce(a.amount, 0)::bigint
         from first, generate_series(first.d, first.d + ($2::int - 1), interval '1 day') as g(day)
         left join amounts a on a.day = g.day::date
         order by g.day"
    );
    let stmt = db.prepare_cached(&sql).await?;
    Ok(db
        .query(&stmt, &[&time_zone, &days])
        .await?
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect())
}

/// Bytes used per day, all routers together.
pub async fn usage_days(
    db: &impl GenericClient,
    days: i32,
    time_zone: &str,
) -> Result<Vec<(String, i64)>, tokio_postgres::Error> {
    series(
        db,
        days,
        time_zone,
        "select day, sum(bytes)::bigint as amount from usage_router_daily, first
         where day >= first.d group by day",
    )
    .await
}

/// Rupiah paid per day (by when it was paid).
pub async fn revenue_days(
    db: &impl GenericClient,
    days: i32,
    time_zone: &str,
) -> Result<Vec<(String, i64)>, tokio_postgres::Error> {
    series(
        db,
        days,
        time_zone,
        "select (paid_at at time zone $1)::date as day, sum(amount_idr)::bigint as amount
         from purchases, first
         where status = 'paid' and paid_at >= (first.d::timestamp at time zone $1)
         group by 1",
    )
    .await
}
