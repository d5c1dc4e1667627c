//! The router side of a login: find the device the router places at an
//! address, make the user's hotspot account match the database, hand over
//! the login form, and put a proven device back online from the server.

use std::net::IpAddr;

use routeros::{menus::list, Mac, Query};
use shared_types::{HotspotClient, HotspotFields, HotspotLoginHandoff, LoginMode};
use time::OffsetDateTime;

use crate::{
    db::{routers::RouterRow, users::User},
    integrations::routers::RouterClient,
    services::{
        reconcile,
        router_account::{ensure_binding, password_of, HotspotError},
    },
    state::AppState,
};

/// A device the router vouches for.
#[derive(Debug, Clone)]
pub struct ConfirmedDevice {
    pub mac: String,
    pub ip: IpAddr,
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

/// Gets the router ready for this user and returns the form the device posts
/// to the router's login page. Both login modes use it: in bypass mode that
/// login is the proof that turns into the device's binding.
pub async fn prepare_handoff(
    state: &AppState,
    client: &RouterClient,
    router: &RouterRow,
    user: &User,
    dst: Option<&str>,
) -> Result<HotspotLoginHandoff, HotspotError> {
    let now = OffsetDateTime::now_utc();
    let password = password_of(state, user).await?;
    reconcile::reconcile_user(state, client, router, user, &password, now).await?;
    Ok(HotspotLoginHandoff {
        action: router.login_url.clone(),
        fields: HotspotFields {
            username: user.hotspot_username().unwrap_or_default(),
            password: password.to_string(),
            dst: dst.unwrap_or_default().to_owned(),
            popup: "true".into(),
        },
    })
}

/// Puts a *proven* device (one the router has seen log in to this account)
/// back online from the server: a server-side login
/// (`/ip/hotspot/active/login`), or its bypass binding. Already being logged
/// in counts as success. Never call it for a device that is only named by an
/// address: that would bind someone else's phone.
pub async fn connect(
    state: &AppState,
    client: &RouterClient,
    router: &RouterRow,
    user: &User,
    device: &ConfirmedDevice,
) -> Result<(), HotspotError> {
    let handoff = prepare_handoff(state, client, router, user, None).await?;
    if router.login_mode == LoginMode::Bypass {
        return ensure_binding(client, router, user, &device.mac).await;
    }
    let HotspotFields {
        username, password, ..
    } = handoff.fields;
    let active = list::<routeros::menus::Active>(
        client.api(),
        [Query::Eq("mac-address".into(), device.mac.clone())],
    )
    .await
    .map_err(|e| client.err(e))?;
    if active
        .iter()
        .any(|a| a.user.as_deref() == Some(username.as_str()))
    {
        return Ok(());
    }
    let mac: Mac = device.mac.parse().map_err(|_| HotspotError::BadAddress)?;
    client
        .api()
        .hotspot_login(&username, &password, mac, &device.ip.to_string())
        .await
        .map_err(|e| client.err(e))?;
    Ok(())
}
