//! Who is online right now, read from the routers for admins: the "online
//! now" screen and the live sessions of one person. However many admins
//! watch, each router is read at most once per `routers.live_read_seconds`
//! in this process: readers of one router queue on its slot and take the
//! read the first of them made (a failed read is shared too, so a router
//! that is down is not hammered). See docs/architecture.md, "Online now".

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use routeros::menus::{list, Active, Host};
use shared_types::{LiveSession, LiveSessions, LoginMode};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::{
    db::{self, routers::RouterRow, users::rfc3339},
    services::router_account::HotspotError,
    state::AppState,
};

/// One router's last read.
#[derive(Clone)]
struct Read {
    taken: Instant,
    live: Arc<LiveSessions>,
}

type Slot = Arc<tokio::sync::Mutex<Option<Read>>>;

/// The shared reads, one slot per router.
#[derive(Clone, Default)]
pub struct LiveCache {
    slots: Arc<Mutex<HashMap<Uuid, Slot>>>,
}

impl LiveCache {
    fn slot(&self, router: Uuid) -> Slot {
        let mut slots = self.slots.lock().unwrap_or_else(|p| p.into_inner());
        slots.entry(router).or_default().clone()
    }

    /// Forgets a router's read, so the next view reads it again (after a kick).
    pub fn invalidate(&self, router: Uuid) {
        let mut slots = self.slots.lock().unwrap_or_else(|p| p.into_inner());
        slots.remove(&router);
    }
}

/// The live sessions on `router`, from a read at most `live_read_seconds` old.
pub async fn of_router(state: &AppState, router: &RouterRow) -> Arc<LiveSessions> {
    let ttl = Duration::from_secs(u64::from(state.settings.routers.live_read_seconds));
    let slot = state.live.slot(router.id);
    let mut held = slot.lock().await;
    if let Some(read) = held.as_ref().filter(|r| r.taken.elapsed() < ttl) {
        return read.live.clone();
    }
    let live = Arc::new(match read_router(state, router).await {
        Ok(sessions) => LiveSessions {
            sessions,
            router_reachable: true,
            read_at: Some(rfc3339(OffsetDateTime::now_utc()).into()),
        },
        Err(e) => {
            tracing::warn!(router = router.name, error = %e, "live sessions not read");
            LiveSessions {
                sessions: Vec::new(),
                router_reachable: false,
                read_at: None,
            }
        }
    });
    *held = Some(Read {
        taken: Instant::now(),
        live: live.clone(),
    });
    live
}

/// Everyone online on every router (or only on `only`).
pub async fn everywhere(
    state: &AppState,
    only: Option<Uuid>,
) -> Result<Vec<(RouterRow, Arc<LiveSessions>)>, HotspotError> {
    let routers: Vec<RouterRow> = {
        let db = state.db.get().await?;
        db::routers::all(&db)
            .await?
            .into_iter()
            .filter(|r| only.is_none_or(|id| r.id == id))
            .collect()
    };
    let reads = futures_util::future::join_all(routers.iter().map(|r| of_router(state, r))).await;
    Ok(routers.into_iter().zip(reads).collect())
}

/// Everyone with a live session on any router now (shared reads).
pub async fn online_user_ids(state: &AppState) -> Result<Vec<Uuid>, HotspotError> {
    let mut ids: Vec<Uuid> = everywhere(state, None)
        .await?
        .iter()
        .flat_map(|(_, live)| live.sessions.iter())
        .filter_map(|s| s.user_id.as_deref().and_then(|id| id.parse().ok()))
        .collect();
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

/// Reads the router's hotspot sessions (and, in bypass mode, the bypassed
/// hosts) and names the people behind them.
async fn read_router(
    state: &AppState,
    router: &RouterRow,
) -> Result<Vec<LiveSession>, HotspotError> {
    let client = state.routers.client(router).await?;
    let api = client.api();
    let active = list::<Active>(api, []).await.map_err(|e| client.err(e))?;
    let hosts = if router.login_mode == LoginMode::Bypass {
        list::<Host>(api, [])
            .await
            .map_err(|e| client.err(e))?
            .into_iter()
            .filter(|h| h.bypassed == Some(true))
            .collect()
    } else {
        Vec::new()
    };
    drop(client);

    let names: Vec<String> = active.iter().filter_map(|a| a.user.clone()).collect();
    let macs: Vec<String> = hosts
        .iter()
        .filter_map(|h| h.mac_address.map(|m| m.to_string()))
        .collect();
    let db = state.db.get().await?;
    let by_name: HashMap<String, (Uuid, String)> = db::users::by_hotspot_names(&db, &names)
        .await?
        .into_iter()
        .map(|(id, name, hotspot)| (hotspot, (id, name)))
        .collect();
    let by_mac = db::devices::owners_with_names(&db, &macs).await?;

    let base = |kind: &str| LiveSession {
        session_id: String::new(),
        kind: kind.to_owned(),
        router_id: router.id.to_string().into(),
        router_name: router.name.clone(),
        user_id: None,
        user_name: None,
        hotspot_username: None,
        ip: None,
        mac: None,
        uptime_seconds: None,
        bytes: 0,
        limit_left_bytes: None,
    };
    let mut out = Vec::with_capacity(active.len() + hosts.len());
    for a in active {
        let bytes = a.bytes_in.unwrap_or(0) + a.bytes_out.unwrap_or(0);
        let owner = a.user.as_ref().and_then(|u| by_name.get(u));
        out.push(LiveSession {
            session_id: a.id.map(|i| i.to_string()).unwrap_or_default(),
            user_id: owner.map(|o| o.0.to_string().into()),
            user_name: owner.map(|o| o.1.clone()),
            hotspot_username: a.user.clone(),
            ip: a.address.clone(),
            mac: a.mac_address.map(|m| m.to_string()),
            uptime_seconds: a.uptime.map(|u| u.as_secs() as i64),
            bytes: bytes as i64,
            limit_left_bytes: a
                .limit_bytes_total
                .map(|limit| limit.saturating_sub(bytes) as i64),
            ..base("hotspot")
        });
    }
    for h in hosts {
        let mac = h.mac_address.map(|m| m.to_string());
        let owner = mac.as_ref().and_then(|m| by_mac.get(m));
        out.push(LiveSession {
            session_id: h.id.map(|i| i.to_string()).unwrap_or_default(),
            user_id: owner.map(|o| o.0.to_string().into()),
            user_name: owner.map(|o| o.1.clone()),
            hotspot_username: owner.and_then(|o| o.2.clone()),
            ip: h.address.clone(),
            mac,
            bytes: (h.bytes_in.unwrap_or(0) + h.bytes_out.unwrap_or(0)) as i64,
            ..base("bypass")
        });
    }
    out.sort_by(|a, b| a.user_name.cmp(&b.user_name).then(a.mac.cmp(&b.mac)));
    Ok(out)
}
