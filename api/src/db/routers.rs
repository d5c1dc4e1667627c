//! `routers`.

use deadpool_postgres::GenericClient;
use shared_types::LoginMode;
use tokio_postgres::Row;
use uuid::Uuid;

const COLUMNS: &str =
    "id, name, host, port, tls, tls_fingerprint, api_username, api_password_sealed, \
     login_mode, hotspot_server, login_url, hotspot_profile, address_list_prefix, is_default, \
     fup_profile, disabled, created_at";

/// One managed router. The API password stays sealed until a connection is made.
#[derive(Debug, Clone)]
pub struct RouterRow {
    pub id: Uuid,
    pub name: String,
    pub host: String,
    pub port: i32,
    pub tls: bool,
    pub tls_fingerprint: Option<String>,
    pub api_username: String,
    pub api_password_sealed: String,
    pub login_mode: LoginMode,
    pub hotspot_server: String,
    pub login_url: String,
    pub hotspot_profile: String,
    pub address_list_prefix: String,
    pub is_default: bool,
    /// The profile (with the FUP rate limit) a user in FUP logs in with.
    pub fup_profile: String,
    /// Left alone by the worker and the live views.
    pub disabled: bool,
    pub created_at: time::OffsetDateTime,
}

/// The advisory-lock key of a router (two 32-bit halves of its id's hash).
pub fn lock_key(router: &Uuid) -> i64 {
    let b = router.as_bytes();
    i64::from_be_bytes([b[0], b[1], b[2], b[3], b[12], b[13], b[14], b[15]]) ^ 0x6765_7262_0000_0000
}

/// Takes the router's lock for this transaction if no one holds it (a cycle).
pub async fn try_lock(
    tx: &impl GenericClient,
    router: &Uuid,
) -> Result<bool, tokio_postgres::Error> {
    let row = tx
        .query_one("select pg_try_advisory_xact_lock($1)", &[&lock_key(router)])
        .await?;
    Ok(row.get(0))
}

/// Waits for the router's lock and holds it until the transaction ends
/// (a running cycle finishes first; the next waits for this change).
pub async fn lock(tx: &impl GenericClient, router: &Uuid) -> Result<(), tokio_postgres::Error> {
    tx.execute("select pg_advisory_xact_lock($1)", &[&lock_key(router)])
        .await?;
    Ok(())
}

impl RouterRow {
    fn from_row(r: &Row) -> Self {
        let mode: String = r.get("login_mode");
        Self {
            id: r.get("id"),
            name: r.get("name"),
            host: r.get("host"),
            port: r.get("port"),
            tls: r.get("tls"),
            tls_fingerprint: r.get("tls_fingerprint"),
            api_username: r.get("api_username"),
            api_password_sealed: r.get("api_password_sealed"),
            login_mode: if mode == "bypass" {
                LoginMode::Bypass
            } else {
                LoginMode::HotspotLogin
            },
            hotspot_server: r.get("hotspot_server"),
            login_url: r.get("login_url"),
            hotspot_profile: r.get("hotspot_profile"),
            address_list_prefix: r.get("address_list_prefix"),
            is_default: r.get("is_default"),
            fup_profile: r.get("fup_profile"),
            disabled: r.get("disabled"),
            created_at: r.get("created_at"),
        }
    }

    /// A hotspot-login router with the migration's defaults, for unit tests
    /// of pure functions that read router settings.
    #[cfg(test)]
    pub fn for_tests() -> Self {
        Self {
            id: Uuid::nil(),
            name: "test".into(),
            host: "127.0.0.1".into(),
            port: 8728,
            tls: false,
            tls_fingerprint: None,
            api_username: "gerbang".into(),
            api_password_sealed: String::new(),
            login_mode: LoginMode::HotspotLogin,
            hotspot_server: "hotspot1".into(),
            login_url: "http://10.5.50.1/login".into(),
            hotspot_profile: "default".into(),
            address_list_prefix: "gerbang-".into(),
            is_default: true,
            fup_profile: "gerbang-fup".into(),
            disabled: false,
            created_at: time::OffsetDateTime::UNIX_EPOCH,
        }
    }
}

pub async fn by_id(
    db: &impl GenericClient,
    id: Uuid,
) -> Result<Option<RouterRow>, tokio_postgres::Error> {
    let stmt = db
        .prepare_cached(&format!("select {COLUMNS} from routers where id = $1"))
        .await?;
    Ok(db
        .query_opt(&stmt, &[&id])
        .await?
        .as_ref()
        .map(RouterRow::from_row))
}

/// The router new registrations belong to: the one marked default, else the oldest.
pub async fn default_router(
    db: &impl GenericClient,
) -> Result<Option<RouterRow>, tokio_postgres::Error> {
    let stmt = db
        .prepare_cached(&format!(
            "select {COLUMNS} from routers where not disabled
             order by is_default desc, created_at, id limit 1"
        ))
        .await?;
    Ok(db
        .query_opt(&stmt, &[])
        .await?
        .as_ref()
        .map(RouterRow::from_row))
}

/// A router to insert (the password is already sealed with the row id as AAD).
pub struct NewRouter<'a> {
    pub id: Uuid,
    pub name: &'a str,
    pub host: &'a str,
    pub port: i32,
    pub api_username: &'a str,
    pub api_password_sealed: &'a str,
    pub login_mode: LoginMode,
    pub login_url: &'a str,
    pub is_default: bool,
}

/// Inserts or updates a router by name; returns its id. Seal the password with
/// [`id_by_name`]'s id when the router exists, since the id is the associated data.
pub async fn upsert(db: &impl GenericClient, r: &NewRouter<'_>) -> anyhow::Result<Uuid> {
    let mode = match r.login_mode {
        LoginMode::HotspotLogin => "hotspot_login",
        LoginMode::Bypass => "bypass",
    };
    let row = db
        .query_one(
            &format!(
                "insert into routers (id, name, host, port, api_username, api_password_sealed, login_mode, login_url, is_default)
                 values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                 on conflict (name) do update set host = excluded.host, port = excluded.port,
                    api_username = excluded.api_username,
                    api_password_sealed = excluded.api_password_sealed, login_mode = excluded.login_mode,
                    login_url = excluded.login_url, is_default = excluded.is_default, updated_at = now()
                 returning {COLUMNS}"
            ),
            &[
                &r.id,
                &r.name,
                &r.host,
                &r.port,
                &r.api_username,
                &r.api_password_sealed,
                &mode,
                &r.login_url,
                &r.is_default,
            ],
        )
        .await?;
    Ok(row.get("id"))
}

/// The id of the router with this name.
pub async fn id_by_name(
    db: &impl GenericClient,
    name: &str,
) -> Result<Option<Uuid>, tokio_postgres::Error> {
    Ok(db
        .query_opt("select id from routers where name = $1", &[&name])
        .await?
        .map(|r| r.get(0)))
}

/// Every router the worker and the live views work on (not disabled), by name.
pub async fn all(db: &impl GenericClient) -> Result<Vec<RouterRow>, tokio_postgres::Error> {
    let stmt = db
        .prepare_cached(&format!(
            "select {COLUMNS} from routers where not disabled order by name"
        ))
        .await?;
    Ok(db
        .query(&stmt, &[])
        .await?
        .iter()
        .map(RouterRow::from_row)
        .collect())
}

/// Every router, disabled ones too (the admin's list), by name.
pub async fn listed(db: &impl GenericClient) -> Result<Vec<RouterRow>, tokio_postgres::Error> {
    let stmt = db
        .prepare_cached(&format!("select {COLUMNS} from routers order by name"))
        .await?;
    Ok(db
        .query(&stmt, &[])
        .await?
        .iter()
        .map(RouterRow::from_row)
        .collect())
}

/// A router's settings as an admin saves them (the password already sealed
/// with the row id as associated data).
pub struct RouterRecord<'a> {
    pub name: &'a str,
    pub host: &'a str,
    pub port: i32,
    pub tls: bool,
    pub tls_fingerprint: Option<String>,
    pub api_username: &'a str,
    pub api_password_sealed: &'a str,
    pub login_mode: LoginMode,
    pub hotspot_server: &'a str,
    pub login_url: &'a str,
    pub hotspot_profile: &'a str,
    pub fup_profile: &'a str,
    pub address_list_prefix: &'a str,
    pub is_default: bool,
}

fn mode_text(m: LoginMode) -> &'static str {
    match m {
        LoginMode::HotspotLogin => "hotspot_login",
        LoginMode::Bypass => "bypass",
    }
}

/// `$1` = the id, `$2…$15` = the record, in the column order of
/// [`insert`] and [`update`].
fn record_params<'a>(
    id: &'a Uuid,
    r: &'a RouterRecord<'_>,
    mode: &'a &'static str,
) -> [&'a (dyn tokio_postgres::types::ToSql + Sync); 15] {
    [
        id,
        &r.name,
        &r.host,
        &r.port,
        &r.tls,
        &r.tls_fingerprint,
        &r.api_username,
        &r.api_password_sealed,
        mode,
        &r.hotspot_server,
        &r.login_url,
        &r.hotspot_profile,
        &r.fup_profile,
        &r.address_list_prefix,
        &r.is_default,
    ]
}

pub async fn insert(
    db: &impl GenericClient,
    id: Uuid,
    r: &RouterRecord<'_>,
) -> Result<RouterRow, tokio_postgres::Error> {
    let mode = mode_text(r.login_mode);
    let row = db
        .query_one(
            &format!(
                "insert into routers (id, name, host, port, tls, tls_fingerprint, api_username,
                    api_password_sealed, login_mode, hotspot_server, login_url, hotspot_profile,
                    fup_profile, address_list_prefix, is_default)
                 values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
                 returning {COLUMNS}"
            ),
            &record_params(&id, r, &mode),
        )
        .await?;
    Ok(RouterRow::from_row(&row))
}

pub async fn update(
    db: &impl GenericClient,
    id: Uuid,
    r: &RouterRecord<'_>,
) -> Result<RouterRow, tokio_postgres::Error> {
    let mode = mode_text(r.login_mode);
    let row = db
        .query_one(
            &format!(
                "update routers set name = $2, host = $3, port = $4, tls = $5, tls_fingerprint = $6,
                    api_username = $7, api_password_sealed = $8, login_mode = $9,
                    hotspot_server = $10, login_url = $11, hotspot_profile = $12,
                    fup_profile = $13, address_list_prefix = $14, is_default = $15,
                    updated_at = now()
                 where id = $1 returning {COLUMNS}"
            ),
            &record_params(&id, r, &mode),
        )
        .await?;
    Ok(RouterRow::from_row(&row))
}

/// The router row, locked until the transaction ends.
pub async fn by_id_for_update(
    db: &impl GenericClient,
    id: Uuid,
) -> Result<Option<RouterRow>, tokio_postgres::Error> {
    Ok(db
        .query_opt(
            &format!("select {COLUMNS} from routers where id = $1 for update"),
            &[&id],
        )
        .await?
        .as_ref()
        .map(RouterRow::from_row))
}

/// No router but `keep` is the default any more.
pub async fn clear_default(
    db: &impl GenericClient,
    keep: Uuid,
) -> Result<(), tokio_postgres::Error> {
    db.execute(
        "update routers set is_default = false, updated_at = now() where is_default and id <> $1",
        &[&keep],
    )
    .await?;
    Ok(())
}

pub async fn set_disabled(
    db: &impl GenericClient,
    id: Uuid,
    disabled: bool,
) -> Result<Option<RouterRow>, tokio_postgres::Error> {
    Ok(db
        .query_opt(
            &format!(
                "update routers set disabled = $2, updated_at = now() where id = $1
                 returning {COLUMNS}"
            ),
            &[&id, &disabled],
        )
        .await?
        .as_ref()
        .map(RouterRow::from_row))
}
