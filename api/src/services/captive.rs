//! RFC 8908 captive-portal API: is this client still held by the portal?

use std::net::IpAddr;

use shared_types::{AccessStatus, CaptiveInfo, PortalConfig};
use time::OffsetDateTime;

use crate::{db, identity::Auth, services::StoreError, state::AppState};

/// The answer for a client: by its session when it has one, else by the
/// device last seen at its address.
pub async fn info(
    state: &AppState,
    auth: Option<&Auth>,
    ip: IpAddr,
) -> Result<CaptiveInfo, StoreError> {
    let db = state.db.get().await?;
    let user_id = match auth {
        Some(a) => Some(a.user_id),
        None => db::devices::by_last_ip(&db, ip).await?.map(|d| d.user_id),
    };
    let user = match user_id {
        Some(id) => db::users::by_id(&db, id).await?,
        None => None,
    };
    let portal = format!("{}/", state.settings.http.public_url.trim_end_matches('/'));
    let now = OffsetDateTime::now_utc();
    let Some(user) = user else {
        return Ok(CaptiveInfo {
            captive: true,
            user_portal_url: portal,
            venue_info_url: None,
            seconds_remaining: None,
            bytes_remaining: None,
            can_extend_session: false,
        });
    };
    let status = user.facts().status(now.unix_timestamp());
    let open = status.allows_access();
    Ok(CaptiveInfo {
        captive: !open,
        user_portal_url: portal,
        venue_info_url: None,
        seconds_remaining: if open {
            user.valid_until.map(|v| (v - now).whole_seconds().max(0))
        } else {
            None
        },
        bytes_remaining: (open && status != AccessStatus::Unlimited)
            .then(|| user.facts().remaining_bytes()),
        can_extend_session: db::packages::any_active_package(&db).await?,
    })
}

/// `GET /portal`: what the portal shows before login. `mac` is the router's
/// `$(mac)` from the captive redirect; only its form is judged (randomized or
/// not), nothing is looked up, so the answer reveals nothing about accounts.
pub async fn portal(state: &AppState, mac: Option<&str>) -> Result<PortalConfig, StoreError> {
    let s = &state.settings;
    let facility = state.facility().await;
    let packages_on_sale = {
        let db = state.db.get().await?;
        db::packages::any_active_package(&db).await?
    };
    Ok(PortalConfig {
        facility_name: facility.facility_name.clone(),
        contact: facility.contact.clone(),
        turnstile_site_key: s.turnstile.site_key.clone(),
        turnstile_script_url: s.turnstile.script_url.clone(),
        turnstile_action_otp: s.turnstile.action.clone(),
        turnstile_action_register: crate::services::registration::TURNSTILE_ACTION.into(),
        packages_on_sale,
        randomized_mac: mac
            .filter(|m| m.parse::<routeros::Mac>().is_ok())
            .map(db::devices::is_randomized),
    })
}
