//! `credit_ledger` as admins use it: adjustments (source `adjustment`) and a
//! person's credits. Purchases write their own rows (`db::payments::record_credit`).

use deadpool_postgres::GenericClient;
use shared_types::LedgerEntry;
use time::OffsetDateTime;
use uuid::Uuid;

use super::users::rfc3339;

/// An admin's adjustment, as recorded.
pub struct Adjustment<'a> {
    pub idempotency_key: &'a str,
    pub user_id: Uuid,
    pub actor_id: Uuid,
    pub reason: &'a str,
    pub quota_bytes: i64,
    pub validity_days: i32,
    pub valid_until_before: Option<OffsetDateTime>,
    pub valid_until_after: Option<OffsetDateTime>,
    pub unlimited_changed: bool,
    pub unlimited_until_before: Option<OffsetDateTime>,
    pub unlimited_until_after: Option<OffsetDateTime>,
    /// The request as asked (compared when a key comes back).
    pub request: &'a serde_json::Value,
}

/// What happened to an adjustment's key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recorded {
    /// The row is new: apply it.
    New,
    /// The key was used before for this same request on this person.
    Repeat,
    /// The key was used before for something else.
    Reused,
}

/// The ledger keys of adjustments live in their own namespace.
pub fn adjustment_key(client_key: &str) -> String {
    format!("adjustment:{client_key}")
}

/// Records an adjustment once per key. Concurrent calls with one key wait
/// for each other on the unique index; exactly one gets [`Recorded::New`].
pub async fn record_adjustment(
    db: &impl GenericClient,
    a: &Adjustment<'_>,
) -> Result<Recorded, tokio_postgres::Error> {
    let key = adjustment_key(a.idempotency_key);
    let n = db
        .execute(
            "insert into credit_ledger (id, idempotency_key, source, user_id, actor_id, reason,
                                        quota_bytes, validity_days, valid_until_before,
                                        valid_until_after, unlimited_changed,
                                        unlimited_until_before, unlimited_until_after, request)
             values ($1, $2, 'adjustment', $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
             on conflict (idempotency_key) do nothing",
            &[
                &Uuid::now_v7(),
                &key,
                &a.user_id,
                &a.actor_id,
                &a.reason,
                &a.quota_bytes,
                &a.validity_days,
                &a.valid_until_before,
                &a.valid_until_after,
                &a.unlimited_changed,
                &a.unlimited_until_before,
                &a.unlimited_until_after,
                a.request,
            ],
        )
        .await?;
    if n == 1 {
        return Ok(Recorded::New);
    }
    Ok(match earlier(db, a.idempotency_key).await? {
        Some((user, request)) if user == Some(a.user_id) && request.as_ref() == Some(a.request) => {
            Recorded::Repeat
        }
        _ => Recorded::Reused,
    })
}

/// The person and request an adjustment key was used for, if it was.
pub async fn earlier(
    db: &impl GenericClient,
    client_key: &str,
) -> Result<Option<(Option<Uuid>, Option<serde_json::Value>)>, tokio_postgres::Error> {
    Ok(db
        .query_opt(
            "select user_id, request from credit_ledger where idempotency_key = $1",
            &[&adjustment_key(client_key)],
        )
        .await?
        .map(|r| (r.get(0), r.get(1))))
}

/// A person's last `limit` credits and adjustments, newest first.
pub async fn of_user(
    db: &impl GenericClient,
    user: Uuid,
    limit: i64,
) -> Result<Vec<LedgerEntry>, tokio_postgres::Error> {
    let rows = db
        .query(
            "select c.source, p.order_id, c.quota_bytes, c.unlimited, c.validity_days,
                    c.valid_until_before, c.valid_until_after, c.unlimited_changed,
                    c.unlimited_until_after, c.reason, a.name, c.created_at
             from credit_ledger c
             left join purchases p on p.id = c.purchase_id
             left join users a on a.id = c.actor_id
             where c.user_id = $1
             order by c.created_at desc, c.id desc limit $2",
            &[&user, &limit],
        )
        .await?;
    let ts = |t: Option<OffsetDateTime>| t.map(|t| rfc3339(t).into());
    Ok(rows
        .iter()
        .map(|r| LedgerEntry {
            source: r.get(0),
            order_id: r.get(1),
            quota_bytes: r.get(2),
            unlimited: r.get(3),
            validity_days: r.get(4),
            valid_until_before: ts(r.get(5)),
            valid_until_after: ts(r.get(6)),
            unlimited_until_after: if r.get::<_, bool>(7) {
                ts(r.get(8))
            } else {
                None
            },
            reason: r.get(9),
            actor_name: r.get(10),
            created_at: rfc3339(r.get(11)).into(),
        })
        .collect())
}
