//! Staff rows: the operator key, the web password's hash and sealed copy.

use deadpool_postgres::GenericClient;
use time::OffsetDateTime;
use tokio_postgres::Row;
use uuid::Uuid;

/// A staff member as stored (the sealed password only where asked for).
#[derive(Debug, Clone)]
pub struct Staff {
    pub id: Uuid,
    pub username: String,
    pub name: String,
    pub operator_key: String,
    pub router_id: Option<Uuid>,
    pub router_name: Option<String>,
    pub password_set_at: Option<OffsetDateTime>,
    pub active: bool,
    pub blocked: bool,
    pub created_at: OffsetDateTime,
}

const COLUMNS: &str =
    "u.id, u.username, u.name, u.operator_key, u.router_id, r.name as router_name,
     u.password_set_at, u.active, u.blocked, u.created_at";
const FROM: &str = "from users u left join routers r on r.id = u.router_id";

fn from_row(r: &Row) -> Staff {
    Staff {
        id: r.get("id"),
        username: r.get("username"),
        name: r.get("name"),
        operator_key: r.get("operator_key"),
        router_id: r.get("router_id"),
        router_name: r.get("router_name"),
        password_set_at: r.get("password_set_at"),
        active: r.get("active"),
        blocked: r.get("blocked"),
        created_at: r.get("created_at"),
    }
}

/// What a new staff row holds.
pub struct NewStaffRow<'a> {
    pub id: Uuid,
    pub username: &'a str,
    pub name: &'a str,
    pub operator_key: &'a str,
    pub router_id: Option<Uuid>,
    pub password_hash: &'a str,
    pub password_sealed: &'a str,
}

/// Which unique value a new row collided with.
#[derive(Debug, PartialEq, Eq)]
pub enum Taken {
    Username,
    OperatorKey,
}

/// Inserts a staff member; `Err(Taken)` names the duplicate.
pub async fn insert(
    db: &impl GenericClient,
    s: &NewStaffRow<'_>,
) -> Result<Result<(), Taken>, tokio_postgres::Error> {
    let done = db
        .execute(
            "insert into users (id, username, name, role, operator_key, router_id, password_hash,
                                web_password_sealed, password_set_at, approval)
             values ($1, $2, $3, 'staff', $4, $5, $6, $7, now(), 'approved')",
            &[
                &s.id,
                &s.username,
                &s.name,
                &s.operator_key,
                &s.router_id,
                &s.password_hash,
                &s.password_sealed,
            ],
        )
        .await;
    taken(done)
}

/// A write's outcome with a unique violation named as the value it hit.
fn taken<T>(
    done: Result<T, tokio_postgres::Error>,
) -> Result<Result<(), Taken>, tokio_postgres::Error> {
    match done {
        Ok(_) => Ok(Ok(())),
        Err(e) if e.code() == Some(&tokio_postgres::error::SqlState::UNIQUE_VIOLATION) => {
            let constraint = e
                .as_db_error()
                .and_then(|d| d.constraint())
                .unwrap_or_default();
            Ok(Err(if constraint.contains("operator_key") {
                Taken::OperatorKey
            } else {
                Taken::Username
            }))
        }
        Err(e) => Err(e),
    }
}

/// What an admin may change of a staff member.
pub struct StaffDetails<'a> {
    pub username: &'a str,
    pub name: &'a str,
    pub operator_key: &'a str,
    pub router_id: Uuid,
}

/// Replaces a staff member's details; `Err(Taken)` names a duplicate.
pub async fn update(
    db: &impl GenericClient,
    id: Uuid,
    d: &StaffDetails<'_>,
) -> Result<Result<(), Taken>, tokio_postgres::Error> {
    let done = db
        .execute(
            "update users set username = $2, name = $3, operator_key = $4, router_id = $5,
                              updated_at = now()
             where id = $1 and role = 'staff'",
            &[&id, &d.username, &d.name, &d.operator_key, &d.router_id],
        )
        .await;
    taken(done)
}

pub async fn list(db: &impl GenericClient) -> Result<Vec<Staff>, tokio_postgres::Error> {
    let stmt = db
        .prepare_cached(&format!(
            "select {COLUMNS} {FROM} where u.role = 'staff' and u.operator_key is not null
             order by lower(u.name), u.id"
        ))
        .await?;
    Ok(db.query(&stmt, &[]).await?.iter().map(from_row).collect())
}

/// One staff member with the sealed web password (`for update` when `lock`).
pub async fn by_id(
    db: &impl GenericClient,
    id: Uuid,
    lock: bool,
) -> Result<Option<(Staff, Option<String>)>, tokio_postgres::Error> {
    let sql = format!(
        "select {COLUMNS}, u.web_password_sealed {FROM}
         where u.id = $1 and u.role = 'staff' and u.operator_key is not null{}",
        if lock { " for update of u" } else { "" }
    );
    let stmt = db.prepare_cached(&sql).await?;
    Ok(db
        .query_opt(&stmt, &[&id])
        .await?
        .map(|r| (from_row(&r), r.get("web_password_sealed"))))
}

/// Replaces the web password (hash and sealed copy); the caller ends the
/// sessions that must not survive it.
pub async fn set_password(
    db: &impl GenericClient,
    id: Uuid,
    password_hash: &str,
    password_sealed: &str,
) -> Result<(), tokio_postgres::Error> {
    db.execute(
        "update users set password_hash = $2, web_password_sealed = $3, password_set_at = now(),
                          updated_at = now()
         where id = $1 and role = 'staff'",
        &[&id, &password_hash, &password_sealed],
    )
    .await?;
    Ok(())
}

/// The password hash of an account (an admin confirming, a staff member
/// changing their password).
pub async fn password_hash(
    db: &impl GenericClient,
    id: Uuid,
) -> Result<Option<String>, tokio_postgres::Error> {
    let stmt = db
        .prepare_cached("select password_hash from users where id = $1")
        .await?;
    Ok(db.query_opt(&stmt, &[&id]).await?.and_then(|r| r.get(0)))
}
