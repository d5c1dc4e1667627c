//! What admins do to a user's access: block, unblock, deactivate, activate,
//! delete. Each change is one transaction (row lock, sessions revoked when
//! access ends, audit entry, `NOTIFY`), so the worker enforces it on the
//! router at once; deleting purges the router first, then the database.

use std::net::IpAddr;

use shared_types::{ErrorCode, Role, UserAccess};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::{
    db::{self, audit::Entry, users::User},
    error::ApiError,
    http::auth::Auth,
    services::{reconcile, router_account},
    state::AppState,
};

/// An access change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccessChange<'a> {
    Block(&'a str),
    Unblock,
    Deactivate,
    Activate,
}

impl AccessChange<'_> {
    fn action(&self) -> &'static str {
        match self {
            Self::Block(_) => "user.block",
            Self::Unblock => "user.unblock",
            Self::Deactivate => "user.deactivate",
            Self::Activate => "user.activate",
        }
    }

    /// Whether the change ends the user's access (sessions are revoked).
    fn ends_access(&self) -> bool {
        matches!(self, Self::Block(_) | Self::Deactivate)
    }
}

fn not_found() -> ApiError {
    ApiError::new(ErrorCode::NotFound, "no user with this id")
}

pub fn access_view(user: &User, now: OffsetDateTime) -> UserAccess {
    UserAccess {
        id: user.id.to_string(),
        status: user.facts().status(now.unix_timestamp()),
        active: user.active,
        blocked: user.blocked,
        blocked_reason: user.blocked_reason.clone(),
    }
}

/// Applies an access change. Idempotent: repeating it changes nothing more.
pub async fn change_access(
    state: &AppState,
    admin: &Auth,
    id: Uuid,
    change: AccessChange<'_>,
    ip: IpAddr,
) -> Result<UserAccess, ApiError> {
    if id == admin.user_id && change.ends_access() {
        return Err(ApiError::new(
            ErrorCode::Conflict,
            "you cannot block or deactivate your own account",
        ));
    }
    let mut db = state.db.get().await?;
    let tx = db.transaction().await?;
    db::users::by_id_for_update(&tx, id)
        .await?
        .ok_or_else(not_found)?;
    let (blocked, reason, active): (Option<bool>, Option<&str>, Option<bool>) = match change {
        AccessChange::Block(r) => (Some(true), Some(r), None),
        AccessChange::Unblock => (Some(false), None, None),
        AccessChange::Deactivate => (None, None, Some(false)),
        AccessChange::Activate => (None, None, Some(true)),
    };
    tx.execute(
        "update users set
             blocked = coalesce($2, blocked),
             blocked_reason = case when $2 is null then blocked_reason
                                   when $2 then $3 else null end,
             active = coalesce($4, active),
             session_version = session_version + case when $5 then 1 else 0 end,
             updated_at = now()
         where id = $1",
        &[&id, &blocked, &reason, &active, &change.ends_access()],
    )
    .await?;
    if change.ends_access() {
        db::sessions::revoke_all_of_user(&tx, id, change.action()).await?;
    }
    let mut entry = Entry::admin(admin.user_id, change.action())
        .target("user", id)
        .ip(ip);
    if let Some(r) = reason {
        entry = entry.detail("reason", r);
    }
    db::audit::record(&tx, &entry).await?;
    db::users::notify_changed(&tx, id).await?;
    let user = db::users::by_id(&tx, id).await?.ok_or_else(not_found)?;
    tx.commit().await?;
    Ok(access_view(&user, OffsetDateTime::now_utc()))
}

/// Deletes a user: the router is purged first (under the router's worker
/// lock, so no cycle re-creates the account meanwhile), then the database
/// row and everything that cascades from it. A router that cannot be
/// reached stops the deletion with nothing changed. Admins are deactivated,
/// never deleted (their reviews and audit trail refer to them).
pub async fn delete_user(
    state: &AppState,
    admin: &Auth,
    id: Uuid,
    ip: IpAddr,
) -> Result<(), ApiError> {
    let mut db = state.db.get().await?;
    let tx = db.transaction().await?;
    let user = db::users::by_id_for_update(&tx, id)
        .await?
        .ok_or_else(not_found)?;
    if matches!(user.role, Role::Admin | Role::SuperAdmin) {
        return Err(ApiError::new(
            ErrorCode::Conflict,
            "admins are deactivated, not deleted",
        ));
    }
    let router = router_account::router_of(state, &user).await.ok();
    let mut purged = 0;
    if let Some(router) = &router {
        // Waits for a running cycle on this router to end; holds it off until commit.
        tx.execute(
            "select pg_advisory_xact_lock($1)",
            &[&crate::worker::lock_key(&router.id)],
        )
        .await?;
        let macs = db::devices::macs_of_users(&tx, &[id]).await?;
        let client = state
            .routers
            .client(router)
            .await
            .map_err(|e| ApiError::from(router_account::HotspotError::from(e)))?;
        purged = reconcile::purge_user(&client, &user, macs.get(&id).map_or(&[][..], |v| &v[..]))
            .await
            .map_err(ApiError::from)?;
    }
    let entry = Entry::admin(admin.user_id, "user.delete")
        .target("user", id)
        .ip(ip)
        .detail("router_objects_removed", purged)
        .detail("name", user.name.as_str());
    db::audit::record(&tx, &entry).await?;
    tx.execute("delete from users where id = $1", &[&id])
        .await?;
    tx.commit().await?;
    Ok(())
}
