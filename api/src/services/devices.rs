//! A logged-in person's devices: list, rename, forget (which also clears
//! the device from the router), and the server-side connect for a pop-up
//! that closed before the form POST.

use std::net::IpAddr;

use shared_types::{AccessStatus, Connected, DeviceView, HotspotClient};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::{
    db::{self, audit::Entry},
    identity::Auth,
    services::{
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

/// Forgets a device: its bypass binding goes, its sessions on the router are kicked.
pub async fn delete_device(state: &AppState, auth: &Auth, id: Uuid) -> Result<(), DeviceError> {
    let removed = {
        let mut db = state.db.get().await?;
        let tx = db.transaction().await?;
        let removed = db::devices::delete(&tx, auth.user_id, id)
            .await?
            .ok_or(DeviceError::NotFound)?;
        db::audit::record(
            &tx,
            &Entry::user(auth.user_id, "device.delete")
                .target("device", id)
                .detail("mac", removed.mac.clone()),
        )
        .await?;
        tx.commit().await?;
        removed
    };
    let user = me_user(state, auth).await?;
    let (_, client) = router_account::session_for(state, &user).await?;
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

/// `POST /me/devices/current/connect`: log the session's device in from the server.
pub async fn connect_current(
    state: &AppState,
    auth: &Auth,
    fallback_ip: IpAddr,
) -> Result<Connected, DeviceError> {
    let device_id = auth.device_id.ok_or(DeviceError::NoDeviceInSession)?;
    let user = me_user(state, auth).await?;
    let status = user
        .facts()
        .status(OffsetDateTime::now_utc().unix_timestamp());
    if !status.allows_access() {
        return Err(DeviceError::NoAccess(status));
    }
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
        mac: confirmed.mac,
        ip: Some(confirmed.ip.to_string()),
    })
}
