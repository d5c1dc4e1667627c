//! What admins do to people: find them, and change their access — block,
//! unblock, deactivate, activate, delete. Each change is one transaction (row
//! lock, sessions revoked when access ends, audit entry, `NOTIFY`), so the
//! worker enforces it on the router at once; deleting purges the router
//! first, then the database. An admin never acts on a super admin
//! (docs/api-conventions.md, "Who may do what").

use std::net::IpAddr;

use shared_types::{Role, UserAccess, UserPage, UserRow};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::{
    db::{
        self,
        audit::Entry,
        user_search::{Cursor, UserQuery},
        users::{rfc3339, User},
    },
    identity::Auth,
    services::{
        reconcile,
        router_account::{self, HotspotError},
        store_errors,
        whatsapp::{
            outbox::{to_person, Kind},
            templates,
        },
        StoreError,
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
    /// The actor's role does not reach the target (an admin acting on a
    /// super admin), or the action is a super admin's.
    #[error("this needs a super admin")]
    Rank,
    /// The `after` cursor is not one this API gave out.
    #[error("not a cursor from this list")]
    BadCursor,
    /// A field of the request does not fit this person (`field`, stable `code`).
    #[error("{2}")]
    Field(&'static str, &'static str, String),
    /// Another account has this number.
    #[error("another account has this number")]
    PhoneTaken,
    /// The idempotency key was used before for a different adjustment.
    #[error("this idempotency key was used for a different adjustment")]
    KeyReused,
    /// The router shows no such session of this person.
    #[error("no such live session")]
    NoSuchSession,
    /// A bypassed device has no login to end; forget the device instead.
    #[error("a bypassed device is ended by forgetting it")]
    BypassSession,
    #[error(transparent)]
    Device(#[from] crate::services::devices::DeviceError),
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

/// Whether `actor` may act on `target`: only a super admin acts on a super admin.
pub(crate) fn reaches(actor: &Auth, target: &User) -> Result<(), UserAdminError> {
    if target.role == Role::SuperAdmin && actor.role != Role::SuperAdmin {
        return Err(UserAdminError::Rank);
    }
    Ok(())
}

/// One row of the admin's list.
pub fn user_row(user: &User, now: OffsetDateTime) -> UserRow {
    let facts = user.facts();
    UserRow {
        id: user.id.to_string().into(),
        name: user.name.clone(),
        phone: user.phone.clone(),
        username: user.username.clone(),
        role: user.role,
        blok: user.blok.clone(),
        kamar: user.kamar.clone(),
        tamping_type: user.tamping_type.clone(),
        approval: user.approval,
        status: facts.status(now.unix_timestamp()),
        quota_bytes: user.quota_bytes,
        used_bytes: user.used_bytes,
        remaining_bytes: facts.remaining_bytes().max(0),
        unlimited: user.unlimited,
        valid_until: user.valid_until.map(|t| rfc3339(t).into()),
        router_id: user.router_id.map(|r| r.to_string().into()),
        created_at: rfc3339(user.created_at).into(),
    }
}

/// `GET /admin/users`: a page of people matching the search and filters, and
/// how many match in all. `after` is the `next` of the previous page.
pub async fn list_users(
    state: &AppState,
    query: &UserQuery,
    after: Option<&str>,
    limit: i64,
) -> Result<UserPage, UserAdminError> {
    use base64::Engine;
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let cursor: Option<Cursor> = match after {
        Some(a) => Some(
            b64.decode(a)
                .ok()
                .and_then(|bytes| serde_json::from_slice(&bytes).ok())
                .ok_or(UserAdminError::BadCursor)?,
        ),
        None => None,
    };
    let now = OffsetDateTime::now_utc();
    let db = state.db.get().await?;
    let (users, total, next) =
        db::user_search::search(&db, query, cursor.as_ref(), limit, now).await?;
    Ok(UserPage {
        items: users.iter().map(|u| user_row(u, now)).collect(),
        total,
        next: next.map(|c| b64.encode(serde_json::to_vec(&c).unwrap_or_default())),
    })
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
    let target = db::users::by_id_for_update(&tx, id)
        .await?
        .ok_or(UserAdminError::NotFound)?;
    reaches(admin, &target)?;
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
    if user.blocked != target.blocked {
        tell_block(state, &tx, &user).await?;
    }
    tx.commit().await?;
    Ok(access_view(&user, OffsetDateTime::now_utc()))
}

/// Queues "blocked" (with the reason and whom to contact) or "unblocked"
/// for a person who logs in by phone, in the change's transaction.
async fn tell_block(
    state: &AppState,
    tx: &impl deadpool_postgres::GenericClient,
    user: &User,
) -> Result<(), UserAdminError> {
    let Some(phone) = user.phone.as_deref() else {
        return Ok(());
    };
    let (kind, body) = if user.blocked {
        let contact = state.facility().await.contact.clone();
        let reason = user.blocked_reason.as_deref().unwrap_or("-");
        (Kind::Blocked, templates::blocked(reason, &contact))
    } else {
        (Kind::Unblocked, templates::unblocked())
    };
    // Every change of the block is its own event, and makes an earlier one
    // that has not gone out yet wrong.
    let kinds = [Kind::Blocked.as_str(), Kind::Unblocked.as_str()];
    db::outbox::supersede(tx, user.id, &kinds).await?;
    let event = Uuid::now_v7().to_string();
    to_person(tx, &state.settings, kind, &event, user.id, phone, &body).await?;
    Ok(())
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
    if admin.role != Role::SuperAdmin {
        return Err(UserAdminError::Rank);
    }
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
        // A staff member's account is the one carrying their operator key
        // (its name is theirs to change); anyone else's is gerbang's own.
        let key = match user.role {
            Role::Staff => db::staff::by_id(&tx, id, false)
                .await?
                .map(|(s, _)| s.operator_key),
            _ => None,
        };
        purged = match key {
            Some(key) => reconcile::purge_staff(&client, &key).await?,
            None => {
                let macs = macs.get(&id).map_or(&[][..], |v| &v[..]);
                reconcile::purge_user(&client, &user, macs).await?
            }
        };
    }
    let entry = Entry::admin(admin.user_id, "user.delete")
        .target("user", id)
        .ip(ip)
        .detail("router_objects_removed", purged)
        .detail("name", user.name.as_str());
    db::audit::record(&tx, &entry).await?;
    db::outbox::drop_waiting_to(&tx, id).await?;
    db::users::delete(&tx, id).await?;
    tx.commit().await?;
    Ok(())
}
