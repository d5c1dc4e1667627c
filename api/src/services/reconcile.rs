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
    /// The desired state for `user`. `counted` is what the router already
    /// counted for the account (bytes-in + bytes-out), so the router cuts the
    /// session exactly when the remaining quota is used.
    pub fn of(
        router: &RouterRow,
        user: &User,
        password: &str,
        counted: u64,
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
                .then(|| facts.remaining_bytes().max(0) as u64 + counted),
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

/// Bytes the router has counted for an account row.
pub fn counted(row: &Row) -> u64 {
    row.u64("bytes-in").ok().flatten().unwrap_or(0)
        + row.u64("bytes-out").ok().flatten().unwrap_or(0)
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
    let Some(desired) = DesiredUser::of(
        router,
        user,
        password,
        actual.map(counted).unwrap_or(0),
        now,
    ) else {
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

/// One reconcile cycle of a router's hotspot users.
pub async fn reconcile_router(
    state: &AppState,
    router: &RouterRow,
) -> Result<CycleStats, HotspotError> {
    let users = {
        let db = state.db.get().await?;
        crate::db::users::of_router(&db, router.id, router.is_default).await?
    };
    let client = state.routers.client(router).await?;
    let rows = client
        .api()
        .print(HotspotUser::PATH)
        .proplist(USER_PROPS)
        .rows()
        .await
        .map_err(|e| client.err(e))?;
    let by_name: HashMap<String, &Row> = rows
        .iter()
        .filter_map(|r| Some((r.text("name")?.into_owned(), r)))
        .collect();
    let now = OffsetDateTime::now_utc();
    let mut changes = Vec::new();
    let mut wanted = std::collections::HashSet::new();
    for user in &users {
        let password = password_of(state, user).await?;
        let actual = user
            .hotspot_username()
            .and_then(|n| by_name.get(&n).copied());
        let Some(desired) = DesiredUser::of(
            router,
            user,
            &password,
            actual.map(counted).unwrap_or(0),
            now,
        ) else {
            continue;
        };
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
                removed += 1;
            }
        }
    }
    let writes = apply(&client, changes).await?;
    Ok(CycleStats {
        users: users.len(),
        reads: 1,
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
