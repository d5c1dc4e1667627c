//! `purchases`, `payment_events`, `credit_ledger`.

use deadpool_postgres::GenericClient;
use shared_types::{
    format_rupiah, CreditView, PaymentEventView, PurchaseStatus, PurchaseView, TransactionTotals,
    TransactionView,
};
use time::OffsetDateTime;
use tokio_postgres::{types::ToSql, Row};
use uuid::Uuid;

use super::{
    packages::{quota_text, Package},
    users::rfc3339,
};

const PURCHASE_COLUMNS: &str = "p.id, p.order_id, p.user_id, p.customer_phone, p.package_id, \
     p.package_name, p.amount_idr, p.quota_bytes, p.validity_days, p.router_profile, p.status, \
     p.redirect_url, p.expires_at, p.paid_at, p.paid_late, p.payment_type, p.transaction_id, \
     p.gateway_status, p.checks, p.created_at, u.name as user_name";

#[derive(Debug, Clone)]
pub struct Purchase {
    pub id: Uuid,
    pub order_id: String,
    pub user_id: Option<Uuid>,
    pub customer_phone: Option<String>,
    pub package_id: Uuid,
    pub package_name: String,
    pub amount_idr: i64,
    pub quota_bytes: Option<i64>,
    pub validity_days: i32,
    pub router_profile: Option<String>,
    pub status: PurchaseStatus,
    pub redirect_url: String,
    pub expires_at: OffsetDateTime,
    pub paid_at: Option<OffsetDateTime>,
    pub paid_late: bool,
    pub payment_type: Option<String>,
    pub transaction_id: Option<String>,
    pub gateway_status: Option<String>,
    pub checks: i32,
    pub created_at: OffsetDateTime,
    pub user_name: Option<String>,
}

impl Purchase {
    fn from_row(r: &Row) -> Self {
        let status: String = r.get("status");
        Self {
            id: r.get("id"),
            order_id: r.get("order_id"),
            user_id: r.get("user_id"),
            customer_phone: r.get("customer_phone"),
            package_id: r.get("package_id"),
            package_name: r.get("package_name"),
            amount_idr: r.get("amount_idr"),
            quota_bytes: r.get("quota_bytes"),
            validity_days: r.get("validity_days"),
            router_profile: r.get("router_profile"),
            status: PurchaseStatus::parse(&status).unwrap_or(PurchaseStatus::Pending),
            redirect_url: r.get("redirect_url"),
            expires_at: r.get("expires_at"),
            paid_at: r.get("paid_at"),
            paid_late: r.get("paid_late"),
            payment_type: r.get("payment_type"),
            transaction_id: r.get("transaction_id"),
            gateway_status: r.get("gateway_status"),
            checks: r.get("checks"),
            created_at: r.get("created_at"),
            user_name: r.get("user_name"),
        }
    }

    pub fn view(&self) -> PurchaseView {
        PurchaseView {
            order_id: self.order_id.clone(),
            status: self.status,
            status_text: self.status.label().to_owned(),
            package_name: self.package_name.clone(),
            amount_idr: self.amount_idr,
            amount_text: format_rupiah(self.amount_idr),
            quota_bytes: self.quota_bytes,
            quota_text: quota_text(self.quota_bytes),
            validity_days: self.validity_days,
            created_at: rfc3339(self.created_at).into(),
            expires_at: rfc3339(self.expires_at).into(),
            paid_at: self.paid_at.map(|t| rfc3339(t).into()),
            paid_late: self.paid_late,
            payment_type: self.payment_type.clone(),
            redirect_url: (self.status == PurchaseStatus::Pending)
                .then(|| self.redirect_url.clone()),
        }
    }

    pub fn admin_view(&self) -> TransactionView {
        TransactionView {
            purchase: self.view(),
            user_id: self.user_id.map(|u| u.to_string().into()),
            user_name: self.user_name.clone(),
            customer_phone: self.customer_phone.clone(),
            package_id: self.package_id.to_string().into(),
            transaction_id: self.transaction_id.clone(),
            gateway_status: self.gateway_status.clone(),
        }
    }
}

/// A purchase by order id; `lock` takes the row lock (`for update`).
pub async fn purchase(
    db: &impl GenericClient,
    order_id: &str,
    lock: super::RowLock,
) -> Result<Option<Purchase>, tokio_postgres::Error> {
    let sql = format!(
        "select {PURCHASE_COLUMNS} from purchases p left join users u on u.id = p.user_id
         where p.order_id = $1 {}",
        match lock {
            super::RowLock::ForUpdate => "for update of p",
            super::RowLock::None => "",
        }
    );
    Ok(db
        .query_opt(&sql, &[&order_id])
        .await?
        .as_ref()
        .map(Purchase::from_row))
}

/// An open purchase of `package` by `user` that can still be paid for a
/// while and sells the package as it is now (same price, quota, validity).
pub async fn reusable(
    db: &impl GenericClient,
    user: Uuid,
    package: &Package,
) -> Result<Option<Purchase>, tokio_postgres::Error> {
    let sql = format!(
        "select {PURCHASE_COLUMNS} from purchases p left join users u on u.id = p.user_id
         where p.user_id = $1 and p.package_id = $2 and p.status = 'pending'
           and p.expires_at > now() + interval '2 minutes'
           and p.amount_idr = $3 and p.quota_bytes is not distinct from $4
           and p.validity_days = $5
         order by p.created_at desc limit 1"
    );
    Ok(db
        .query_opt(
            &sql,
            &[
                &user,
                &package.id,
                &package.price_idr,
                &package.quota_bytes,
                &package.validity_days,
            ],
        )
        .await?
        .as_ref()
        .map(Purchase::from_row))
}

pub struct NewPurchase<'a> {
    pub id: Uuid,
    pub order_id: &'a str,
    pub user_id: Uuid,
    pub customer_phone: Option<&'a str>,
    pub package: &'a Package,
    pub snap_token: &'a str,
    pub redirect_url: &'a str,
    pub expires_at: OffsetDateTime,
    pub next_check_at: OffsetDateTime,
}

pub async fn insert_purchase(
    db: &impl GenericClient,
    p: &NewPurchase<'_>,
) -> Result<(), tokio_postgres::Error> {
    db.execute(
        "insert into purchases (id, order_id, user_id, customer_phone, package_id, package_name,
                                amount_idr, quota_bytes, validity_days, router_profile,
                                snap_token, redirect_url, expires_at, next_check_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
        &[
            &p.id,
            &p.order_id,
            &p.user_id,
            &p.customer_phone,
            &p.package.id,
            &p.package.name,
            &p.package.price_idr,
            &p.package.quota_bytes,
            &p.package.validity_days,
            &p.package.router_profile,
            &p.snap_token,
            &p.redirect_url,
            &p.expires_at,
            &p.next_check_at,
        ],
    )
    .await?;
    Ok(())
}

/// What a gateway answer changes on the purchase row.
pub struct GatewayUpdate<'a> {
    pub status: Option<PurchaseStatus>,
    pub paid_late: bool,
    pub gateway_status: Option<&'a str>,
    pub payment_type: Option<&'a str>,
    pub transaction_id: Option<&'a str>,
}

pub async fn update_from_gateway(
    db: &impl GenericClient,
    id: Uuid,
    u: &GatewayUpdate<'_>,
) -> Result<(), tokio_postgres::Error> {
    let status = u.status.map(PurchaseStatus::as_str);
    db.execute(
        "update purchases set
             status = coalesce($2, status),
             paid_at = case when $2 = 'paid' then now() else paid_at end,
             paid_late = paid_late or $3,
             gateway_status = coalesce($4, gateway_status),
             payment_type = coalesce($5, payment_type),
             transaction_id = coalesce($6, transaction_id),
             updated_at = now()
         where id = $1",
        &[
            &id,
            &status,
            &u.paid_late,
            &u.gateway_status,
            &u.payment_type,
            &u.transaction_id,
        ],
    )
    .await?;
    Ok(())
}

/// Pending purchases whose next status check is due, oldest due first.
pub async fn due_for_check(
    db: &impl GenericClient,
    limit: i64,
) -> Result<Vec<String>, tokio_postgres::Error> {
    let rows = db
        .query(
            "select order_id from purchases
             where status = 'pending' and next_check_at <= now()
             order by next_check_at limit $1",
            &[&limit],
        )
        .await?;
    Ok(rows.iter().map(|r| r.get(0)).collect())
}

/// Records that a check ran and schedules the next one: `base_seconds`
/// doubled per check already made, at most `max_seconds`.
pub async fn checked(
    db: &impl GenericClient,
    order_id: &str,
    base_seconds: f64,
    max_seconds: f64,
) -> Result<(), tokio_postgres::Error> {
    db.execute(
        "update purchases set checks = checks + 1,
             next_check_at = now() + make_interval(secs => least($2 * power(2, least(checks, 16)), $3))
         where order_id = $1",
        &[&order_id, &base_seconds, &max_seconds],
    )
    .await?;
    Ok(())
}

pub async fn of_user(
    db: &impl GenericClient,
    user: Uuid,
    limit: i64,
) -> Result<Vec<Purchase>, tokio_postgres::Error> {
    let sql = format!(
        "select {PURCHASE_COLUMNS} from purchases p left join users u on u.id = p.user_id
         where p.user_id = $1 order by p.created_at desc limit $2"
    );
    let rows = db.query(&sql, &[&user, &limit]).await?;
    Ok(rows.iter().map(Purchase::from_row).collect())
}

/// Filters of the dashboard's transaction list (dates are days in `time_zone`, inclusive).
#[derive(Debug, Default)]
pub struct Filter {
    pub status: Option<PurchaseStatus>,
    pub from: Option<time::Date>,
    pub to: Option<time::Date>,
    pub user_id: Option<Uuid>,
    pub package_id: Option<Uuid>,
}

pub(super) const FILTER: &str = "($1::text is null or p.status = $1)
     and ($2::date is null or p.created_at >= ($2::date)::timestamp at time zone $6)
     and ($3::date is null or p.created_at < ($3::date + 1)::timestamp at time zone $6)
     and ($4::uuid is null or p.user_id = $4)
     and ($5::uuid is null or p.package_id = $5)";

/// One page of purchases (newest first), the totals over all that `f`
/// matches, and their paid rupiah per day.
pub async fn list(
    db: &impl GenericClient,
    f: &Filter,
    time_zone: &str,
    limit: i64,
    offset: i64,
) -> Result<(Vec<Purchase>, TransactionTotals, Vec<(String, i64)>), tokio_postgres::Error> {
    let status = f.status.map(PurchaseStatus::as_str);
    let params: [&(dyn ToSql + Sync); 8] = [
        &status,
        &f.from,
        &f.to,
        &f.user_id,
        &f.package_id,
        &time_zone,
        &limit,
        &offset,
    ];
    let sql = format!(
        "select {PURCHASE_COLUMNS} from purchases p left join users u on u.id = p.user_id
         where {FILTER} order by p.created_at desc, p.id desc limit $7 offset $8"
    );
    let rows = db.query(&sql, &params).await?;
    let totals_sql = format!(
        "select count(*),
                count(*) filter (where status = 'paid'),
                coalesce(sum(amount_idr) filter (where status = 'paid'), 0)::bigint,
                count(*) filter (where status = 'pending'),
                count(*) filter (where status = 'failed'),
                count(*) filter (where status = 'expired'),
                count(*) filter (where status = 'cancelled')
         from purchases p where {FILTER}"
    );
    let t = db.query_one(&totals_sql, &params[..6]).await?;
    let paid_amount: i64 = t.get(2);
    let totals = TransactionTotals {
        count: t.get(0),
        paid_count: t.get(1),
        paid_amount_idr: paid_amount,
        paid_amount_text: format_rupiah(paid_amount),
        pending_count: t.get(3),
        failed_count: t.get(4),
        expired_count: t.get(5),
        cancelled_count: t.get(6),
    };
    let per_day = paid_per_day(db, &params[..6]).await?;
    Ok((
        rows.iter().map(Purchase::from_row).collect(),
        totals,
        per_day,
    ))
}

/// Rupiah paid per day (the day it was paid, in the time zone `$6`) for
/// the purchases the filter parameters select, every day from the first to
/// the last payment (at most the last 92), oldest first. The days add up to
/// the totals' paid amount whenever the payments span 92 days or fewer.
async fn paid_per_day(
    db: &impl GenericClient,
    params: &[&(dyn ToSql + Sync)],
) -> Result<Vec<(String, i64)>, tokio_postgres::Error> {
    let sql = format!(
        "with paid as (
             select (p.paid_at at time zone $6)::date as day, sum(p.amount_idr)::bigint as amount
             from purchases p where {FILTER} and p.status = 'paid' and p.paid_at is not null
             group by 1),
         span as (select greatest(min(day), max(day) - 91) as first, max(day) as last from paid)
         select to_char(g.day, 'YYYY-MM-DD'), coalesce(paid.amount, 0)::bigint
         from span, generate_series(span.first, span.last, interval '1 day') as g(day)
         left join paid on paid.day = g.day::date
         order by g.day"
    );
    let rows = db.query(&sql, params).await?;
    Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
}

// ---- events -----------------------------------------------------------------

pub struct Event<'a> {
    pub purchase_id: Option<Uuid>,
    pub order_id: &'a str,
    pub source: &'static str,
    pub transaction_status: Option<&'a str>,
    pub status_code: Option<&'a str>,
    pub outcome: &'a str,
    pub body: &'a serde_json::Value,
}

pub async fn record_event(
    db: &impl GenericClient,
    e: &Event<'_>,
) -> Result<(), tokio_postgres::Error> {
    db.execute(
        "insert into payment_events (id, purchase_id, order_id, source, transaction_status,
                                     status_code, outcome, body)
         values ($1, $2, $3, $4, $5, $6, $7, $8)",
        &[
            &Uuid::now_v7(),
            &e.purchase_id,
            &e.order_id,
            &e.source,
            &e.transaction_status,
            &e.status_code,
            &e.outcome,
            &e.body,
        ],
    )
    .await?;
    Ok(())
}

pub async fn events(
    db: &impl GenericClient,
    purchase: Uuid,
) -> Result<Vec<PaymentEventView>, tokio_postgres::Error> {
    let rows = db
        .query(
            "select source, transaction_status, status_code, outcome, received_at, body
             from payment_events where purchase_id = $1 order by received_at, id",
            &[&purchase],
        )
        .await?;
    Ok(rows
        .iter()
        .map(|r| PaymentEventView {
            source: r.get(0),
            transaction_status: r.get(1),
            status_code: r.get(2),
            outcome: r.get(3),
            received_at: rfc3339(r.get(4)).into(),
            body: r.get(5),
        })
        .collect())
}

// ---- credit ledger ------------------------------------------------------------

pub struct Credit<'a> {
    pub idempotency_key: &'a str,
    pub purchase_id: Uuid,
    pub user_id: Option<Uuid>,
    pub amount_idr: i64,
    pub quota_bytes: i64,
    pub unlimited: bool,
    pub validity_days: i32,
    pub valid_until_before: Option<OffsetDateTime>,
    pub valid_until_after: OffsetDateTime,
}

/// Records a credit once; false when its key was already recorded.
pub async fn record_credit(
    db: &impl GenericClient,
    c: &Credit<'_>,
) -> Result<bool, tokio_postgres::Error> {
    let n = db
        .execute(
            "insert into credit_ledger (id, idempotency_key, source, purchase_id, user_id,
                                        amount_idr, quota_bytes, unlimited, validity_days,
                                        valid_until_before, valid_until_after)
             values ($1, $2, 'purchase', $3, $4, $5, $6, $7, $8, $9, $10)
             on conflict (idempotency_key) do nothing",
            &[
                &Uuid::now_v7(),
                &c.idempotency_key,
                &c.purchase_id,
                &c.user_id,
                &c.amount_idr,
                &c.quota_bytes,
                &c.unlimited,
                &c.validity_days,
                &c.valid_until_before,
                &c.valid_until_after,
            ],
        )
        .await?;
    Ok(n == 1)
}

pub async fn credit_of(
    db: &impl GenericClient,
    purchase: Uuid,
) -> Result<Option<CreditView>, tokio_postgres::Error> {
    let row = db
        .query_opt(
            "select quota_bytes, unlimited, validity_days, valid_until_before, valid_until_after,
                    created_at
             from credit_ledger where purchase_id = $1",
            &[&purchase],
        )
        .await?;
    Ok(row.map(|r| CreditView {
        quota_bytes: r.get(0),
        unlimited: r.get(1),
        validity_days: r.get(2),
        valid_until_before: r
            .get::<_, Option<OffsetDateTime>>(3)
            .map(|t| rfc3339(t).into()),
        valid_until_after: rfc3339(r.get(4)).into(),
        created_at: rfc3339(r.get(5)).into(),
    }))
}
