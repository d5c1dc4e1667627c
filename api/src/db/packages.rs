//! `packages`: what is on sale.

use deadpool_postgres::GenericClient;
use shared_types::{access::format_bytes, format_rupiah, PackageInput, PackageView};
use tokio_postgres::{types::ToSql, Row};
use uuid::Uuid;

/// "5 GB", or "Tanpa batas" for unlimited.
pub fn quota_text(quota_bytes: Option<i64>) -> String {
    quota_bytes.map_or_else(|| "Tanpa batas".to_owned(), format_bytes)
}

const PACKAGE_COLUMNS: &str =
    "id, name, price_idr, quota_bytes, validity_days, router_profile, active, sort_order";

#[derive(Debug, Clone)]
pub struct Package {
    pub id: Uuid,
    pub name: String,
    pub price_idr: i64,
    pub quota_bytes: Option<i64>,
    pub validity_days: i32,
    pub router_profile: Option<String>,
    pub active: bool,
    pub sort_order: i32,
}

impl Package {
    fn from_row(r: &Row) -> Self {
        Self {
            id: r.get("id"),
            name: r.get("name"),
            price_idr: r.get("price_idr"),
            quota_bytes: r.get("quota_bytes"),
            validity_days: r.get("validity_days"),
            router_profile: r.get("router_profile"),
            active: r.get("active"),
            sort_order: r.get("sort_order"),
        }
    }

    pub fn view(&self) -> PackageView {
        PackageView {
            id: self.id.to_string().into(),
            name: self.name.clone(),
            price_idr: self.price_idr,
            price_text: format_rupiah(self.price_idr),
            quota_bytes: self.quota_bytes,
            quota_text: quota_text(self.quota_bytes),
            unlimited: self.quota_bytes.is_none(),
            validity_days: self.validity_days,
            router_profile: self.router_profile.clone(),
            active: self.active,
            sort_order: self.sort_order,
        }
    }
}

/// Which packages a listing shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Catalogue {
    /// What residents can buy now.
    OnSale,
    /// Every package, deactivated ones too (admins).
    All,
}

pub async fn packages(
    db: &impl GenericClient,
    which: Catalogue,
) -> Result<Vec<Package>, tokio_postgres::Error> {
    let only_active = which == Catalogue::OnSale;
    let sql = format!(
        "select {PACKAGE_COLUMNS} from packages where active or not $1
         order by sort_order, price_idr, name"
    );
    let rows = db.query(&sql, &[&only_active]).await?;
    Ok(rows.iter().map(Package::from_row).collect())
}

pub async fn any_active_package(db: &impl GenericClient) -> Result<bool, tokio_postgres::Error> {
    let row = db
        .query_one("select exists (select 1 from packages where active)", &[])
        .await?;
    Ok(row.get(0))
}

pub async fn package(
    db: &impl GenericClient,
    id: Uuid,
) -> Result<Option<Package>, tokio_postgres::Error> {
    let sql = format!("select {PACKAGE_COLUMNS} from packages where id = $1");
    Ok(db
        .query_opt(&sql, &[&id])
        .await?
        .as_ref()
        .map(Package::from_row))
}

/// Inserts (`id` new) or replaces a package; returns it, or `None` if `replace` found no row.
pub async fn save_package(
    db: &impl GenericClient,
    id: Uuid,
    p: &PackageInput,
    replace: bool,
) -> Result<Option<Package>, tokio_postgres::Error> {
    let profile = p.router_profile.as_deref().filter(|s| !s.is_empty());
    let params: [&(dyn ToSql + Sync); 8] = [
        &id,
        &p.name.trim(),
        &p.price_idr,
        &p.quota_bytes,
        &p.validity_days,
        &profile,
        &p.active,
        &p.sort_order,
    ];
    let sql = if replace {
        format!(
            "update packages set name = $2, price_idr = $3, quota_bytes = $4, validity_days = $5,
                 router_profile = $6, active = $7, sort_order = $8, updated_at = now()
             where id = $1 returning {PACKAGE_COLUMNS}"
        )
    } else {
        format!(
            "insert into packages (id, name, price_idr, quota_bytes, validity_days, router_profile,
                                   active, sort_order)
             values ($1, $2, $3, $4, $5, $6, $7, $8) returning {PACKAGE_COLUMNS}"
        )
    };
    Ok(db
        .query_opt(&sql, &params)
        .await?
        .as_ref()
        .map(Package::from_row))
}

/// Deletes a package without purchases; one with purchases is deactivated.
/// Returns `None` when there is no such package.
pub async fn remove_package(
    db: &impl GenericClient,
    id: Uuid,
) -> Result<Option<&'static str>, tokio_postgres::Error> {
    let deleted = db
        .execute(
            "delete from packages p where id = $1
             and not exists (select 1 from purchases where package_id = p.id)",
            &[&id],
        )
        .await?;
    if deleted == 1 {
        return Ok(Some("deleted"));
    }
    let deactivated = db
        .execute(
            "update packages set active = false, updated_at = now() where id = $1",
            &[&id],
        )
        .await?;
    Ok((deactivated == 1).then_some("deactivated"))
}
