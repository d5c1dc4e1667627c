//! Logins: OTP login with the hotspot handoff, password login, and the
//! one-time link that opens a session in the phone's main browser.

use shared_types::{LoginResult, OtpVerify, PasswordLogin};
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
    /// Too many wrong passwords for this username; retry after the seconds given.
    #[error("too many wrong passwords")]
    Locked { retry_after: u64 },
    /// The account may log in, but not through this form.
    #[error("this account cannot sign in here")]
    WrongDoor,
    #[error(transparent)]
    Store(#[from] StoreError),
}
store_errors!(LoginError);

/// Why an account that proved its number cannot log in, with whom to contact.
fn account_refusal(state: &AppState, user: &User) -> LoginError {
    let contact = state.settings.portal.contact.clone();
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
    // The right code proves the number is theirs: say why the account cannot go online.
    if !user.may_log_in() {
        if !otp::consume(state, &checked).await? {
            return Err(otp::OtpError::Invalid { attempts_left: 0 }.into());
        }
        return Err(account_refusal(state, &user));
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
}

/// `POST /admin/auth/login`: username + password (argon2id). Wrong passwords
/// are counted per username **and client address** in Redis (so the lock
/// holds across replicas): a stranger who guesses from one place locks out
/// only that place, never the operator at their desk.
pub async fn password_login(
    state: &AppState,
    req: &PasswordLogin,
    origin: &Origin<'_>,
    door: LoginDoor,
) -> Result<LoggedIn, LoginError> {
    use fred::interfaces::KeysInterface;
    let username = req.username.trim().to_lowercase();
    let key = state
        .kv
        .key(&format!("login:fail:{username}:{}", origin.ip));
    let redis = state.kv.pool().next();
    let failures: Option<u64> = redis.get(&key).await?;
    if failures.unwrap_or(0) >= state.settings.session.max_password_failures {
        let ttl: i64 = redis.ttl(&key).await?;
        return Err(LoginError::Locked {
            retry_after: ttl.max(1) as u64,
        });
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
            return Err(LoginError::WrongPassword);
        }
    };
    if !user.may_log_in() || (door == LoginDoor::Admins && !user.role.is_admin()) {
        return Err(LoginError::WrongDoor);
    }
    let _: () = redis.del(&key).await?;
    let (user, cookies) =
        finish_login(state, user.id, SessionDevice::None, Kind::Password, origin).await?;
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
