//! Transactions for the dashboard.

use std::net::IpAddr;

use shared_types::{TransactionDetail, TransactionList};

use super::{gateway::check_order, PaymentError};
use crate::{
    db::{self, audit::Entry, payments::Purchase, RowLock},
    identity::Auth,
    state::AppState,
};

pub async fn transactions(
    state: &AppState,
    filter: &db::payments::Filter,
    limit: i64,
    offset: i64,
) -> Result<TransactionList, PaymentError> {
    let db = state.db.get().await?;
    let tz = &state.settings.worker.time_zone;
    let (items, totals, per_day) = db::payments::list(&db, filter, tz, limit, offset).await?;
    Ok(TransactionList {
        items: items.iter().map(Purchase::admin_view).collect(),
        totals,
        paid_per_day: per_day
            .into_iter()
            .map(|(day, amount)| shared_types::DayAmount {
                day: day.into(),
                amount,
            })
            .collect(),
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
