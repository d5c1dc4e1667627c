//! A logged-in person's devices: list, rename, forget (which also clears
//! the device from the router), confirm the device right after its login
//! form was posted, and "connect this device" for a pop-up that closed
//! before the form POST.

use std::net::IpAddr;

use shared_types::{AccessStatus, Connected, DeviceView, HotspotClient, LoginMode};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::{
    db::{self, audit::Entry, users::User},
    identity::Auth,
    services::{
        device_proof::{self, Proof, ProvenBy},
        hotspot,
        me::{me_user, MeError},
        router_account::{self, HotspotError},
        store_errors, StoreError,
    },
    state::AppState,
};

#[derive(Debug, thiserror::Error)]
pub enum DeviceError {
    #[error("no such device")]
    NotFound,
    /// The session was not opened from a hotspot device.
    #[error("this session has no device")]
    NoDeviceInSession,
    /// The router shows no login of this account from the session's device.
    #[error("the device has not logged in on the router")]
    NotOnline,
    /// The device is another account's.
    #[error("this device belongs to another account")]
    Taken,
    #[error("no access right now ({0:?})")]
    NoAccess(AccessStatus),
    #[error(transparent)]
    Me(#[from] MeError),
    #[error(transparent)]
    Hotspot(#[from] HotspotError),
    #[error(transparent)]
    Store(#[from] StoreError),
}
store_errors!(DeviceError);

pub async fn my_devices(state: &AppState, auth: &Auth) -> Result<Vec<DeviceView>, DeviceError> {
    let db = state.db.get().await?;
    Ok(db::devices::list(&db, auth.user_id)
        .await?
        .iter()
        .map(|d| d.view(auth.device_id))
        .collect())
}

pub async fn rename_device(
    state: &AppState,
    auth: &Auth,
    id: Uuid,
    label: &str,
) -> Result<DeviceView, DeviceError> {
    let db = state.db.get().await?;
    db::devices::set_label(&db, auth.user_id, id, label.trim())
        .await?
        .map(|d| d.view(auth.device_id))
        .ok_or(DeviceError::NotFound)
}

/// Forgets one of the caller's own devices.
pub async fn delete_device(state: &AppState, auth: &Auth, id: Uuid) -> Result<(), DeviceError> {
    let user = me_user(state, auth).await?;
    let entry = Entry::user(auth.user_id, "device.delete").target("device", id);
    forget_device(state, &user, id, entry).await
}

/// Forgets a device of `user`: the row goes (audited with `entry`, the MAC
/// added), then its bypass binding and its live sessions on the router.
pub async fn forget_device(
    state: &AppState,
    user: &User,
    id: Uuid,
    entry: Entry,
) -> Result<(), DeviceError> {
    let removed = {
        let mut db = state.db.get().await?;
        let tx = db.transaction().await?;
        let removed = db::devices::delete(&tx, user.id, id)
            .await?
            .ok_or(DeviceError::NotFound)?;
        db::audit::record(&tx, &entry.detail("mac", removed.mac.clone())).await?;
        tx.commit().await?;
        removed
    };
    let (_, client) = router_account::session_for(state, user).await?;
    router_account::remove_binding(&client, &removed.mac).await?;
    let sessions: Vec<_> = routeros::menus::list::<routeros::menus::Active>(
        client.api(),
        [routeros::Query::Eq(
            "mac-address".into(),
            removed.mac.clone(),
        )],
    )
    .await
    .map_err(|e| HotspotError::from(client.err(e)))?
    .into_iter()
    .filter_map(|a| a.id)
    .collect();
    client
        .api()
        .hotspot_kick(&sessions)
        .await
        .map_err(|e| HotspotError::from(client.err(e)))?;
    Ok(())
}

/// `POST /me/devices/current/confirm`, right after the login form was posted:
/// if the router shows this account logged in from the MAC the session named,
/// that device becomes this session's (and in bypass mode its binding replaces
/// the login). Idempotent: a session whose device is proven answers with it.
pub async fn confirm_current(state: &AppState, auth: &Auth) -> Result<DeviceView, DeviceError> {
    let pending = {
        let db = state.db.get().await?;
        db::sessions::pending_mac(&db, auth.session_id).await?
    };
    let Some(mac) = pending else {
        let db = state.db.get().await?;
        let device_id = auth.device_id.ok_or(DeviceError::NoDeviceInSession)?;
        return db::devices::get(&db, auth.user_id, device_id)
            .await?
            .map(|d| d.view(Some(d.id)))
            .ok_or(DeviceError::NotFound);
    };
    let user = me_user(state, auth).await?;
    let (router, client) = router_account::session_for(state, &user).await?;
    let username = user.hotspot_username().unwrap_or_default();
    let sessions = routeros::menus::list::<routeros::menus::Active>(
        client.api(),
        [routeros::Query::Eq("mac-address".into(), mac.clone())],
    )
    .await
    .map_err(|e| HotspotError::from(client.err(e)))?;
    let Some(session) = sessions
        .iter()
        .find(|a| a.user.as_deref() == Some(username.as_str()))
    else {
        return Err(DeviceError::NotOnline);
    };
    let ip: IpAddr = session
        .address
        .as_deref()
        .and_then(|a| a.parse().ok())
        .ok_or(DeviceError::NotOnline)?;
    let (device, replaced) = match device_proof::record_proven(
        state,
        user.id,
        router.id,
        &mac,
        ip,
        ProvenBy::Session(auth.session_id),
    )
    .await?
    {
        Proof::Recorded { device, replaced } => (device, replaced),
        Proof::Taken => return Err(DeviceError::Taken),
        Proof::NoUser => return Err(DeviceError::NotFound),
    };
    if router.login_mode == LoginMode::Bypass {
        // The binding takes over from the login that proved the device.
        let ids: Vec<_> = sessions.iter().filter_map(|a| a.id).collect();
        client
            .api()
            .hotspot_kick(&ids)
            .await
            .map_err(|e| HotspotError::from(client.err(e)))?;
        router_account::ensure_binding(&client, &router, &user, &mac).await?;
        for d in &replaced {
            router_account::remove_binding(&client, &d.mac).await?;
        }
    }
    Ok(device.view(Some(device.id)))
}

/// `POST /me/devices/current/connect`: put this session's device online from
/// the server — only a device the router has seen log in to this account. A
/// session whose device is not proven gets the login form to post from this
/// browser instead (so the router sees the device itself).
pub async fn connect_current(
    state: &AppState,
    auth: &Auth,
    fallback_ip: IpAddr,
) -> Result<Connected, DeviceError> {
    let user = me_user(state, auth).await?;
    let status = user
        .facts()
        .status(OffsetDateTime::now_utc().unix_timestamp());
    if !status.allows_access() {
        return Err(DeviceError::NoAccess(status));
    }
    let Some(device_id) = auth.device_id else {
        let pending = {
            let db = state.db.get().await?;
            db::sessions::pending_mac(&db, auth.session_id).await?
        };
        if pending.is_none() {
            return Err(DeviceError::NoDeviceInSession);
        }
        let (router, client) = router_account::session_for(state, &user).await?;
        let dst = format!(
            "{}/?terhubung=1",
            state.settings.http.public_url.trim_end_matches('/')
        );
        let form = hotspot::prepare_handoff(state, &client, &router, &user, Some(&dst)).await?;
        return Ok(Connected {
            mode: router.login_mode,
            mac: None,
            ip: None,
            login_form: Some(form),
        });
    };
    let device = {
        let db = state.db.get().await?;
        db::devices::get(&db, user.id, device_id)
            .await?
            .ok_or(DeviceError::NotFound)?
    };
    let (router, client) = router_account::session_for(state, &user).await?;
    // The device's current address, confirmed again (it may have a new lease).
    let hint = HotspotClient {
        ip: device.last_ip.map(|ip| ip.to_string()),
        mac: Some(device.mac.clone()),
        ..Default::default()
    };
    let confirmed = hotspot::confirm_device(&client, &hint, fallback_ip).await?;
    hotspot::connect(state, &client, &router, &user, &confirmed).await?;
    Ok(Connected {
        mode: router.login_mode,
        mac: Some(confirmed.mac),
        ip: Some(confirmed.ip.to_string()),
        login_form: None,
    })
}
