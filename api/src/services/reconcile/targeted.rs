//! The targeted reaction to a change of one user (block, unblock, approval,
//! top-up, …), and the account write a login makes before its handoff.

use routeros::{menus::HotspotUser, menus::Menu, Query, Row};
use shared_types::LoginMode;
use time::OffsetDateTime;

use super::{
    apply::{apply, kick, relogin, remove_where, Relogin},
    desired::{desired_for, DesiredUser},
    diff::user_changes,
    plan::plan_sessions,
    snapshot::{text_of, ACTIVE_PROPS, USER_PROPS},
};
use crate::{
    db::{routers::RouterRow, users::User},
    integrations::routers::RouterClient,
    services::router_account::{ensure_binding, owner_comment, password_of, HotspotError},
    state::AppState,
};

/// Makes one user's hotspot account match the database (before a login hands over).
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

/// The targeted reaction to a change of one user: the hotspot account is
/// made to match, the live sessions follow the one session rule
/// ([`plan_sessions`]), and then
/// - without access: MAC cookies and bypass bindings are removed too;
/// - with access in bypass mode: every device gets its binding back;
/// - with access after being cut off (hotspot mode): devices still on the
///   hotspot are logged back in.
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
    let Some(desired) = desired else {
        return Ok(writes);
    };
    let bypass = router.login_mode == LoginMode::Bypass;
    let live: Vec<&Row> = sessions.iter().collect();
    let plan = plan_sessions(router.login_mode, before.as_ref(), &desired, &live);
    writes += kick(client, &plan.kick).await?;
    if desired.disabled {
        writes += remove_where(client, routeros::menus::Cookie::PATH, by_user()).await?;
        writes += remove_where(
            client,
            routeros::menus::IpBinding::PATH,
            Query::Eq("comment".into(), owner_comment(&user.id)),
        )
        .await?;
        return Ok(writes);
    }
    if bypass {
        for mac in device_macs(state, user).await? {
            ensure_binding(client, router, user, &mac).await?;
        }
        return Ok(writes);
    }
    if plan.was_cut {
        writes += log_devices_back_in(state, client, user, &name, &password, &sessions).await?;
    }
    let stale: Vec<Relogin> = plan
        .relogin
        .iter()
        .map(|a| Relogin {
            session: a,
            name: &name,
            password: &password,
        })
        .collect();
    writes += relogin(client, &stale).await?;
    Ok(writes)
}

/// The MACs of the user's confirmed devices.
async fn device_macs(state: &AppState, user: &User) -> Result<Vec<String>, HotspotError> {
    let db = state.db.get().await?;
    let mut macs = crate::db::devices::macs_of_users(&db, &[user.id]).await?;
    Ok(macs.remove(&user.id).unwrap_or_default())
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
    let macs = device_macs(state, user).await?;
    if macs.is_empty() {
        return Ok(0);
    }
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
