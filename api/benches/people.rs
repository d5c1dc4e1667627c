//! Finding people (issue 16): 50,000 users, then the admin list's two
//! common questions — a phone fragment search and a filtered page — timed
//! through the service the API calls (real PostgreSQL, indexes of migration
//! `finding_people`). Prints p50/p95 over 200 runs of each.
//!
//! `cargo bench -p api --bench people` (`PEOPLE_USERS` overrides 50,000).

mod common;

use std::time::Instant;

use api::{db::user_search::UserQuery, services::user_admin::list_users};
use common::{percentiles, size, state};
use rand::{rngs::StdRng, Rng, SeedableRng};
use shared_types::{AccessStatus, Role, UserSort};
use uuid::Uuid;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let n = size("PEOPLE_USERS", 50_000);
    let state = state("gerbang_bench_people").await?;
    let mut rng = StdRng::seed_from_u64(16);
    let ids: Vec<Uuid> = (0..n).map(|_| Uuid::now_v7()).collect();
    let phones: Vec<String> = (0..n)
        .map(|_| format!("+62812{:08}", rng.random_range(0..100_000_000u32)))
        .collect();
    let first = [
        "Budi", "Siti", "Agus", "Dewi", "Joko", "Rina", "Eko", "Wati",
    ];
    let last = [
        "Santoso", "Aminah", "Wijaya", "Lestari", "Saputra", "Hidayat",
    ];
    let names: Vec<String> = (0..n)
        .map(|i| format!("{} {} {i}", first[i % 8], last[i % 6]))
        .collect();
    let bloks: Vec<String> = (0..n)
        .map(|i| ["A", "B", "C", "D"][i % 4].to_owned())
        .collect();
    let used: Vec<i64> = (0..n)
        .map(|_| rng.random_range(0..6_000_000_000i64))
        .collect();
    {
        let db = state.db.get().await?;
        db.execute(
            "insert into users (id, phone, name, role, blok, kamar, approval, quota_bytes, used_bytes,
                                valid_until)
             select id, phone, name, 'resident', blok, '1', 'approved', 5368709120, used,
                    now() + interval '30 days'
             from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::bigint[])
                  as t(id, phone, name, blok, used)
             on conflict (phone) do nothing",
            &[&ids, &phones, &names, &bloks, &used],
        )
        .await?;
        db.batch_execute("analyze users").await?;
    }
    let runs = 200;
    let mut search = Vec::with_capacity(runs);
    let mut filtered = Vec::with_capacity(runs);
    let mut matches = 0;
    for _ in 0..runs {
        let q = format!("{:04}", rng.random_range(0..10_000));
        let t = Instant::now();
        let page = list_users(
            &state,
            &UserQuery {
                q: Some(q),
                ..UserQuery::default()
            },
            None,
            25,
        )
        .await?;
        search.push(t.elapsed());
        matches += page.total;
        let t = Instant::now();
        list_users(
            &state,
            &UserQuery {
                role: Some(Role::Resident),
                status: Some(AccessStatus::Active),
                blok: Some(["A", "B", "C", "D"][rng.random_range(0..4)].into()),
                sort: UserSort::MostUsed,
                ..UserQuery::default()
            },
            None,
            25,
        )
        .await?;
        filtered.push(t.elapsed());
    }
    let (s50, s95) = percentiles(search);
    let (f50, f95) = percentiles(filtered);
    println!("{n} users, {runs} runs each (page of 25 with the total)");
    println!(
        "phone fragment (4 digits, {:.0} matches on average): p50 {s50:.1} ms, p95 {s95:.1} ms",
        matches as f64 / runs as f64
    );
    println!("resident + active + blok, most used first: p50 {f50:.1} ms, p95 {f95:.1} ms");
    Ok(())
}
