//! Router reconciliation of hotspot users: the database decides, the router
//! enforces. A cycle reads `/ip/hotspot/user` once (with `.proplist`),
//! computes what differs from the desired state and writes only that,
//! pipelined over one session. Users are matched by name; gerbang's own
//! objects carry `gerbang:uid=<uuid>` and nothing else is ever touched.

use std::{
    collections::{HashMap, HashSet},
    time::Duration,
};

use futures_util::future::join_all;
use routeros::{menus::HotspotUser, menus::Menu, Query, Row};
use shared_types::{AccessStatus, LoginMode};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::{
    crypto::{aad, new_hotspot_password},
    db::{routers::RouterRow, users::User},
    integrations::routers::RouterClient,
    services::accounting::{self, Observation},
    services::hotspot::HotspotError,
    state::AppState,
};

/// The properties a cycle reads.
pub const USER_PROPS: &[&str] = &[
    ".id",
    "name",
    "password",
    "profile",
    "limit-bytes-total",
    "bytes-in",
    "bytes-out",
    "disabled",
    "comment",
];

/// The comment that marks a router object as gerbang's, for this user.
pub fn owner_comment(user_id: &Uuid) -> String {
    format!("gerbang:uid={user_id}")
}

/// What `/ip/hotspot/user` should say for one user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DesiredUser {
    pub name: String,
    pub password: String,
    pub profile: String,
    /// `None`: no byte limit (unlimited).
    pub limit_bytes_total: Option<u64>,
    pub disabled: bool,
    pub comment: String,
}

impl DesiredUser {
    /// The desired state for `user`. `baseline_total` is what the router had
    /// counted for the account when the database was last brought up to date
    /// (see [`accounting::limit_bytes_total`]), so the router cuts the session
    /// exactly when the remaining quota is used.
    pub fn of(
        router: &RouterRow,
        user: &User,
        password: &str,
        baseline_total: i64,
        now: OffsetDateTime,
    ) -> Option<Self> {
        let name = user.hotspot_username()?;
        let facts = user.facts();
        let status = facts.status(now.unix_timestamp());
        Some(Self {
            name,
            password: password.to_owned(),
            profile: user
                .hotspot_profile
                .clone()
                .unwrap_or_else(|| router.hotspot_profile.clone()),
            limit_bytes_total: (status != AccessStatus::Unlimited)
                .then(|| accounting::limit_bytes_total(facts.remaining_bytes(), baseline_total)),
            disabled: !status.allows_access(),
            comment: owner_comment(&user.id),
        })
    }

    fn props(&self) -> Vec<(&'static str, String)> {
        let mut p = vec![
            ("password", self.password.clone()),
            ("profile", self.profile.clone()),
            (
                "disabled",
                if self.disabled { "true" } else { "false" }.to_owned(),
            ),
            ("comment", self.comment.clone()),
        ];
        if let Some(l) = self.limit_bytes_total {
            p.push(("limit-bytes-total", l.to_string()));
        }
        p
    }
}

/// bytes-in + bytes-out of a user or session row.
pub fn counted(row: &Row) -> i64 {
    let bytes = row.u64("bytes-in").ok().flatten().unwrap_or(0)
        + row.u64("bytes-out").ok().flatten().unwrap_or(0);
    i64::try_from(bytes).unwrap_or(i64::MAX)
}

/// One write a cycle makes, on one menu.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Add(&'static str, Vec<(&'static str, String)>),
    Set(&'static str, routeros::Id, Vec<(&'static str, String)>),
    Unset(&'static str, routeros::Id, &'static str),
    Remove(&'static str, routeros::Id),
}

/// The writes that make `actual` (the router's row, if any) match `desired`.
pub fn user_changes(actual: Option<&Row>, desired: &DesiredUser) -> Vec<Change> {
    let Some(row) = actual else {
        let mut props = vec![("name", desired.name.clone())];
        props.extend(desired.props());
        return vec![Change::Add(HotspotUser::PATH, props)];
    };
    let Some(id) = row.id() else {
        return vec![];
    };
    let mut out = Vec::new();
    let set = differing(row, desired.props());
    if !set.is_empty() {
        out.push(Change::Set(HotspotUser::PATH, id, set));
    }
    if desired.limit_bytes_total.is_none() && row.get("limit-bytes-total").is_some() {
        out.push(Change::Unset(HotspotUser::PATH, id, "limit-bytes-total"));
    }
    out
}

/// The properties whose value on the router differs from the wanted one.
fn differing(row: &Row, wanted: Vec<(&'static str, String)>) -> Vec<(&'static str, String)> {
    wanted
        .into_iter()
        .filter(|(k, v)| row.text(k).as_deref() != Some(v.as_str()))
        .collect()
}

/// Applies changes, all in flight at once. Adding what already exists and
/// removing what is already gone count as done (a retried cycle converges).
pub async fn apply(client: &RouterClient, changes: Vec<Change>) -> Result<usize, HotspotError> {
    let api = client.api();
    let n = changes.len();
    let results = join_all(changes.into_iter().map(|c| async move {
        fn attrs<'a>(props: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
            props.iter().map(|(k, v)| (*k, v.as_str())).collect()
        }
        match c {
            Change::Add(path, props) => match api.add(path, attrs(&props)).await {
                Err(routeros::Error::Trap(t)) if t.is_duplicate() => Ok(()),
                r => r.map(drop),
            },
            Change::Set(path, id, props) => api.set(path, id, attrs(&props)).await,
            Change::Unset(path, id, prop) => api.unset(path, id, prop).await,
            Change::Remove(path, id) => match api.remove(path, &[id]).await {
                Err(routeros::Error::Trap(t)) if t.is_not_found() => Ok(()),
                r => r,
            },
        }
    }))
    .await;
    for r in results {
        r.map_err(|e| client.err(e))?;
    }
    Ok(n)
}

/// Makes one user's hotspot account match the database (a targeted reconcile).
pub async fn reconcile_user(
    state: &AppState,
    client: &RouterClient,
    router: &RouterRow,
    user: &User,
    password: &str,
    now: OffsetDateTime,
) -> Result<usize, HotspotError> {
    let Some(name) = user.hotspot_username() else {
        return Ok(0);
    };
    let rows = client
        .api()
        .print(HotspotUser::PATH)
        .proplist(USER_PROPS)
        .query(Query::Eq("name".into(), name))
        .rows()
        .await
        .map_err(|e| client.err(e))?;
    let (writes, _) =
        reconcile_account(state, client, router, user, password, rows.first(), now).await?;
    Ok(writes)
}

/// Makes the account match given the router's row for it (`None`: missing);
/// returns the writes and what the account now says.
async fn reconcile_account(
    state: &AppState,
    client: &RouterClient,
    router: &RouterRow,
    user: &User,
    password: &str,
    actual: Option<&Row>,
    now: OffsetDateTime,
) -> Result<(usize, Option<DesiredUser>), HotspotError> {
    let db = state.db.get().await?;
    let baseline = if actual.is_some() {
        crate::db::usage::baseline_total(&db, user.id, router.id).await?
    } else {
        // A new account starts counting from zero.
        crate::db::usage::init_baseline(&db, user.id, router.id).await?;
        0
    };
    let Some((desired, _)) = desired_for(router, user, password, baseline, now) else {
        return Ok((0, None));
    };
    let writes = apply(client, user_changes(actual, &desired)).await?;
    Ok((writes, Some(desired)))
}

/// The targeted reaction to a change of one user (block, unblock, approval,
/// top-up, …): the hotspot account is made to match, and then
/// - without access: live sessions are kicked, MAC cookies and bypass bindings removed;
/// - with access in bypass mode: every device gets its binding back;
/// - with access in hotspot mode: a live session whose limit was raised or
///   whose profile changed is logged in again.
///
/// Address lists and queues follow at the next cycle.
pub async fn enforce_user(
    state: &AppState,
    client: &RouterClient,
    router: &RouterRow,
    user: &User,
    now: OffsetDateTime,
) -> Result<usize, HotspotError> {
    let Some(name) = user.hotspot_username() else {
        return Ok(0);
    };
    let password = password_of(state, user).await?;
    let api = client.api();
    let by_user = || Query::Eq("user".into(), name.clone());
    let (row, sessions) = tokio::join!(
        api.print(HotspotUser::PATH)
            .proplist(USER_PROPS)
            .query(Query::Eq("name".into(), name.clone()))
            .rows(),
        api.print(routeros::menus::Active::PATH)
            .proplist(ACTIVE_PROPS)
            .query(by_user())
            .rows(),
    );
    let before = row.map_err(|e| client.err(e))?.into_iter().next();
    let sessions = sessions.map_err(|e| client.err(e))?;
    let (mut writes, desired) =
        reconcile_account(state, client, router, user, &password, before.as_ref(), now).await?;
    let status = user.facts().status(now.unix_timestamp());
    if !status.allows_access() {
        let kick: Vec<_> = sessions.iter().filter_map(|a| a.id()).collect();
        if !kick.is_empty() {
            api.hotspot_kick(&kick).await.map_err(|e| client.err(e))?;
            writes += 1;
        }
        writes += remove_where(client, routeros::menus::Cookie::PATH, by_user()).await?;
        writes += remove_where(
            client,
            routeros::menus::IpBinding::PATH,
            Query::Eq("comment".into(), owner_comment(&user.id)),
        )
        .await?;
        return Ok(writes);
    }
    if router.login_mode == LoginMode::Bypass {
        let macs = {
            let db = state.db.get().await?;
            crate::db::devices::macs_of_users(&db, &[user.id]).await?
        };
        for mac in macs.get(&user.id).into_iter().flatten() {
            crate::services::hotspot::ensure_binding(client, router, user, mac).await?;
        }
        return Ok(writes);
    }
    // Live sessions keep what they got at login: compare with what a login now gets.
    let (Some(before), Some(desired)) = (before, desired) else {
        return Ok(writes);
    };
    let committed = counted(&before);
    let was_cut = before.text("disabled").as_deref() == Some("true")
        || before
            .u64("limit-bytes-total")
            .ok()
            .flatten()
            .is_some_and(|l| committed.max(0) as u64 >= l);
    if was_cut {
        writes += log_devices_back_in(state, client, user, &name, &password, &sessions).await?;
    }
    let profile_changed = before.text("profile").as_deref() != Some(desired.profile.as_str());
    let stale: Vec<(&Row, &str, &str)> = sessions
        .iter()
        .filter(|a| profile_changed || limit_raised(desired.limit_bytes_total, committed, a))
        .map(|a| (a, name.as_str(), password.as_str()))
        .collect();
    writes += relogin(client, &stale).await?;
    Ok(writes)
}

/// A user who was cut off (account disabled or its limit used up) and has
/// access again: each of their confirmed devices still on the hotspot
/// without a session is logged in server-side, so the person is back online
/// without doing anything. A device the router refuses is left for the
/// person to log in (logged, not an error).
async fn log_devices_back_in(
    state: &AppState,
    client: &RouterClient,
    user: &User,
    name: &str,
    password: &str,
    sessions: &[Row],
) -> Result<usize, HotspotError> {
    let macs = {
        let db = state.db.get().await?;
        crate::db::devices::macs_of_users(&db, &[user.id]).await?
    };
    let Some(macs) = macs.get(&user.id).filter(|m| !m.is_empty()) else {
        return Ok(0);
    };
    let online: Vec<String> = sessions
        .iter()
        .filter_map(|a| a.text("mac-address").map(|m| m.to_ascii_uppercase()))
        .collect();
    let api = client.api();
    let hosts = api
        .print(routeros::menus::Host::PATH)
        .proplist(&["mac-address", "address", "authorized"])
        .rows()
        .await
        .map_err(|e| client.err(e))?;
    let mut writes = 0;
    for h in &hosts {
        let Some(mac) = h.text("mac-address").map(|m| m.to_ascii_uppercase()) else {
            continue;
        };
        if !macs.iter().any(|m| m.eq_ignore_ascii_case(&mac))
            || online.contains(&mac)
            || h.text("authorized").as_deref() == Some("true")
        {
            continue;
        }
        let Ok(parsed) = mac.parse::<routeros::Mac>() else {
            continue;
        };
        match api
            .hotspot_login(name, password, parsed, &text_of(h, "address"))
            .await
        {
            Ok(()) => writes += 1,
            Err(e) => {
                tracing::info!(mac, error = %client.err(e), "could not log the device back in")
            }
        }
    }
    Ok(writes)
}

/// Whether a live session was given less than a login now would get
/// (limits are fixed at login).
fn limit_raised(account_limit: Option<u64>, committed: i64, session: &Row) -> bool {
    let live = session.u64("limit-bytes-total").ok().flatten();
    match (account_limit, live) {
        (None, Some(_)) | (Some(_), None) => true,
        (Some(l), Some(live)) => l.saturating_sub(committed.max(0) as u64) > live,
        (None, None) => false,
    }
}

/// Ends these sessions and logs the same devices in again with the account's
/// current limit and profile (the user does nothing).
/// Items are (session, account name, password).
async fn relogin(
    client: &RouterClient,
    sessions: &[(&Row, &str, &str)],
) -> Result<usize, HotspotError> {
    if sessions.is_empty() {
        return Ok(0);
    }
    let api = client.api();
    let ids: Vec<_> = sessions.iter().filter_map(|(a, _, _)| a.id()).collect();
    api.hotspot_kick(&ids).await.map_err(|e| client.err(e))?;
    let logins = join_all(sessions.iter().map(|&(a, name, password)| async move {
        let mac: routeros::Mac = a
            .text("mac-address")
            .and_then(|m| m.parse().ok())
            .ok_or(HotspotError::BadAddress)?;
        api.hotspot_login(name, password, mac, &text_of(a, "address"))
            .await
            .map_err(|e| HotspotError::from(client.err(e)))
    }))
    .await;
    for r in logins {
        r?;
    }
    Ok(1 + sessions.len())
}

/// Removes every item of `path` that matches `q` (one read, one write).
async fn remove_where(client: &RouterClient, path: &str, q: Query) -> Result<usize, HotspotError> {
    let api = client.api();
    let ids: Vec<_> = api
        .print(path)
        .proplist(&[".id"])
        .query(q)
        .rows()
        .await
        .map_err(|e| client.err(e))?
        .iter()
        .filter_map(Row::id)
        .collect();
    if ids.is_empty() {
        return Ok(0);
    }
    match api.remove(path, &ids).await {
        Err(routeros::Error::Trap(t)) if t.is_not_found() => Ok(0),
        r => r.map(|_| 1).map_err(|e| client.err(e).into()),
    }
}

/// Deleting a user: everything of theirs leaves the router, in this order —
/// live sessions, hosts of their devices, MAC cookies, bypass bindings, FUP
/// queue, address-list entries, and last the hotspot account. Only objects
/// gerbang made (by name or owner comment) are touched.
pub async fn purge_user(
    client: &RouterClient,
    user: &User,
    macs: &[String],
) -> Result<usize, HotspotError> {
    let Some(name) = user.hotspot_username() else {
        return Ok(0);
    };
    let owner = || Query::Eq("comment".into(), owner_comment(&user.id));
    let by_user = || Query::Eq("user".into(), name.clone());
    let mut writes = remove_where(client, routeros::menus::Active::PATH, by_user()).await?;
    for mac in macs {
        writes += remove_where(
            client,
            routeros::menus::Host::PATH,
            Query::Eq("mac-address".into(), mac.clone()),
        )
        .await?;
    }
    writes += remove_where(client, routeros::menus::Cookie::PATH, by_user()).await?;
    writes += remove_where(client, routeros::menus::IpBinding::PATH, owner()).await?;
    writes += remove_where(client, routeros::menus::SimpleQueue::PATH, owner()).await?;
    writes += remove_where(client, routeros::menus::AddressListEntry::PATH, owner()).await?;
    writes += remove_where(client, HotspotUser::PATH, owner()).await?;
    Ok(writes)
}

/// What one cycle did on one router.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CycleStats {
    pub users: usize,
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

/// Properties of `/ip/hotspot/active` a cycle reads.
const ACTIVE_PROPS: &[&str] = &[
    ".id",
    "user",
    "mac-address",
    "address",
    "bytes-in",
    "bytes-out",
    "limit-bytes-total",
];
const HOST_PROPS: &[&str] = &[
    ".id",
    "mac-address",
    "address",
    "bytes-in",
    "bytes-out",
    "bypassed",
];
const LIST_PROPS: &[&str] = &[".id", "list", "address", "comment", "dynamic"];
const BINDING_PROPS: &[&str] = &[".id", "mac-address", "type", "comment"];
const QUEUE_PROPS: &[&str] = &[".id", "name", "target", "max-limit", "comment", "dynamic"];
const PROFILE_PROPS: &[&str] = &[".id", "name", "rate-limit"];

/// The address list a user's devices belong to, by status (design.md §4).
pub fn list_for(prefix: &str, status: AccessStatus) -> String {
    let slug = match status {
        AccessStatus::Active | AccessStatus::Unlimited => "active",
        AccessStatus::Fup => "fup",
        AccessStatus::Exhausted => "exhausted",
        AccessStatus::Expired => "expired",
        AccessStatus::Blocked | AccessStatus::Inactive => "blocked",
    };
    format!("{prefix}{slug}")
}

/// Every list gerbang manages on a router.
pub fn all_lists(prefix: &str) -> Vec<String> {
    ["active", "fup", "exhausted", "expired", "blocked"]
        .iter()
        .map(|s| format!("{prefix}{s}"))
        .collect()
}

/// The name of a bypassed user's FUP queue.
pub fn fup_queue_name(hotspot_name: &str) -> String {
    format!("gerbang-fup-{hotspot_name}")
}

pub fn is_ours(row: &Row) -> bool {
    row.text("comment")
        .is_some_and(|c| c.starts_with("gerbang:"))
        && row.text("dynamic").as_deref() != Some("true")
}

/// What the router reports in one cycle, each menu read once.
pub struct Snapshot {
    pub users: Vec<Row>,
    pub active: Vec<Row>,
    pub hosts: Vec<Row>,
    pub entries: Vec<Row>,
    pub profiles: Vec<Row>,
    pub bindings: Vec<Row>,
    pub queues: Vec<Row>,
    pub reads: usize,
}

pub async fn snapshot(client: &RouterClient, router: &RouterRow) -> Result<Snapshot, HotspotError> {
    let api = client.api();
    let bypass = router.login_mode == LoginMode::Bypass;
    let lists = all_lists(&router.address_list_prefix);
    let read =
        |path: &'static str, props: &'static [&'static str]| api.print(path).proplist(props).rows();
    let bypass_read = |path: &'static str, props: &'static [&'static str]| async move {
        if bypass {
            api.print(path).proplist(props).rows().await
        } else {
            Ok(Vec::new())
        }
    };
    let (users, active, hosts, entries, profiles, bindings, queues) = tokio::join!(
        read(HotspotUser::PATH, USER_PROPS),
        read(routeros::menus::Active::PATH, ACTIVE_PROPS),
        read(routeros::menus::Host::PATH, HOST_PROPS),
        api.print(routeros::menus::AddressListEntry::PATH)
            .proplist(LIST_PROPS)
            .queries(Query::any_of("list", lists))
            .rows(),
        api.print(routeros::menus::UserProfile::PATH)
            .proplist(PROFILE_PROPS)
            .query(Query::Eq("name".into(), router.fup_profile.clone()))
            .rows(),
        bypass_read(routeros::menus::IpBinding::PATH, BINDING_PROPS),
        bypass_read(routeros::menus::SimpleQueue::PATH, QUEUE_PROPS),
    );
    let e = |r: Result<Vec<Row>, routeros::Error>| r.map_err(|e| client.err(e));
    Ok(Snapshot {
        users: e(users)?,
        active: e(active)?,
        hosts: e(hosts)?,
        entries: e(entries)?,
        profiles: e(profiles)?,
        bindings: e(bindings)?,
        queues: e(queues)?,
        reads: if bypass { 7 } else { 5 },
    })
}

pub fn text_of(row: &Row, k: &str) -> String {
    row.text(k).map(|t| t.into_owned()).unwrap_or_default()
}

/// The snapshot indexed for lookups: accounts by name, sessions by user,
/// hosts by MAC.
pub struct Index<'a> {
    pub by_name: HashMap<String, &'a Row>,
    pub sessions_of: HashMap<String, Vec<&'a Row>>,
    pub host_of: HashMap<String, &'a Row>,
}

impl<'a> Index<'a> {
    pub fn of(snap: &'a Snapshot) -> Self {
        let by_name = snap
            .users
            .iter()
            .filter_map(|r| Some((r.text("name")?.into_owned(), r)))
            .collect();
        let mut sessions_of: HashMap<String, Vec<&Row>> = HashMap::new();
        for a in &snap.active {
            if let Some(user) = a.text("user") {
                sessions_of.entry(user.into_owned()).or_default().push(a);
            }
        }
        let host_of = snap
            .hosts
            .iter()
            .filter_map(|h| Some((h.text("mac-address")?.to_ascii_uppercase(), h)))
            .collect();
        Self {
            by_name,
            sessions_of,
            host_of,
        }
    }

    pub fn sessions(&self, name: &str) -> &[&'a Row] {
        self.sessions_of.get(name).map_or(&[], |v| &v[..])
    }

    /// What the router counts for a user now: in hotspot mode the account's
    /// committed counters and live sessions (`None` without an account), in
    /// bypass mode the counters of their bypassed hosts.
    pub fn observe(&self, bypass: bool, name: &str, macs: &[String]) -> Option<Observation> {
        let key = |a: &Row| {
            format!(
                "{}/{}",
                a.get(".id").unwrap_or_default(),
                a.get("mac-address").unwrap_or_default()
            )
        };
        if bypass {
            return Some(Observation {
                committed: 0,
                sessions: macs
                    .iter()
                    .filter_map(|m| self.host_of.get(m).copied())
                    .filter(|h| h.text("bypassed").as_deref() == Some("true"))
                    .map(|h| (key(h), counted(h)))
                    .collect(),
            });
        }
        let row = self.by_name.get(name)?;
        Some(Observation {
            committed: counted(row),
            sessions: self
                .sessions(name)
                .iter()
                .map(|a| (key(a), counted(a)))
                .collect(),
        })
    }

    /// The current addresses of these devices.
    pub fn addresses(&self, macs: &[String]) -> Vec<String> {
        macs.iter()
            .filter_map(|m| self.host_of.get(m)?.text("address"))
            .map(|a| a.into_owned())
            .collect()
    }
}

/// The desired account and the status it derives from; in hotspot mode a
/// user in FUP logs in with the router's FUP profile.
pub fn desired_for(
    router: &RouterRow,
    user: &User,
    password: &str,
    baseline_total: i64,
    now: OffsetDateTime,
) -> Option<(DesiredUser, AccessStatus)> {
    let mut desired = DesiredUser::of(router, user, password, baseline_total, now)?;
    let status = user.facts().status(now.unix_timestamp());
    if status == AccessStatus::Fup && router.login_mode == LoginMode::HotspotLogin {
        desired.profile = router.fup_profile.clone();
    }
    Some((desired, status))
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
    let bypass = router.login_mode == LoginMode::Bypass;
    let index = Index::of(&snap);
    let by_name = &index.by_name;

    // Accounting, all or nothing for this cycle.
    let cycle_id = Uuid::now_v7();
    let now = OffsetDateTime::now_utc();
    let mut db = state.db.get().await?;
    let tx = db.transaction().await?;
    let mut users = crate::db::users::of_router(&tx, router.id, router.is_default).await?;
    let ids: Vec<Uuid> = users.iter().map(|u| u.id).collect();
    let macs = crate::db::devices::macs_of_users(&tx, &ids).await?;
    let baselines = crate::db::usage::baselines(&tx, router.id).await?;
    let mut totals: HashMap<Uuid, i64> = HashMap::new();
    let mut next_in: Option<Duration> = None;
    let mut seen = Vec::new();
    for user in users.iter_mut() {
        let Some(name) = user.hotspot_username() else {
            continue;
        };
        let prev = baselines.get(&user.id);
        let user_macs = macs.get(&user.id).map_or(&[][..], |v| &v[..]);
        let Some(now_obs) = index.observe(bypass, &name, user_macs) else {
            totals.insert(user.id, prev.map_or(0, |(o, _)| o.total()));
            continue;
        };
        // Hotspot mode: an account gerbang did not create starts from here.
        // Bypass mode: a device's first observation counts from zero.
        let delta = match prev {
            Some((p, _)) => accounting::usage_delta(p, &now_obs),
            None if bypass => accounting::usage_delta(&Observation::default(), &now_obs),
            None => 0,
        };
        if delta > 0 {
            if crate::db::usage::charge(
                &tx,
                user.id,
                router.id,
                cycle_id,
                delta,
                &state.settings.worker.time_zone,
            )
            .await?
            {
                user.used_bytes += delta;
            }
            seen.extend(macs.get(&user.id).into_iter().flatten().cloned());
            if bypass {
                let since = prev.map(|(_, at)| now - *at).unwrap_or_default();
                next_in = min_opt(next_in, eta(user, delta, since, now));
            }
        }
        if prev.map(|(o, _)| o) != Some(&now_obs) {
            crate::db::usage::set_baseline(&tx, user.id, router.id, &now_obs).await?;
        }
        // The account's limit is measured against its own counters; in bypass
        // mode nobody logs in with it, so those are the account's alone.
        let total = if bypass {
            by_name.get(&name).map_or(0, |r| counted(r))
        } else {
            now_obs.total()
        };
        totals.insert(user.id, total);
    }
    // New accounts start counting from zero.
    for user in &users {
        if !bypass
            && user
                .hotspot_username()
                .is_some_and(|n| !by_name.contains_key(&n))
            && !baselines.contains_key(&user.id)
        {
            crate::db::usage::init_baseline(&tx, user.id, router.id).await?;
        }
    }
    crate::db::devices::touch(&tx, &seen).await?;
    tx.commit().await?;

    // The FUP profile must exist before an account refers to it.
    let mut writes = 0;
    let rate = state.settings.quota.fup_rate();
    let profile_change = match snap.profiles.first() {
        None => Some(Change::Add(
            routeros::menus::UserProfile::PATH,
            vec![
                ("name", router.fup_profile.clone()),
                ("rate-limit", rate.clone()),
            ],
        )),
        Some(p) => p
            .id()
            .filter(|_| p.text("rate-limit").as_deref() != Some(rate.as_str()))
            .map(|id| {
                Change::Set(
                    routeros::menus::UserProfile::PATH,
                    id,
                    vec![("rate-limit", rate.clone())],
                )
            }),
    };
    if let Some(c) = profile_change {
        writes += apply(&client, vec![c]).await?;
    }

    let mut changes = Vec::new();
    let mut wanted = HashSet::new();
    let mut kick = Vec::new();
    let mut refresh: Vec<(&Row, String, zeroize::Zeroizing<String>)> = Vec::new();
    let mut wanted_entries: HashMap<(String, String), String> = HashMap::new();
    let mut wanted_bindings: HashMap<String, String> = HashMap::new();
    let mut wanted_queues: HashMap<String, (String, String)> = HashMap::new();
    for user in &users {
        let password = password_of(state, user).await?;
        let actual = user
            .hotspot_username()
            .and_then(|n| by_name.get(&n).copied());
        let baseline = totals.get(&user.id).copied().unwrap_or(0);
        let Some((desired, status)) = desired_for(router, user, &password, baseline, now) else {
            continue;
        };
        let sessions = index.sessions(&desired.name);
        if desired.disabled {
            kick.extend(sessions.iter().filter_map(|a| a.id()));
        } else if !bypass {
            // Limits and profiles are fixed at login: log the session in again.
            let committed = actual.map_or(0, counted);
            let profile_changes = actual
                .is_some_and(|r| r.text("profile").as_deref() != Some(desired.profile.as_str()));
            for a in sessions {
                if profile_changes || limit_raised(desired.limit_bytes_total, committed, a) {
                    refresh.push((a, desired.name.clone(), password.clone()));
                }
            }
        }
        let list = list_for(&router.address_list_prefix, status);
        let user_macs = macs.get(&user.id).map_or(&[][..], |v| &v[..]);
        let addresses = index.addresses(user_macs);
        if bypass && status.allows_access() {
            for mac in user_macs {
                wanted_bindings.insert(mac.clone(), desired.comment.clone());
            }
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
        wanted.insert(desired.name.clone());
        changes.extend(user_changes(actual, &desired));
    }
    // gerbang's accounts whose user is gone from this router are removed; others are never touched.
    let mut removed = 0;
    for row in &snap.users {
        let name = text_of(row, "name");
        if is_ours(row) && !wanted.contains(&name) {
            if let Some(id) = row.id() {
                changes.push(Change::Remove(HotspotUser::PATH, id));
                kick.extend(index.sessions(&name).iter().filter_map(|a| a.id()));
                removed += 1;
            }
        }
    }
    changes.extend(entry_changes(&snap.entries, &wanted_entries));
    if bypass {
        changes.extend(binding_changes(&snap.bindings, &wanted_bindings, router));
        changes.extend(queue_changes(&snap.queues, &wanted_queues, &rate));
    }
    writes += apply(&client, changes).await?;
    let api = client.api();
    if !kick.is_empty() {
        api.hotspot_kick(&kick).await.map_err(|e| client.err(e))?;
        writes += 1;
    }
    let stale: Vec<(&Row, &str, &str)> = refresh
        .iter()
        .map(|(a, n, p)| (*a, n.as_str(), p.as_str()))
        .collect();
    writes += relogin(&client, &stale).await?;
    Ok(CycleStats {
        users: users.len(),
        reads: snap.reads,
        writes,
        removed,
        refreshed: refresh.len(),
        next_in,
    })
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

/// Address-list membership: one entry per (list, address), owned by a user.
/// An address whose user changed status is moved with one `set list=`.
fn entry_changes(entries: &[Row], wanted: &HashMap<(String, String), String>) -> Vec<Change> {
    const PATH: &str = routeros::menus::AddressListEntry::PATH;
    let mut out = Vec::new();
    let mut have = HashSet::new();
    let mut extra: Vec<(routeros::Id, String)> = Vec::new();
    for e in entries.iter().filter(|e| is_ours(e)) {
        let key = (text_of(e, "list"), text_of(e, "address"));
        let Some(id) = e.id() else { continue };
        match wanted.get(&key) {
            Some(comment) if have.insert(key.clone()) => {
                if e.text("comment").as_deref() != Some(comment.as_str()) {
                    out.push(Change::Set(PATH, id, vec![("comment", comment.clone())]));
                }
            }
            _ => extra.push((id, key.1)),
        }
    }
    let mut missing: Vec<_> = wanted.iter().filter(|(k, _)| !have.contains(*k)).collect();
    missing.sort();
    for ((list, address), comment) in missing {
        if let Some(pos) = extra.iter().position(|(_, a)| a == address) {
            let (id, _) = extra.swap_remove(pos);
            out.push(Change::Set(
                PATH,
                id,
                vec![("list", list.clone()), ("comment", comment.clone())],
            ));
            continue;
        }
        out.push(Change::Add(
            PATH,
            vec![
                ("list", list.clone()),
                ("address", address.clone()),
                ("comment", comment.clone()),
            ],
        ));
    }
    out.extend(extra.into_iter().map(|(id, _)| Change::Remove(PATH, id)));
    out
}

/// Bypass ip-bindings: one `bypassed` binding per device of a user with access.
fn binding_changes(
    bindings: &[Row],
    wanted: &HashMap<String, String>,
    router: &RouterRow,
) -> Vec<Change> {
    const PATH: &str = routeros::menus::IpBinding::PATH;
    let mut out = Vec::new();
    let mut have = HashSet::new();
    for b in bindings.iter().filter(|b| is_ours(b)) {
        let mac = text_of(b, "mac-address").to_ascii_uppercase();
        let Some(id) = b.id() else { continue };
        match wanted.get(&mac) {
            Some(comment) if have.insert(mac.clone()) => {
                let set = differing(
                    b,
                    vec![("type", "bypassed".into()), ("comment", comment.clone())],
                );
                if !set.is_empty() {
                    out.push(Change::Set(PATH, id, set));
                }
            }
            _ => out.push(Change::Remove(PATH, id)),
        }
    }
    let mut missing: Vec<_> = wanted.iter().filter(|(m, _)| !have.contains(*m)).collect();
    missing.sort();
    for (mac, comment) in missing {
        out.push(Change::Add(
            PATH,
            vec![
                ("mac-address", mac.clone()),
                ("type", "bypassed".into()),
                ("server", router.hotspot_server.clone()),
                ("comment", comment.clone()),
            ],
        ));
    }
    out
}

/// Bypass FUP queues: one simple queue per user in FUP over their addresses
/// (bypassed hosts get no profile rate limit).
fn queue_changes(
    queues: &[Row],
    wanted: &HashMap<String, (String, String)>,
    rate: &str,
) -> Vec<Change> {
    const PATH: &str = routeros::menus::SimpleQueue::PATH;
    let mut out = Vec::new();
    let mut have = HashSet::new();
    for q in queues.iter().filter(|q| is_ours(q)) {
        let name = text_of(q, "name");
        let Some(id) = q.id() else { continue };
        match wanted.get(&name) {
            Some((target, comment)) if have.insert(name.clone()) => {
                let set = differing(
                    q,
                    vec![
                        ("target", target.clone()),
                        ("max-limit", rate.to_owned()),
                        ("comment", comment.clone()),
                    ],
                );
                if !set.is_empty() {
                    out.push(Change::Set(PATH, id, set));
                }
            }
            _ => out.push(Change::Remove(PATH, id)),
        }
    }
    let mut missing: Vec<_> = wanted.iter().filter(|(n, _)| !have.contains(*n)).collect();
    missing.sort();
    for (name, (target, comment)) in missing {
        out.push(Change::Add(
            PATH,
            vec![
                ("name", name.clone()),
                ("target", target.clone()),
                ("max-limit", rate.to_owned()),
                ("comment", comment.clone()),
            ],
        ));
    }
    out
}

/// The user's hotspot password in clear, creating and storing a sealed one when missing.
pub async fn password_of(
    state: &AppState,
    user: &User,
) -> Result<zeroize::Zeroizing<String>, HotspotError> {
    let ad = aad("users", "hotspot_password_sealed", &user.id);
    let sealed = match &user.hotspot_password_sealed {
        Some(s) => s.clone(),
        None => {
            let fresh = state.sealer.seal(&new_hotspot_password(), &ad);
            let db = state.db.get().await?;
            crate::db::users::set_hotspot_password_if_missing(&db, user.id, &fresh).await?
        }
    };
    Ok(state.sealer.open(&sealed, &ad)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(pairs: &[(&str, &str)]) -> Row {
        Row::from_pairs(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())))
    }

    fn desired(limit: Option<u64>, disabled: bool) -> DesiredUser {
        DesiredUser {
            name: "081234567890".into(),
            password: "abc".into(),
            profile: "default".into(),
            limit_bytes_total: limit,
            disabled,
            comment: "gerbang:uid=x".into(),
        }
    }

    #[test]
    fn a_matching_row_needs_no_write() {
        let r = row(&[
            (".id", "*1"),
            ("name", "081234567890"),
            ("password", "abc"),
            ("profile", "default"),
            ("disabled", "false"),
            ("comment", "gerbang:uid=x"),
            ("limit-bytes-total", "100"),
        ]);
        assert!(user_changes(Some(&r), &desired(Some(100), false)).is_empty());
        match &user_changes(Some(&r), &desired(Some(200), true))[..] {
            [Change::Set(_, _, props)] => assert_eq!(
                props,
                &vec![
                    ("disabled", "true".to_owned()),
                    ("limit-bytes-total", "200".to_owned())
                ]
            ),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            &user_changes(Some(&r), &desired(None, false))[..],
            [Change::Unset(_, _, "limit-bytes-total")]
        ));
        assert!(matches!(
            &user_changes(None, &desired(None, false))[..],
            [Change::Add(_, p)] if p[0] == ("name", "081234567890".to_owned())
        ));
    }
}
