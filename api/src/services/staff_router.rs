//! Staff members' hotspot accounts on the router (docs/architecture.md,
//! "Staff accounts"): found by the comment equal to the operator key and
//! changed by their `.id`, never by name. The staff page and its password
//! change, and the admin's sync (one read of the router's accounts, sorted
//! by comment), adopting an existing account, and creating a missing one.

use std::net::IpAddr;

use routeros::{
    menus::{list as read_menu, Active, HotspotUser, Menu},
    Query,
};
use shared_types::{
    HotspotAccount, HotspotAccountCreated, HotspotPasswordChange, HotspotPasswordChanged,
    RouterAccount, StaffLink, StaffPage, StaffSession, StaffSync,
};
use uuid::Uuid;

use super::staff::{me, view, StaffError};
use crate::{
    crypto::new_hotspot_password,
    db::{self, audit::Entry, routers::RouterRow, staff::Staff},
    identity::Auth,
    integrations::routers::RouterClient,
    state::AppState,
};

/// The staff member's router and a session to it.
async fn router_of(
    state: &AppState,
    staff: &Staff,
) -> Result<(RouterRow, RouterClient), StaffError> {
    router_by_id(state, staff.router_id).await
}

/// A router (`None`: the default one) and a session to it.
async fn router_by_id(
    state: &AppState,
    id: Option<Uuid>,
) -> Result<(RouterRow, RouterClient), StaffError> {
    let router = {
        let db = state.db.get().await?;
        match id {
            Some(id) => db::routers::by_id(&db, id).await?,
            None => db::routers::default_router(&db).await?,
        }
    }
    .ok_or(StaffError::UnknownRouter)?;
    let client = state
        .routers
        .client(&router)
        .await
        .map_err(|e| StaffError::RouterDown(e.to_string()))?;
    Ok((router, client))
}

/// The hotspot account whose comment is `key`, and its live sessions.
async fn account_of(
    client: &RouterClient,
    key: &str,
) -> Result<Option<(HotspotUser, Vec<Active>)>, StaffError> {
    let api = client.api();
    let down = |e: routeros::Error| StaffError::RouterDown(e.to_string());
    let Some(user) = read_menu::<HotspotUser>(api, [Query::Eq("comment".into(), key.to_owned())])
        .await
        .map_err(down)?
        .into_iter()
        .next()
    else {
        return Ok(None);
    };
    let name = user.name.clone().unwrap_or_default();
    let sessions = read_menu::<Active>(api, [Query::Eq("user".into(), name)])
        .await
        .map_err(down)?;
    Ok(Some((user, sessions)))
}

/// `GET /me/staff`: the staff page, with the account as the router has it.
pub async fn page(state: &AppState, auth: &Auth) -> Result<StaffPage, StaffError> {
    let staff = me(state, auth).await?;
    let mut page = StaffPage {
        username: staff.username.clone(),
        name: staff.name.clone(),
        operator_key: staff.operator_key.clone(),
        router_name: staff.router_name.clone(),
        router_reachable: false,
        hotspot: None,
    };
    let found = match router_of(state, &staff).await {
        Ok((_, client)) => account_of(&client, &staff.operator_key).await,
        Err(e) => Err(e),
    };
    match found {
        Ok(found) => {
            page.router_reachable = true;
            page.hotspot = found.map(|(u, sessions)| HotspotAccount {
                username: u.name.unwrap_or_default(),
                profile: u.profile,
                enabled: u.disabled != Some(true),
                uptime_seconds: u.uptime.map_or(0, |d| d.as_secs() as i64),
                bytes: (u.bytes_in.unwrap_or(0) + u.bytes_out.unwrap_or(0)) as i64,
                sessions: sessions
                    .into_iter()
                    .map(|s| StaffSession {
                        address: s.address,
                        mac_address: s.mac_address.map(|m| m.to_string()),
                        uptime_seconds: s.uptime.map_or(0, |d| d.as_secs() as i64),
                        bytes: (s.bytes_in.unwrap_or(0) + s.bytes_out.unwrap_or(0)) as i64,
                    })
                    .collect(),
            });
        }
        Err(StaffError::RouterDown(e)) => {
            tracing::warn!(error = %e, "staff page: router not read");
        }
        Err(e) => return Err(e),
    }
    Ok(page)
}

/// `PUT /me/hotspot-password`: the staff member's hotspot account (found by
/// its comment, changed by its `.id`) gets the new password, then every
/// live session of it is ended so that only the new password logs in.
/// Nothing is stored in gerbang's database: the router owns this password.
pub async fn change_hotspot_password(
    state: &AppState,
    auth: &Auth,
    change: &HotspotPasswordChange,
    ip: IpAddr,
) -> Result<HotspotPasswordChanged, StaffError> {
    let staff = me(state, auth).await?;
    let (_, client) = router_of(state, &staff).await?;
    let (user, sessions) = account_of(&client, &staff.operator_key)
        .await?
        .ok_or(StaffError::NoHotspotAccount)?;
    let id = user.id.ok_or(StaffError::NoHotspotAccount)?;
    let api = client.api();
    let down = |e: routeros::Error| StaffError::RouterDown(e.to_string());
    api.set(
        HotspotUser::PATH,
        id,
        [("password", change.password.as_str())],
    )
    .await
    .map_err(down)?;
    let ids: Vec<_> = sessions.iter().filter_map(|s| s.id).collect();
    api.hotspot_kick(&ids).await.map_err(down)?;
    let db = state.db.get().await?;
    db::audit::record(
        &db,
        &Entry::user(auth.user_id, "staff.hotspot_password")
            .ip(ip)
            .detail("sessions_ended", ids.len()),
    )
    .await?;
    Ok(HotspotPasswordChanged {
        sessions_ended: u32::try_from(ids.len()).unwrap_or(u32::MAX),
    })
}

fn router_account(u: &HotspotUser) -> RouterAccount {
    RouterAccount {
        name: u.name.clone().unwrap_or_default(),
        comment: u.comment.clone().filter(|c| !c.is_empty()),
        profile: u.profile.clone(),
        disabled: u.disabled == Some(true),
    }
}

/// `GET /admin/staff/sync`: reads the router's hotspot accounts once and
/// sorts them by comment: staff whose account exists, staff whose account
/// is missing, accounts with a comment that matches no staff member, and
/// the rest (no comment, or gerbang's residents), left alone.
pub async fn sync(state: &AppState, router_id: Option<Uuid>) -> Result<StaffSync, StaffError> {
    let (router, client) = router_by_id(state, router_id).await?;
    let accounts = read_menu::<HotspotUser>(client.api(), [])
        .await
        .map_err(|e| StaffError::RouterDown(e.to_string()))?;
    drop(client);
    let staff: Vec<Staff> = {
        let db = state.db.get().await?;
        db::staff::list(&db)
            .await?
            .into_iter()
            .filter(|s| s.router_id == Some(router.id))
            .collect()
    };
    let mut out = StaffSync {
        router_id: router.id.to_string().into(),
        router_name: router.name.clone(),
        linked: Vec::new(),
        missing: Vec::new(),
        unmatched: Vec::new(),
        left_alone: 0,
    };
    for s in &staff {
        match accounts
            .iter()
            .find(|a| a.comment.as_deref() == Some(s.operator_key.as_str()))
        {
            Some(a) => out.linked.push(StaffLink {
                staff: view(s),
                account: router_account(a),
            }),
            None => out.missing.push(view(s)),
        }
    }
    for a in &accounts {
        let comment = a.comment.as_deref().unwrap_or_default();
        if comment.is_empty() || comment.starts_with("gerbang:") {
            out.left_alone += 1;
        } else if !staff.iter().any(|s| s.operator_key == comment) {
            out.unmatched.push(router_account(a));
        }
    }
    Ok(out)
}

/// `POST /admin/staff/{id}/adopt`: the router account `name` becomes the
/// staff member's: its comment is set to their operator key (by `.id`);
/// its password, profile and everything else stay as they are.
pub async fn adopt(
    state: &AppState,
    actor: &Auth,
    id: Uuid,
    name: &str,
    ip: IpAddr,
) -> Result<StaffLink, StaffError> {
    let staff = staff_by_id(state, id).await?;
    let (_, client) = router_of(state, &staff).await?;
    let api = client.api();
    let down = |e: routeros::Error| StaffError::RouterDown(e.to_string());
    if let Some((other, _)) = account_of(&client, &staff.operator_key).await? {
        if other.name.as_deref() != Some(name) {
            return Err(StaffError::AlreadyLinked(other.name.unwrap_or_default()));
        }
    }
    let account = read_menu::<HotspotUser>(api, [Query::Eq("name".into(), name.to_owned())])
        .await
        .map_err(down)?
        .into_iter()
        .next()
        .ok_or(StaffError::NoSuchAccount)?;
    if account
        .comment
        .as_deref()
        .is_some_and(|c| c.starts_with("gerbang:"))
    {
        return Err(StaffError::ResidentAccount);
    }
    let rid = account.id.ok_or(StaffError::NoSuchAccount)?;
    api.set(
        HotspotUser::PATH,
        rid,
        [("comment", staff.operator_key.as_str())],
    )
    .await
    .map_err(down)?;
    let db = state.db.get().await?;
    db::audit::record(
        &db,
        &Entry::admin(actor.user_id, "staff.adopt")
            .target("user", id)
            .ip(ip)
            .detail("account", name)
            .detail("comment_before", account.comment.clone()),
    )
    .await?;
    let mut linked = router_account(&account);
    linked.comment = Some(staff.operator_key.clone());
    Ok(StaffLink {
        staff: view(&staff),
        account: linked,
    })
}

/// `POST /admin/staff/{id}/hotspot-account`: creates the missing account
/// on the staff member's router — named by their username, commented with
/// their operator key, a generated password shown once.
pub async fn create_account(
    state: &AppState,
    actor: &Auth,
    id: Uuid,
    ip: IpAddr,
) -> Result<HotspotAccountCreated, StaffError> {
    let staff = staff_by_id(state, id).await?;
    let (router, client) = router_of(state, &staff).await?;
    if let Some((other, _)) = account_of(&client, &staff.operator_key).await? {
        return Err(StaffError::AlreadyLinked(other.name.unwrap_or_default()));
    }
    let api = client.api();
    let down = |e: routeros::Error| StaffError::RouterDown(e.to_string());
    let taken = read_menu::<HotspotUser>(api, [Query::Eq("name".into(), staff.username.clone())])
        .await
        .map_err(down)?;
    if !taken.is_empty() {
        return Err(StaffError::AccountNameTaken);
    }
    let password = new_hotspot_password();
    api.add(
        HotspotUser::PATH,
        [
            ("name", staff.username.as_str()),
            ("password", password.as_str()),
            ("comment", staff.operator_key.as_str()),
            ("server", router.hotspot_server.as_str()),
            ("profile", router.hotspot_profile.as_str()),
        ],
    )
    .await
    .map_err(down)?;
    let db = state.db.get().await?;
    db::audit::record(
        &db,
        &Entry::admin(actor.user_id, "staff.hotspot_account")
            .target("user", id)
            .ip(ip)
            .detail("account", staff.username.clone()),
    )
    .await?;
    Ok(HotspotAccountCreated {
        username: staff.username,
        password,
    })
}

/// A changed operator key follows on the router: the account carrying the
/// old key gets the new one as its comment (by `.id`; name and password
/// stay). Returns its name, or `None` when the router has no account with
/// the old key (then an account already carrying the new key simply becomes
/// theirs — a mistyped key corrected). 409 when the staff member has an
/// account and another one already carries the new key.
pub(super) async fn rekey(
    state: &AppState,
    staff: &Staff,
    new_key: &str,
) -> Result<Option<String>, StaffError> {
    let (_, client) = router_of(state, staff).await?;
    let Some((account, _)) = account_of(&client, &staff.operator_key).await? else {
        return Ok(None);
    };
    if let Some((other, _)) = account_of(&client, new_key).await? {
        if other.id != account.id {
            return Err(StaffError::AlreadyLinked(other.name.unwrap_or_default()));
        }
    }
    let id = account.id.ok_or(StaffError::NoHotspotAccount)?;
    client
        .api()
        .set(HotspotUser::PATH, id, [("comment", new_key)])
        .await
        .map_err(|e| StaffError::RouterDown(e.to_string()))?;
    Ok(account.name)
}

async fn staff_by_id(state: &AppState, id: Uuid) -> Result<Staff, StaffError> {
    let db = state.db.get().await?;
    db::staff::by_id(&db, id, false)
        .await?
        .map(|(s, _)| s)
        .ok_or(StaffError::NotFound)
}

/// What gerbang owns on a staff member's account: whether it is enabled.
/// A blocked or deactivated staff member's account (found by comment) is
/// disabled and its live sessions end; unblocked, it is enabled again.
/// Password, profile and limits stay the router's and the staff member's.
/// Returns the writes made (0 when it already matched or has no account).
pub async fn enforce_status(
    state: &AppState,
    user: &crate::db::users::User,
) -> Result<usize, StaffError> {
    let staff = staff_by_id(state, user.id).await?;
    let (_, client) = router_of(state, &staff).await?;
    let Some((account, sessions)) = account_of(&client, &staff.operator_key).await? else {
        return Ok(0);
    };
    let Some(id) = account.id else {
        return Ok(0);
    };
    let api = client.api();
    let down = |e: routeros::Error| StaffError::RouterDown(e.to_string());
    let want_disabled = !user.may_log_in();
    let mut writes = 0;
    if (account.disabled == Some(true)) != want_disabled {
        let flag = if want_disabled { "yes" } else { "no" };
        api.set(HotspotUser::PATH, id, [("disabled", flag)])
            .await
            .map_err(down)?;
        writes += 1;
    }
    if want_disabled {
        let ids: Vec<_> = sessions.iter().filter_map(|s| s.id).collect();
        if !ids.is_empty() {
            api.hotspot_kick(&ids).await.map_err(down)?;
            writes += 1;
        }
    }
    Ok(writes)
}
