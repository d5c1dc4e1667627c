//! Router reconciliation of hotspot users: the database decides, the router
//! enforces. A cycle reads `/ip/hotspot/user` once (with `.proplist`),
//! computes what differs from the desired state and writes only that,
//! pipelined over one session. Users are matched by name; gerbang's own
//! objects carry `gerbang:uid=<uuid>` and nothing else is ever touched.

use std::collections::HashMap;

use futures_util::future::join_all;
use routeros::{menus::HotspotUser, menus::Menu, Query, Row};
use shared_types::AccessStatus;
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
            profile: router.hotspot_profile.clone(),
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

/// One write a cycle makes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Add(Vec<(&'static str, String)>),
    Set(routeros::Id, Vec<(&'static str, String)>),
    UnsetLimit(routeros::Id),
    Remove(routeros::Id),
}

/// The writes that make `actual` (the router's row, if any) match `desired`.
pub fn user_changes(actual: Option<&Row>, desired: &DesiredUser) -> Vec<Change> {
    let Some(row) = actual else {
        let mut props = vec![("name", desired.name.clone())];
        props.extend(desired.props());
        return vec![Change::Add(props)];
    };
    let Some(id) = row.id() else {
        return vec![];
    };
    let mut out = Vec::new();
    let set: Vec<(&'static str, String)> = desired
        .props()
        .into_iter()
        .filter(|(k, v)| row.text(k).as_deref() != Some(v.as_str()))
        .collect();
    if !set.is_empty() {
        out.push(Change::Set(id, set));
    }
    if desired.limit_bytes_total.is_none() && row.get("limit-bytes-total").is_some() {
        out.push(Change::UnsetLimit(id));
    }
    out
}

/// Applies changes to `/ip/hotspot/user`, all in flight at once.
pub async fn apply(client: &RouterClient, changes: Vec<Change>) -> Result<usize, HotspotError> {
    let api = client.api();
    let n = changes.len();
    let results = join_all(changes.into_iter().map(|c| async move {
        match c {
            Change::Add(props) => api
                .add(
                    HotspotUser::PATH,
                    props.iter().map(|(k, v)| (*k, v.as_str())),
                )
                .await
                .map(drop),
            Change::Set(id, props) => {
                api.set(
                    HotspotUser::PATH,
                    id,
                    props.iter().map(|(k, v)| (*k, v.as_str())),
                )
                .await
            }
            Change::UnsetLimit(id) => api.unset(HotspotUser::PATH, id, "limit-bytes-total").await,
            Change::Remove(id) => api.remove(HotspotUser::PATH, &[id]).await,
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
    let actual = rows.first();
    let db = state.db.get().await?;
    let baseline = if actual.is_some() {
        crate::db::usage::baseline_total(&db, user.id, router.id).await?
    } else {
        // A new account starts counting from zero.
        crate::db::usage::init_baseline(&db, user.id, router.id).await?;
        0
    };
    let Some(desired) = DesiredUser::of(router, user, password, baseline, now) else {
        return Ok(0);
    };
    apply(client, user_changes(actual, &desired)).await
}

/// What one cycle did on one router.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CycleStats {
    pub users: usize,
    pub reads: usize,
    pub writes: usize,
    pub removed: usize,
}

/// Properties of `/ip/hotspot/active` a cycle reads.
const ACTIVE_PROPS: &[&str] = &[".id", "user", "mac-address", "bytes-in", "bytes-out"];

/// One cycle on a router: account usage since the last cycle (one ledger
/// row per user, in one transaction with the new baselines), then make the
/// hotspot users match the database and kick sessions of users who no
/// longer have access. Reads two menus once; writes only differences.
pub async fn reconcile_router(
    state: &AppState,
    router: &RouterRow,
) -> Result<CycleStats, HotspotError> {
    let client = state.routers.client(router).await?;
    let api = client.api();
    let (rows, active) = tokio::join!(
        api.print(HotspotUser::PATH).proplist(USER_PROPS).rows(),
        api.print(routeros::menus::Active::PATH)
            .proplist(ACTIVE_PROPS)
            .rows()
    );
    let rows = rows.map_err(|e| client.err(e))?;
    let active = active.map_err(|e| client.err(e))?;
    let by_name: HashMap<String, &Row> = rows
        .iter()
        .filter_map(|r| Some((r.text("name")?.into_owned(), r)))
        .collect();
    let mut sessions_of: HashMap<String, Vec<&Row>> = HashMap::new();
    for a in &active {
        if let Some(user) = a.text("user") {
            sessions_of.entry(user.into_owned()).or_default().push(a);
        }
    }

    // Accounting, all or nothing for this cycle.
    let cycle_id = Uuid::now_v7();
    let mut db = state.db.get().await?;
    let tx = db.transaction().await?;
    let mut users = crate::db::users::of_router(&tx, router.id, router.is_default).await?;
    let baselines = crate::db::usage::baselines(&tx, router.id).await?;
    let mut totals: HashMap<Uuid, i64> = HashMap::new();
    for user in users.iter_mut() {
        let Some(name) = user.hotspot_username() else {
            continue;
        };
        let Some(row) = by_name.get(&name) else {
            totals.insert(
                user.id,
                baselines.get(&user.id).map_or(0, Observation::total),
            );
            continue;
        };
        let now_obs = Observation {
            committed: counted(row),
            sessions: sessions_of
                .get(&name)
                .into_iter()
                .flatten()
                .map(|a| {
                    let key = format!(
                        "{}/{}",
                        a.get(".id").unwrap_or_default(),
                        a.get("mac-address").unwrap_or_default()
                    );
                    (key, counted(a))
                })
                .collect(),
        };
        // Never observed (an account gerbang did not create): start from here.
        let delta = baselines
            .get(&user.id)
            .map_or(0, |prev| accounting::usage_delta(prev, &now_obs));
        if delta > 0
            && crate::db::usage::charge(
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
        if baselines.get(&user.id) != Some(&now_obs) {
            crate::db::usage::set_baseline(&tx, user.id, router.id, &now_obs).await?;
        }
        totals.insert(user.id, now_obs.total());
    }
    // New accounts start counting from zero.
    for user in &users {
        if user
            .hotspot_username()
            .is_some_and(|n| !by_name.contains_key(&n))
            && !baselines.contains_key(&user.id)
        {
            crate::db::usage::init_baseline(&tx, user.id, router.id).await?;
        }
    }
    tx.commit().await?;

    let now = OffsetDateTime::now_utc();
    let mut changes = Vec::new();
    let mut wanted = std::collections::HashSet::new();
    let mut kick = Vec::new();
    for user in &users {
        let password = password_of(state, user).await?;
        let actual = user
            .hotspot_username()
            .and_then(|n| by_name.get(&n).copied());
        let baseline = totals.get(&user.id).copied().unwrap_or(0);
        let Some(desired) = DesiredUser::of(router, user, &password, baseline, now) else {
            continue;
        };
        if desired.disabled {
            kick.extend(
                sessions_of
                    .get(&desired.name)
                    .into_iter()
                    .flatten()
                    .filter_map(|a| a.id()),
            );
        }
        wanted.insert(desired.name.clone());
        changes.extend(user_changes(actual, &desired));
    }
    // gerbang's accounts whose user is gone from this router are removed; others are never touched.
    let mut removed = 0;
    for row in &rows {
        let ours = row
            .text("comment")
            .is_some_and(|c| c.starts_with("gerbang:uid="));
        let name = row.text("name").map(|n| n.into_owned()).unwrap_or_default();
        if ours && !wanted.contains(&name) {
            if let Some(id) = row.id() {
                changes.push(Change::Remove(id));
                kick.extend(
                    sessions_of
                        .get(&name)
                        .into_iter()
                        .flatten()
                        .filter_map(|a| a.id()),
                );
                removed += 1;
            }
        }
    }
    let mut writes = apply(&client, changes).await?;
    if !kick.is_empty() {
        api.hotspot_kick(&kick).await.map_err(|e| client.err(e))?;
        writes += 1;
    }
    Ok(CycleStats {
        users: users.len(),
        reads: 2,
        writes,
        removed,
    })
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
            [Change::Set(_, props)] => assert_eq!(
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
            [Change::UnsetLimit(_)]
        ));
        assert!(matches!(
            &user_changes(None, &desired(None, false))[..],
            [Change::Add(p)] if p[0] == ("name", "081234567890".to_owned())
        ));
    }
}
