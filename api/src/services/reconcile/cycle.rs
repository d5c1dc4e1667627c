//! One cycle on one router: account the usage the router shows (one
//! transaction), plan the writes that make the router match the database
//! (pure), apply them.

use std::{
    collections::{HashMap, HashSet},
    time::Duration,
};

use routeros::{menus::HotspotUser, menus::Menu, Row};
use shared_types::{AccessStatus, LoginMode};
use time::OffsetDateTime;
use uuid::Uuid;

use super::{
    apply::{apply, kick, relogin, Relogin},
    desired::{desired_for, fup_queue_name, list_for},
    diff::{binding_changes, entry_changes, queue_changes, user_changes, Change},
    plan::plan_sessions,
    snapshot::{snapshot, text_of, Index, Snapshot},
};
use crate::{
    db::{routers::RouterRow, users::User},
    services::{
        accounting::{self, Observation},
        device_proof::{self, Proof, ProvenBy},
        router_account::{is_ours, password_of, HotspotError},
    },
    state::AppState,
};

/// What one cycle did on one router.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CycleStats {
    pub users: usize,
    /// Live sessions the cycle saw (bypass mode: plus bypassed hosts).
    pub online: usize,
    /// Menus read (each once).
    pub reads: usize,
    /// Commands that changed something.
    pub writes: usize,
    /// gerbang accounts removed because their user is gone.
    pub removed: usize,
    /// Live sessions logged in again so a raised limit or a new profile applies.
    pub refreshed: usize,
    /// Bypass mode: when the next cycle should run so nobody overshoots much.
    pub next_in: Option<Duration>,
}

/// One cycle on a router: account usage since the last cycle (one ledger
/// row per user, in one transaction with the new baselines), then make the
/// router match the database — hotspot users, the FUP profile, address-list
/// membership per status, and in bypass mode ip-bindings and FUP queues —
/// kick sessions of users who lost access and log live sessions in again
/// when their limit was raised or their profile changed. Reads each menu
/// once; writes only differences.
pub async fn reconcile_router(
    state: &AppState,
    router: &RouterRow,
) -> Result<CycleStats, HotspotError> {
    let client = state.routers.client(router).await?;
    let snap = snapshot(&client, router).await?;
    let index = Index::of(&snap);
    let now = OffsetDateTime::now_utc();
    let mut books = account_usage(state, router, &index, now).await?;
    record_proven_devices(state, router, &index, &mut books).await?;

    // The FUP profile must exist before an account refers to it.
    let rate = state.facility().await.fup_rate();
    let mut writes = 0;
    if let Some(c) = fup_profile_change(&snap, router, &rate) {
        writes += apply(&client, vec![c]).await?;
    }
    let mut passwords = HashMap::with_capacity(books.users.len());
    for user in &books.users {
        passwords.insert(user.id, password_of(state, user).await?);
    }
    let wants = Wants {
        router,
        rate: &rate,
        now,
    };
    let plan = plan_router(&wants, &books, &passwords, &snap, &index);
    writes += kick(&client, &plan.handover).await?;
    writes += apply(&client, plan.changes).await?;
    writes += kick(&client, &plan.kick).await?;
    writes += relogin(&client, &plan.relogin).await?;
    let bypassed = match router.login_mode {
        shared_types::LoginMode::Bypass => snap
            .hosts
            .iter()
            .filter(|h| h.text("bypassed").as_deref() == Some("true"))
            .count(),
        shared_types::LoginMode::HotspotLogin => 0,
    };
    Ok(CycleStats {
        users: books.users.len(),
        online: snap.active.len() + bypassed,
        reads: snap.reads,
        writes,
        removed: plan.removed,
        refreshed: plan.relogin.len(),
        next_in: books.next_in,
    })
}

/// The users of a router after this cycle's usage was charged.
struct Books {
    users: Vec<User>,
    /// Each user's device MACs.
    macs: HashMap<Uuid, Vec<String>>,
    /// What the router has counted for each user's account (the limit is
    /// measured against it).
    totals: HashMap<Uuid, i64>,
    /// Bypass mode: when the next cycle should run.
    next_in: Option<Duration>,
}

/// Charges what the router counted since the last cycle — one ledger row per
/// user, the new baselines, devices seen — all or nothing in one transaction.
async fn account_usage(
    state: &AppState,
    router: &RouterRow,
    index: &Index<'_>,
    now: OffsetDateTime,
) -> Result<Books, HotspotError> {
    let bypass = router.login_mode == LoginMode::Bypass;
    let cycle_id = Uuid::now_v7();
    let mut db = state.db.get().await?;
    let tx = db.transaction().await?;
    let mut users = crate::db::users::of_router(&tx, router.id, router.is_default).await?;
    let ids: Vec<Uuid> = users.iter().map(|u| u.id).collect();
    let macs = crate::db::devices::macs_of_users(&tx, &ids).await?;
    let baselines = crate::db::usage::baselines(&tx, router.id).await?;
    let mut totals: HashMap<Uuid, i64> = HashMap::new();
    let mut next_in: Option<Duration> = None;
    let mut seen = Vec::new();
    // Bytes charged this cycle, for the router's daily total (one write).
    let mut charged = 0i64;
    for user in users.iter_mut() {
        let Some(name) = user.hotspot_username() else {
            continue;
        };
        let prev = baselines.get(&user.id);
        let user_macs = macs.get(&user.id).map_or(&[][..], |v| &v[..]);
        let Some(now_obs) = index.observe(router.login_mode, &name, user_macs) else {
            totals.insert(user.id, prev.map_or(0, |(o, _)| o.account_total()));
            continue;
        };
        // An account gerbang did not create starts from here; in bypass mode
        // the hosts' counters count from zero (they count only once bypassed).
        let delta = match prev {
            Some((p, _)) => accounting::usage_delta(p, &now_obs),
            None if bypass => accounting::usage_delta(
                &Observation {
                    hosts: Default::default(),
                    ..now_obs.clone()
                },
                &now_obs,
            ),
            None => 0,
        };
        if delta > 0 {
            let tz = &state.settings.worker.time_zone;
            if let Some(c) =
                crate::db::usage::charge(&tx, user.id, router.id, cycle_id, delta, tz).await?
            {
                user.used_bytes = c.used_bytes;
                charged += delta;
                crate::services::whatsapp::watch::quota_low(&tx, &state.settings, &c).await?;
            }
            seen.extend(user_macs.iter().cloned());
            if bypass {
                let since = prev.map(|(_, at)| now - *at).unwrap_or_default();
                next_in = min_opt(next_in, eta(user, delta, since, now));
            }
        }
        if prev.map(|(o, _)| o) != Some(&now_obs) {
            crate::db::usage::set_baseline(&tx, user.id, router.id, &now_obs).await?;
        }
        // The account's limit is measured against its own counters (in bypass
        // mode only the logins that prove a device use it).
        totals.insert(user.id, now_obs.account_total());
    }
    if charged > 0 {
        let tz = &state.settings.worker.time_zone;
        crate::db::usage::add_to_router_day(&tx, router.id, charged, tz).await?;
    }
    // New accounts start counting from zero.
    for user in &users {
        if user
            .hotspot_username()
            .is_some_and(|n| !index.by_name.contains_key(&n))
            && !baselines.contains_key(&user.id)
        {
            crate::db::usage::init_baseline(&tx, user.id, router.id).await?;
        }
    }
    crate::db::devices::touch(&tx, &seen).await?;
    tx.commit().await?;
    Ok(Books {
        users,
        macs,
        totals,
        next_in,
    })
}

/// Devices the router shows logged in to their user's account that are not
/// recorded yet become that user's (docs/architecture.md, "Binding a device"):
/// the portal records them right after the form POST, this catches the rest
/// (a pop-up that closed at once). In bypass mode their bindings follow in
/// this same cycle's plan.
async fn record_proven_devices(
    state: &AppState,
    router: &RouterRow,
    index: &Index<'_>,
    books: &mut Books,
) -> Result<(), HotspotError> {
    let Books { users, macs, .. } = books;
    for user in users.iter() {
        let Some(name) = user.hotspot_username() else {
            continue;
        };
        for session in index.sessions(&name) {
            let Some(mac) = session.text("mac-address").map(|m| m.to_ascii_uppercase()) else {
                continue;
            };
            let Some(ip) = session.text("address").and_then(|a| a.parse().ok()) else {
                continue;
            };
            let known = macs.entry(user.id).or_default();
            if known.contains(&mac) {
                continue;
            }
            let proof =
                device_proof::record_proven(state, user.id, router.id, &mac, ip, ProvenBy::Worker)
                    .await?;
            if let Proof::Recorded { replaced, .. } = proof {
                known.retain(|m| !replaced.iter().any(|r| &r.mac == m));
                known.push(mac);
            }
        }
    }
    Ok(())
}

/// The write that creates the FUP profile or corrects its rate, if needed.
fn fup_profile_change(snap: &Snapshot, router: &RouterRow, rate: &str) -> Option<Change> {
    const PATH: &str = routeros::menus::UserProfile::PATH;
    match snap.profiles.first() {
        None => Some(Change::Add(
            PATH,
            vec![
                ("name", router.fup_profile.clone()),
                ("rate-limit", rate.to_owned()),
            ],
        )),
        Some(p) => p
            .id()
            .filter(|_| p.text("rate-limit").as_deref() != Some(rate))
            .map(|id| Change::Set(PATH, id, vec![("rate-limit", rate.to_owned())])),
    }
}

/// The router and the settings the plan is made against.
struct Wants<'a> {
    router: &'a RouterRow,
    rate: &'a str,
    now: OffsetDateTime,
}

/// Every write one cycle makes, decided before any is made.
struct RouterPlan<'a> {
    changes: Vec<Change>,
    /// Bypass mode: logins that proved a device, ended just before the
    /// device's binding is written.
    handover: Vec<&'a Row>,
    kick: Vec<&'a Row>,
    relogin: Vec<Relogin<'a>>,
    removed: usize,
}

/// Plans the cycle's writes from the charged books and the snapshot; pure.
fn plan_router<'a>(
    wants: &Wants<'_>,
    books: &'a Books,
    passwords: &'a HashMap<Uuid, zeroize::Zeroizing<String>>,
    snap: &'a Snapshot,
    index: &Index<'a>,
) -> RouterPlan<'a> {
    let router = wants.router;
    let bypass = router.login_mode == LoginMode::Bypass;
    let mut plan = RouterPlan {
        changes: Vec::new(),
        handover: Vec::new(),
        kick: Vec::new(),
        relogin: Vec::new(),
        removed: 0,
    };
    let mut wanted = HashSet::new();
    let mut wanted_entries: HashMap<(String, String), String> = HashMap::new();
    let mut wanted_bindings: HashMap<String, String> = HashMap::new();
    let mut wanted_queues: HashMap<String, (String, String)> = HashMap::new();
    for user in &books.users {
        let Some(password) = passwords.get(&user.id) else {
            continue;
        };
        let baseline = books.totals.get(&user.id).copied().unwrap_or(0);
        let Some((desired, status)) = desired_for(router, user, password, baseline, wants.now)
        else {
            continue;
        };
        let actual = index.by_name.get(&desired.name).copied();
        let sessions = plan_sessions(
            router.login_mode,
            actual,
            &desired,
            index.sessions(&desired.name),
        );
        plan.kick.extend(sessions.kick);
        let name = actual.and_then(|r| r.get("name")).unwrap_or_default();
        plan.relogin
            .extend(sessions.relogin.into_iter().map(|session| Relogin {
                session,
                name,
                password: password.as_str(),
            }));
        let list = list_for(&router.address_list_prefix, status);
        let user_macs = books.macs.get(&user.id).map_or(&[][..], |v| &v[..]);
        let addresses = index.addresses(user_macs);
        if bypass && status.allows_access() {
            for mac in user_macs {
                wanted_bindings.insert(mac.clone(), desired.comment.clone());
            }
            // The binding takes over from the login that proved the device.
            plan.handover
                .extend(index.sessions(&desired.name).iter().filter(|s| {
                    s.text("mac-address")
                        .is_some_and(|m| user_macs.iter().any(|u| u.eq_ignore_ascii_case(&m)))
                }));
        }
        for addr in &addresses {
            wanted_entries.insert((list.clone(), addr.clone()), desired.comment.clone());
        }
        if bypass && status == AccessStatus::Fup && !addresses.is_empty() {
            let mut targets: Vec<String> = addresses.iter().map(|a| format!("{a}/32")).collect();
            targets.sort();
            wanted_queues.insert(
                fup_queue_name(&desired.name),
                (targets.join(","), desired.comment.clone()),
            );
        }
        plan.changes.extend(user_changes(actual, &desired));
        wanted.insert(desired.name);
    }
    // gerbang's accounts whose user is gone from this router are removed; others are never touched.
    for row in &snap.users {
        let name = text_of(row, "name");
        if is_ours(row) && !wanted.contains(&name) {
            if let Some(id) = row.id() {
                plan.changes.push(Change::Remove(HotspotUser::PATH, id));
                plan.kick.extend(index.sessions(&name));
                plan.removed += 1;
            }
        }
    }
    plan.changes
        .extend(entry_changes(&snap.entries, &wanted_entries));
    if bypass {
        plan.changes
            .extend(binding_changes(&snap.bindings, &wanted_bindings, router));
        plan.changes
            .extend(queue_changes(&snap.queues, &wanted_queues, wants.rate));
    }
    plan
}

fn min_opt(a: Option<Duration>, b: Option<Duration>) -> Option<Duration> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// How long until `user`, spending `delta` bytes per `since`, would use up
/// half of what is left (so cycles come closer together near the limit).
fn eta(user: &User, delta: i64, since: time::Duration, now: OffsetDateTime) -> Option<Duration> {
    let facts = user.facts();
    let status = facts.status(now.unix_timestamp());
    if !status.allows_access() || status == AccessStatus::Unlimited {
        return None;
    }
    let secs = since.as_seconds_f64();
    if secs <= 0.0 || delta <= 0 {
        return None;
    }
    let rate = delta as f64 / secs;
    Some(Duration::from_secs_f64(
        facts.remaining_bytes() as f64 / rate / 2.0,
    ))
}
