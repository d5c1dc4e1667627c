//! Reconciliation benchmark (issue 5): one simulated router with 10,000
//! users — a cold cycle (all new), a steady cycle (nothing changed) and a
//! cycle with 1 % changed — against a naive baseline that makes one round
//! trip per user per property (as the replaced system does); then 100
//! routers × 1,000 users on one worker. Real PostgreSQL, Redis and the
//! RouterOS simulator over TCP.
//!
//! `cargo bench -p api --bench reconcile` (uses GERBANG_TEST_DATABASE_URL and
//! GERBANG_TEST_REDIS_URL like the tests; `BENCH_USERS`, `BENCH_ROUTERS`,
//! `BENCH_ROUTER_USERS` override the sizes).

use std::time::{Duration, Instant};

mod common;

use api::{
    crypto::{aad, new_hotspot_password},
    services::reconcile::{reconcile_router, CycleStats},
    state::AppState,
};
use common::{add_router, size, state};
use routeros::{menus::HotspotUser, menus::Menu, Query};
use shared_types::LoginMode;
use uuid::Uuid;

/// `n` approved residents with quota and a sealed hotspot password on `router`.
async fn add_users(state: &AppState, router: Uuid, first: usize, n: usize) -> anyhow::Result<()> {
    let ids: Vec<Uuid> = (0..n).map(|_| Uuid::now_v7()).collect();
    let phones: Vec<String> = (first..first + n)
        .map(|i| format!("+62812{i:07}"))
        .collect();
    let sealed: Vec<String> = ids
        .iter()
        .map(|id| {
            state.sealer.seal(
                &new_hotspot_password(),
                &aad("users", "hotspot_password_sealed", id),
            )
        })
        .collect();
    let db = state.db.get().await?;
    db.execute(
        "insert into users (id, phone, name, role, blok, kamar, approval, router_id,
                            quota_bytes, valid_until, hotspot_password_sealed)
         select id, phone, 'Warga', 'resident', 'A', '1', 'approved', $4,
                5368709120, now() + interval '30 days', sealed
         from unnest($1::uuid[], $2::text[], $3::text[]) as t(id, phone, sealed)",
        &[&ids, &phones, &sealed, &router],
    )
    .await?;
    Ok(())
}

async fn router_row(state: &AppState, id: Uuid) -> anyhow::Result<api::db::routers::RouterRow> {
    let db = state.db.get().await?;
    Ok(api::db::routers::by_id(&db, id).await?.expect("router"))
}

async fn timed_cycle(
    state: &AppState,
    router: &api::db::routers::RouterRow,
) -> anyhow::Result<(CycleStats, Duration)> {
    let t = Instant::now();
    let stats = reconcile_router(state, router).await?;
    Ok((stats, t.elapsed()))
}

/// The replaced system's way: per user, read the account, then one `set`
/// per property that differs (or an `add`), one round trip at a time.
async fn naive_cycle(
    state: &AppState,
    router: &api::db::routers::RouterRow,
) -> anyhow::Result<(usize, Duration)> {
    let t = Instant::now();
    let client = state.routers.client(router).await?;
    let api = client.api();
    let users = {
        let db = state.db.get().await?;
        api::db::users::of_router(&db, router.id, router.is_default).await?
    };
    let now = time::OffsetDateTime::now_utc();
    let mut commands = 0;
    for user in &users {
        let name = user.hotspot_username().expect("phone");
        let rows = api
            .print(HotspotUser::PATH)
            .query(Query::Eq("name".into(), name.clone()))
            .rows()
            .await?;
        commands += 1;
        let password = api::services::router_account::password_of(state, user).await?;
        let facts = user.facts();
        let remaining = facts.remaining_bytes().to_string();
        let disabled = if facts.status(now.unix_timestamp()).allows_access() {
            "false"
        } else {
            "true"
        };
        let wanted = [
            ("password", password.as_str()),
            ("profile", router.hotspot_profile.as_str()),
            ("limit-bytes-total", remaining.as_str()),
            ("disabled", disabled),
        ];
        match rows.first() {
            None => {
                let mut props = vec![("name", name.as_str())];
                props.extend(wanted);
                api.add(HotspotUser::PATH, props).await?;
                commands += 1;
            }
            Some(row) => {
                let id = row.id().expect(".id");
                for (k, v) in wanted {
                    if row.text(k).as_deref() != Some(v) {
                        api.set(HotspotUser::PATH, id, [(k, v)]).await?;
                        commands += 1;
                    }
                }
            }
        }
    }
    Ok((commands, t.elapsed()))
}

async fn change_one_percent(state: &AppState, router: Uuid) -> anyhow::Result<u64> {
    let db = state.db.get().await?;
    Ok(db
        .execute(
            "update users set quota_bytes = quota_bytes + 1073741824
             where id in (select id from users where router_id = $1 order by id
                          limit (select count(*) / 100 from users where router_id = $1))",
            &[&router],
        )
        .await?)
}

fn row(label: &str, commands: usize, wall: Duration) {
    println!("  {label:<34} {commands:>8} {:>10.3} s", wall.as_secs_f64());
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let users = size("BENCH_USERS", 10_000);
    let routers = size("BENCH_ROUTERS", 100);
    let per_router = size("BENCH_ROUTER_USERS", 1_000);
    let state = state("gerbang_bench").await?;

    if users > 0 {
        single_router(&state, users).await?;
    }
    fleet(&state, routers, per_router).await?;
    let rss = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM"))
                .map(|l| l.split_whitespace().nth(1).unwrap_or("?").to_owned())
        })
        .unwrap_or_else(|| "?".into());
    println!("\npeak RSS (bench process incl. {routers} simulated routers): {rss} kB");
    Ok(())
}

async fn single_router(state: &AppState, users: usize) -> anyhow::Result<()> {
    let state = state.clone();
    println!("one router, {users} users (commands = router reads + writes)");
    println!("  {:<34} {:>8} {:>12}", "cycle", "commands", "wall");
    let (gerbang_id, _gerbang_sim) =
        add_router(&state, "bench-gerbang", LoginMode::HotspotLogin).await?;
    let (naive_id, _naive_sim) = add_router(&state, "bench-naive", LoginMode::HotspotLogin).await?;
    add_users(&state, gerbang_id, 0, users).await?;
    add_users(&state, naive_id, users, users).await?;
    let g = router_row(&state, gerbang_id).await?;
    let n = router_row(&state, naive_id).await?;

    let (cold, t) = timed_cycle(&state, &g).await?;
    row("gerbang cold (all new)", cold.reads + cold.writes, t);
    let (c, t) = naive_cycle(&state, &n).await?;
    row("naive cold", c, t);
    let (steady, t) = timed_cycle(&state, &g).await?;
    row(
        &format!("gerbang steady ({} writes)", steady.writes),
        steady.reads + steady.writes,
        t,
    );
    let (c, t) = naive_cycle(&state, &n).await?;
    row("naive steady", c, t);
    let changed = change_one_percent(&state, gerbang_id).await?;
    change_one_percent(&state, naive_id).await?;
    let (one, t) = timed_cycle(&state, &g).await?;
    row(
        &format!(
            "gerbang 1 % changed ({changed} users, {} writes)",
            one.writes
        ),
        one.reads + one.writes,
        t,
    );
    let (c, t) = naive_cycle(&state, &n).await?;
    row("naive 1 % changed", c, t);
    // Steady again, several runs: the figure the target is about.
    let mut walls: Vec<f64> = Vec::new();
    for _ in 0..5 {
        let (s, t) = timed_cycle(&state, &g).await?;
        assert_eq!(s.writes, 0, "a steady cycle writes nothing");
        walls.push(t.as_secs_f64());
    }
    walls.sort_by(f64::total_cmp);
    println!(
        "  gerbang steady x5: median {:.3} s, max {:.3} s",
        walls[2], walls[4]
    );

    // Leave only the fleet for the worker's pass.
    let db = state.db.get().await?;
    let t = Instant::now();
    db.batch_execute(
        "delete from users where router_id in
             (select id from routers where name in ('bench-gerbang', 'bench-naive'));
         delete from routers where name in ('bench-gerbang', 'bench-naive');",
    )
    .await?;
    println!(
        "  deleting the {} users: {:.3} s",
        2 * users,
        t.elapsed().as_secs_f64()
    );
    Ok(())
}

async fn fleet(state: &AppState, routers: usize, per_router: usize) -> anyhow::Result<()> {
    let state = state.clone();
    println!("\n{routers} routers × {per_router} users on one worker");
    let mut sims = Vec::new();
    for r in 0..routers {
        let (id, sim) =
            add_router(&state, &format!("bench-{r:03}"), LoginMode::HotspotLogin).await?;
        add_users(&state, id, 1_000_000 + r * per_router, per_router).await?;
        sims.push(sim);
    }
    for label in ["cold", "steady"] {
        let t = Instant::now();
        let outcomes = api::worker::reconcile_routers(&state).await?;
        let wall = t.elapsed();
        let (mut done, mut writes, mut reads) = (0, 0, 0);
        for (name, o) in &outcomes {
            match o {
                api::worker::CycleOutcome::Done(s) => {
                    done += 1;
                    writes += s.writes;
                    reads += s.reads;
                }
                other => eprintln!("{name}: {other:?}"),
            }
        }
        println!(
            "  {label:<8} {done} routers done, {reads} reads, {writes} writes, {:.3} s",
            wall.as_secs_f64()
        );
    }
    drop(sims);
    Ok(())
}
