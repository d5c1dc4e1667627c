//! The fault soak (issue 15): residents with traffic on a simulated router
//! while random faults come and go — slow answers, `!fatal`, replies cut
//! mid-print, refused API logins, reboots — and a reconcile cycle after every
//! step. Afterwards the books must match the router:
//!
//! - every user's `used_bytes` equals the sum of their ledger rows;
//! - it equals the bytes their devices moved through the router, less what a
//!   reboot wiped before any cycle saw it (measured at each reboot from the
//!   simulator's counters and the stored baselines);
//! - in hotspot-login mode nobody used more than their quota, except by the
//!   bytes a reboot wiped *after* a cycle had charged them: the account's
//!   limit still counted them, so a device that logged in again before the
//!   next good cycle got them once more (that cycle logs it in again with the
//!   right limit). The report shows how much;
//! - once the faults stop, the drift report is empty after two cycles.
//!
//! Seeded: the same seed gives the same faults and traffic. Shared by the
//! test command (short run, `soak::`) and `cargo bench -p api --bench soak`.

use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use api::{
    db::{self, routers::RouterRow},
    services::{drift::router_drift, reconcile::reconcile_router, router_account::password_of},
    state::AppState,
};
use rand::{rngs::StdRng, Rng, SeedableRng};
use sandbox::routeros_sim::{Faults, LoginBy, Router};
use shared_types::LoginMode;
use uuid::Uuid;

/// What to run.
#[derive(Debug, Clone)]
pub struct SoakConfig {
    pub seed: u64,
    pub residents: usize,
    pub steps: usize,
}

/// What happened, and what the books say afterwards.
#[derive(Debug, Default)]
pub struct SoakReport {
    pub mode: &'static str,
    pub steps: usize,
    pub cycles_ok: usize,
    pub cycles_failed: usize,
    /// How many steps each kind of fault was active or happened.
    pub faults: BTreeMap<&'static str, usize>,
    /// Bytes the devices moved through the router.
    pub delivered: u64,
    /// Of those, bytes a reboot wiped before any cycle had seen them.
    pub lost_at_reboots: u64,
    /// Sum of `used_bytes`.
    pub used: i64,
    /// Sum of the usage ledger.
    pub ledger: i64,
    /// Residents whose quota ran out during the run.
    pub exhausted: usize,
    /// Largest `used_bytes - quota_bytes`, or 0 when nobody went over.
    pub max_overshoot: i64,
    /// Residents who used more than their quota.
    pub over_quota: usize,
    /// Users the drift report lists after the second quiet cycle.
    pub drift_after: usize,
    /// Every way the books disagree with the router (empty when all is well).
    pub mismatches: Vec<String>,
}

struct Resident {
    id: Uuid,
    name: String,
    password: String,
    mac: String,
    ip: String,
    quota: i64,
}

/// Runs the soak on `router_id` (a simulated router `sim` already registered
/// in the database, in either login mode).
pub async fn run(state: &AppState, sim: &Router, router_id: Uuid, cfg: &SoakConfig) -> SoakReport {
    let mut rng = StdRng::seed_from_u64(cfg.seed);
    let router = router_row(state, router_id).await;
    let mut report = SoakReport {
        mode: match router.login_mode {
            LoginMode::HotspotLogin => "hotspot_login",
            LoginMode::Bypass => "bypass",
        },
        steps: cfg.steps,
        ..SoakReport::default()
    };
    let residents = add_residents(state, &router, &mut rng, cfg.residents).await;
    reconcile_router(state, &router)
        .await
        .expect("the first cycle, before any fault, creates the accounts");
    for r in &residents {
        sim.attach_device(&r.mac, &r.ip, "hp").await;
        // 0.5–20 Mbit/s down, a tenth of that up.
        let down = rng.random_range(500_000..20_000_000);
        sim.set_traffic(&r.mac, down / 10, down).await;
    }
    let mut lost: HashMap<Uuid, Wiped> = HashMap::new();

    let mut faults = Faults::default();
    for _ in 0..cfg.steps {
        // Faults come and go.
        match rng.random_range(0..10) {
            0 => {
                for (user, w) in wiped_by_reboot(state, sim, router_id, &residents).await {
                    let sum = lost.entry(user).or_default();
                    sum.unseen += w.unseen;
                    sum.charged += w.charged;
                }
                sim.reboot().await;
                *report.faults.entry("reboot").or_default() += 1;
            }
            1 => faults = Faults::default(),
            2 => faults.latency_ms = rng.random_range(20..150),
            3 => faults.fatal_next = Some("simulated failure".into()),
            4 => faults.drop_after_rows = Some(rng.random_range(1..40)),
            5 => faults.reject_logins = !faults.reject_logins,
            _ => {}
        }
        for (kind, on) in [
            ("latency", faults.latency_ms > 0),
            ("fatal", faults.fatal_next.is_some()),
            ("dropped_rows", faults.drop_after_rows.is_some()),
            ("rejected_logins", faults.reject_logins),
        ] {
            if on {
                *report.faults.entry(kind).or_default() += 1;
            }
        }
        sim.set_faults(faults.clone()).await;
        // Residents whose device is off line post the login form again.
        for r in &residents {
            let online = sim.with_state(|s| s.session_of(&r.mac).is_some()).await;
            if !online {
                let password = r.password.clone();
                let _ = sim
                    .hotspot_login(&r.name, |p| p == password, &r.mac, &r.ip, LoginBy::HttpPap)
                    .await;
            }
        }
        sim.advance(Duration::from_secs(rng.random_range(2..15)))
            .await;
        match tokio::time::timeout(Duration::from_secs(30), reconcile_router(state, &router)).await
        {
            Ok(Ok(_)) => report.cycles_ok += 1,
            _ => report.cycles_failed += 1,
        }
    }

    // The faults stop and the traffic with them; two quiet cycles.
    sim.set_faults(Faults::default()).await;
    for r in &residents {
        sim.set_traffic(&r.mac, 0, 0).await;
    }
    for _ in 0..2 {
        reconcile_router(state, &router)
            .await
            .expect("a cycle without faults succeeds");
    }
    let drift = router_drift(state, router_id).await.expect("drift report");
    report.drift_after = drift.users.len();
    if !drift.users.is_empty() {
        report
            .mismatches
            .push(format!("drift after two quiet cycles: {:?}", drift.users));
    }
    check_books(
        state,
        sim,
        &residents,
        &lost,
        router.login_mode,
        &mut report,
    )
    .await;
    report
}

async fn router_row(state: &AppState, id: Uuid) -> RouterRow {
    let db = state.db.get().await.unwrap();
    db::routers::by_id(&db, id)
        .await
        .unwrap()
        .expect("the router")
}

/// Residents with 20–300 MB each, valid for 30 days, one device each.
async fn add_residents(
    state: &AppState,
    router: &RouterRow,
    rng: &mut StdRng,
    n: usize,
) -> Vec<Resident> {
    let db = state.db.get().await.unwrap();
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let id = Uuid::now_v7();
        let quota: i64 = rng.random_range(20_000_000..300_000_000);
        let phone = format!("+62812{:08}", 70_000_000 + i);
        db.execute(
            "insert into users (id, phone, name, role, blok, kamar, approval, router_id,
                                quota_bytes, valid_until)
             values ($1, $2, 'Warga', 'resident', 'A', '1', 'approved', $3, $4,
                     now() + interval '30 days')",
            &[&id, &phone, &router.id, &quota],
        )
        .await
        .unwrap();
        let user = db::users::by_id(&db, id).await.unwrap().unwrap();
        let password = password_of(state, &user).await.unwrap().to_string();
        out.push(Resident {
            id,
            name: user.hotspot_username().unwrap(),
            password,
            mac: format!("3C:5A:B4:00:{:02X}:{:02X}", i / 256, i % 256),
            ip: format!("10.5.{}.{}", 50 + i / 200, 10 + i % 200),
            quota,
        });
    }
    out
}

/// What a reboot wipes of one user's live counters.
#[derive(Debug, Default, Clone, Copy)]
struct Wiped {
    /// Bytes no cycle had seen: lost to the books (a real router loses them too).
    unseen: i64,
    /// Bytes already charged: the account's limit still counts them until the
    /// next good cycle.
    charged: i64,
}

/// Per user, what a reboot now wipes of live sessions and bypassed hosts.
async fn wiped_by_reboot(
    state: &AppState,
    sim: &Router,
    router_id: Uuid,
    residents: &[Resident],
) -> HashMap<Uuid, Wiped> {
    let baselines = {
        let db = state.db.get().await.unwrap();
        db::usage::baselines(&db, router_id).await.unwrap()
    };
    let by_name: HashMap<&str, Uuid> = residents.iter().map(|r| (r.name.as_str(), r.id)).collect();
    let by_mac: HashMap<&str, Uuid> = residents.iter().map(|r| (r.mac.as_str(), r.id)).collect();
    let bytes = |p: &BTreeMap<String, String>| {
        ["bytes-in", "bytes-out"]
            .iter()
            .map(|k| p.get(*k).and_then(|v| v.parse::<i64>().ok()).unwrap_or(0))
            .sum::<i64>()
    };
    let key = |id: &str, p: &BTreeMap<String, String>| {
        format!("{id}/{}", p.get("mac-address").cloned().unwrap_or_default())
    };
    let mut lost: HashMap<Uuid, Wiped> = HashMap::new();
    let mut add = |user: Uuid, bytes: i64, seen: i64| {
        let w = lost.entry(user).or_default();
        w.unseen += (bytes - seen).max(0);
        w.charged += seen.min(bytes);
    };
    for (id, p) in sim.rows("/ip/hotspot/active").await.unwrap_or_default() {
        let Some(&user) = p.get("user").and_then(|n| by_name.get(n.as_str())) else {
            continue;
        };
        let seen = baselines
            .get(&user)
            .and_then(|(o, _)| o.sessions.get(&key(&id, &p)).copied())
            .unwrap_or(0);
        add(user, bytes(&p), seen);
    }
    for (id, p) in sim.rows("/ip/hotspot/host").await.unwrap_or_default() {
        let owner = p.get("mac-address").and_then(|m| by_mac.get(m.as_str()));
        let (Some(&user), Some("true")) = (owner, p.get("bypassed").map(String::as_str)) else {
            continue;
        };
        let seen = baselines
            .get(&user)
            .and_then(|(o, _)| o.hosts.get(&key(&id, &p)).copied())
            .unwrap_or(0);
        add(user, bytes(&p), seen);
    }
    lost
}

/// Compares every resident's books with what their device moved.
async fn check_books(
    state: &AppState,
    sim: &Router,
    residents: &[Resident],
    lost: &HashMap<Uuid, Wiped>,
    mode: LoginMode,
    report: &mut SoakReport,
) {
    let delivered = sim.with_state(|s| s.delivered.clone()).await;
    let db = state.db.get().await.unwrap();
    let mut used_total = 0i64;
    for r in residents {
        let row = db
            .query_one(
                "select u.used_bytes,
                        coalesce((select sum(bytes) from usage_ledger l where l.user_id = u.id), 0)::bigint
                 from users u where u.id = $1",
                &[&r.id],
            )
            .await
            .unwrap();
        let (used, ledger): (i64, i64) = (row.get(0), row.get(1));
        used_total += used;
        report.ledger += ledger;
        if used != ledger {
            report
                .mismatches
                .push(format!("{}: used_bytes {used} ≠ ledger {ledger}", r.name));
        }
        let moved = delivered.get(&r.mac).copied().unwrap_or(0) as i64;
        let w = lost.get(&r.id).copied().unwrap_or_default();
        let wiped = w.unseen;
        report.delivered += moved as u64;
        report.lost_at_reboots += wiped as u64;
        if used != moved - wiped {
            report.mismatches.push(format!(
                "{}: used_bytes {used} ≠ moved {moved} − wiped by reboots {wiped}",
                r.name
            ));
        }
        if used >= r.quota {
            report.exhausted += 1;
        }
        report.max_overshoot = report.max_overshoot.max(used - r.quota);
        if used > r.quota {
            report.over_quota += 1;
        }
        if mode == LoginMode::HotspotLogin && used - r.quota > w.charged {
            report.mismatches.push(format!(
                "{}: used {used}, over the quota {} by more than reboots gave back ({})",
                r.name, r.quota, w.charged
            ));
        }
    }
    report.used = used_total;
}
