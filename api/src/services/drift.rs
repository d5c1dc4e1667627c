//! The drift report (`GET /admin/routers/{id}/drift`): the router read once,
//! exactly as a cycle reads it, compared with what the database wants —
//! without writing anything to either side.

use std::{collections::HashSet, time::Instant};

use shared_types::{CycleView, DriftItem, LoginMode, RouterDrift, RouterHealth, UserDrift};
use time::{format_description::well_known::Rfc3339, OffsetDateTime};
use uuid::Uuid;

use crate::{
    crypto::aad,
    db::{self, cycles::LastCycle, routers::RouterRow},
    services::{
        accounting::{self, Observation},
        reconcile::{self, text_of, Change, Index, Snapshot},
        router_account::{is_ours, HotspotError},
        store_errors, StoreError,
    },
    state::AppState,
};

#[derive(Debug, thiserror::Error)]
pub enum DriftError {
    #[error("no router with this id")]
    NoRouter,
    #[error(transparent)]
    Hotspot(#[from] HotspotError),
    #[error("stored hotspot password cannot be opened: {0}")]
    Sealed(#[from] crate::crypto::OpenError),
    #[error(transparent)]
    Store(#[from] StoreError),
}
store_errors!(DriftError);

fn rfc3339(t: OffsetDateTime) -> String {
    t.format(&Rfc3339).unwrap_or_default()
}

fn cycle_view(c: LastCycle) -> CycleView {
    CycleView {
        at: rfc3339(c.at).into(),
        ok: c.ok,
        duration_ms: c.duration_ms,
        users: c.users,
        reads: c.reads,
        writes: c.writes,
        error: c.error,
        consecutive_failures: c.consecutive_failures,
        last_ok_at: c.last_ok_at.map(|t| rfc3339(t).into()),
    }
}

pub async fn router_drift(state: &AppState, id: Uuid) -> Result<RouterDrift, DriftError> {
    let (router, last) = {
        let db = state.db.get().await?;
        let router = db::routers::by_id(&db, id)
            .await?
            .ok_or(DriftError::NoRouter)?;
        (router, db::cycles::of_router(&db, id).await?)
    };
    let mut health = RouterHealth {
        reachable: false,
        latency_ms: None,
        error: None,
        last_cycle: last.map(cycle_view),
    };
    let read = async {
        let client = state.routers.client(&router).await?;
        let t = Instant::now();
        client.api().identity().await.map_err(|e| client.err(e))?;
        let latency = t.elapsed();
        let snap = reconcile::snapshot(&client, &router).await?;
        Ok::<_, HotspotError>((latency, snap))
    };
    let (users_checked, users) = match read.await {
        Ok((latency, snap)) => {
            health.reachable = true;
            health.latency_ms = Some(u64::try_from(latency.as_millis()).unwrap_or(u64::MAX));
            compare(state, &router, &snap).await?
        }
        Err(HotspotError::Router(e)) => {
            health.error = Some(e.to_string());
            (0, Vec::new())
        }
        Err(e) => return Err(e.into()),
    };
    Ok(RouterDrift {
        router_id: router.id.to_string().into(),
        name: router.name,
        health,
        users_checked,
        users,
    })
}

fn item(field: impl Into<String>, database: Option<String>, router: Option<String>) -> DriftItem {
    DriftItem {
        field: field.into(),
        database,
        router,
    }
}

/// Property differences a cycle would write for one account, shown as items.
fn account_items(changes: &[Change], actual: Option<&routeros::Row>) -> Vec<DriftItem> {
    let shown = |k: &str, v: &str| (k != "password").then(|| v.to_owned());
    let mut out = Vec::new();
    for c in changes {
        match c {
            Change::Add(_, _) => out.push(item("account", Some("present".into()), None)),
            Change::Set(_, _, props) => {
                for (k, v) in props {
                    let router = actual.and_then(|r| r.text(k)).map(|t| t.into_owned());
                    let router = if *k == "password" {
                        router.map(|_| "(differs)".into())
                    } else {
                        router
                    };
                    out.push(item(*k, shown(k, v).or(Some("(set)".into())), router));
                }
            }
            Change::Unset(_, _, k) => out.push(item(
                *k,
                None,
                actual.and_then(|r| r.text(k)).map(|t| t.into_owned()),
            )),
            Change::Remove(_, _) => out.push(item("account", None, Some("present".into()))),
        }
    }
    out
}

async fn compare(
    state: &AppState,
    router: &RouterRow,
    snap: &Snapshot,
) -> Result<(u32, Vec<UserDrift>), DriftError> {
    let bypass = router.login_mode == LoginMode::Bypass;
    let index = Index::of(snap);
    let db = state.db.get().await?;
    let users = db::users::of_router(&db, router.id, router.is_default).await?;
    let ids: Vec<Uuid> = users.iter().map(|u| u.id).collect();
    let macs = db::devices::macs_of_users(&db, &ids).await?;
    let baselines = db::usage::baselines(&db, router.id).await?;
    let now = OffsetDateTime::now_utc();
    let mut out = Vec::new();
    let mut known = HashSet::new();
    for user in &users {
        let Some(name) = user.hotspot_username() else {
            continue;
        };
        known.insert(name.clone());
        let user_macs = macs.get(&user.id).map_or(&[][..], |v| &v[..]);
        let prev = baselines.get(&user.id).map(|(o, _)| o);
        let observed = index.observe(router.login_mode, &name, user_macs);
        let unaccounted = match (prev, &observed) {
            (Some(p), Some(o)) => accounting::usage_delta(p, o),
            (None, Some(o)) if bypass => accounting::usage_delta(&Observation::default(), o),
            _ => 0,
        };
        let actual = index.by_name.get(&name).copied();
        let baseline = if bypass {
            actual.map_or(0, reconcile::counted)
        } else {
            prev.map_or(0, Observation::total)
        };
        // The password is compared only when one is stored (the report never creates one).
        let password = match &user.hotspot_password_sealed {
            Some(sealed) => state
                .sealer
                .open(sealed, &aad("users", "hotspot_password_sealed", &user.id))?,
            None => zeroize::Zeroizing::new(
                actual
                    .and_then(|r| r.text("password"))
                    .map(|p| p.into_owned())
                    .unwrap_or_default(),
            ),
        };
        let Some((desired, status)) =
            reconcile::desired_for(router, user, &password, baseline, now)
        else {
            continue;
        };
        let mut differences = account_items(&reconcile::user_changes(actual, &desired), actual);
        let list = reconcile::list_for(&router.address_list_prefix, status);
        for addr in index.addresses(user_macs) {
            let lists: Vec<String> = snap
                .entries
                .iter()
                .filter(|e| is_ours(e) && text_of(e, "address") == addr)
                .map(|e| text_of(e, "list"))
                .collect();
            if lists != [list.clone()] {
                differences.push(item(
                    format!("address-list {addr}"),
                    Some(list.clone()),
                    (!lists.is_empty()).then(|| lists.join(",")),
                ));
            }
        }
        if bypass {
            for mac in user_macs {
                let bound = snap.bindings.iter().any(|b| {
                    is_ours(b)
                        && text_of(b, "mac-address").eq_ignore_ascii_case(mac)
                        && b.text("type").as_deref() == Some("bypassed")
                });
                let wanted = status.allows_access();
                if bound != wanted {
                    differences.push(item(
                        format!("ip-binding {mac}"),
                        wanted.then(|| "bypassed".into()),
                        bound.then(|| "bypassed".into()),
                    ));
                }
            }
        }
        if !differences.is_empty() || unaccounted > 0 {
            out.push(UserDrift {
                user_id: Some(user.id.to_string().into()),
                name,
                status: Some(status),
                differences,
                unaccounted_bytes: unaccounted,
            });
        }
    }
    // gerbang accounts whose user is gone.
    for row in snap.users.iter().filter(|r| is_ours(r)) {
        let name = text_of(row, "name");
        if !known.contains(&name) {
            out.push(UserDrift {
                user_id: None,
                name,
                status: None,
                differences: vec![item("account", None, Some("present".into()))],
                unaccounted_bytes: 0,
            });
        }
    }
    Ok((u32::try_from(known.len()).unwrap_or(u32::MAX), out))
}

/// "Reconcile now": one cycle of this router at once (the worker's own,
/// under the router's lock: when a worker is already on it, nothing more
/// runs and the answer says so). Audited.
pub async fn reconcile_now(
    state: &AppState,
    admin: &crate::identity::Auth,
    id: Uuid,
    ip: std::net::IpAddr,
) -> Result<shared_types::ReconcileNow, DriftError> {
    let router = {
        let db = state.db.get().await?;
        db::routers::by_id(&db, id)
            .await?
            .ok_or(DriftError::NoRouter)?
    };
    let name = router.name.clone();
    let outcome = crate::worker::reconcile_each(state, vec![router])
        .await
        .pop()
        .map(|(_, o)| o)
        .unwrap_or(crate::worker::CycleOutcome::Skipped);
    use crate::worker::CycleOutcome;
    let view = match &outcome {
        CycleOutcome::Done(s) => shared_types::ReconcileNow {
            outcome: "done".into(),
            users: s.users as i64,
            reads: s.reads as i64,
            writes: s.writes as i64,
            error: None,
        },
        CycleOutcome::Skipped => shared_types::ReconcileNow {
            outcome: "skipped".into(),
            users: 0,
            reads: 0,
            writes: 0,
            error: None,
        },
        CycleOutcome::Failed(e) => shared_types::ReconcileNow {
            outcome: "failed".into(),
            users: 0,
            reads: 0,
            writes: 0,
            error: Some(e.clone()),
        },
    };
    let db = state.db.get().await?;
    db::audit::record(
        &db,
        &db::audit::Entry::admin(admin.user_id, "router.reconcile")
            .target("router", id)
            .ip(ip)
            .detail("name", name)
            .detail("outcome", view.outcome.as_str())
            .detail("writes", view.writes),
    )
    .await?;
    Ok(view)
}
