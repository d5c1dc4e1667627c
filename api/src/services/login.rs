//! Logins and what a logged-in user can see and do with their devices:
//! OTP login with the hotspot handoff, password login, the one-time link,
//! `/me`, devices and the server-side connect.

use std::net::IpAddr;

use shared_types::{
    access::format_bytes, BrowserLink, Connected, DeviceView, ErrorCode, HotspotClient,
    LoginResult, OtpVerify, PasswordLogin, StatusView, UsageDay, UsageHistory, UserView,
};
use time::OffsetDateTime;
use uuid::Uuid;
use zeroize::Zeroizing;

use crate::{
    crypto,
    db::{
        self,
        audit::Entry,
        devices::{Device, Recorded},
        sessions::Kind,
        users::User,
    },
    error::ApiError,
    http::auth::{Auth, SessionCookies},
    services::{
        hotspot::{self, ConfirmedDevice},
        otp, reconcile,
        router_account::{self, HotspotError},
        sessions::{self, Origin},
    },
    state::AppState,
};

impl From<HotspotError> for ApiError {
    fn from(e: HotspotError) -> Self {
        match e {
            HotspotError::BadAddress => ApiError::new(
                ErrorCode::ValidationFailed,
                "client.ip or client.mac is not a valid address",
            )
            .with_detail("fields", serde_json::json!({"client": ["address"]})),
            HotspotError::NotConfirmed => ApiError::new(
                ErrorCode::DeviceNotConfirmed,
                "the router does not see this device at this address",
            ),
            e @ (HotspotError::Router(_) | HotspotError::NoRouter) => {
                ApiError::unavailable("the router", e)
            }
            HotspotError::Pool(e) => e.into(),
            HotspotError::Db(e) => e.into(),
            e @ HotspotError::Sealed(_) => ApiError::internal(e),
        }
    }
}

/// Why an account that proved its number cannot log in, with whom to contact.
fn account_refusal(state: &AppState, user: &User) -> ApiError {
    let contact = state.settings.portal.contact.clone();
    if user.blocked {
        ApiError::new(ErrorCode::AccountBlocked, "the account is blocked")
            .with_detail("reason", user.blocked_reason.clone().unwrap_or_default())
            .with_detail("contact", contact)
    } else if user.approval != "approved" {
        ApiError::new(
            ErrorCode::AccountPending,
            "the registration waits for approval",
        )
    } else {
        ApiError::new(ErrorCode::AccountInactive, "the account is deactivated")
            .with_detail("contact", contact)
    }
}

fn device_taken() -> ApiError {
    ApiError::new(
        ErrorCode::DeviceTaken,
        "this device belongs to another account",
    )
}

/// A login's answer and the cookies to set.
pub struct LoggedIn {
    pub result: LoginResult,
    pub cookies: SessionCookies,
}

/// `POST /auth/otp/verify`.
pub async fn otp_login(
    state: &AppState,
    req: &OtpVerify,
    origin: &Origin<'_>,
) -> Result<LoggedIn, ApiError> {
    let checked = otp::check(state, &req.phone, &req.code).await?;
    let user = {
        let db = state.db.get().await?;
        db::users::by_phone(&db, &checked.phone).await?
    };
    let Some(user) = user.filter(|u| u.approval != "rejected") else {
        return Err(otp::OtpError::Invalid { attempts_left: 0 }.into());
    };
    // The right code proves the number is theirs: say why the account cannot go online.
    if !user.may_log_in() {
        if !otp::consume(state, &checked).await? {
            return Err(otp::OtpError::Invalid { attempts_left: 0 }.into());
        }
        return Err(account_refusal(state, &user));
    }

    // The router must vouch for the device before the code is spent.
    let mut handoff = None;
    let mut confirmed = None;
    let mut router_id = None;
    if let Some(hint) = &req.client {
        let router = router_account::router_of(state, &user).await?;
        let client = state
            .routers
            .client(&router)
            .await
            .map_err(HotspotError::from)?;
        let device = hotspot::confirm_device(&client, hint, origin.ip).await?;
        {
            let db = state.db.get().await?;
            if db::devices::owner_of(&db, &device.mac)
                .await?
                .is_some_and(|owner| owner != user.id)
            {
                return Err(device_taken());
            }
        }
        let now = OffsetDateTime::now_utc();
        if user.facts().status(now.unix_timestamp()).allows_access() {
            handoff = Some(
                hotspot::prepare_handoff(
                    state,
                    &client,
                    &router,
                    &user,
                    &device,
                    hint.dst.as_deref(),
                )
                .await?,
            );
        } else {
            let password = router_account::password_of(state, &user).await?;
            reconcile::reconcile_user(state, &client, &router, &user, &password, now).await?;
        }
        router_id = Some(router.id);
        confirmed = Some(device);
    }

    if !otp::consume(state, &checked).await? {
        return Err(otp::OtpError::Invalid { attempts_left: 0 }.into());
    }

    let (user, device, replaced, cookies) = finish_login(
        state,
        user.id,
        confirmed.as_ref().zip(router_id),
        Kind::Otp,
        origin,
    )
    .await?;
    release_replaced(state, &user, &replaced).await;
    let device_id = device.as_ref().map(|d| d.id);
    let token = sessions::new_handoff(state, user.id, device_id).await?;
    Ok(LoggedIn {
        result: LoginResult {
            user: user.view(),
            status: user.status_view(OffsetDateTime::now_utc()),
            hotspot: handoff,
            open_in_browser_url: Some(sessions::handoff_url(state, &token)),
            device: device.map(|d| d.view(device_id)),
        },
        cookies,
    })
}

/// Records the device and creates the session, in one transaction under the user's row lock.
async fn finish_login(
    state: &AppState,
    user_id: Uuid,
    device: Option<(&ConfirmedDevice, Uuid)>,
    kind: Kind,
    origin: &Origin<'_>,
) -> Result<(User, Option<Device>, Vec<Device>, SessionCookies), ApiError> {
    let mut db = state.db.get().await?;
    let tx = db.transaction().await?;
    let user = db::users::by_id_for_update(&tx, user_id)
        .await?
        .filter(User::may_log_in)
        .ok_or_else(|| ApiError::new(ErrorCode::Unauthorized, "the account cannot log in"))?;
    let (device, replaced) = match device {
        Some((d, router_id)) => match db::devices::record(
            &tx,
            user.id,
            router_id,
            &d.mac,
            d.ip,
            state.settings.devices.max_per_user,
        )
        .await?
        {
            Recorded::Ok { device, replaced } => (Some(device), replaced),
            Recorded::Taken => return Err(device_taken()),
        },
        None => (None, vec![]),
    };
    let (session_id, cookies) = sessions::issue(
        state,
        &tx,
        user.id,
        user.session_version,
        device.as_ref().map(|d| d.id),
        kind,
        origin,
    )
    .await?;
    let mut entry = Entry::user(user.id, "session.login")
        .target("session", session_id)
        .ip(origin.ip)
        .detail(
            "kind",
            match kind {
                Kind::Otp => "otp",
                Kind::Password => "password",
                Kind::Handoff => "handoff",
            },
        );
    if let Some(d) = &device {
        entry = entry.detail("mac", d.mac.clone());
    }
    for r in &replaced {
        entry = entry.detail("replaced_mac", r.mac.clone());
    }
    db::audit::record(&tx, &entry).await?;
    tx.commit().await?;
    Ok((user, device, replaced, cookies))
}

/// Removes router state of devices that were replaced (bypass bindings); the
/// worker's reconcile catches anything this misses.
async fn release_replaced(state: &AppState, user: &User, replaced: &[Device]) {
    if replaced.is_empty() {
        return;
    }
    match router_account::session_for(state, user).await {
        Ok((router, _)) if router.login_mode != shared_types::LoginMode::Bypass => {}
        Ok((_, client)) => {
            for d in replaced {
                if let Err(e) = router_account::remove_binding(&client, &d.mac).await {
                    tracing::warn!(error = %e, "could not remove the binding of a replaced device");
                }
            }
        }
        Err(e) => tracing::warn!(error = %e, "router unavailable to release replaced devices"),
    }
}

/// `POST /auth/session/consume`: a one-time link opened in the main browser.
pub async fn consume_handoff(
    state: &AppState,
    token: &str,
    origin: &Origin<'_>,
) -> Result<LoggedIn, ApiError> {
    let (user_id, device_id) = sessions::take_handoff(state, token).await?.ok_or_else(|| {
        ApiError::new(
            ErrorCode::Unauthorized,
            "the link has expired or was already used",
        )
    })?;
    let mut db = state.db.get().await?;
    let tx = db.transaction().await?;
    let user = db::users::by_id(&tx, user_id)
        .await?
        .filter(User::may_log_in)
        .ok_or_else(|| ApiError::new(ErrorCode::Unauthorized, "the account cannot log in"))?;
    let device = match device_id {
        Some(d) => db::devices::get(&tx, user.id, d).await?,
        None => None,
    };
    let (session_id, cookies) = sessions::issue(
        state,
        &tx,
        user.id,
        user.session_version,
        device.as_ref().map(|d| d.id),
        Kind::Handoff,
        origin,
    )
    .await?;
    db::audit::record(
        &tx,
        &Entry::user(user.id, "session.login")
            .target("session", session_id)
            .ip(origin.ip)
            .detail("kind", "handoff"),
    )
    .await?;
    tx.commit().await?;
    let current = device.as_ref().map(|d| d.id);
    Ok(LoggedIn {
        result: LoginResult {
            user: user.view(),
            status: user.status_view(OffsetDateTime::now_utc()),
            hotspot: None,
            open_in_browser_url: None,
            device: device.map(|d| d.view(current)),
        },
        cookies,
    })
}

fn wrong_password() -> ApiError {
    ApiError::new(ErrorCode::Unauthorized, "wrong username or password")
}

/// `POST /admin/auth/login`: username + password (argon2id), with a per-username
/// failure lock counted in Redis so it holds across replicas.
pub async fn password_login(
    state: &AppState,
    req: &PasswordLogin,
    origin: &Origin<'_>,
    admins_only: bool,
) -> Result<LoggedIn, ApiError> {
    use fred::interfaces::KeysInterface;
    let username = req.username.trim().to_lowercase();
    let key = state.kv.key(&format!("login:fail:{username}"));
    let redis = state.kv.pool().next();
    let failures: Option<u64> = redis.get(&key).await?;
    if failures.unwrap_or(0) >= state.settings.session.max_password_failures {
        let ttl: i64 = redis.ttl(&key).await?;
        return Err(ApiError::rate_limited(ttl.max(1) as u64));
    }
    let found = {
        let db = state.db.get().await?;
        db::users::by_username(&db, &username).await?
    };
    // Unknown usernames verify against a decoy so both paths take the same time.
    let phc = found
        .as_ref()
        .and_then(|(_, h)| h.clone())
        .unwrap_or_else(|| crypto::decoy_hash().to_owned());
    let ok = crypto::verify_password(Zeroizing::new(req.password.clone()), phc).await;
    let user = match found {
        Some((user, _)) if ok => user,
        _ => {
            let n: u64 = redis.incr(&key).await?;
            if n == 1 {
                let _: () = redis.expire(&key, 900, None).await?;
            }
            tracing::info!(failures = n, "wrong password");
            return Err(wrong_password());
        }
    };
    if !user.may_log_in() || (admins_only && !user.role.is_admin()) {
        return Err(ApiError::new(
            ErrorCode::Forbidden,
            "this account cannot sign in here",
        ));
    }
    let _: () = redis.del(&key).await?;
    let (user, _, _, cookies) = finish_login(state, user.id, None, Kind::Password, origin).await?;
    Ok(LoggedIn {
        result: LoginResult {
            user: user.view(),
            status: user.status_view(OffsetDateTime::now_utc()),
            hotspot: None,
            open_in_browser_url: None,
            device: None,
        },
        cookies,
    })
}

async fn me_user(state: &AppState, auth: &Auth) -> Result<User, ApiError> {
    let db = state.db.get().await?;
    db::users::by_id(&db, auth.user_id)
        .await?
        .ok_or_else(|| ApiError::new(ErrorCode::Unauthorized, "sign in first"))
}

pub async fn me(state: &AppState, auth: &Auth) -> Result<UserView, ApiError> {
    Ok(me_user(state, auth).await?.view())
}

pub async fn my_status(state: &AppState, auth: &Auth) -> Result<StatusView, ApiError> {
    Ok(me_user(state, auth)
        .await?
        .status_view(OffsetDateTime::now_utc()))
}

/// Daily usage for the last `days` days (7 or 30 on the dashboard; 1–90 accepted).
pub async fn my_usage(state: &AppState, auth: &Auth, days: u32) -> Result<UsageHistory, ApiError> {
    if !(1..=90).contains(&days) {
        return Err(
            ApiError::new(ErrorCode::InvalidParameter, "days must be between 1 and 90")
                .with_detail("parameter", "days"),
        );
    }
    let db = state.db.get().await?;
    let days: Vec<UsageDay> = db::usage::daily(
        &db,
        auth.user_id,
        days as i32,
        &state.settings.worker.time_zone,
    )
    .await?
    .into_iter()
    .map(|(day, bytes)| UsageDay { day, bytes })
    .collect();
    let total_bytes = days.iter().map(|d| d.bytes).sum();
    Ok(UsageHistory {
        days,
        total_bytes,
        total_text: format_bytes(total_bytes),
    })
}

/// A fresh one-time link to this session for the phone's main browser.
pub async fn browser_link(state: &AppState, auth: &Auth) -> Result<BrowserLink, ApiError> {
    let token = sessions::new_handoff(state, auth.user_id, auth.device_id).await?;
    Ok(BrowserLink {
        url: sessions::handoff_url(state, &token),
        expires_in_seconds: state.settings.session.handoff_ttl_seconds as u32,
    })
}

pub async fn my_devices(state: &AppState, auth: &Auth) -> Result<Vec<DeviceView>, ApiError> {
    let db = state.db.get().await?;
    Ok(db::devices::list(&db, auth.user_id)
        .await?
        .iter()
        .map(|d| d.view(auth.device_id))
        .collect())
}

fn no_device() -> ApiError {
    ApiError::new(ErrorCode::NotFound, "no such device")
}

pub async fn rename_device(
    state: &AppState,
    auth: &Auth,
    id: Uuid,
    label: &str,
) -> Result<DeviceView, ApiError> {
    let db = state.db.get().await?;
    db::devices::set_label(&db, auth.user_id, id, label.trim())
        .await?
        .map(|d| d.view(auth.device_id))
        .ok_or_else(no_device)
}

/// Forgets a device: its bypass binding goes, its sessions on the router are kicked.
pub async fn delete_device(state: &AppState, auth: &Auth, id: Uuid) -> Result<(), ApiError> {
    let removed = {
        let mut db = state.db.get().await?;
        let tx = db.transaction().await?;
        let removed = db::devices::delete(&tx, auth.user_id, id)
            .await?
            .ok_or_else(no_device)?;
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
    let router = router_account::router_of(state, &user).await?;
    let client = state
        .routers
        .client(&router)
        .await
        .map_err(HotspotError::from)?;
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
) -> Result<Connected, ApiError> {
    let device_id = auth.device_id.ok_or_else(|| {
        ApiError::new(
            ErrorCode::Conflict,
            "this session has no device; log in from the hotspot",
        )
    })?;
    let user = me_user(state, auth).await?;
    let status = user
        .facts()
        .status(OffsetDateTime::now_utc().unix_timestamp());
    if !status.allows_access() {
        return Err(ApiError::new(ErrorCode::Forbidden, "no access right now")
            .with_detail("status", serde_json::to_value(status).unwrap_or_default()));
    }
    let device = {
        let db = state.db.get().await?;
        db::devices::get(&db, user.id, device_id)
            .await?
            .ok_or_else(no_device)?
    };
    let router = router_account::router_of(state, &user).await?;
    let client = state
        .routers
        .client(&router)
        .await
        .map_err(HotspotError::from)?;
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
