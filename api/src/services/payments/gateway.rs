//! Gateway answers (notifications and status checks) applied exactly once,
//! the credit, and the reconciler job for missed notifications.

use serde_json::Value;
use shared_types::{AdminEvent, PurchaseStatus};
use time::{Duration, OffsetDateTime};

use super::PaymentError;
use crate::{
    db::{
        self,
        audit::Entry,
        payments::{Event, GatewayUpdate, Purchase},
        RowLock,
    },
    integrations::midtrans::{Fields, StatusReply, Verdict},
    services::whatsapp::{
        outbox::{to_admins, to_person, Kind},
        templates,
    },
    state::AppState,
};

/// Where an answer came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Notification,
    StatusCheck,
}

impl Source {
    fn as_str(self) -> &'static str {
        match self {
            Source::Notification => "notification",
            Source::StatusCheck => "status_check",
        }
    }
}

/// What an answer did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applied {
    /// First success: paid and credited.
    Credited,
    /// The status moved (to failed/expired/cancelled).
    Changed(PurchaseStatus),
    /// Nothing to change (duplicate, late pending, refund info, …).
    Unchanged,
    /// Signed, but amount or currency differ from the order: not applied.
    Mismatch,
    /// No such order here.
    UnknownOrder,
}

impl Applied {
    pub fn as_str(self) -> &'static str {
        match self {
            Applied::Credited => "credited",
            Applied::Changed(PurchaseStatus::Failed) => "failed",
            Applied::Changed(PurchaseStatus::Expired) => "expired",
            Applied::Changed(PurchaseStatus::Cancelled) => "cancelled",
            Applied::Changed(_) => "changed",
            Applied::Unchanged => "unchanged",
            Applied::Mismatch => "amount_mismatch",
            Applied::UnknownOrder => "unknown_order",
        }
    }
}

/// The forward-only state machine: `paid` is final; a success moves any
/// other state to `paid`; failures only move `pending`.
fn next_status(current: PurchaseStatus, verdict: Verdict) -> Option<PurchaseStatus> {
    use PurchaseStatus as S;
    match (current, verdict) {
        (S::Paid, _) => None,
        (_, Verdict::Paid) => Some(S::Paid),
        (S::Pending, Verdict::Failed) => Some(S::Failed),
        (S::Pending, Verdict::Expired) => Some(S::Expired),
        (S::Pending, Verdict::Cancelled) => Some(S::Cancelled),
        _ => None,
    }
}

/// Applies one signed gateway answer (see the module docs). One transaction.
pub async fn apply(
    state: &AppState,
    source: Source,
    fields: &Fields,
    body: &Value,
) -> Result<Applied, PaymentError> {
    // Read before the transaction: the FUP rule a credit comes with.
    let facility = state.facility().await;
    let mut db = state.db.get().await?;
    let tx = db.transaction().await?;
    let purchase = db::payments::purchase(&tx, &fields.order_id, RowLock::ForUpdate).await?;
    let event = |purchase_id, outcome| Event {
        purchase_id,
        order_id: &fields.order_id,
        source: source.as_str(),
        transaction_status: fields.transaction_status.as_deref(),
        status_code: Some(&fields.status_code),
        outcome,
        body,
    };
    let Some(p) = purchase else {
        tracing::warn!(
            order_id = fields.order_id,
            "payment answer for an unknown order"
        );
        db::payments::record_event(&tx, &event(None, Applied::UnknownOrder.as_str())).await?;
        tx.commit().await?;
        return Ok(Applied::UnknownOrder);
    };
    let currency_ok = fields.currency.as_deref().is_none_or(|c| c == "IDR");
    if fields.amount_idr() != Some(p.amount_idr) || !currency_ok {
        tracing::error!(
            order_id = p.order_id,
            expected = p.amount_idr,
            received = fields.gross_amount,
            currency = fields.currency,
            "payment answer does not match the order: not applied"
        );
        db::payments::record_event(&tx, &event(Some(p.id), Applied::Mismatch.as_str())).await?;
        db::audit::record(
            &tx,
            &Entry::system("purchase.amount_mismatch")
                .target("purchase", &p.order_id)
                .detail("expected_idr", p.amount_idr)
                .detail("gross_amount", fields.gross_amount.clone()),
        )
        .await?;
        tx.commit().await?;
        return Ok(Applied::Mismatch);
    }
    let next = next_status(p.status, fields.verdict());
    let late = next == Some(PurchaseStatus::Paid) && p.status != PurchaseStatus::Pending;
    db::payments::update_from_gateway(
        &tx,
        p.id,
        &GatewayUpdate {
            status: next,
            paid_late: late,
            gateway_status: fields.transaction_status.as_deref(),
            payment_type: fields.payment_type.as_deref(),
            transaction_id: fields.transaction_id.as_deref(),
        },
    )
    .await?;
    let applied = match next {
        Some(PurchaseStatus::Paid) => {
            credit(&state.settings, &facility, &tx, &p, late).await?;
            Applied::Credited
        }
        Some(s) => {
            db::audit::record(
                &tx,
                &Entry::system("purchase.closed")
                    .target("purchase", &p.order_id)
                    .detail("status", s.as_str())
                    .detail("source", source.as_str()),
            )
            .await?;
            Applied::Changed(s)
        }
        None => Applied::Unchanged,
    };
    db::payments::record_event(&tx, &event(Some(p.id), applied.as_str())).await?;
    tx.commit().await?;
    if applied != Applied::Unchanged {
        tracing::info!(
            order_id = p.order_id,
            outcome = applied.as_str(),
            "purchase updated"
        );
    }
    Ok(applied)
}

/// Adds what `p` sold to its user (inside the caller's transaction, which
/// holds the purchase row lock). The ledger key makes it happen once.
async fn credit(
    settings: &crate::settings::Settings,
    facility: &shared_types::FacilitySettings,
    tx: &deadpool_postgres::Transaction<'_>,
    p: &Purchase,
    late: bool,
) -> Result<(), PaymentError> {
    let now = OffsetDateTime::now_utc();
    let user = match p.user_id {
        Some(id) => db::users::by_id_for_update(tx, id).await?,
        None => None,
    };
    let days = Duration::days(i64::from(p.validity_days));
    let before = user.as_ref().and_then(|u| u.valid_until);
    let after = before.filter(|v| *v > now).unwrap_or(now) + days;
    let key = format!("purchase:{}", p.order_id);
    let recorded = db::payments::record_credit(
        tx,
        &db::payments::Credit {
            idempotency_key: &key,
            purchase_id: p.id,
            user_id: user.as_ref().map(|u| u.id),
            amount_idr: p.amount_idr,
            quota_bytes: p.quota_bytes.unwrap_or(0),
            unlimited: p.quota_bytes.is_none(),
            validity_days: p.validity_days,
            valid_until_before: before,
            valid_until_after: after,
        },
    )
    .await?;
    let mut entry = Entry::system("purchase.paid")
        .target("purchase", &p.order_id)
        .detail("amount_idr", p.amount_idr)
        .detail("late", late);
    if !recorded {
        // Unreachable while the row lock and the state machine hold; kept as a guard.
        tracing::error!(
            order_id = p.order_id,
            "credit already recorded: not applied again"
        );
        return Ok(());
    }
    match user {
        Some(u) => {
            let unlimited_until = p
                .quota_bytes
                .is_none()
                .then(|| u.unlimited_until.filter(|t| *t > now).unwrap_or(now) + days);
            let threshold = p.quota_bytes.map(|q| facility.fup_threshold(q));
            let credit = db::users::Credit {
                user_id: u.id,
                quota_bytes: p.quota_bytes.unwrap_or(0),
                valid_until: after,
                unlimited_until,
                fup_threshold_bytes: threshold,
                hotspot_profile: p.router_profile.as_deref(),
            };
            db::users::apply_credit(tx, &credit).await?;
            db::users::notify_changed(tx, u.id).await?;
            entry = entry.detail("user", u.id.to_string());
            if let Some(phone) = &u.phone {
                let tz = &settings.worker.time_zone;
                let body = templates::payment_received(&templates::Paid {
                    amount_idr: p.amount_idr,
                    order_id: &p.order_id,
                    quota_bytes: p.quota_bytes,
                    days: p.validity_days,
                    valid_until: db::outbox::local_time(tx, after, tz).await?,
                });
                let kind = Kind::PaymentReceived;
                to_person(tx, settings, kind, &p.order_id, u.id, phone, &body).await?;
            }
        }
        None => {
            tracing::warn!(order_id = p.order_id, "paid, but the user was deleted");
            entry = entry.detail("user", Value::Null);
        }
    }
    if late {
        tracing::warn!(order_id = p.order_id, "late settlement credited");
        let name = p.user_name.as_deref().unwrap_or("-");
        let body = templates::admin_paid_late(&p.order_id, p.amount_idr, name);
        to_admins(tx, settings, AdminEvent::PaidLate, &p.order_id, &body).await?;
    }
    db::audit::record(tx, &entry).await?;
    Ok(())
}

/// Asks Midtrans for one order's status and applies it. With `close_stale`,
/// an order Midtrans does not report as paid that is past its expiry plus
/// grace is closed as expired here.
pub async fn check_order(
    state: &AppState,
    order_id: &str,
    close_stale: bool,
) -> Result<Applied, PaymentError> {
    let reply = state.midtrans.status(order_id).await?;
    match reply {
        StatusReply::Found(fields, body) => {
            let applied = apply(state, Source::StatusCheck, &fields, &body).await?;
            if close_stale && applied == Applied::Unchanged {
                return close_if_stale(state, order_id, None, true).await;
            }
            Ok(applied)
        }
        StatusReply::NotFound(body) => {
            close_if_stale(state, order_id, Some(&body), close_stale).await
        }
    }
}

/// Records a not-found answer (`not_found`, when given) and, with `close`,
/// closes a still-pending order that is past expiry plus grace. One transaction.
async fn close_if_stale(
    state: &AppState,
    order_id: &str,
    not_found: Option<&Value>,
    close: bool,
) -> Result<Applied, PaymentError> {
    let grace = Duration::seconds(state.settings.midtrans.expire_grace_seconds as i64);
    let mut db = state.db.get().await?;
    let tx = db.transaction().await?;
    let purchase = db::payments::purchase(&tx, order_id, RowLock::ForUpdate).await?;
    let stale = close
        && purchase.as_ref().is_some_and(|p| {
            p.status == PurchaseStatus::Pending && p.expires_at + grace <= OffsetDateTime::now_utc()
        });
    if let Some(body) = not_found {
        let outcome = if stale {
            "expired_locally"
        } else {
            "not_found"
        };
        db::payments::record_event(
            &tx,
            &Event {
                purchase_id: purchase.as_ref().map(|p| p.id),
                order_id,
                source: Source::StatusCheck.as_str(),
                transaction_status: None,
                status_code: Some("404"),
                outcome,
                body,
            },
        )
        .await?;
    }
    let Some(p) = purchase.filter(|_| stale) else {
        tx.commit().await?;
        return Ok(Applied::Unchanged);
    };
    db::payments::update_from_gateway(
        &tx,
        p.id,
        &GatewayUpdate {
            status: Some(PurchaseStatus::Expired),
            paid_late: false,
            gateway_status: None,
            payment_type: None,
            transaction_id: None,
        },
    )
    .await?;
    db::audit::record(
        &tx,
        &Entry::system("purchase.closed")
            .target("purchase", order_id)
            .detail("status", "expired")
            .detail("source", "reconciler"),
    )
    .await?;
    tx.commit().await?;
    Ok(Applied::Changed(PurchaseStatus::Expired))
}

/// The reconciler job: pending orders due for a check are asked about, with
/// the interval doubling per check up to `recheck_max_seconds` (missed
/// notifications are found; stale orders closed). Returns how many were checked.
pub async fn reconcile_pending(state: &AppState) -> anyhow::Result<usize> {
    let s = &state.settings.midtrans;
    let due = {
        let db = state.db.get().await?;
        db::payments::due_for_check(&db, 100).await?
    };
    for order_id in &due {
        if let Err(e) = check_order(state, order_id, true).await {
            tracing::warn!(
                order_id,
                error = format!("{e:?}"),
                "pending order check failed"
            );
        }
        let db = state.db.get().await?;
        db::payments::checked(
            &db,
            order_id,
            s.recheck_after_seconds.max(1) as f64,
            s.recheck_max_seconds.max(1) as f64,
        )
        .await?;
    }
    Ok(due.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paid_is_final_and_success_overrides_closed_states() {
        use PurchaseStatus as S;
        assert_eq!(next_status(S::Pending, Verdict::Paid), Some(S::Paid));
        assert_eq!(next_status(S::Paid, Verdict::Pending), None);
        assert_eq!(next_status(S::Paid, Verdict::Expired), None);
        assert_eq!(next_status(S::Paid, Verdict::Paid), None);
        assert_eq!(next_status(S::Expired, Verdict::Paid), Some(S::Paid));
        assert_eq!(next_status(S::Cancelled, Verdict::Paid), Some(S::Paid));
        assert_eq!(next_status(S::Expired, Verdict::Failed), None);
        assert_eq!(next_status(S::Pending, Verdict::Pending), None);
        assert_eq!(next_status(S::Pending, Verdict::Expired), Some(S::Expired));
        assert_eq!(next_status(S::Pending, Verdict::Failed), Some(S::Failed));
        assert_eq!(next_status(S::Pending, Verdict::Other), None);
    }
}
