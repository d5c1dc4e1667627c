//! Officers' (*komandan*) quota requests (docs/architecture.md, "Quota
//! requests"): an officer asks for quota or unlimited access for some days;
//! an admin approves it — as asked or partly — or rejects it with a reason.
//! Deciding holds the request's row: of two admins deciding at once one
//! wins and the other is told it was already decided. An approval goes
//! through the credit ledger with `quota-request-<id>` as its idempotency
//! key, so a request is credited once; the worker brings the router along
//! within a second (the ledger's change notification).

use std::net::IpAddr;

use serde_json::json;
use shared_types::{
    access::format_bytes, AdminEvent, NewQuotaRequest, QuotaAdjustment, QuotaApproval,
    QuotaRejection, QuotaRequestStatus, QuotaRequestView, Role, MAX_PENDING_PER_OFFICER,
};
use uuid::Uuid;

use crate::{
    db::{self, audit::Entry, quota_requests::QuotaRequest, users::rfc3339},
    identity::Auth,
    services::{
        store_errors,
        user_admin::UserAdminError,
        user_changes::credit,
        whatsapp::{
            outbox::{to_admins, to_person, Kind},
            templates::{self, Answer},
        },
        StoreError,
    },
    state::AppState,
};

#[derive(Debug, thiserror::Error)]
pub enum QuotaRequestError {
    #[error("no request with this id")]
    NotFound,
    /// Only officers file requests.
    #[error("only officers (komandan) ask for quota")]
    OfficersOnly,
    #[error("at most {MAX_PENDING_PER_OFFICER} requests may wait at a time")]
    TooManyPending,
    /// Another admin decided it first (its status now).
    #[error("this request was already decided")]
    AlreadyDecided(QuotaRequestStatus),
    /// Other bytes for an unlimited request.
    #[error("an unlimited request grants days, not bytes")]
    BytesForUnlimited,
    #[error(transparent)]
    Grant(#[from] UserAdminError),
    #[error(transparent)]
    Store(#[from] StoreError),
}
store_errors!(QuotaRequestError);

pub fn view(q: &QuotaRequest) -> QuotaRequestView {
    QuotaRequestView {
        id: q.id.to_string().into(),
        requester_id: q.requester_id.to_string().into(),
        requester_name: q.requester_name.clone(),
        requester_phone: q.requester_phone.clone(),
        unlimited: q.unlimited,
        quota_bytes: q.quota_bytes,
        quota_text: q.quota_bytes.map(format_bytes),
        days: q.days,
        note: q.note.clone(),
        status: QuotaRequestStatus::parse(&q.status),
        granted_bytes: q.granted_bytes,
        granted_text: q.granted_bytes.map(format_bytes),
        granted_days: q.granted_days,
        partly: q.partly,
        reason: q.reason.clone(),
        decided_by_name: q.decided_by_name.clone(),
        decided_at: q.decided_at.map(|t| rfc3339(t).into()),
        created_at: rfc3339(q.created_at).into(),
    }
}

/// `POST /me/quota-requests`: an officer asks. At most
/// [`MAX_PENDING_PER_OFFICER`] may wait at once (counted under the
/// officer's row lock, so two quick clicks cannot both pass the cap).
pub async fn file(
    state: &AppState,
    auth: &Auth,
    r: &NewQuotaRequest,
    ip: IpAddr,
) -> Result<QuotaRequestView, QuotaRequestError> {
    if auth.role != Role::Komandan {
        return Err(QuotaRequestError::OfficersOnly);
    }
    let mut db = state.db.get().await?;
    let tx = db.transaction().await?;
    db::users::by_id_for_update(&tx, auth.user_id)
        .await?
        .ok_or(QuotaRequestError::OfficersOnly)?;
    if db::quota_requests::pending_of(&tx, auth.user_id).await? >= MAX_PENDING_PER_OFFICER {
        return Err(QuotaRequestError::TooManyPending);
    }
    let id = Uuid::now_v7();
    let row = db::quota_requests::NewRow {
        id,
        requester_id: auth.user_id,
        unlimited: r.unlimited,
        quota_bytes: r.quota_bytes.filter(|_| !r.unlimited),
        days: r.days,
        note: r.note.trim(),
    };
    db::quota_requests::insert(&tx, &row).await?;
    db::audit::record(
        &tx,
        &Entry::user(auth.user_id, "quota_request.file")
            .target("quota_request", id)
            .ip(ip)
            .detail("unlimited", r.unlimited)
            .detail("quota_bytes", row.quota_bytes)
            .detail("days", r.days),
    )
    .await?;
    let filed = db::quota_requests::by_id(&tx, id, false)
        .await?
        .ok_or(QuotaRequestError::NotFound)?;
    let body = templates::admin_new_request(
        &filed.requester_name,
        filed.quota_bytes,
        filed.days,
        &filed.note,
    );
    let key = id.to_string();
    to_admins(
        &tx,
        &state.settings,
        AdminEvent::NewQuotaRequest,
        &key,
        &body,
    )
    .await?;
    tx.commit().await?;
    Ok(view(&filed))
}

/// `GET /me/quota-requests`: the officer's own requests, newest first.
pub async fn mine(
    state: &AppState,
    auth: &Auth,
) -> Result<Vec<QuotaRequestView>, QuotaRequestError> {
    if auth.role != Role::Komandan {
        return Err(QuotaRequestError::OfficersOnly);
    }
    let db = state.db.get().await?;
    Ok(db::quota_requests::of_requester(&db, auth.user_id)
        .await?
        .iter()
        .map(view)
        .collect())
}

/// `GET /admin/quota-requests`: the queue (`pending`, oldest first) or the
/// decided ones (newest first).
pub async fn queue(
    state: &AppState,
    status: QuotaRequestStatus,
) -> Result<Vec<QuotaRequestView>, QuotaRequestError> {
    let db = state.db.get().await?;
    Ok(db::quota_requests::queue(&db, status.as_str())
        .await?
        .iter()
        .map(view)
        .collect())
}

/// The request, locked and still pending.
async fn pending(
    tx: &impl deadpool_postgres::GenericClient,
    id: Uuid,
) -> Result<QuotaRequest, QuotaRequestError> {
    let q = db::quota_requests::by_id(tx, id, true)
        .await?
        .ok_or(QuotaRequestError::NotFound)?;
    match QuotaRequestStatus::parse(&q.status) {
        QuotaRequestStatus::Pending => Ok(q),
        decided => Err(QuotaRequestError::AlreadyDecided(decided)),
    }
}

/// The request as just decided, with the answer queued for the officer
/// (inside the deciding transaction).
async fn answered(
    tx: &impl deadpool_postgres::GenericClient,
    state: &AppState,
    id: Uuid,
) -> Result<QuotaRequest, QuotaRequestError> {
    let q = db::quota_requests::by_id(tx, id, false)
        .await?
        .ok_or(QuotaRequestError::NotFound)?;
    let Some(phone) = &q.requester_phone else {
        return Ok(q);
    };
    let answer = match (q.granted_days, &q.reason) {
        (Some(days), _) => Answer::Approved {
            bytes: q.granted_bytes.filter(|_| !q.unlimited),
            days,
            partly: q.partly,
        },
        (None, reason) => Answer::Rejected {
            reason: reason.as_deref().unwrap_or("-"),
        },
    };
    let body = templates::request_answered(&answer);
    let (event, kind) = (q.id.to_string(), Kind::RequestAnswered);
    to_person(
        tx,
        &state.settings,
        kind,
        &event,
        q.requester_id,
        phone,
        &body,
    )
    .await?;
    Ok(q)
}

/// `POST /admin/quota-requests/{id}/approve`: grants what was asked, or the
/// admin's `quota_bytes` / `days` instead (approved partly).
pub async fn approve(
    state: &AppState,
    admin: &Auth,
    id: Uuid,
    a: &QuotaApproval,
    ip: IpAddr,
) -> Result<QuotaRequestView, QuotaRequestError> {
    let mut db = state.db.get().await?;
    let tx = db.transaction().await?;
    let q = pending(&tx, id).await?;
    if q.unlimited && a.quota_bytes.is_some() {
        return Err(QuotaRequestError::BytesForUnlimited);
    }
    let bytes = if q.unlimited {
        None
    } else {
        a.quota_bytes.or(q.quota_bytes)
    };
    let days = a.days.unwrap_or(q.days);
    let partly = bytes != q.quota_bytes || days != q.days;
    let requester = db::users::by_id_for_update(&tx, q.requester_id)
        .await?
        .ok_or(QuotaRequestError::NotFound)?;
    let adjustment = QuotaAdjustment {
        idempotency_key: format!("quota-request-{id}"),
        add_bytes: bytes.unwrap_or(0),
        extend_days: if q.unlimited { 0 } else { days },
        unlimited_days: q.unlimited.then_some(days),
        clear_unlimited: false,
        reason: format!("Permintaan komandan: {}", q.note),
    };
    let request = json!({
        "quota_request": id.to_string(), "quota_bytes": bytes, "days": days,
        "unlimited": q.unlimited, "partly": partly,
    });
    credit(
        &tx,
        admin.user_id,
        &requester,
        &adjustment,
        &request,
        "quota_request.approve",
        ip,
    )
    .await?;
    db::quota_requests::approve(&tx, id, admin.user_id, bytes, days, partly).await?;
    let decided = answered(&tx, state, id).await?;
    tx.commit().await?;
    Ok(view(&decided))
}

/// `POST /admin/quota-requests/{id}/reject`: nothing is credited; the
/// officer reads the reason.
pub async fn reject(
    state: &AppState,
    admin: &Auth,
    id: Uuid,
    r: &QuotaRejection,
    ip: IpAddr,
) -> Result<QuotaRequestView, QuotaRequestError> {
    let mut db = state.db.get().await?;
    let tx = db.transaction().await?;
    pending(&tx, id).await?;
    let reason = r.reason.trim();
    db::quota_requests::reject(&tx, id, admin.user_id, reason).await?;
    db::audit::record(
        &tx,
        &Entry::admin(admin.user_id, "quota_request.reject")
            .target("quota_request", id)
            .ip(ip)
            .detail("reason", reason),
    )
    .await?;
    let decided = answered(&tx, state, id).await?;
    tx.commit().await?;
    Ok(view(&decided))
}
