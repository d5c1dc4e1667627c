//! An admin edits a staff member's details (docs/architecture.md, "Staff
//! accounts"): username, name, operator key, router. One transaction holds
//! the row while a changed key is written to the router, so the database
//! and the router's comment change together or not at all.

use std::net::IpAddr;

use serde_json::json;
use shared_types::{StaffEdit, StaffView};
use uuid::Uuid;

use super::{
    staff::{view, StaffError},
    staff_router,
};
use crate::{
    db::{self, audit::Entry, staff::Staff},
    identity::Auth,
    state::AppState,
};

fn details(s: &Staff) -> serde_json::Value {
    json!({
        "username": s.username, "name": s.name, "operator_key": s.operator_key,
        "router_id": s.router_id,
    })
}

/// `PUT /admin/staff/{id}`. A new operator key on the same router relabels
/// the hotspot account that carried the old one (router unreachable → 503,
/// nothing changed); a new router only changes where gerbang looks — the
/// old router's account is left as it is. The worker is told, so a blocked
/// or deactivated staff member's account on the new router is disabled too.
pub async fn update(
    state: &AppState,
    actor: &Auth,
    id: Uuid,
    edit: &StaffEdit,
    ip: IpAddr,
) -> Result<StaffView, StaffError> {
    let router_id: Uuid = edit
        .router_id
        .parse()
        .map_err(|_| StaffError::UnknownRouter)?;
    let mut db = state.db.get().await?;
    let tx = db.transaction().await?;
    let (before, _) = db::staff::by_id(&tx, id, true)
        .await?
        .ok_or(StaffError::NotFound)?;
    db::routers::by_id(&tx, router_id)
        .await?
        .ok_or(StaffError::UnknownRouter)?;
    let row = db::staff::StaffDetails {
        username: &edit.username,
        name: edit.name.trim(),
        operator_key: &edit.operator_key,
        router_id,
    };
    match db::staff::update(&tx, id, &row).await? {
        Ok(()) => {}
        Err(db::staff::Taken::Username) => return Err(StaffError::UsernameTaken),
        Err(db::staff::Taken::OperatorKey) => return Err(StaffError::OperatorKeyTaken),
    }
    let (after, _) = db::staff::by_id(&tx, id, false)
        .await?
        .ok_or(StaffError::NotFound)?;
    if details(&before) == details(&after) {
        return Ok(view(&after));
    }
    let key_moved = before.operator_key != after.operator_key;
    let relabelled = if key_moved && before.router_id == after.router_id {
        staff_router::rekey(state, &before, &after.operator_key).await?
    } else {
        None
    };
    let mut entry = Entry::admin(actor.user_id, "staff.update")
        .target("user", id)
        .ip(ip)
        .detail("before", details(&before))
        .detail("after", details(&after));
    if let Some(account) = relabelled {
        entry = entry.detail("account_relabelled", account);
    }
    db::audit::record(&tx, &entry).await?;
    if key_moved || before.router_id != after.router_id {
        db::users::notify_changed(&tx, id).await?;
    }
    tx.commit().await?;
    Ok(view(&after))
}
