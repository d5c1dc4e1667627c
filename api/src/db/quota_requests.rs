//! Officers' quota requests and their decisions.

use deadpool_postgres::GenericClient;
use time::OffsetDateTime;
use tokio_postgres::Row;
use uuid::Uuid;

/// A request with the names the screens show.
#[derive(Debug, Clone)]
pub struct QuotaRequest {
    pub id: Uuid,
    pub requester_id: Uuid,
    pub requester_name: String,
    pub requester_phone: Option<String>,
    pub unlimited: bool,
    pub quota_bytes: Option<i64>,
    pub days: i32,
    pub note: String,
    pub status: String,
    pub granted_bytes: Option<i64>,
    pub granted_days: Option<i32>,
    pub partly: bool,
    pub reason: Option<String>,
    pub decided_by_name: Option<String>,
    pub decided_at: Option<OffsetDateTime>,
    pub created_at: OffsetDateTime,
}

const SELECT: &str = "select q.id, q.requester_id, u.name as requester_name,
        u.phone as requester_phone, q.unlimited, q.quota_bytes, q.days, q.note, q.status,
        q.granted_bytes, q.granted_days, q.partly, q.reason, d.name as decided_by_name,
        q.decided_at, q.created_at
    from quota_requests q
    join users u on u.id = q.requester_id
    left join users d on d.id = q.decided_by";

fn from_row(r: &Row) -> QuotaRequest {
    QuotaRequest {
        id: r.get("id"),
        requester_id: r.get("requester_id"),
        requester_name: r.get("requester_name"),
        requester_phone: r.get("requester_phone"),
        unlimited: r.get("unlimited"),
        quota_bytes: r.get("quota_bytes"),
        days: r.get("days"),
        note: r.get("note"),
        status: r.get("status"),
        granted_bytes: r.get("granted_bytes"),
        granted_days: r.get("granted_days"),
        partly: r.get("partly"),
        reason: r.get("reason"),
        decided_by_name: r.get("decided_by_name"),
        decided_at: r.get("decided_at"),
        created_at: r.get("created_at"),
    }
}

/// What a new request holds.
pub struct NewRow<'a> {
    pub id: Uuid,
    pub requester_id: Uuid,
    pub unlimited: bool,
    pub quota_bytes: Option<i64>,
    pub days: i32,
    pub note: &'a str,
}

pub async fn insert(db: &impl GenericClient, r: &NewRow<'_>) -> Result<(), tokio_postgres::Error> {
    db.execute(
        "insert into quota_requests (id, requester_id, unlimited, quota_bytes, days, note)
         values ($1, $2, $3, $4, $5, $6)",
        &[
            &r.id,
            &r.requester_id,
            &r.unlimited,
            &r.quota_bytes,
            &r.days,
            &r.note,
        ],
    )
    .await?;
    Ok(())
}

/// Pending requests of one officer.
pub async fn pending_of(
    db: &impl GenericClient,
    requester: Uuid,
) -> Result<i64, tokio_postgres::Error> {
    let row = db
        .query_one(
            "select count(*) from quota_requests where requester_id = $1 and status = 'pending'",
            &[&requester],
        )
        .await?;
    Ok(row.get(0))
}

/// One officer's requests, newest first (the last 50).
pub async fn of_requester(
    db: &impl GenericClient,
    requester: Uuid,
) -> Result<Vec<QuotaRequest>, tokio_postgres::Error> {
    let sql = format!(
        "{SELECT} where q.requester_id = $1 order by q.created_at desc, q.id desc limit 50"
    );
    Ok(db
        .query(&sql, &[&requester])
        .await?
        .iter()
        .map(from_row)
        .collect())
}

/// Requests for the admins' queue: pending ones oldest first, or decided
/// ones newest first (the last 100).
pub async fn queue(
    db: &impl GenericClient,
    status: &str,
) -> Result<Vec<QuotaRequest>, tokio_postgres::Error> {
    let order = if status == "pending" {
        "q.created_at, q.id"
    } else {
        "q.decided_at desc, q.id desc"
    };
    let sql = format!("{SELECT} where q.status = $1 order by {order} limit 100");
    Ok(db
        .query(&sql, &[&status])
        .await?
        .iter()
        .map(from_row)
        .collect())
}

/// One request; `for update of q` when `lock` (deciding holds the row).
pub async fn by_id(
    db: &impl GenericClient,
    id: Uuid,
    lock: bool,
) -> Result<Option<QuotaRequest>, tokio_postgres::Error> {
    let sql = format!(
        "{SELECT} where q.id = $1{}",
        if lock { " for update of q" } else { "" }
    );
    Ok(db.query_opt(&sql, &[&id]).await?.as_ref().map(from_row))
}

/// Records an approval.
pub async fn approve(
    db: &impl GenericClient,
    id: Uuid,
    admin: Uuid,
    granted_bytes: Option<i64>,
    granted_days: i32,
    partly: bool,
) -> Result<(), tokio_postgres::Error> {
    db.execute(
        "update quota_requests set status = 'approved', decided_by = $2, decided_at = now(),
                granted_bytes = $3, granted_days = $4, partly = $5
         where id = $1 and status = 'pending'",
        &[&id, &admin, &granted_bytes, &granted_days, &partly],
    )
    .await?;
    Ok(())
}

/// Records a rejection.
pub async fn reject(
    db: &impl GenericClient,
    id: Uuid,
    admin: Uuid,
    reason: &str,
) -> Result<(), tokio_postgres::Error> {
    db.execute(
        "update quota_requests set status = 'rejected', decided_by = $2, decided_at = now(),
                reason = $3
         where id = $1 and status = 'pending'",
        &[&id, &admin, &reason],
    )
    .await?;
    Ok(())
}
