//! Logins: OTP login with the hotspot handoff, password login, and the
//! one-time link that opens a session in the phone's main browser.

use shared_types::{LoginResult, OtpVerify, PasswordLogin, Role};
use time::OffsetDateTime;
use uuid::Uuid;
use zeroize::Zeroizing;

use crate::{
    crypto,
    db::{
        self,
        audit::Entry,
        sessions::{Kind, SessionDevice},
        users::{Approval, User},
    },
    identity::SessionTokens,
    services::{
        hotspot,
        otp::{self, OtpError},
        reconcile,
        router_account::{self, HotspotError},
        sessions::{self, Origin, SessionError},
        store_errors, StoreError,
    },
    state::AppState,
};

#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    #[error(transparent)]
    Otp(#[from] OtpError),
    #[error(transparent)]
    Hotspot(#[from] HotspotError),
    #[error(transparent)]
    Session(#[from] SessionError),
    /// The number is proven but the account is blocked; says why and whom to contact.
    #[error("the account is blocked")]
    Blocked { reason: String, contact: String },
    #[error("the registration waits for approval")]
    Pending,
    #[error("the account is deactivated")]
    Inactive { contact: String },
    #[error("this device belongs to another account")]
    DeviceTaken,
    #[error("the account cannot log in")]
    CannotLogIn,
    #[error("the link has expired or was already used")]
    LinkUsed,
    #[error("wrong username or password")]
    WrongPassword,
    /// Too many wrong passwords for this username; retry after the seconds
    /// given, or now with an unlock code from WhatsApp.
    #[error("too many wrong passwords")]
    Locked { retry_after: u64 },
    /// The unlock code is wrong, expired or used.
    #[error("wrong unlock code")]
    UnlockCodeInvalid { attempts_left: u32 },
    /// The account may log in, but not through this form.
    #[error("this account cannot sign in here")]
    WrongDoor,
    #[error(transparent)]
    Store(#[from] StoreError),
}
store_errors!(LoginError);

/// Why an account that proved its number cannot log in, with whom to contact.
async fn account_refusal(state: &AppState, user: &User) -> LoginError {
    let contact = state.facility().await.contact.clone();
    if user.blocked {
        LoginError::Blocked {
            reason: user.blocked_reason.clone().unwrap_or_default(),
            contact,
        }
    } else if user.approval != Approval::Approved {
        LoginError::Pending
    } else {
        LoginError::Inactive { contact }
    }
}

/// A login's answer and the cookies to set.
pub struct LoggedIn {
    pub result: LoginResult,
    pub cookies: SessionTokens,
}

/// `POST /auth/otp/verify`.
pub async fn otp_login(
    state: &AppState,
    req: &OtpVerify,
    origin: &Origin<'_>,
) -> Result<LoggedIn, LoginError> {
    let checked = otp::check(state, &req.phone, &req.code).await?;
    let user = {
        let db = state.db.get().await?;
        db::users::by_phone(&db, &checked.phone).await?
    };
    let Some(user) = user.filter(|u| u.approval != Approval::Rejected) else {
        return Err(otp::OtpError::Invalid { attempts_left: 0 }.into());
    };
    // Staff sign in with their username and password, never with a code.
    if user.role == Role::Staff {
        if !otp::consume(state, &checked).await? {
            return Err(otp::OtpError::Invalid { attempts_left: 0 }.into());
        }
        return Err(LoginError::WrongDoor);
    }
    // The right code proves the number is theirs: say why the account cannot go online.
    if !user.may_log_in() {
        if !otp::consume(state, &checked).await? {
            return Err(otp::OtpError::Invalid { attempts_left: 0 }.into());
        }
        return Err(account_refusal(state, &user).await);
    }

    // The router must place the named device at its address before the code is
    // spent. That does not prove the caller *is* that device, so nothing is
    // bound here: the device is recorded once the router shows this account
    // logged in from it (services::devices::confirm_current, and the worker).
    let mut handoff = None;
    let mut pending = SessionDevice::None;
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
                return Err(LoginError::DeviceTaken);
            }
        }
        let now = OffsetDateTime::now_utc();
        if user.facts().status(now.unix_timestamp()).allows_access() {
            handoff = Some(
                hotspot::prepare_handoff(state, &client, &router, &user, hint.dst.as_deref())
                    .await?,
            );
        } else {
            let password = router_account::password_of(state, &user).await?;
            reconcile::reconcile_user(state, &client, &router, &user, &password, now).await?;
        }
        pending = SessionDevice::Pending(device.mac);
    }

    if !otp::consume(state, &checked).await? {
        return Err(otp::OtpError::Invalid { attempts_left: 0 }.into());
    }

    let mac = match &pending {
        SessionDevice::Pending(mac) => Some(mac.clone()),
        _ => None,
    };
    let (user, cookies) = finish_login(state, user.id, pending, Kind::Otp, origin).await?;
    let token = sessions::new_handoff(state, user.id, mac.as_deref()).await?;
    Ok(LoggedIn {
        result: LoginResult {
            user: user.view(),
            status: user.status_view(OffsetDateTime::now_utc()),
            hotspot: handoff,
            open_in_browser_url: Some(sessions::handoff_url(state, &token)),
            device: None,
        },
        cookies,
    })
}

/// Creates the session under the user's row lock, audited, in one transaction.
async fn finish_login(
    state: &AppState,
    user_id: Uuid,
    device: SessionDevice,
    kind: Kind,
    origin: &Origin<'_>,
) -> Result<(User, SessionTokens), LoginError> {
    let mut db = state.db.get().await?;
    let tx = db.transaction().await?;
    let user = db::users::by_id_for_update(&tx, user_id)
        .await?
        .filter(User::may_log_in)
        .ok_or(LoginError::CannotLogIn)?;
    let mut entry = Entry::user(user.id, "session.login").ip(origin.ip).detail(
        "kind",
        match kind {
            Kind::Otp => "otp",
            Kind::Password => "password",
            Kind::Handoff => "handoff",
        },
    );
    match &device {
        SessionDevice::Pending(mac) => entry = entry.detail("pending_mac", mac.clone()),
        SessionDevice::Proven(id) => entry = entry.detail("device_id", id.to_string()),
        SessionDevice::None => {}
    }
    let (session_id, cookies) = sessions::issue(
        state,
        &tx,
        user.id,
        user.session_version,
        device,
        kind,
        origin,
    )
    .await?;
    db::audit::record(&tx, &entry.target("session", session_id)).await?;
    tx.commit().await?;
    Ok((user, cookies))
}

/// `POST /auth/session/consume`: a one-time link opened in the main browser.
pub async fn consume_handoff(
    state: &AppState,
    token: &str,
    origin: &Origin<'_>,
) -> Result<LoggedIn, LoginError> {
    let (user_id, mac) = sessions::take_handoff(state, token)
        .await?
        .ok_or(LoginError::LinkUsed)?;
    // The link's device, as far as the router has seen it log in by now.
    let device = match &mac {
        Some(mac) => {
            let db = state.db.get().await?;
            db::devices::of_user_by_mac(&db, user_id, mac).await?
        }
        None => None,
    };
    let session_device = match (&device, mac) {
        (Some(d), _) => SessionDevice::Proven(d.id),
        (None, Some(mac)) => SessionDevice::Pending(mac),
        (None, None) => SessionDevice::None,
    };
    let (user, cookies) =
        finish_login(state, user_id, session_device, Kind::Handoff, origin).await?;
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

/// Which accounts a password login form accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginDoor {
    /// The dashboard's form: admins and super admins only.
    Admins,
    /// Staff and teachers (`POST /auth/staff/login`).
    Staff,
}

/// The Redis keys that count wrong passwords for `username`: from one client
/// address (15 minutes) and from everywhere (an hour).
fn failure_keys(state: &AppState, username: &str, ip: std::net::IpAddr) -> (String, String) {
    (
        state.kv.key(&format!("login:fail:{username}:{ip}")),
        state.kv.key(&format!("login:fail:{username}")),
    )
}

/// Whether `username` is locked for a caller at `ip`, and for how long.
async fn lock_of(
    state: &AppState,
    username: &str,
    ip: std::net::IpAddr,
) -> Result<Option<u64>, fred::error::Error> {
    use fred::interfaces::KeysInterface;
    let (here, everywhere) = failure_keys(state, username, ip);
    let redis = state.kv.pool().next();
    let s = &state.settings.session;
    let mut ttl: Option<u64> = None;
    for (key, max) in [
        (here, s.max_password_failures),
        (everywhere, s.max_password_failures_per_username),
    ] {
        let n: Option<u64> = redis.get(&key).await?;
        if n.unwrap_or(0) >= max {
            let left: i64 = redis.ttl(&key).await?;
            ttl = Some(ttl.unwrap_or(0).max(left.max(1) as u64));
        }
    }
    Ok(ttl)
}

/// `POST /admin/auth/login`: username + password (argon2id). Wrong passwords
/// are counted in Redis (so locks hold across replicas) per username **and
/// client address** — a stranger guessing from one place locks out only that
/// place — and per username from everywhere, against guessing from many
/// addresses. A locked username takes the password only together with an
/// unlock code sent to the admin's WhatsApp (`request_unlock`), so nobody can
/// lock the facility's operators out, and while locked a guess without that
/// code is never even checked.
pub async fn password_login(
    state: &AppState,
    req: &PasswordLogin,
    origin: &Origin<'_>,
    door: LoginDoor,
) -> Result<LoggedIn, LoginError> {
    use fred::interfaces::KeysInterface;
    let username = req.username.trim().to_lowercase();
    let locked = lock_of(state, &username, origin.ip).await?;
    let found = {
        let db = state.db.get().await?;
        db::users::by_username(&db, &username).await?
    };
    let mut unlock = None;
    if let Some(retry_after) = locked {
        let refused = LoginError::Locked { retry_after };
        let Some(code) = req.unlock_code.as_deref() else {
            return Err(refused);
        };
        let Some(phone) = found.as_ref().and_then(|(u, _)| u.phone.clone()) else {
            return Err(refused);
        };
        match otp::check_for(state, otp::Purpose::AdminUnlock, &phone, code).await {
            Ok(checked) => unlock = Some(checked),
            Err(OtpError::Invalid { attempts_left }) => {
                return Err(LoginError::UnlockCodeInvalid { attempts_left })
            }
            Err(e) => return Err(e.into()),
        }
    }
    // Unknown usernames verify against a decoy so both paths take the same time.
    let phc = found
        .as_ref()
        .and_then(|(_, h)| h.clone())
        .unwrap_or_else(|| crypto::decoy_hash().to_owned());
    let ok = crypto::verify_password(Zeroizing::new(req.password.clone()), phc).await;
    let (here, everywhere) = failure_keys(state, &username, origin.ip);
    let redis = state.kv.pool().next();
    let user = match found {
        Some((user, _)) if ok => user,
        _ => {
            for (key, window) in [(&here, 900), (&everywhere, 3_600)] {
                let n: u64 = redis.incr(key).await?;
                if n == 1 {
                    let _: () = redis.expire(key, window, None).await?;
                }
            }
            tracing::info!("wrong password");
            return Err(LoginError::WrongPassword);
        }
    };
    let right_door = match door {
        LoginDoor::Admins => user.role.is_admin(),
        LoginDoor::Staff => user.role == Role::Staff,
    };
    if !user.may_log_in() || !right_door {
        return Err(LoginError::WrongDoor);
    }
    if let Some(checked) = &unlock {
        if !otp::consume(state, checked).await? {
            return Err(LoginError::UnlockCodeInvalid { attempts_left: 0 });
        }
        let _: () = redis.del(&everywhere).await?;
        tracing::warn!(user_id = %user.id, "password lock lifted with a WhatsApp code");
    }
    let _: () = redis.del(&here).await?;
    let (user, cookies) =
        finish_login(state, user.id, SessionDevice::None, Kind::Password, origin).await?;
    if unlock.is_some() {
        let db = state.db.get().await?;
        db::audit::record(
            &db,
            &Entry::user(user.id, "admin.unlock")
                .ip(origin.ip)
                .detail("how", "whatsapp_code"),
        )
        .await?;
    }
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

/// `POST /admin/auth/unlock`: sends an unlock code to the WhatsApp number of
/// `username` when it is an admin with a number and is locked for this
/// caller. One code per username per `session.unlock_cooldown_seconds`. The
/// answer never says whether anything was sent.
pub async fn request_unlock(
    state: &AppState,
    username: &str,
    ip: std::net::IpAddr,
) -> Result<u64, LoginError> {
    use fred::interfaces::KeysInterface;
    let username = username.trim().to_lowercase();
    let cooldown = state.settings.session.unlock_cooldown_seconds;
    if lock_of(state, &username, ip).await?.is_none() {
        return Ok(cooldown);
    }
    let found = {
        let db = state.db.get().await?;
        db::users::by_username(&db, &username).await?
    };
    let Some(phone) = found
        .filter(|(u, _)| u.role.is_admin() && u.may_log_in())
        .and_then(|(u, _)| u.phone)
    else {
        return Ok(cooldown);
    };
    let key = state.kv.key(&format!("unlock:cooldown:{username}"));
    let first: Option<String> = state
        .kv
        .pool()
        .next()
        .set(
            &key,
            "1",
            Some(fred::types::Expiration::EX(cooldown as i64)),
            Some(fred::types::SetOptions::NX),
            false,
        )
        .await?;
    if first.is_some() {
        otp::send_code(state, otp::Purpose::AdminUnlock, &phone, ip).await?;
    }
    Ok(cooldown)
}
