//! Buying: the Snap transaction, and the buyer following its payment.

use std::net::IpAddr;

use shared_types::{PurchaseCreated, PurchaseStatus, PurchaseView};
use time::{macros::offset, Duration, OffsetDateTime};
use uuid::Uuid;

use super::{gateway::check_order, PaymentError};
use crate::{
    db::{self, audit::Entry, payments::Purchase, users::rfc3339, RowLock},
    identity::Auth,
    integrations::midtrans::SnapOrder,
    state::AppState,
};

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
    let package = db::packages::package(&tx, package_id)
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
}
