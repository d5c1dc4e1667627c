//! The router side of a login: confirm the device with the router, make the
//! user's hotspot account match the database, and hand the device over
//! (hotspot-login form fields, a bypass ip-binding, or a server-side login).

use std::net::IpAddr;

use routeros::{
    menus::{list, HotspotUser, IpBinding, Menu},
    Mac, Query,
};
use shared_types::{
    AccessStatus, BypassHandoff, HotspotClient, HotspotFields, HotspotHandoff, HotspotLoginHandoff,
    LoginMode,
};
use time::OffsetDateTime;

use crate::{
    crypto::{aad, new_hotspot_password},
    db::{routers::RouterRow, users::User},
    integrations::routers::{RouterClient, RouterError},
    state::AppState,
};

#[derive(Debug, thiserror::Error)]
pub enum HotspotError {
    #[error("the device address is not valid")]
    BadAddress,
    #[error("the router does not confirm this device")]
    NotConfirmed,
    #[error(transparent)]
    Router(#[from] RouterError),
    #[error("no router is configured")]
    NoRouter,
    #[error("database: {0}")]
    Db(#[from] tokio_postgres::Error),
    #[error("database pool: {0}")]
    Pool(#[from] deadpool_postgres::PoolError),
    #[error("stored hotspot password cannot be opened: {0}")]
    Sealed(#[from] crate::crypto::OpenError),
}

/// A device the router vouches for.
#[derive(Debug, Clone)]
pub struct ConfirmedDevice {
    pub mac: String,
    pub ip: IpAddr,
}

/// The router a user belongs to (their own, else the default one).
pub async fn router_of(state: &AppState, user: &User) -> Result<RouterRow, HotspotError> {
    let db = state.db.get().await?;
    let row = match user.router_id {
        Some(id) => crate::db::routers::by_id(&db, id).await?,
        None => None,
    };
    match row {
        Some(r) => Ok(r),
        None => crate::db::routers::default_router(&db)
            .await?
            .ok_or(HotspotError::NoRouter),
    }
}

/// Confirms the device with the router: its MAC at `ip` (hotspot host → ARP →
/// DHCP lease). A MAC the client reported must match what the router sees.
pub async fn confirm_device(
    client: &RouterClient,
    hint: &HotspotClient,
    fallback_ip: IpAddr,
) -> Result<ConfirmedDevice, HotspotError> {
    let ip: IpAddr = match hint.ip.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => s.parse().map_err(|_| HotspotError::BadAddress)?,
        None => fallback_ip,
    };
    let reported: Option<Mac> = match hint.mac.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => Some(s.parse().map_err(|_| HotspotError::BadAddress)?),
        None => None,
    };
    let seen = client
        .api()
        .mac_for_ip(&ip.to_string())
        .await
        .map_err(|e| client.err(e))?
        .ok_or(HotspotError::NotConfirmed)?;
    if reported.is_some_and(|m| m != seen) {
        return Err(HotspotError::NotConfirmed);
    }
    Ok(ConfirmedDevice {
        mac: seen.to_string(),
        ip,
    })
}

/// The user's hotspot password in clear, creating (and sealing) one when missing.
pub async fn hotspot_password(
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

/// The comment that ties router objects to a user.
pub fn owner_comment(user: &User) -> String {
    format!("gerbang:uid={}", user.id)
}

/// Makes `/ip/hotspot/user` for this user match the database: password,
/// profile, byte limit (what is left, counting what the router already
/// counted) and enabled state. Writes only what differs.
pub async fn ensure_user(
    client: &RouterClient,
    router: &RouterRow,
    user: &User,
    password: &str,
    now: OffsetDateTime,
) -> Result<(), HotspotError> {
    let Some(name) = user.hotspot_username() else {
        return Ok(());
    };
    let api = client.api();
    let existing = api
        .print(HotspotUser::PATH)
        .proplist(&[
            ".id",
            "name",
            "password",
            "profile",
            "limit-bytes-total",
            "bytes-in",
            "bytes-out",
            "disabled",
            "comment",
        ])
        .query(Query::Eq("name".into(), name.clone()))
        .rows()
        .await
        .map_err(|e| client.err(e))?;
    let status = user.facts().status(now.unix_timestamp());
    let facts = user.facts();
    let counted = existing
        .first()
        .map(|r| {
            r.u64("bytes-in").ok().flatten().unwrap_or(0)
                + r.u64("bytes-out").ok().flatten().unwrap_or(0)
        })
        .unwrap_or(0);
    // The router cuts the session itself at the limit (no overshoot in hotspot-login mode).
    let limit = if status == AccessStatus::Unlimited {
        None
    } else {
        Some((facts.remaining_bytes().max(0) as u64 + counted).to_string())
    };
    let disabled = if status.allows_access() {
        "false"
    } else {
        "true"
    };
    let comment = owner_comment(user);
    let mut desired: Vec<(&str, String)> = vec![
        ("password", password.to_owned()),
        ("profile", router.hotspot_profile.clone()),
        ("disabled", disabled.to_owned()),
        ("comment", comment),
    ];
    if let Some(l) = &limit {
        desired.push(("limit-bytes-total", l.clone()));
    }
    match existing.first() {
        None => {
            let mut props: Vec<(&str, &str)> = vec![("name", name.as_str())];
            props.extend(desired.iter().map(|(k, v)| (*k, v.as_str())));
            api.add(HotspotUser::PATH, props)
                .await
                .map_err(|e| client.err(e))?;
        }
        Some(row) => {
            let id = row.id().ok_or_else(|| {
                client.err(routeros::Error::Protocol("user row without .id".into()))
            })?;
            let changes: Vec<(&str, &str)> = desired
                .iter()
                .filter(|(k, v)| row.text(k).as_deref() != Some(v.as_str()))
                .map(|(k, v)| (*k, v.as_str()))
                .collect();
            if !changes.is_empty() {
                api.set(HotspotUser::PATH, id, changes)
                    .await
                    .map_err(|e| client.err(e))?;
            }
            if limit.is_none() && row.get("limit-bytes-total").is_some() {
                api.unset(HotspotUser::PATH, id, "limit-bytes-total")
                    .await
                    .map_err(|e| client.err(e))?;
            }
        }
    }
    Ok(())
}

/// Makes sure a bypass ip-binding exists for the device.
pub async fn ensure_binding(
    client: &RouterClient,
    router: &RouterRow,
    user: &User,
    mac: &str,
) -> Result<(), HotspotError> {
    let api = client.api();
    let bindings = list::<IpBinding>(api, [Query::Eq("mac-address".into(), mac.to_owned())])
        .await
        .map_err(|e| client.err(e))?;
    let comment = owner_comment(user);
    if let Some(b) = bindings.first() {
        if b.kind.as_deref() == Some("bypassed") && b.comment.as_deref() == Some(comment.as_str()) {
            return Ok(());
        }
        if let Some(id) = &b.id {
            api.set(
                IpBinding::PATH,
                *id,
                [("type", "bypassed"), ("comment", comment.as_str())],
            )
            .await
            .map_err(|e| client.err(e))?;
        }
        return Ok(());
    }
    api.add(
        IpBinding::PATH,
        [
            ("mac-address", mac),
            ("type", "bypassed"),
            ("server", router.hotspot_server.as_str()),
            ("comment", comment.as_str()),
        ],
    )
    .await
    .map_err(|e| client.err(e))?;
    Ok(())
}

/// Removes the bypass binding of a device that was replaced or deleted.
pub async fn remove_binding(client: &RouterClient, mac: &str) -> Result<(), HotspotError> {
    let api = client.api();
    let ids: Vec<_> = list::<IpBinding>(api, [Query::Eq("mac-address".into(), mac.to_owned())])
        .await
        .map_err(|e| client.err(e))?
        .into_iter()
        .filter(|b| {
            b.comment
                .as_deref()
                .is_some_and(|c| c.starts_with("gerbang:"))
        })
        .filter_map(|b| b.id)
        .collect();
    if !ids.is_empty() {
        api.remove(IpBinding::PATH, &ids)
            .await
            .map_err(|e| client.err(e))?;
    }
    Ok(())
}

/// Gets the router ready for this user and device, and says how the portal hands over.
pub async fn prepare_handoff(
    state: &AppState,
    client: &RouterClient,
    router: &RouterRow,
    user: &User,
    device: &ConfirmedDevice,
    dst: Option<&str>,
) -> Result<HotspotHandoff, HotspotError> {
    let now = OffsetDateTime::now_utc();
    let password = hotspot_password(state, user).await?;
    ensure_user(client, router, user, &password, now).await?;
    Ok(match router.login_mode {
        LoginMode::HotspotLogin => HotspotHandoff::HotspotLogin(HotspotLoginHandoff {
            action: router.login_url.clone(),
            fields: HotspotFields {
                username: user.hotspot_username().unwrap_or_default(),
                password: password.to_string(),
                dst: dst.unwrap_or_default().to_owned(),
                popup: "true".into(),
            },
        }),
        LoginMode::Bypass => {
            ensure_binding(client, router, user, &device.mac).await?;
            HotspotHandoff::Bypass(BypassHandoff {
                mac: device.mac.clone(),
            })
        }
    })
}

/// Logs the device in from the server (`/ip/hotspot/active/login`), or makes its
/// bypass binding. Already being logged in counts as success.
pub async fn connect(
    state: &AppState,
    client: &RouterClient,
    router: &RouterRow,
    user: &User,
    device: &ConfirmedDevice,
) -> Result<(), HotspotError> {
    prepare_handoff(state, client, router, user, device, None).await?;
    if router.login_mode == LoginMode::Bypass {
        return Ok(());
    }
    let active = list::<routeros::menus::Active>(
        client.api(),
        [Query::Eq("mac-address".into(), device.mac.clone())],
    )
    .await
    .map_err(|e| client.err(e))?;
    let name = user.hotspot_username().unwrap_or_default();
    if active
        .iter()
        .any(|a| a.user.as_deref() == Some(name.as_str()))
    {
        return Ok(());
    }
    let password = hotspot_password(state, user).await?;
    let mac: Mac = device.mac.parse().map_err(|_| HotspotError::BadAddress)?;
    client
        .api()
        .hotspot_login(&name, &password, mac, &device.ip.to_string())
        .await
        .map_err(|e| client.err(e))?;
    Ok(())
}
