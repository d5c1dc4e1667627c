//! The router side of a login: confirm the device with the router, make the
//! user's hotspot account match the database, and hand the device over
//! (hotspot-login form fields, a bypass ip-binding, or a server-side login).

use std::net::IpAddr;

use routeros::{menus::list, Mac, Query};
use shared_types::{
    BypassHandoff, HotspotClient, HotspotFields, HotspotHandoff, HotspotLoginHandoff, LoginMode,
};
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
    let password = password_of(state, user).await?;
    reconcile::reconcile_user(state, client, router, user, &password, now).await?;
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
    let HotspotHandoff::HotspotLogin(handoff) =
        prepare_handoff(state, client, router, user, device, None).await?
    else {
        return Ok(());
    };
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
