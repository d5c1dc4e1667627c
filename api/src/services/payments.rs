//! Packages and Midtrans purchases: money in, quota out, exactly once.
//!
//! - A purchase row exists only if Midtrans accepted the Snap transaction
//!   (the call runs inside the inserting transaction, under the user's row
//!   lock, so a failed call leaves nothing behind and two clicks cannot race).
//! - Every gateway answer — notification or status check — goes through
//!   [`apply`]: the purchase row locked `for update`, the amount checked, a
//!   forward-only state machine, the event stored, and on the first success
//!   one credit in `credit_ledger` under the key `purchase:<order_id>`.
//! - Success is final. A success that arrives after we closed the order
//!   (expired, failed, cancelled) is still credited and flagged `paid_late`:
//!   the customer's money was taken, so they get what they paid for, and the
//!   audit log says so.
//! - Crediting adds quota in bytes and extends validity from the later of
//!   now and the current end; then `NOTIFY` makes the worker fix the router
//!   at once (raised limit, account re-enabled, device logged back in).

use std::net::IpAddr;

use serde_json::Value;
use shared_types::{
    PackageInput, PackageRemoved, PackageView, PurchaseCreated, PurchaseStatus, PurchaseView,
    TransactionDetail, TransactionList,
};
use time::{macros::offset, Duration, OffsetDateTime};
use uuid::Uuid;

use crate::{
    db::{
        self,
        audit::Entry,
        payments::{Catalogue, Event, GatewayUpdate, Purchase},
        users::rfc3339,
        RowLock,
    },
    identity::Auth,
    integrations::midtrans::{Fields, MidtransError, SnapOrder, StatusReply, Verdict},
    services::{store_errors, StoreError},
    state::AppState,
};

#[derive(Debug, thiserror::Error)]
pub enum PaymentError {
    #[error("no package with this id")]
    PackageNotFound,
    #[error("no purchase with this order id")]
    PurchaseNotFound,
    /// The session's user is gone.
    #[error("session ended")]
    SignedOut,
    /// Blocked, deactivated or not approved.
    #[error("this account cannot buy packages")]
    CannotBuy,
    #[error("payment gateway: {0}")]
    Gateway(#[from] MidtransError),
    #[error(transparent)]
    Store(#[from] StoreError),
}
store_errors!(PaymentError);

// ---- packages ---------------------------------------------------------------

pub async fn packages(
    state: &AppState,
    which: Catalogue,
) -> Result<Vec<PackageView>, PaymentError> {
    let db = state.db.get().await?;
    Ok(db::payments::packages(&db, which)
        .await?
        .iter()
        .map(|p| p.view())
        .collect())
}

/// Creates (`id` = `None`) or replaces a package; audited.
pub async fn save_package(
    state: &AppState,
    admin: &Auth,
    id: Option<Uuid>,
    input: &PackageInput,
    ip: IpAddr,
) -> Result<PackageView, PaymentError> {
    let mut db = state.db.get().await?;
    let tx = db.transaction().await?;
    let (pid, action) = match id {
        Some(id) => (id, "package.update"),
        None => (Uuid::now_v7(), "package.create"),
    };
    let saved = db::payments::save_package(&tx, pid, input, id.is_some())
        .await?
        .ok_or(PaymentError::PackageNotFound)?;
    db::audit::record(
        &tx,
        &Entry::admin(admin.user_id, action)
            .target("package", pid)
            .ip(ip)
            .detail("name", saved.name.clone())
            .detail("price_idr", saved.price_idr)
            .detail("quota_bytes", saved.quota_bytes)
            .detail("validity_days", saved.validity_days)
            .detail("active", saved.active),
    )
    .await?;
    tx.commit().await?;
    Ok(saved.view())
}

/// Deletes a package, or deactivates it when purchases refer to it.
pub async fn remove_package(
    state: &AppState,
    admin: &Auth,
    id: Uuid,
    ip: IpAddr,
) -> Result<PackageRemoved, PaymentError> {
    let mut db = state.db.get().await?;
    let tx = db.transaction().await?;
    let outcome = db::payments::remove_package(&tx, id)
        .await?
        .ok_or(PaymentError::PackageNotFound)?;
    db::audit::record(
        &tx,
        &Entry::admin(admin.user_id, "package.remove")
            .target("package", id)
            .ip(ip)
            .detail("outcome", outcome),
    )
    .await?;
    tx.commit().await?;
    Ok(PackageRemoved {
        id: id.to_string().into(),
        outcome: outcome.into(),
    })
}

// ---- buying -------------------------------------------------------------------

/// `GB-<yyyymmdd>-<10 random>`: Midtrans' charset, 21 characters, unguessable.
fn new_order_id(now: OffsetDateTime) -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    let mut rng = rand::rng();
    let tail: String = (0..10)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect();
    let d = now.to_offset(offset!(+7)).date();
    format!(
        "GB-{:04}{:02}{:02}-{tail}",
        d.year(),
        u8::from(d.month()),
        d.day()
    )
}

/// `yyyy-MM-dd HH:mm:ss +0700` (Midtrans' expiry start time).
fn midtrans_time(t: OffsetDateTime) -> String {
    let t = t.to_offset(offset!(+7));
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02} +0700",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// Starts a purchase, or hands back the open one for the same package.
pub async fn purchase(
    state: &AppState,
    auth: &Auth,
    package_id: Uuid,
    ip: IpAddr,
) -> Result<PurchaseCreated, PaymentError> {
    let settings = &state.settings.midtrans;
    let mut db = state.db.get().await?;
    let tx = db.transaction().await?;
    // The user's row lock serialises purchases of one user (double clicks).
    let user = db::users::by_id_for_update(&tx, auth.user_id)
        .await?
        .ok_or(PaymentError::SignedOut)?;
    if !user.may_log_in() {
        return Err(PaymentError::CannotBuy);
    }
    let package = db::payments::package(&tx, package_id)
        .await?
        .filter(|p| p.active)
        .ok_or(PaymentError::PackageNotFound)?;
    if let Some(open) = db::payments::reusable(&tx, user.id, &package).await? {
        tx.commit().await?;
        return Ok(PurchaseCreated {
            order_id: open.order_id,
            redirect_url: open.redirect_url,
            expires_at: rfc3339(open.expires_at).into(),
            reused: true,
        });
    }
    let now = OffsetDateTime::now_utc();
    let order_id = new_order_id(now);
    let expires_at = now + Duration::minutes(i64::from(settings.expiry_minutes));
    let finish_url = format!(
        "{}/bayar/{order_id}",
        state.settings.http.public_url.trim_end_matches('/')
    );
    let item_id = format!("PKG-{}", package.id.simple());
    let created = state
        .midtrans
        .create(&SnapOrder {
            order_id: &order_id,
            amount_idr: package.price_idr,
            item_id: &item_id[..item_id.len().min(50)],
            item_name: &package.name,
            customer_name: &user.name,
            customer_phone: user.phone.as_deref(),
            start_time: midtrans_time(now),
            expiry_minutes: settings.expiry_minutes,
            finish_url,
            custom_field1: format!("user:{}", user.id),
        })
        .await?;
    db::payments::insert_purchase(
        &tx,
        &db::payments::NewPurchase {
            id: Uuid::now_v7(),
            order_id: &order_id,
            user_id: user.id,
            customer_phone: user.phone.as_deref(),
            package: &package,
            snap_token: &created.token,
            redirect_url: &created.redirect_url,
            expires_at,
            next_check_at: now + Duration::seconds(settings.recheck_after_seconds as i64),
        },
    )
    .await?;
    db::audit::record(
        &tx,
        &Entry::user(user.id, "purchase.create")
            .target("purchase", &order_id)
            .ip(ip)
            .detail("package", package.name.clone())
            .detail("amount_idr", package.price_idr),
    )
    .await?;
    tx.commit().await?;
    tracing::info!(order_id, amount_idr = package.price_idr, "purchase started");
    Ok(PurchaseCreated {
        order_id,
        redirect_url: created.redirect_url,
        expires_at: rfc3339(expires_at).into(),
        reused: false,
    })
}

pub async fn my_purchases(
    state: &AppState,
    auth: &Auth,
) -> Result<Vec<PurchaseView>, PaymentError> {
    let db = state.db.get().await?;
    Ok(db::payments::of_user(&db, auth.user_id, 50)
        .await?
        .iter()
        .map(Purchase::view)
        .collect())
}

/// One of the caller's purchases. While it is pending, Midtrans is asked
/// for its status at most once per `midtrans.status_poll_seconds` per order
/// (the result page polls); a gateway failure just leaves it pending.
pub async fn my_purchase(
    state: &AppState,
    auth: &Auth,
    order_id: &str,
) -> Result<PurchaseView, PaymentError> {
    let mine = |p: &Purchase| p.user_id == Some(auth.user_id);
    let db = state.db.get().await?;
    let p = db::payments::purchase(&db, order_id, RowLock::None)
        .await?
        .filter(mine)
        .ok_or(PaymentError::PurchaseNotFound)?;
    drop(db);
    if p.status != PurchaseStatus::Pending || !poll_slot(state, order_id).await? {
        return Ok(p.view());
    }
    if let Err(e) = check_order(state, order_id, false).await {
        tracing::warn!(order_id, error = format!("{e:?}"), "status check failed");
    }
    let db = state.db.get().await?;
    let p = db::payments::purchase(&db, order_id, RowLock::None)
        .await?
        .ok_or(PaymentError::PurchaseNotFound)?;
    Ok(p.view())
}

/// Whether this request may ask Midtrans now (one check per order per period).
async fn poll_slot(state: &AppState, order_id: &str) -> Result<bool, PaymentError> {
    use fred::{interfaces::KeysInterface, types::Expiration, types::SetOptions};
    let set: Option<String> = state
        .kv
        .pool()
        .next()
        .set(
            state.kv.key(&format!("midtrans:poll:{order_id}")),
            "1",
            Some(Expiration::EX(
                state.settings.midtrans.status_poll_seconds.max(1) as i64,
            )),
            Some(SetOptions::NX),
            false,
        )
        .await?;
    Ok(set.is_some())
}

// ---- gateway answers ------------------------------------------------------------

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
            credit(state, &tx, &p, late).await?;
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
    state: &AppState,
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
            let threshold = p.quota_bytes.map(|q| state.settings.quota.fup_threshold(q));
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
        }
        None => {
            tracing::warn!(order_id = p.order_id, "paid, but the user was deleted");
            entry = entry.detail("user", Value::Null);
        }
    }
    if late {
        tracing::warn!(order_id = p.order_id, "late settlement credited");
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

// ---- dashboard ------------------------------------------------------------------

pub async fn transactions(
    state: &AppState,
    filter: &db::payments::Filter,
    limit: i64,
    offset: i64,
) -> Result<TransactionList, PaymentError> {
    let db = state.db.get().await?;
    let (items, totals) =
        db::payments::list(&db, filter, &state.settings.worker.time_zone, limit, offset).await?;
    Ok(TransactionList {
        items: items.iter().map(Purchase::admin_view).collect(),
        totals,
    })
}

pub async fn transaction(
    state: &AppState,
    order_id: &str,
) -> Result<TransactionDetail, PaymentError> {
    let db = state.db.get().await?;
    let p = db::payments::purchase(&db, order_id, RowLock::None)
        .await?
        .ok_or(PaymentError::PurchaseNotFound)?;
    Ok(TransactionDetail {
        transaction: p.admin_view(),
        events: db::payments::events(&db, p.id).await?,
        credit: db::payments::credit_of(&db, p.id).await?,
    })
}

/// An admin's "check again": asks Midtrans now (no throttle) and applies it.
pub async fn recheck(
    state: &AppState,
    admin: &Auth,
    order_id: &str,
    ip: IpAddr,
) -> Result<TransactionDetail, PaymentError> {
    {
        let db = state.db.get().await?;
        db::payments::purchase(&db, order_id, RowLock::None)
            .await?
            .ok_or(PaymentError::PurchaseNotFound)?;
        db::audit::record(
            &db,
            &Entry::admin(admin.user_id, "purchase.recheck")
                .target("purchase", order_id)
                .ip(ip),
        )
        .await?;
    }
    check_order(state, order_id, false).await?;
    transaction(state, order_id).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_ids_follow_midtrans_rules() {
        let now = time::macros::datetime!(2026-11-21 20:30 UTC);
        let id = new_order_id(now);
        assert!(id.starts_with("GB-20261122-"), "{id} is dated in WIB");
        assert_eq!(id.len(), 22);
        assert!(id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'~' | b'.')));
        assert_ne!(new_order_id(now), id);
        assert_eq!(midtrans_time(now), "2026-11-22 03:30:00 +0700");
    }

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
