//! What admins do to a user's access: block, unblock, deactivate, activate,
//! delete. Each change is one transaction (row lock, sessions revoked when
//! access ends, audit entry, `NOTIFY`), so the worker enforces it on the
//! router at once; deleting purges the router first, then the database.

use std::net::IpAddr;

use shared_types::{Role, UserAccess};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::{
    db::{self, audit::Entry, users::User},
    identity::Auth,
    services::{
        reconcile,
        router_account::{self, HotspotError},
        store_errors, StoreError,
    },
    state::AppState,
};

#[derive(Debug, thiserror::Error)]
pub enum UserAdminError {
    #[error("no user with this id")]
    NotFound,
    /// An admin may not block or deactivate their own account.
    #[error("you cannot block or deactivate your own account")]
    OwnAccount,
    #[error("admins are deactivated, not deleted")]
    AdminNotDeleted,
    #[error(transparent)]
    Hotspot(#[from] HotspotError),
    #[error(transparent)]
    Store(#[from] StoreError),
}
store_errors!(UserAdminError);

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

pub fn access_view(user: &User, now: OffsetDateTime) -> UserAccess {
    UserAccess {
        id: user.id.to_string().into(),
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
) -> Result<UserAccess, UserAdminError> {
    if id == admin.user_id && change.ends_access() {
        return Err(UserAdminError::OwnAccount);
    }
    let mut db = state.db.get().await?;
    let tx = db.transaction().await?;
    db::users::by_id_for_update(&tx, id)
        .await?
        .ok_or(UserAdminError::NotFound)?;
    let (blocked, reason, active): (Option<bool>, Option<&str>, Option<bool>) = match change {
        AccessChange::Block(r) => (Some(true), Some(r), None),
        AccessChange::Unblock => (Some(false), None, None),
        AccessChange::Deactivate => (None, None, Some(false)),
        AccessChange::Activate => (None, None, Some(true)),
    };
    let update = db::users::AccessUpdate {
        blocked,
        reason,
        active,
        end_sessions: change.ends_access(),
    };
    db::users::update_access(&tx, id, &update).await?;
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
    let user = db::users::by_id(&tx, id)
        .await?
        .ok_or(UserAdminError::NotFound)?;
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
) -> Result<(), UserAdminError> {
    let mut db = state.db.get().await?;
    let tx = db.transaction().await?;
    let user = db::users::by_id_for_update(&tx, id)
        .await?
        .ok_or(UserAdminError::NotFound)?;
    if matches!(user.role, Role::Admin | Role::SuperAdmin) {
        return Err(UserAdminError::AdminNotDeleted);
    }
    let router = router_account::router_of(state, &user).await.ok();
    let mut purged = 0;
    if let Some(router) = &router {
        // Waits for a running cycle on this router to end; holds it off until commit.
        db::routers::lock(&tx, &router.id).await?;
        let macs = db::devices::macs_of_users(&tx, &[id]).await?;
        let client = state
            .routers
            .client(router)
            .await
            .map_err(HotspotError::from)?;
        purged = reconcile::purge_user(&client, &user, macs.get(&id).map_or(&[][..], |v| &v[..]))
            .await?;
    }
    let entry = Entry::admin(admin.user_id, "user.delete")
        .target("user", id)
        .ip(ip)
        .detail("router_objects_removed", purged)
        .detail("name", user.name.as_str());
    db::audit::record(&tx, &entry).await?;
    db::users::delete(&tx, id).await?;
    tx.commit().await?;
    Ok(())
}
