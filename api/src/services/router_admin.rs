//! Setting routers up (super admins, the screen, the API and `gerbang router
//! add|edit|list`): every save is preceded by a connection test with the
//! settings being saved — reachable, login accepted, identity, version,
//! round trip, and whether the API account's group has more rights than
//! gerbang needs — and a failed test saves nothing. The API password is
//! sealed with the router's id as associated data and never returned.

use std::{net::IpAddr, time::Duration, time::Instant};

use routeros::{menus::Resource, Client, Config, Query, Tls};
use serde_json::json;
use shared_types::{ConnectionProblem, ConnectionTest, LoginMode, Role, RouterInput, RouterView};
use uuid::Uuid;

use crate::{
    crypto::aad,
    db::{self, audit::Entry, routers::RouterRow, users::rfc3339},
    identity::Auth,
    services::{store_errors, StoreError},
    settings::RouterSettings,
    state::AppState,
};

#[derive(Debug, thiserror::Error)]
pub enum RouterAdminError {
    #[error("no router with this id")]
    NotFound,
    #[error("routers are set up by super admins")]
    Rank,
    #[error("another router has this name")]
    NameTaken,
    #[error("the API password is required to add a router")]
    PasswordRequired,
    /// The connection test failed: nothing was saved.
    #[error("the router did not accept the connection: {0:?}")]
    TestFailed(Box<ConnectionTest>),
    #[error(transparent)]
    Store(#[from] StoreError),
}
store_errors!(RouterAdminError);

/// What gerbang's API account needs; anything more is reported.
const NEEDED_POLICIES: [&str; 3] = ["api", "read", "write"];

/// The field a failed test points at.
pub fn problem_field(p: ConnectionProblem) -> &'static str {
    match p {
        ConnectionProblem::Unreachable | ConnectionProblem::Timeout => "port",
        ConnectionProblem::LoginRefused => "api_password",
        ConnectionProblem::TlsFailed | ConnectionProblem::BadFingerprint => "tls_fingerprint",
        ConnectionProblem::Protocol => "host",
    }
}

fn failed(problem: ConnectionProblem, detail: String) -> ConnectionTest {
    ConnectionTest {
        ok: false,
        problem: Some(problem),
        detail: Some(detail),
        identity: None,
        version: None,
        board: None,
        round_trip_ms: None,
        group: None,
        excess_policies: Vec::new(),
    }
}

/// Connects with exactly these settings, logs in and reads the router.
pub async fn test_connection(
    settings: &RouterSettings,
    input: &RouterInput,
    password: &str,
) -> ConnectionTest {
    let mut config = Config::new(
        format!("{}:{}", input.host.trim(), input.port),
        input.api_username.clone(),
        password,
    );
    config.connect_timeout = Duration::from_millis(settings.connect_timeout_ms);
    config.command_timeout = Duration::from_millis(settings.command_timeout_ms);
    if input.tls {
        let Some(pin) = input
            .tls_fingerprint
            .as_deref()
            .and_then(routeros::tls::parse_fingerprint)
        else {
            return failed(
                ConnectionProblem::BadFingerprint,
                "api-ssl needs the certificate's SHA-256 fingerprint (64 hex digits)".into(),
            );
        };
        config.tls = Some(Tls::Pin {
            sha256: pin,
            server_name: input.host.trim().to_owned(),
        });
    }
    let started = Instant::now();
    let client = match Client::connect(&config).await {
        Ok(c) => c,
        Err(e) => {
            let problem = match &e {
                routeros::Error::Io(_) | routeros::Error::Closed => ConnectionProblem::Unreachable,
                routeros::Error::Timeout(_) => ConnectionProblem::Timeout,
                routeros::Error::Login(_) => ConnectionProblem::LoginRefused,
                routeros::Error::Tls(_) => ConnectionProblem::TlsFailed,
                _ => ConnectionProblem::Protocol,
            };
            return failed(problem, e.to_string());
        }
    };
    let read = async {
        let identity = client.identity().await?;
        let resource = routeros::menus::list::<Resource>(&client, []).await?;
        Ok::<_, routeros::Error>((identity, resource.into_iter().next()))
    };
    let (identity, resource) = match read.await {
        Ok(r) => r,
        Err(e) => return failed(ConnectionProblem::Protocol, e.to_string()),
    };
    let round_trip_ms = Some(started.elapsed().as_millis().min(u128::from(u32::MAX)) as u32);
    let (group, excess_policies) = privileges(&client, &input.api_username).await;
    ConnectionTest {
        ok: true,
        problem: None,
        detail: None,
        identity: Some(identity),
        version: resource.as_ref().and_then(|r| r.version.clone()),
        board: resource.and_then(|r| r.board_name),
        round_trip_ms,
        group,
        excess_policies,
    }
}

/// The API account's group and the policies it has beyond what gerbang
/// needs. A router that does not let the account read `/user` gives none.
async fn privileges(client: &Client, username: &str) -> (Option<String>, Vec<String>) {
    let group = client
        .print("/user")
        .proplist(&["group"])
        .query(Query::Eq("name".into(), username.to_owned()))
        .rows()
        .await
        .ok()
        .and_then(|rows| {
            rows.first()
                .and_then(|r| r.text("group").map(|g| g.into_owned()))
        });
    let Some(group) = group else {
        return (None, Vec::new());
    };
    let policy = client
        .print("/user/group")
        .proplist(&["policy"])
        .query(Query::Eq("name".into(), group.clone()))
        .rows()
        .await
        .ok()
        .and_then(|rows| {
            rows.first()
                .and_then(|r| r.text("policy").map(|p| p.into_owned()))
        })
        .unwrap_or_default();
    let excess = policy
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty() && !p.starts_with('!') && !NEEDED_POLICIES.contains(p))
        .map(str::to_owned)
        .collect();
    (Some(group), excess)
}

pub fn view(r: &RouterRow) -> RouterView {
    RouterView {
        id: r.id.to_string().into(),
        name: r.name.clone(),
        host: r.host.clone(),
        port: r.port,
        tls: r.tls,
        tls_fingerprint: r.tls_fingerprint.clone(),
        api_username: r.api_username.clone(),
        login_mode: r.login_mode,
        hotspot_server: r.hotspot_server.clone(),
        login_url: r.login_url.clone(),
        hotspot_profile: r.hotspot_profile.clone(),
        fup_profile: r.fup_profile.clone(),
        address_list_prefix: r.address_list_prefix.clone(),
        is_default: r.is_default,
        disabled: r.disabled,
        created_at: rfc3339(r.created_at).into(),
    }
}

/// Who changes routers: a super admin (`Some`), or the command line (`None`).
fn super_admin(actor: Option<&Auth>) -> Result<(), RouterAdminError> {
    match actor {
        Some(a) if a.role != Role::SuperAdmin => Err(RouterAdminError::Rank),
        _ => Ok(()),
    }
}

fn entry(actor: Option<&Auth>, action: &'static str) -> Entry {
    match actor {
        Some(a) => Entry::admin(a.user_id, action),
        None => Entry::cli(action),
    }
}

/// The fingerprint as stored: 64 upper-case hex digits, or `None` without TLS.
fn stored_fingerprint(input: &RouterInput) -> Option<String> {
    input
        .tls
        .then(|| {
            input
                .tls_fingerprint
                .as_deref()
                .and_then(routeros::tls::parse_fingerprint)
                .map(|pin| pin.iter().map(|b| format!("{b:02X}")).collect())
        })
        .flatten()
}

/// The settings of a router as an audit entry shows them (never the password).
fn audited(r: &RouterRow) -> serde_json::Value {
    json!({
        "name": r.name, "host": r.host, "port": r.port, "tls": r.tls,
        "tls_fingerprint": r.tls_fingerprint, "api_username": r.api_username,
        "login_mode": r.login_mode, "hotspot_server": r.hotspot_server,
        "login_url": r.login_url, "hotspot_profile": r.hotspot_profile,
        "fup_profile": r.fup_profile, "address_list_prefix": r.address_list_prefix,
        "is_default": r.is_default, "disabled": r.disabled,
    })
}

/// The routers, disabled ones too.
pub async fn list(
    state: &AppState,
    actor: Option<&Auth>,
) -> Result<Vec<RouterView>, RouterAdminError> {
    super_admin(actor)?;
    let db = state.db.get().await?;
    Ok(db::routers::listed(&db).await?.iter().map(view).collect())
}

/// Tests settings without saving: a new router's (password required), or an
/// existing one's with `id` (the stored password unless a new one is sent).
pub async fn test_only(
    state: &AppState,
    actor: Option<&Auth>,
    id: Option<Uuid>,
    input: &RouterInput,
) -> Result<ConnectionTest, RouterAdminError> {
    super_admin(actor)?;
    let password = password_for(state, id, input).await?;
    Ok(test_connection(&state.settings.routers, input, &password).await)
}

async fn password_for(
    state: &AppState,
    id: Option<Uuid>,
    input: &RouterInput,
) -> Result<zeroize::Zeroizing<String>, RouterAdminError> {
    if let Some(p) = &input.api_password {
        return Ok(zeroize::Zeroizing::new(p.clone()));
    }
    let id = id.ok_or(RouterAdminError::PasswordRequired)?;
    let db = state.db.get().await?;
    let row = db::routers::by_id(&db, id)
        .await?
        .ok_or(RouterAdminError::NotFound)?;
    state
        .sealer
        .open(
            &row.api_password_sealed,
            &aad("routers", "api_password_sealed", &id),
        )
        .map_err(|_| RouterAdminError::PasswordRequired)
}

/// Adds a router (`id: None`) or changes one, after a passing connection
/// test with exactly these settings. Returns the router and the test.
pub async fn save(
    state: &AppState,
    actor: Option<&Auth>,
    id: Option<Uuid>,
    input: &RouterInput,
    ip: Option<IpAddr>,
) -> Result<(RouterView, ConnectionTest), RouterAdminError> {
    super_admin(actor)?;
    let password = password_for(state, id, input).await?;
    let test = test_connection(&state.settings.routers, input, &password).await;
    if !test.ok {
        return Err(RouterAdminError::TestFailed(Box::new(test)));
    }
    let row_id = id.unwrap_or_else(Uuid::now_v7);
    let sealed = state
        .sealer
        .seal(&password, &aad("routers", "api_password_sealed", &row_id));
    let record = db::routers::RouterRecord {
        name: input.name.trim(),
        host: input.host.trim(),
        port: input.port,
        tls: input.tls,
        tls_fingerprint: stored_fingerprint(input),
        api_username: input.api_username.trim(),
        api_password_sealed: &sealed,
        login_mode: input.login_mode,
        hotspot_server: &input.hotspot_server,
        login_url: input.login_url.trim(),
        hotspot_profile: &input.hotspot_profile,
        fup_profile: &input.fup_profile,
        address_list_prefix: &input.address_list_prefix,
        is_default: input.is_default,
    };
    let mut db = state.db.get().await?;
    let tx = db.transaction().await?;
    let before = match id {
        Some(id) => Some(
            db::routers::by_id_for_update(&tx, id)
                .await?
                .ok_or(RouterAdminError::NotFound)?,
        ),
        None => None,
    };
    if input.is_default {
        db::routers::clear_default(&tx, row_id).await?;
    }
    let written = match id {
        Some(id) => db::routers::update(&tx, id, &record).await,
        None => db::routers::insert(&tx, row_id, &record).await,
    };
    let row = match written {
        Ok(row) => row,
        Err(e) if e.code() == Some(&tokio_postgres::error::SqlState::UNIQUE_VIOLATION) => {
            return Err(RouterAdminError::NameTaken)
        }
        Err(e) => return Err(e.into()),
    };
    let mut entry = entry(
        actor,
        if before.is_some() {
            "router.update"
        } else {
            "router.create"
        },
    )
    .target("router", row.id)
    .detail("after", audited(&row))
    .detail("password_changed", input.api_password.is_some());
    if let Some(b) = &before {
        entry = entry.detail("before", audited(b));
    }
    if let Some(ip) = ip {
        entry = entry.ip(ip);
    }
    db::audit::record(&tx, &entry).await?;
    tx.commit().await?;
    Ok((view(&row), test))
}

/// The provisioning script and the live check of one router.
pub async fn setup(
    state: &AppState,
    actor: Option<&Auth>,
    id: Uuid,
) -> Result<shared_types::RouterSetup, RouterAdminError> {
    super_admin(actor)?;
    let row = {
        let db = state.db.get().await?;
        db::routers::by_id(&db, id)
            .await?
            .ok_or(RouterAdminError::NotFound)?
    };
    let facility = state.facility().await;
    let script = crate::services::provision::script(&state.settings, &facility, &row);
    let checked = async {
        let client = state
            .routers
            .client(&row)
            .await
            .map_err(crate::services::router_account::HotspotError::from)?;
        crate::services::provision::check_router(&state.settings, &facility, &client, &row).await
    };
    Ok(match checked.await {
        Ok(checks) => shared_types::RouterSetup {
            script,
            checks: checks
                .into_iter()
                .map(|c| shared_types::SetupCheck {
                    item: c.item,
                    ok: c.ok,
                    detail: c.detail,
                    fix: c.fix,
                })
                .collect(),
            reachable: true,
            error: None,
        },
        Err(e) => shared_types::RouterSetup {
            script,
            checks: Vec::new(),
            reachable: false,
            error: Some(e.to_string()),
        },
    })
}

/// Disables or enables a router: the worker and the live views leave a
/// disabled router alone; its accounts on the router stay as they are.
pub async fn set_disabled(
    state: &AppState,
    actor: Option<&Auth>,
    id: Uuid,
    disabled: bool,
    ip: Option<IpAddr>,
) -> Result<RouterView, RouterAdminError> {
    super_admin(actor)?;
    let mut db = state.db.get().await?;
    let tx = db.transaction().await?;
    let row = db::routers::set_disabled(&tx, id, disabled)
        .await?
        .ok_or(RouterAdminError::NotFound)?;
    let mut entry = entry(
        actor,
        if disabled {
            "router.disable"
        } else {
            "router.enable"
        },
    )
    .target("router", id)
    .detail("name", row.name.as_str());
    if let Some(ip) = ip {
        entry = entry.ip(ip);
    }
    db::audit::record(&tx, &entry).await?;
    tx.commit().await?;
    Ok(view(&row))
}

/// Settings for a router as `gerbang router add` fills them in: the
/// provisioning script's names and the router's usual login page.
pub fn cli_defaults(name: &str, host: &str, port: i32, user: &str, mode: LoginMode) -> RouterInput {
    RouterInput {
        name: name.to_owned(),
        host: host.to_owned(),
        port,
        tls: false,
        tls_fingerprint: None,
        api_username: user.to_owned(),
        api_password: None,
        login_mode: mode,
        hotspot_server: "hotspot1".into(),
        login_url: "http://10.5.50.1/login".into(),
        hotspot_profile: "default".into(),
        fup_profile: "gerbang-fup".into(),
        address_list_prefix: "gerbang-".into(),
        is_default: false,
    }
}

/// The last `limit` cycles of a router, oldest first.
pub async fn recent_cycles(
    state: &AppState,
    id: Uuid,
    limit: i64,
) -> Result<shared_types::RouterCycles, RouterAdminError> {
    let db = state.db.get().await?;
    db::routers::by_id(&db, id)
        .await?
        .ok_or(RouterAdminError::NotFound)?;
    let cycles = db::cycles::history(&db, id, limit).await?;
    Ok(shared_types::RouterCycles {
        router_id: id.to_string().into(),
        cycles,
    })
}
