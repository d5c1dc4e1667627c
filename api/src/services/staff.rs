//! Staff and teachers (docs/architecture.md, "Staff accounts"): created by
//! admins with a web password stored twice — an argon2id hash that logs
//! them in and a sealed copy (the row id as associated data) that a super
//! admin, or an admin when the facility allows it, may reveal after
//! confirming their own password within the last 5 minutes; every reveal is
//! audited and rate-limited. Staff log in with username and password (never
//! OTP) and manage their own hotspot account, which the router holds under
//! a comment equal to their operator key: gerbang finds it by that comment
//! and changes it by its `.id`, never by name (`staff_router`).

use std::net::IpAddr;

use shared_types::{
    Confirmed, NewStaff, Role, ShownPassword, StaffCreated, StaffView, WebPasswordChange,
};
use uuid::Uuid;
use zeroize::Zeroizing;

use crate::{
    crypto::{aad, hash_password, new_hotspot_password, verify_password},
    db::{self, audit::Entry, staff::Staff, users::rfc3339},
    identity::Auth,
    services::{router_account::HotspotError, store_errors, StoreError},
    state::AppState,
};

/// How long a confirmed password lets an admin reveal passwords.
pub const CONFIRM_SECONDS: u32 = 300;
/// Reveals one admin may make per hour.
pub const REVEALS_PER_HOUR: u64 = 10;
/// Wrong confirmations one admin may make per 15 minutes.
const CONFIRM_FAILURES: u64 = 5;

#[derive(Debug, thiserror::Error)]
pub enum StaffError {
    #[error("no staff member with this id")]
    NotFound,
    #[error("another account has this username")]
    UsernameTaken,
    #[error("another staff member has this operator key")]
    OperatorKeyTaken,
    #[error("no router with this id")]
    UnknownRouter,
    /// The role may not do this (an admin revealing without the setting).
    #[error("this needs a super admin")]
    Rank,
    /// Reveal without a fresh confirmation of the admin's own password.
    #[error("confirm your own password first")]
    ConfirmFirst,
    #[error("the password is not right")]
    WrongPassword,
    #[error("too many attempts; try again in {0} s")]
    Limited(u64),
    /// The staff member's router has no account with their operator key.
    #[error("the router has no hotspot account with this operator key")]
    NoHotspotAccount,
    #[error("the router cannot be reached: {0}")]
    RouterDown(String),
    /// Another router account already carries the staff member's key.
    #[error("the account {0} already carries this operator key")]
    AlreadyLinked(String),
    #[error("the router has no account with this name")]
    NoSuchAccount,
    /// Adopting a resident's account (gerbang's own comment) is refused.
    #[error("this is a resident's account managed by gerbang")]
    ResidentAccount,
    #[error("the router already has an account with this name")]
    AccountNameTaken,
    /// A shared rate limit's own answer (429 with its wait).
    #[error("rate limited")]
    Http(crate::error::ApiError),
    #[error(transparent)]
    Internal(anyhow::Error),
    #[error(transparent)]
    Store(#[from] StoreError),
}
store_errors!(StaffError);

impl From<HotspotError> for StaffError {
    fn from(e: HotspotError) -> Self {
        match e {
            HotspotError::Store(s) => StaffError::Store(s),
            HotspotError::Db(e) => StaffError::Store(e.into()),
            HotspotError::Pool(e) => StaffError::Store(e.into()),
            other => StaffError::RouterDown(other.to_string()),
        }
    }
}

fn sealed_aad(id: &Uuid) -> String {
    aad("users", "web_password_sealed", id)
}

pub fn view(s: &Staff) -> StaffView {
    StaffView {
        id: s.id.to_string().into(),
        username: s.username.clone(),
        name: s.name.clone(),
        operator_key: s.operator_key.clone(),
        router_id: s.router_id.map(|r| r.to_string().into()),
        router_name: s.router_name.clone(),
        password_set_at: s.password_set_at.map(|t| rfc3339(t).into()),
        active: s.active,
        blocked: s.blocked,
        created_at: rfc3339(s.created_at).into(),
    }
}

/// A new web password people can read aloud: 12 lower-case letters and
/// digits without look-alikes, in three groups (`abcd-efgh-jkmn`).
pub fn generated_password() -> Zeroizing<String> {
    let raw = new_hotspot_password();
    Zeroizing::new(format!("{}-{}-{}", &raw[0..4], &raw[4..8], &raw[8..12]))
}

/// `POST /admin/staff`.
pub async fn create(
    state: &AppState,
    actor: &Auth,
    input: &NewStaff,
    ip: IpAddr,
) -> Result<StaffCreated, StaffError> {
    let generated = input.password.is_none();
    let password = match &input.password {
        Some(p) => Zeroizing::new(p.clone()),
        None => generated_password(),
    };
    let hash = hash_password(password.clone())
        .await
        .map_err(StaffError::Internal)?;
    let id = Uuid::now_v7();
    let sealed = state.sealer.seal(&password, &sealed_aad(&id));
    let mut db = state.db.get().await?;
    let tx = db.transaction().await?;
    let router_id = match &input.router_id {
        Some(r) => {
            let r: Uuid = r.parse().map_err(|_| StaffError::UnknownRouter)?;
            db::routers::by_id(&tx, r)
                .await?
                .ok_or(StaffError::UnknownRouter)?
                .id
        }
        None => db::routers::default_router(&tx)
            .await?
            .map(|r| r.id)
            .ok_or(StaffError::UnknownRouter)?,
    };
    let row = db::staff::NewStaffRow {
        id,
        username: &input.username,
        name: input.name.trim(),
        operator_key: &input.operator_key,
        router_id: Some(router_id),
        password_hash: &hash,
        password_sealed: &sealed,
    };
    match db::staff::insert(&tx, &row).await? {
        Ok(()) => {}
        Err(db::staff::Taken::Username) => return Err(StaffError::UsernameTaken),
        Err(db::staff::Taken::OperatorKey) => return Err(StaffError::OperatorKeyTaken),
    }
    db::audit::record(
        &tx,
        &Entry::admin(actor.user_id, "staff.create")
            .target("user", id)
            .ip(ip)
            .detail("username", input.username.clone())
            .detail("operator_key", input.operator_key.clone())
            .detail("password", if generated { "generated" } else { "set" }),
    )
    .await?;
    let (staff, _) = db::staff::by_id(&tx, id, false)
        .await?
        .ok_or(StaffError::NotFound)?;
    tx.commit().await?;
    Ok(StaffCreated {
        staff: view(&staff),
        password: generated.then(|| password.to_string()),
    })
}

/// `GET /admin/staff`.
pub async fn list(state: &AppState) -> Result<Vec<StaffView>, StaffError> {
    let db = state.db.get().await?;
    Ok(db::staff::list(&db).await?.iter().map(view).collect())
}

fn confirm_key(state: &AppState, session: &Uuid) -> String {
    state.kv.key(&format!("reauth:{session}"))
}

/// `POST /admin/auth/confirm`: the admin types their own password again;
/// for 5 minutes this session may reveal passwords. Wrong answers are
/// limited per admin.
pub async fn confirm(
    state: &AppState,
    actor: &Auth,
    password: &str,
    ip: IpAddr,
) -> Result<Confirmed, StaffError> {
    use fred::interfaces::KeysInterface;
    let failures = state.kv.key(&format!("reauth:fail:{}", actor.user_id));
    let redis = state.kv.pool().next();
    let failed: Option<u64> = redis.get(&failures).await?;
    if failed.unwrap_or(0) >= CONFIRM_FAILURES {
        let ttl: i64 = redis.ttl(&failures).await?;
        return Err(StaffError::Limited(ttl.max(1) as u64));
    }
    let hash = {
        let db = state.db.get().await?;
        db::staff::password_hash(&db, actor.user_id).await?
    };
    let ok = verify_password(
        Zeroizing::new(password.to_owned()),
        hash.unwrap_or_else(|| crate::crypto::decoy_hash().to_owned()),
    )
    .await;
    if !ok {
        let n: u64 = redis.incr(&failures).await?;
        if n == 1 {
            let _: () = redis.expire(&failures, 900, None).await?;
        }
        let db = state.db.get().await?;
        db::audit::record(
            &db,
            &Entry::admin(actor.user_id, "admin.confirm_failed").ip(ip),
        )
        .await?;
        return Err(StaffError::WrongPassword);
    }
    let _: () = redis
        .set(
            confirm_key(state, &actor.session_id),
            "1",
            Some(fred::types::Expiration::EX(i64::from(CONFIRM_SECONDS))),
            None,
            false,
        )
        .await?;
    Ok(Confirmed {
        valid_for_seconds: CONFIRM_SECONDS,
    })
}

async fn may_reveal_at_all(state: &AppState, actor: &Auth) -> Result<(), StaffError> {
    let allowed = match actor.role {
        Role::SuperAdmin => true,
        Role::Admin => state.facility().await.admins_may_reveal_passwords,
        _ => false,
    };
    if allowed {
        Ok(())
    } else {
        Err(StaffError::Rank)
    }
}

/// A fresh confirmation of the admin's own password, within the hourly cap.
async fn may_reveal_now(state: &AppState, actor: &Auth) -> Result<(), StaffError> {
    use fred::interfaces::KeysInterface;
    let confirmed: Option<String> = state
        .kv
        .pool()
        .next()
        .get(confirm_key(state, &actor.session_id))
        .await?;
    if confirmed.is_none() {
        return Err(StaffError::ConfirmFirst);
    }
    crate::http::rate_limit::shared_window(
        &state.kv,
        "reveal",
        &actor.user_id.to_string(),
        REVEALS_PER_HOUR,
        3_600,
    )
    .await
    .map_err(StaffError::Http)
}

/// `POST /admin/staff/{id}/reveal`: the staff member's web password, opened
/// from its sealed copy. Audited (who, whose, when, from where); never logged.
pub async fn reveal(
    state: &AppState,
    actor: &Auth,
    id: Uuid,
    ip: IpAddr,
) -> Result<ShownPassword, StaffError> {
    may_reveal_at_all(state, actor).await?;
    let db = state.db.get().await?;
    let (_, sealed) = db::staff::by_id(&db, id, false)
        .await?
        .ok_or(StaffError::NotFound)?;
    may_reveal_now(state, actor).await?;
    let sealed = sealed.ok_or(StaffError::NotFound)?;
    let password = state
        .sealer
        .open(&sealed, &sealed_aad(&id))
        .map_err(|e| StaffError::Internal(anyhow::anyhow!("sealed web password: {e}")))?;
    db::audit::record(
        &db,
        &Entry::admin(actor.user_id, "staff.reveal")
            .target("user", id)
            .ip(ip),
    )
    .await?;
    Ok(ShownPassword {
        password: password.to_string(),
    })
}

/// `POST /admin/staff/{id}/password`: a new generated web password, shown
/// once; every session of the staff member ends.
pub async fn reset(
    state: &AppState,
    actor: &Auth,
    id: Uuid,
    ip: IpAddr,
) -> Result<ShownPassword, StaffError> {
    let password = generated_password();
    let hash = hash_password(password.clone())
        .await
        .map_err(StaffError::Internal)?;
    let sealed = state.sealer.seal(&password, &sealed_aad(&id));
    let mut db = state.db.get().await?;
    let tx = db.transaction().await?;
    db::staff::by_id(&tx, id, true)
        .await?
        .ok_or(StaffError::NotFound)?;
    db::staff::set_password(&tx, id, &hash, &sealed).await?;
    db::sessions::revoke_others(&tx, id, None, "password_reset").await?;
    db::audit::record(
        &tx,
        &Entry::admin(actor.user_id, "staff.password_reset")
            .target("user", id)
            .ip(ip),
    )
    .await?;
    tx.commit().await?;
    Ok(ShownPassword {
        password: password.to_string(),
    })
}

/// The signed-in staff member.
pub(crate) async fn me(state: &AppState, auth: &Auth) -> Result<Staff, StaffError> {
    let db = state.db.get().await?;
    db::staff::by_id(&db, auth.user_id, false)
        .await?
        .map(|(s, _)| s)
        .ok_or(StaffError::NotFound)
}

/// `PUT /me/password`: a staff member's own web password (the current one
/// first). Hash and sealed copy are both replaced; their other sessions end.
pub async fn change_web_password(
    state: &AppState,
    auth: &Auth,
    change: &WebPasswordChange,
    ip: IpAddr,
) -> Result<shared_types::PasswordChanged, StaffError> {
    let current = {
        let db = state.db.get().await?;
        db::staff::password_hash(&db, auth.user_id).await?
    };
    let ok = verify_password(
        Zeroizing::new(change.current.clone()),
        current.unwrap_or_else(|| crate::crypto::decoy_hash().to_owned()),
    )
    .await;
    if !ok {
        return Err(StaffError::WrongPassword);
    }
    let new = Zeroizing::new(change.new.clone());
    let hash = hash_password(new.clone())
        .await
        .map_err(StaffError::Internal)?;
    let sealed = state.sealer.seal(&new, &sealed_aad(&auth.user_id));
    let mut db = state.db.get().await?;
    let tx = db.transaction().await?;
    db::staff::by_id(&tx, auth.user_id, true)
        .await?
        .ok_or(StaffError::NotFound)?;
    db::staff::set_password(&tx, auth.user_id, &hash, &sealed).await?;
    let ended =
        db::sessions::revoke_others(&tx, auth.user_id, Some(auth.session_id), "password_changed")
            .await?;
    db::audit::record(&tx, &Entry::user(auth.user_id, "staff.web_password").ip(ip)).await?;
    tx.commit().await?;
    Ok(shared_types::PasswordChanged {
        other_sessions_ended: u32::try_from(ended).unwrap_or(u32::MAX),
    })
}
