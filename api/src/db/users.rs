//! `users`.

use deadpool_postgres::GenericClient;
pub use shared_types::Approval;
use shared_types::{access::AccessFacts, Role, StatusView, UserView};
use time::{format_description::well_known::Rfc3339, OffsetDateTime};
use tokio_postgres::Row;
use uuid::Uuid;

/// Whether a phone number belongs to an account that may be sent a login
/// code: any registered account except a rejected registration.
pub async fn may_receive_code(
    db: &impl GenericClient,
    phone: &str,
) -> Result<bool, tokio_postgres::Error> {
    let stmt = db
        .prepare_cached("select 1 from users where phone = $1 and approval <> 'rejected'")
        .await?;
    Ok(db.query_opt(&stmt, &[&phone]).await?.is_some())
}

/// The columns every [`User`] query selects.
pub(crate) const COLUMNS: &str = "id, phone, username, name, role, blok, kamar, tamping_type, approval, active, \
     blocked, blocked_reason, router_id, hotspot_password_sealed, quota_bytes, used_bytes, unlimited, \
     valid_until, session_version, fup_threshold_bytes, unlimited_until, hotspot_profile, created_at";

/// One user row.
#[derive(Debug, Clone)]
pub struct User {
    pub id: Uuid,
    pub phone: Option<String>,
    pub username: Option<String>,
    pub name: String,
    pub role: Role,
    pub blok: Option<String>,
    pub kamar: Option<String>,
    pub tamping_type: Option<String>,
    pub approval: Approval,
    pub active: bool,
    pub blocked: bool,
    pub blocked_reason: Option<String>,
    pub router_id: Option<Uuid>,
    pub hotspot_password_sealed: Option<String>,
    pub quota_bytes: i64,
    pub used_bytes: i64,
    pub unlimited: bool,
    pub valid_until: Option<OffsetDateTime>,
    pub session_version: i32,
    pub fup_threshold_bytes: Option<i64>,
    /// Unlimited until then (an unlimited package).
    pub unlimited_until: Option<OffsetDateTime>,
    /// The hotspot profile of the last package bought (`None`: the router's).
    pub hotspot_profile: Option<String>,
    pub created_at: OffsetDateTime,
}

impl User {
    pub(crate) fn from_row(r: &Row) -> Self {
        let role: String = r.get("role");
        Self {
            id: r.get("id"),
            phone: r.get("phone"),
            username: r.get("username"),
            name: r.get("name"),
            role: Role::parse(&role).unwrap_or(Role::Resident),
            blok: r.get("blok"),
            kamar: r.get("kamar"),
            tamping_type: r.get("tamping_type"),
            approval: Approval::parse(r.get("approval")).unwrap_or(Approval::Pending),
            active: r.get("active"),
            blocked: r.get("blocked"),
            blocked_reason: r.get("blocked_reason"),
            router_id: r.get("router_id"),
            hotspot_password_sealed: r.get("hotspot_password_sealed"),
            quota_bytes: r.get("quota_bytes"),
            used_bytes: r.get("used_bytes"),
            unlimited: r.get("unlimited"),
            valid_until: r.get("valid_until"),
            session_version: r.get("session_version"),
            fup_threshold_bytes: r.get("fup_threshold_bytes"),
            unlimited_until: r.get("unlimited_until"),
            hotspot_profile: r.get("hotspot_profile"),
            created_at: r.get("created_at"),
        }
    }

    /// Whether this account may log in at all (approved, active, not blocked).
    pub fn may_log_in(&self) -> bool {
        self.approval == Approval::Approved && self.active && !self.blocked
    }

    pub fn facts(&self) -> AccessFacts {
        AccessFacts {
            blocked: self.blocked,
            active: self.active,
            approved: self.approval == Approval::Approved,
            unlimited: self.unlimited,
            unlimited_until: self.unlimited_until.map(OffsetDateTime::unix_timestamp),
            quota_bytes: self.quota_bytes,
            used_bytes: self.used_bytes,
            valid_until: self.valid_until.map(OffsetDateTime::unix_timestamp),
            fup_threshold_bytes: self.fup_threshold_bytes,
        }
    }

    /// The hotspot account name: the local phone form (`08…`), or the username for staff.
    pub fn hotspot_username(&self) -> Option<String> {
        match (&self.phone, &self.username) {
            (Some(phone), _) => Some(shared_types::phone::local_form(phone)),
            (None, Some(username)) => Some(username.clone()),
            _ => None,
        }
    }

    pub fn view(&self) -> UserView {
        UserView {
            id: self.id.to_string().into(),
            name: self.name.clone(),
            role: self.role,
            phone: self.phone.clone(),
            username: self.username.clone(),
            blok: self.blok.clone(),
            kamar: self.kamar.clone(),
            tamping_type: self.tamping_type.clone(),
        }
    }

    pub fn status_view(&self, now: OffsetDateTime) -> StatusView {
        let facts = self.facts();
        let status = facts.status(now.unix_timestamp());
        StatusView {
            status,
            unlimited: facts.unlimited_at(now.unix_timestamp()),
            quota_bytes: self.quota_bytes,
            used_bytes: self.used_bytes,
            remaining_bytes: facts.remaining_bytes(),
            valid_until: self.valid_until.map(|t| rfc3339(t).into()),
            hotspot_username: self.hotspot_username(),
            blocked_reason: if self.blocked {
                self.blocked_reason.clone()
            } else {
                None
            },
        }
    }
}

/// RFC 3339 text of a timestamp.
pub fn rfc3339(t: OffsetDateTime) -> String {
    t.format(&Rfc3339).unwrap_or_default()
}

/// At most one user, selected by `condition` (a SQL fragment over `$1`).
async fn one(
    db: &impl GenericClient,
    condition: &str,
    param: &(dyn tokio_postgres::types::ToSql + Sync),
) -> Result<Option<User>, tokio_postgres::Error> {
    let stmt = db
        .prepare_cached(&format!("select {COLUMNS} from users where {condition}"))
        .await?;
    Ok(db
        .query_opt(&stmt, &[param])
        .await?
        .as_ref()
        .map(User::from_row))
}

pub async fn by_id(
    db: &impl GenericClient,
    id: Uuid,
) -> Result<Option<User>, tokio_postgres::Error> {
    one(db, "id = $1", &id).await
}

/// The user row, locked until the transaction ends (serialises device changes).
pub async fn by_id_for_update(
    db: &impl GenericClient,
    id: Uuid,
) -> Result<Option<User>, tokio_postgres::Error> {
    one(db, "id = $1 for update", &id).await
}

pub async fn by_phone(
    db: &impl GenericClient,
    phone: &str,
) -> Result<Option<User>, tokio_postgres::Error> {
    one(db, "phone = $1", &phone).await
}

pub async fn by_username(
    db: &impl GenericClient,
    username: &str,
) -> Result<Option<(User, Option<String>)>, tokio_postgres::Error> {
    let stmt = db
        .prepare_cached(&format!(
            "select {COLUMNS}, password_hash from users where username = $1"
        ))
        .await?;
    Ok(db
        .query_opt(&stmt, &[&username])
        .await?
        .map(|r| (User::from_row(&r), r.get("password_hash"))))
}

/// Stores a newly sealed hotspot password unless another request stored one first;
/// returns the sealed value in effect.
pub async fn set_hotspot_password_if_missing(
    db: &impl GenericClient,
    id: Uuid,
    sealed: &str,
) -> Result<String, tokio_postgres::Error> {
    let stmt = db
        .prepare_cached(
            "update users set hotspot_password_sealed = coalesce(hotspot_password_sealed, $2),
                    updated_at = now()
             where id = $1 returning hotspot_password_sealed",
        )
        .await?;
    Ok(db.query_one(&stmt, &[&id, &sealed]).await?.get(0))
}

/// Fields of a new phone user (self-registration).
pub struct NewPhoneUser<'a> {
    pub phone: &'a str,
    pub name: &'a str,
    pub role: Role,
    pub blok: Option<&'a str>,
    pub kamar: Option<&'a str>,
    pub tamping_type: Option<&'a str>,
    pub router_id: Option<Uuid>,
}

/// Inserts a pending registration; `None` when the phone is already registered.
pub async fn insert_pending(
    db: &impl GenericClient,
    u: &NewPhoneUser<'_>,
) -> Result<Option<Uuid>, tokio_postgres::Error> {
    let id = Uuid::now_v7();
    let stmt = db
        .prepare_cached(
            "insert into users (id, phone, name, role, blok, kamar, tamping_type, router_id, approval)
             values ($1, $2, $3, $4, $5, $6, $7, $8, 'pending')
             on conflict (phone) do nothing returning id",
        )
        .await?;
    Ok(db
        .query_opt(
            &stmt,
            &[
                &id,
                &u.phone,
                &u.name,
                &u.role.as_str(),
                &u.blok,
                &u.kamar,
                &u.tamping_type,
                &u.router_id,
            ],
        )
        .await?
        .map(|r| r.get(0)))
}

/// Pending registrations, oldest first.
pub async fn pending(db: &impl GenericClient) -> Result<Vec<User>, tokio_postgres::Error> {
    let stmt = db
        .prepare_cached(&format!(
            "select {COLUMNS} from users where approval = 'pending' order by created_at, id limit 500"
        ))
        .await?;
    Ok(db
        .query(&stmt, &[])
        .await?
        .iter()
        .map(User::from_row)
        .collect())
}

/// Moves a pending registration to `approved`/`rejected`; `None` if it is not pending.
pub async fn review(
    db: &impl GenericClient,
    id: Uuid,
    approve: bool,
    reviewer: Uuid,
    reason: Option<&str>,
    hotspot_password_sealed: Option<&str>,
) -> Result<Option<User>, tokio_postgres::Error> {
    let stmt = db
        .prepare_cached(&format!(
            "update users set approval = case when $2 then 'approved' else 'rejected' end,
                    reviewed_by = $3, reviewed_at = now(), reject_reason = $4,
                    hotspot_password_sealed = coalesce(hotspot_password_sealed, $5),
                    updated_at = now()
             where id = $1 and approval = 'pending'
             returning {COLUMNS}"
        ))
        .await?;
    Ok(db
        .query_opt(
            &stmt,
            &[&id, &approve, &reviewer, &reason, &hotspot_password_sealed],
        )
        .await?
        .as_ref()
        .map(User::from_row))
}

/// Users whose hotspot account lives on this router (those without a router
/// belong to the default one). Staff are not among them: their accounts are
/// the router's and their own, found by comment (docs/architecture.md,
/// "Staff accounts"), and the reconcile never manages them.
pub async fn of_router(
    db: &impl GenericClient,
    router_id: Uuid,
    is_default: bool,
) -> Result<Vec<User>, tokio_postgres::Error> {
    let stmt = db
        .prepare_cached(&format!(
            "select {COLUMNS} from users
             where (router_id = $1 or (router_id is null and $2))
               and (phone is not null or username is not null)
               and role <> 'staff'
             order by id"
        ))
        .await?;
    Ok(db
        .query(&stmt, &[&router_id, &is_default])
        .await?
        .iter()
        .map(User::from_row)
        .collect())
}

/// The channel a user change is announced on; the worker reconciles that user at once.
pub const CHANGED_CHANNEL: &str = "gerbang_user_changed";

/// Announces that a user's access changed (delivered when the transaction commits).
pub async fn notify_changed(
    db: &impl GenericClient,
    id: Uuid,
) -> Result<(), tokio_postgres::Error> {
    db.execute(
        "select pg_notify($1, $2)",
        &[&CHANGED_CHANNEL, &id.to_string()],
    )
    .await?;
    Ok(())
}

/// An admin's change of who may use the hotspot: `None` leaves a column as is.
pub struct AccessUpdate<'a> {
    pub blocked: Option<bool>,
    /// Kept with a block, cleared by an unblock.
    pub reason: Option<&'a str>,
    pub active: Option<bool>,
    /// Whether every session of the user ends (the session version moves on).
    pub end_sessions: bool,
}

pub async fn update_access(
    db: &impl GenericClient,
    id: Uuid,
    u: &AccessUpdate<'_>,
) -> Result<(), tokio_postgres::Error> {
    db.execute(
        "update users set
             blocked = coalesce($2, blocked),
             blocked_reason = case when $2 is null then blocked_reason
                                   when $2 then $3 else null end,
             active = coalesce($4, active),
             session_version = session_version + case when $5 then 1 else 0 end,
             updated_at = now()
         where id = $1",
        &[&id, &u.blocked, &u.reason, &u.active, &u.end_sessions],
    )
    .await?;
    Ok(())
}

pub async fn delete(db: &impl GenericClient, id: Uuid) -> Result<(), tokio_postgres::Error> {
    db.execute("delete from users where id = $1", &[&id])
        .await?;
    Ok(())
}

/// What a paid package adds to a user.
pub struct Credit<'a> {
    pub user_id: Uuid,
    pub quota_bytes: i64,
    pub valid_until: OffsetDateTime,
    /// Set for unlimited packages.
    pub unlimited_until: Option<OffsetDateTime>,
    /// Set for packages with a quota.
    pub fup_threshold_bytes: Option<i64>,
    pub hotspot_profile: Option<&'a str>,
}

pub async fn apply_credit(
    db: &impl GenericClient,
    c: &Credit<'_>,
) -> Result<(), tokio_postgres::Error> {
    db.execute(
        "update users set
             quota_bytes = quota_bytes + $2,
             valid_until = $3,
             unlimited_until = coalesce($4, unlimited_until),
             fup_threshold_bytes = coalesce($5, fup_threshold_bytes),
             hotspot_profile = $6,
             updated_at = now()
         where id = $1",
        &[
            &c.user_id,
            &c.quota_bytes,
            &c.valid_until,
            &c.unlimited_until,
            &c.fup_threshold_bytes,
            &c.hotspot_profile,
        ],
    )
    .await?;
    Ok(())
}

/// A password account (staff, admin, super admin) to create, or to reset
/// when the username exists (its sessions end).
pub struct PasswordAccount<'a> {
    pub username: &'a str,
    pub password_hash: &'a str,
    pub name: &'a str,
    pub role: Role,
    pub phone: Option<&'a str>,
}

/// Creates or resets a password account; returns its id.
pub async fn upsert_password_account(
    db: &impl GenericClient,
    a: &PasswordAccount<'_>,
) -> Result<Uuid, tokio_postgres::Error> {
    let row = db
        .query_one(
            "insert into users (id, username, password_hash, name, role, phone, approval)
             values ($1, $2, $3, $4, $5, $6, 'approved')
             on conflict (username) do update set password_hash = excluded.password_hash,
                 name = excluded.name, role = excluded.role, phone = excluded.phone,
                 session_version = users.session_version + 1, updated_at = now()
             returning id",
            &[
                &Uuid::now_v7(),
                &a.username,
                &a.password_hash,
                &a.name,
                &a.role.as_str(),
                &a.phone,
            ],
        )
        .await?;
    Ok(row.get(0))
}

/// The demo's approved resident `081200000001` on `router_id`, reset to
/// `quota_bytes` for `valid_until`; returns its id and sealed hotspot password.
pub async fn upsert_demo_resident(
    db: &impl GenericClient,
    router_id: Uuid,
    quota_bytes: i64,
    valid_until: OffsetDateTime,
    fup_threshold_bytes: i64,
) -> Result<(Uuid, Option<String>), tokio_postgres::Error> {
    let row = db
        .query_one(
            "insert into users (id, phone, name, role, blok, kamar, approval, router_id,
                                quota_bytes, used_bytes, valid_until, fup_threshold_bytes)
             values ($1, '+6281200000001', 'Warga Demo', 'resident', 'A', '1', 'approved', $2, $3, 0, $4, $5)
             on conflict (phone) do update set approval = 'approved', active = true, blocked = false,
                 blocked_reason = null, router_id = excluded.router_id, quota_bytes = excluded.quota_bytes,
                 used_bytes = 0, valid_until = excluded.valid_until,
                 fup_threshold_bytes = excluded.fup_threshold_bytes, updated_at = now()
             returning id, hotspot_password_sealed",
            &[
                &Uuid::now_v7(),
                &router_id,
                &quota_bytes,
                &valid_until,
                &fup_threshold_bytes,
            ],
        )
        .await?;
    Ok((row.get(0), row.get(1)))
}

/// Quota and validity after an admin's adjustment (absolute values, computed
/// under the row lock).
pub struct Adjusted {
    pub quota_bytes: i64,
    pub valid_until: Option<OffsetDateTime>,
    pub unlimited_until: Option<OffsetDateTime>,
}

pub async fn apply_adjustment(
    db: &impl GenericClient,
    id: Uuid,
    a: &Adjusted,
) -> Result<(), tokio_postgres::Error> {
    db.execute(
        "update users set quota_bytes = $2, valid_until = $3, unlimited_until = $4,
                updated_at = now()
         where id = $1",
        &[&id, &a.quota_bytes, &a.valid_until, &a.unlimited_until],
    )
    .await?;
    Ok(())
}

/// The profile fields an admin edits.
pub struct Profile<'a> {
    pub name: &'a str,
    pub phone: Option<&'a str>,
    pub role: Role,
    pub blok: Option<&'a str>,
    pub kamar: Option<&'a str>,
    pub tamping_type: Option<&'a str>,
}

pub async fn update_profile(
    db: &impl GenericClient,
    id: Uuid,
    p: &Profile<'_>,
) -> Result<(), tokio_postgres::Error> {
    db.execute(
        "update users set name = $2, phone = $3, role = $4, blok = $5, kamar = $6,
                tamping_type = $7, updated_at = now()
         where id = $1",
        &[
            &id,
            &p.name,
            &p.phone,
            &p.role.as_str(),
            &p.blok,
            &p.kamar,
            &p.tamping_type,
        ],
    )
    .await?;
    Ok(())
}

/// Replaces the sealed hotspot password.
pub async fn set_hotspot_password(
    db: &impl GenericClient,
    id: Uuid,
    sealed: &str,
) -> Result<(), tokio_postgres::Error> {
    db.execute(
        "update users set hotspot_password_sealed = $2, updated_at = now() where id = $1",
        &[&id, &sealed],
    )
    .await?;
    Ok(())
}

/// Why a registration was rejected.
pub async fn reject_reason(
    db: &impl GenericClient,
    id: Uuid,
) -> Result<Option<String>, tokio_postgres::Error> {
    Ok(db
        .query_opt("select reject_reason from users where id = $1", &[&id])
        .await?
        .and_then(|r| r.get(0)))
}

/// Users by hotspot account name (`08…` local numbers or usernames), for
/// naming live sessions: `(id, name, hotspot name)`.
pub async fn by_hotspot_names(
    db: &impl GenericClient,
    names: &[String],
) -> Result<Vec<(Uuid, String, String)>, tokio_postgres::Error> {
    let phones: Vec<String> = names
        .iter()
        .filter_map(|n| shared_types::phone::normalize_id_mobile(n).ok())
        .map(String::from)
        .collect();
    let rows = db
        .query(
            &format!("select {COLUMNS} from users where phone = any($1) or username = any($2)"),
            &[&phones, &names],
        )
        .await?;
    Ok(rows
        .iter()
        .map(User::from_row)
        .filter_map(|u| Some((u.id, u.name.clone(), u.hotspot_username()?)))
        .collect())
}
