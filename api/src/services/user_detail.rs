//! What admins read about people: one person in full (profile, status and
//! the rule behind it, devices, live sessions, purchases, credits, usage,
//! audit trail) and the audit log.

use shared_types::{AuditPage, LiveSessions, UserDetail};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::{
    db::{self, users::rfc3339},
    services::{live, me::usage_history, router_account, user_admin::UserAdminError},
    state::AppState,
};

/// `GET /admin/users/{id}`.
pub async fn user_detail(state: &AppState, id: Uuid) -> Result<UserDetail, UserAdminError> {
    let now = OffsetDateTime::now_utc();
    let (user, devices, purchases, credits, audit, reject_reason) = {
        let db = state.db.get().await?;
        let user = db::users::by_id(&db, id)
            .await?
            .ok_or(UserAdminError::NotFound)?;
        (
            user,
            db::devices::list(&db, id).await?,
            db::payments::of_user(&db, id, 20).await?,
            db::ledger::of_user(&db, id, 50).await?,
            db::audit::of_user(&db, id, 50).await?,
            db::users::reject_reason(&db, id).await?,
        )
    };
    let usage = usage_history(state, id, 90).await?;
    let router = router_account::router_of(state, &user).await.ok();
    let live = match &router {
        Some(r) if user.hotspot_username().is_some() => {
            let all = live::of_router(state, r).await;
            let mine = id.to_string();
            LiveSessions {
                sessions: all
                    .sessions
                    .iter()
                    .filter(|s| s.user_id.as_deref() == Some(mine.as_str()))
                    .cloned()
                    .collect(),
                router_reachable: all.router_reachable,
                read_at: all.read_at.clone(),
            }
        }
        _ => LiveSessions {
            sessions: Vec::new(),
            router_reachable: router.is_some(),
            read_at: None,
        },
    };
    let facts = user.facts();
    Ok(UserDetail {
        user: super::user_admin::user_row(&user, now),
        rule: facts.rule(now.unix_timestamp()),
        active: user.active,
        blocked_reason: user.blocked_reason.clone().filter(|_| user.blocked),
        reject_reason,
        unlimited_until: user.unlimited_until.map(|t| rfc3339(t).into()),
        fup_threshold_bytes: user.fup_threshold_bytes,
        hotspot_username: user.hotspot_username(),
        router_name: router.map(|r| r.name),
        devices: devices.iter().map(|d| d.view(None)).collect(),
        live,
        purchases: purchases.iter().map(|p| p.view()).collect(),
        credits,
        usage,
        audit,
    })
}

/// `GET /admin/audit`: a page of the audit log, newest first; `after` is the
/// `next` of the previous page (the id of its last entry).
pub async fn audit_page(
    state: &AppState,
    filter: &db::audit::Filter,
    after: Option<Uuid>,
    limit: i64,
) -> Result<AuditPage, UserAdminError> {
    let db = state.db.get().await?;
    let mut items = db::audit::list(
        &db,
        filter,
        &state.settings.worker.time_zone,
        after,
        limit + 1,
    )
    .await?;
    let next = if items.len() as i64 > limit {
        items.truncate(limit as usize);
        items.last().map(|e| e.id.to_string())
    } else {
        None
    };
    Ok(AuditPage { items, next })
}
