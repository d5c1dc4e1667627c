//! The admin home on a big facility (issue 17): 50,000 people on 4 routers,
//! 1,000,000 usage ledger rows over 30 days with their daily rollups,
//! 20,000 purchases and a cycle per router, then `GET /admin/overview`'s
//! service timed 200 times (real PostgreSQL). Prints p50/p95.
//!
//! `cargo bench -p api --bench overview` (`OVERVIEW_USERS`, `OVERVIEW_LEDGER`
//! override 50,000 and 1,000,000).

mod common;

use std::time::Instant;

use api::{
    db::cycles::{record, CycleRecord},
    services::overview::overview,
};
use common::{add_router, percentiles, size, state};
use shared_types::LoginMode;
use uuid::Uuid;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let users = size("OVERVIEW_USERS", 50_000) as i64;
    let ledger = size("OVERVIEW_LEDGER", 1_000_000) as i64;
    let state = state("gerbang_bench_overview").await?;
    let mut routers = Vec::new();
    let mut sims = Vec::new();
    for i in 0..4 {
        let (id, sim) = add_router(&state, &format!("Blok {i}"), LoginMode::HotspotLogin).await?;
        routers.push(id);
        sims.push(sim);
    }
    let tz = state.settings.worker.time_zone.clone();
    let started = Instant::now();
    {
        let db = state.db.get().await?;
        // Loading takes longer than the service's statement timeout allows.
        db.batch_execute("set statement_timeout = 0").await?;
        // People: residents in every access status, spread over the routers.
        db.execute(
            "insert into users (id, phone, name, role, blok, kamar, approval, router_id, quota_bytes,
                                used_bytes, valid_until, blocked, blocked_reason, fup_threshold_bytes)
             select gen_random_uuid(), '+62812' || lpad(n::text, 8, '0'), 'Warga ' || n, 'resident',
                    'A', '1', case when n % 50 = 0 then 'pending' else 'approved' end,
                    ($1::uuid[])[1 + n % 4], 5368709120, (n % 11) * 536870912,
                    now() + make_interval(days => ((n % 40) - 5)::int), n % 97 = 0,
                    case when n % 97 = 0 then 'bench' end, 1073741824
             from generate_series(1, $2::bigint) n",
            &[&routers, &users],
        )
        .await?;
        // The ledger: one row per user per cycle, spread over 30 days, with
        // the rollups the charge keeps beside it.
        db.execute(
            "with u as (select id, router_id, row_number() over (order by id) - 1 as rn from users)
             insert into usage_ledger (id, user_id, router_id, cycle_id, bytes, at)
             select gen_random_uuid(), u.id, u.router_id, gen_random_uuid(),
                    1000000 + (g % 1000) * 1000,
                    now() - make_interval(secs => (g % 2592000)::double precision)
             from generate_series(1, $1::bigint) g join u on u.rn = g % $2::bigint",
            &[&ledger, &users],
        )
        .await?;
        db.execute(
            "insert into usage_daily (user_id, day, bytes)
             select user_id, (at at time zone $1)::date, sum(bytes) from usage_ledger group by 1, 2",
            &[&tz],
        )
        .await?;
        db.execute(
            "insert into usage_router_daily (router_id, day, bytes)
             select router_id, (at at time zone $1)::date, sum(bytes) from usage_ledger group by 1, 2",
            &[&tz],
        )
        .await?;
        // Packages and 20,000 purchases over 30 days, about half paid.
        let package = Uuid::now_v7();
        db.execute(
            "insert into packages (id, name, price_idr, quota_bytes, validity_days)
             values ($1, 'Paket 5 GB', 25000, 5368709120, 30)",
            &[&package],
        )
        .await?;
        db.execute(
            "insert into purchases (id, order_id, user_id, package_id, package_name, amount_idr,
                                    quota_bytes, validity_days, status, snap_token, redirect_url,
                                    expires_at, next_check_at, paid_at, created_at)
             select gen_random_uuid(), 'BENCH-' || n, null, $1, 'Paket 5 GB', 25000, 5368709120, 30,
                    case when n % 2 = 0 then 'paid' else 'expired' end, 't', 'https://pay.test/x',
                    now(), now(),
                    case when n % 2 = 0 then now() - make_interval(secs => (n * 129)::double precision) end,
                    now() - make_interval(secs => (n * 129)::double precision)
             from generate_series(1, 20000) n",
            &[&package],
        )
        .await?;
        for id in &routers {
            record(
                &db,
                &CycleRecord {
                    router_id: *id,
                    ok: true,
                    duration_ms: 120,
                    users: (users / 4) as i32,
                    online: Some(1500),
                    reads: 7,
                    writes: 3,
                    error: None,
                },
            )
            .await?;
        }
        db.batch_execute("analyze").await?;
    }
    println!(
        "{users} people, {ledger} ledger rows, 20000 purchases, 4 routers: loaded in {:.0} s",
        started.elapsed().as_secs_f64()
    );
    let runs = 200;
    let mut times = Vec::with_capacity(runs);
    let mut last = None;
    for _ in 0..runs {
        let t = Instant::now();
        last = Some(overview(&state).await?);
        times.push(t.elapsed());
    }
    let (p50, p95) = percentiles(times);
    let o = last.expect("ran");
    println!(
        "overview ({runs} runs): p50 {p50:.1} ms, p95 {p95:.1} ms (aim: p95 under 100 ms); \
         {} online, usage 30 days {} bytes, revenue 30 days Rp {}",
        o.online_total, o.usage.days_30, o.revenue.days_30
    );
    drop(sims);
    Ok(())
}
