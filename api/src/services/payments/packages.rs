//! Packages: what residents can buy, managed by admins.

use std::net::IpAddr;

use shared_types::{PackageInput, PackageRemoved, PackageView};
use uuid::Uuid;

use super::PaymentError;
use crate::{
    db::{self, audit::Entry, packages::Catalogue},
    identity::Auth,
    state::AppState,
};

pub async fn packages(
    state: &AppState,
    which: Catalogue,
) -> Result<Vec<PackageView>, PaymentError> {
    let db = state.db.get().await?;
    Ok(db::packages::packages(&db, which)
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
    let saved = db::packages::save_package(&tx, pid, input, id.is_some())
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
    let outcome = db::packages::remove_package(&tx, id)
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
