//! What admins change about one person besides access: quota and validity
//! (the credit ledger, once per idempotency key), the profile, the hotspot
//! password, one live session, one device. Each is one transaction holding
//! the person's row lock, audited with before/after, announced with
//! `NOTIFY` so the worker brings the router along at once
//! (docs/api-conventions.md, "Who may do what").

use std::net::IpAddr;

use serde_json::json;
use shared_types::{
    phone::normalize_id_mobile, Adjusted, KickSession, PasswordReset, ProfileEdit, QuotaAdjustment,
    Role, UserRow,
};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use crate::{
    crypto::{aad, new_hotspot_password},
    db::{
        self,
        audit::Entry,
        ledger::{Adjustment, Recorded},
        users::{rfc3339, User},
    },
    identity::Auth,
    services::{
        devices::forget_device,
        reconcile,
        router_account::{self, HotspotError},
        user_admin::{reaches, user_row, UserAdminError},
    },
    state::AppState,
};

fn field(name: &'static str, code: &'static str, message: impl Into<String>) -> UserAdminError {
    UserAdminError::Field(name, code, message.into())
}

fn ts(t: Option<OffsetDateTime>) -> serde_json::Value {
    t.map_or(serde_json::Value::Null, |t| rfc3339(t).into())
}

/// `POST /admin/users/{id}/quota`. Concurrent requests with one key queue on
/// the person's row lock; the first records the ledger row and applies it,
/// the rest find the key and change nothing (`applied: false`).
pub async fn adjust_quota(
    state: &AppState,
    admin: &Auth,
    id: Uuid,
    a: &QuotaAdjustment,
    ip: IpAddr,
) -> Result<Adjusted, UserAdminError> {
    let request = json!({
        "add_bytes": a.add_bytes,
        "extend_days": a.extend_days,
        "unlimited_days": a.unlimited_days,
        "clear_unlimited": a.clear_unlimited,
        "reason": a.reason.trim(),
    });
    let mut db = state.db.get().await?;
    let tx = db.transaction().await?;
    let user = db::users::by_id_for_update(&tx, id)
        .await?
        .ok_or(UserAdminError::NotFound)?;
    reaches(admin, &user)?;
    if let Some(earlier) = db::ledger::earlier(&tx, &a.idempotency_key).await? {
        return if earlier.0 == Some(id) && earlier.1.as_ref() == Some(&request) {
            Ok(Adjusted {
                applied: false,
                user: user_row(&user, OffsetDateTime::now_utc()),
            })
        } else {
            Err(UserAdminError::KeyReused)
        };
    }
    credit(&tx, admin.user_id, &user, a, &request, "quota.adjust", ip).await?;
    let user = db::users::by_id(&tx, id)
        .await?
        .ok_or(UserAdminError::NotFound)?;
    tx.commit().await?;
    Ok(Adjusted {
        applied: true,
        user: user_row(&user, OffsetDateTime::now_utc()),
    })
}

/// Applies an adjustment to a locked person inside `tx`: the ledger row
/// (its key unique), the new quota and validity, the audit entry `action`
/// with before/after, and the change notification for the worker. An
/// officer's approved request uses it too (`services::quota_requests`).
pub(crate) async fn credit(
    tx: &impl deadpool_postgres::GenericClient,
    actor_id: Uuid,
    user: &User,
    a: &QuotaAdjustment,
    request: &serde_json::Value,
    action: &'static str,
    ip: IpAddr,
) -> Result<(), UserAdminError> {
    let id = user.id;
    let now = OffsetDateTime::now_utc();
    let after = adjusted(user, a, now)?;
    let adjustment = Adjustment {
        idempotency_key: &a.idempotency_key,
        user_id: id,
        actor_id,
        reason: a.reason.trim(),
        quota_bytes: a.add_bytes,
        validity_days: a.extend_days,
        valid_until_before: user.valid_until,
        valid_until_after: after.valid_until,
        unlimited_changed: a.unlimited_days.is_some() || a.clear_unlimited,
        unlimited_until_before: user.unlimited_until,
        unlimited_until_after: after.unlimited_until,
        request,
    };
    match db::ledger::record_adjustment(tx, &adjustment).await? {
        Recorded::New => {}
        // Another person's request with this key committed first.
        Recorded::Repeat | Recorded::Reused => return Err(UserAdminError::KeyReused),
    }
    db::users::apply_adjustment(tx, id, &after).await?;
    let entry = Entry::admin(actor_id, action)
        .target("user", id)
        .ip(ip)
        .detail("reason", a.reason.trim())
        .detail("idempotency_key", a.idempotency_key.as_str())
        .detail(
            "before",
            json!({
                "quota_bytes": user.quota_bytes,
                "valid_until": ts(user.valid_until),
                "unlimited_until": ts(user.unlimited_until),
            }),
        )
        .detail(
            "after",
            json!({
                "quota_bytes": after.quota_bytes,
                "valid_until": ts(after.valid_until),
                "unlimited_until": ts(after.unlimited_until),
            }),
        );
    db::audit::record(tx, &entry).await?;
    db::users::notify_changed(tx, id).await?;
    Ok(())
}

/// The quota and validity an adjustment leads to, or why it cannot apply.
fn adjusted(
    user: &User,
    a: &QuotaAdjustment,
    now: OffsetDateTime,
) -> Result<db::users::Adjusted, UserAdminError> {
    let left = (user.quota_bytes - user.used_bytes).max(0);
    if a.add_bytes < 0 && -a.add_bytes > left {
        return Err(field(
            "add_bytes",
            "more_than_left",
            format!("at most {left} bytes are left to remove"),
        ));
    }
    let days = Duration::days(i64::from(a.extend_days));
    let valid_until = match (user.valid_until, a.extend_days) {
        (v, 0) => v,
        (v, d) if d > 0 => Some(v.filter(|v| *v > now).unwrap_or(now) + days),
        (Some(v), _) => Some(v + days),
        (None, _) => {
            return Err(field(
                "extend_days",
                "no_validity",
                "there is no validity to shorten",
            ))
        }
    };
    let unlimited_until = match (a.unlimited_days, a.clear_unlimited) {
        (Some(d), _) => Some(now + Duration::days(i64::from(d))),
        (None, true) if user.unlimited_until.is_some_and(|u| u > now) => None,
        (None, true) => {
            return Err(field(
                "clear_unlimited",
                "not_unlimited",
                "this person has no \"unlimited until\" to end",
            ))
        }
        (None, false) => user.unlimited_until,
    };
    Ok(db::users::Adjusted {
        quota_bytes: user.quota_bytes + a.add_bytes,
        valid_until,
        unlimited_until,
    })
}

/// Residents and officers log in with their number; staff and admins with a password.
fn logs_in_by_phone(role: Role) -> bool {
    matches!(role, Role::Resident | Role::Komandan)
}

fn cleaned(v: &Option<String>) -> Option<String> {
    v.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

/// `PUT /admin/users/{id}/profile`.
pub async fn edit_profile(
    state: &AppState,
    admin: &Auth,
    id: Uuid,
    edit: &ProfileEdit,
    ip: IpAddr,
) -> Result<UserRow, UserAdminError> {
    let phone = match cleaned(&edit.phone) {
        Some(p) => Some(String::from(normalize_id_mobile(&p).map_err(|_| {
            field("phone", "invalid_phone", "not an Indonesian mobile number")
        })?)),
        None => None,
    };
    let (blok, kamar, tamping) = (
        cleaned(&edit.blok),
        cleaned(&edit.kamar),
        cleaned(&edit.tamping_type),
    );
    if edit.role == Role::Resident {
        let placed = blok.is_some() && kamar.is_some() && tamping.is_none();
        let tamping_only = tamping.is_some() && blok.is_none() && kamar.is_none();
        if !(placed || tamping_only) {
            return Err(field(
                "blok",
                "blok_kamar_or_tamping",
                "a resident has blok and kamar, or a tamping type alone",
            ));
        }
    } else if blok.is_some() || kamar.is_some() || tamping.is_some() {
        return Err(field(
            "blok",
            "residents_only",
            "only residents have blok, kamar or a tamping type",
        ));
    }
    if logs_in_by_phone(edit.role) && phone.is_none() {
        return Err(field(
            "phone",
            "required",
            "residents and officers need a number",
        ));
    }

    let mut db = state.db.get().await?;
    let tx = db.transaction().await?;
    let user = db::users::by_id_for_update(&tx, id)
        .await?
        .ok_or(UserAdminError::NotFound)?;
    reaches(admin, &user)?;
    if edit.role != user.role {
        if (user.role.is_admin() || edit.role.is_admin()) && admin.role != Role::SuperAdmin {
            return Err(UserAdminError::Rank);
        }
        if id == admin.user_id {
            return Err(field("role", "own_role", "you cannot change your own role"));
        }
        if logs_in_by_phone(edit.role) != logs_in_by_phone(user.role) {
            return Err(field(
                "role",
                "other_login",
                "residents and officers log in with a number, staff and admins with a \
                 password: make a new account instead",
            ));
        }
    }
    if let Some(p) = &phone {
        if db::users::by_phone(&tx, p)
            .await?
            .is_some_and(|other| other.id != id)
        {
            return Err(UserAdminError::PhoneTaken);
        }
    }
    let before = json!({
        "name": user.name, "phone": user.phone, "role": user.role.as_str(),
        "blok": user.blok, "kamar": user.kamar, "tamping_type": user.tamping_type,
    });
    let after = json!({
        "name": edit.name.trim(), "phone": phone, "role": edit.role.as_str(),
        "blok": blok, "kamar": kamar, "tamping_type": tamping,
    });
    if before == after {
        return Ok(user_row(&user, OffsetDateTime::now_utc()));
    }
    let profile = db::users::Profile {
        name: edit.name.trim(),
        phone: phone.as_deref(),
        role: edit.role,
        blok: blok.as_deref(),
        kamar: kamar.as_deref(),
        tamping_type: tamping.as_deref(),
    };
    if let Err(e) = db::users::update_profile(&tx, id, &profile).await {
        // A number taken between the check and the write.
        return Err(match e.code() {
            Some(&tokio_postgres::error::SqlState::UNIQUE_VIOLATION) => UserAdminError::PhoneTaken,
            _ => e.into(),
        });
    }
    let (before, after) = changed_only(before, after);
    let entry = Entry::admin(admin.user_id, "user.edit")
        .target("user", id)
        .ip(ip)
        .detail("before", before)
        .detail("after", after);
    db::audit::record(&tx, &entry).await?;
    db::users::notify_changed(&tx, id).await?;
    let user = db::users::by_id(&tx, id)
        .await?
        .ok_or(UserAdminError::NotFound)?;
    tx.commit().await?;
    Ok(user_row(&user, OffsetDateTime::now_utc()))
}

/// Keeps only the keys whose values differ.
fn changed_only(
    before: serde_json::Value,
    after: serde_json::Value,
) -> (serde_json::Value, serde_json::Value) {
    let (serde_json::Value::Object(b), serde_json::Value::Object(a)) = (before, after) else {
        return (serde_json::Value::Null, serde_json::Value::Null);
    };
    let keys: Vec<String> = b
        .keys()
        .filter(|k| b.get(*k) != a.get(*k))
        .cloned()
        .collect();
    let pick = |m: &serde_json::Map<String, serde_json::Value>| {
        serde_json::Value::Object(
            keys.iter()
                .map(|k| (k.clone(), m.get(k).cloned().unwrap_or_default()))
                .collect(),
        )
    };
    (pick(&b), pick(&a))
}

/// `POST /admin/users/{id}/hotspot-password/reset`: a new random password,
/// sealed; the person's MAC cookies and live sessions end on the router
/// before the change commits (a router that cannot be reached changes
/// nothing); the worker then writes the new password, and the next code
/// login uses it.
pub async fn reset_hotspot_password(
    state: &AppState,
    admin: &Auth,
    id: Uuid,
    ip: IpAddr,
) -> Result<PasswordReset, UserAdminError> {
    let mut db = state.db.get().await?;
    let tx = db.transaction().await?;
    let user = db::users::by_id_for_update(&tx, id)
        .await?
        .ok_or(UserAdminError::NotFound)?;
    reaches(admin, &user)?;
    let sealed = state.sealer.seal(
        &new_hotspot_password(),
        &aad("users", "hotspot_password_sealed", &id),
    );
    db::users::set_hotspot_password(&tx, id, &sealed).await?;
    let (router, client) = router_account::session_for(state, &user).await?;
    let ended = reconcile::end_logins(&client, &user).await?;
    drop(client);
    state.live.invalidate(router.id);
    let entry = Entry::admin(admin.user_id, "user.hotspot_password_reset")
        .target("user", id)
        .ip(ip)
        .detail("sessions_ended", ended);
    db::audit::record(&tx, &entry).await?;
    db::users::notify_changed(&tx, id).await?;
    tx.commit().await?;
    Ok(PasswordReset {
        sessions_ended: ended as u32,
    })
}

/// The person `id`, when the admin may act on them (no row lock: for
/// changes made on the router).
async fn reachable_user(state: &AppState, admin: &Auth, id: Uuid) -> Result<User, UserAdminError> {
    let db = state.db.get().await?;
    let user = db::users::by_id(&db, id)
        .await?
        .ok_or(UserAdminError::NotFound)?;
    reaches(admin, &user)?;
    Ok(user)
}

/// `POST /admin/users/{id}/sessions/kick`: ends one live hotspot session of
/// this person (checked on the router: another account's session is 404).
pub async fn kick_session(
    state: &AppState,
    admin: &Auth,
    id: Uuid,
    kick: &KickSession,
    ip: IpAddr,
) -> Result<(), UserAdminError> {
    let session: routeros::value::Id = kick
        .session_id
        .parse()
        .map_err(|_| field("session_id", "invalid", "not a router session id"))?;
    let user = reachable_user(state, admin, id).await?;
    let name = user
        .hotspot_username()
        .ok_or(UserAdminError::NoSuchSession)?;
    let (router, client) = router_account::session_for(state, &user).await?;
    let found = routeros::menus::list::<routeros::menus::Active>(
        client.api(),
        [routeros::Query::Eq(".id".into(), session.to_string())],
    )
    .await
    .map_err(|e| HotspotError::from(client.err(e)))?;
    let Some(active) = found
        .into_iter()
        .find(|a| a.user.as_deref() == Some(name.as_str()))
    else {
        let bypassed = routeros::menus::list::<routeros::menus::Host>(
            client.api(),
            [routeros::Query::Eq(".id".into(), session.to_string())],
        )
        .await
        .map_err(|e| HotspotError::from(client.err(e)))?;
        return Err(if bypassed.iter().any(|h| h.bypassed == Some(true)) {
            UserAdminError::BypassSession
        } else {
            UserAdminError::NoSuchSession
        });
    };
    client
        .api()
        .hotspot_kick(&[session])
        .await
        .map_err(|e| HotspotError::from(client.err(e)))?;
    drop(client);
    state.live.invalidate(router.id);
    let db = state.db.get().await?;
    let entry = Entry::admin(admin.user_id, "session.kick")
        .target("user", id)
        .ip(ip)
        .detail("mac", active.mac_address.map(|m| m.to_string()))
        .detail("ip", active.address.clone())
        .detail(
            "bytes",
            active.bytes_in.unwrap_or(0) + active.bytes_out.unwrap_or(0),
        );
    db::audit::record(&db, &entry).await?;
    Ok(())
}

/// `DELETE /admin/users/{id}/devices/{device_id}`.
pub async fn forget_device_of(
    state: &AppState,
    admin: &Auth,
    id: Uuid,
    device: Uuid,
    ip: IpAddr,
) -> Result<(), UserAdminError> {
    let user = reachable_user(state, admin, id).await?;
    let entry = Entry::admin(admin.user_id, "device.forget")
        .target("user", id)
        .ip(ip)
        .detail("device", device.to_string());
    let result = forget_device(state, &user, device, entry).await;
    if let Ok(router) = router_account::router_of(state, &user).await {
        state.live.invalidate(router.id);
    }
    Ok(result?)
}
