//! `gerbang router add|edit|list|disable|enable`: setting routers up without
//! the dashboard (headless installs, scripts). The same service as the
//! screen: a connection test with exactly these settings first, nothing
//! saved when it fails; audited as the command line.

use shared_types::{ConnectionTest, LoginMode, RouterInput};

use crate::{
    db,
    services::router_admin::{self, RouterAdminError},
    state::AppState,
};

/// What `router add` / `router edit` were told (absent: keep / default).
#[derive(Debug, Default, Clone)]
pub struct RouterArgs {
    pub name: String,
    pub rename: Option<String>,
    pub host: Option<String>,
    pub port: Option<i32>,
    pub user: Option<String>,
    /// Implies api-ssl.
    pub fingerprint: Option<String>,
    pub mode: Option<LoginMode>,
    pub login_url: Option<String>,
    pub hotspot_server: Option<String>,
    pub default: bool,
    /// The API password (add: required; edit: a new one).
    pub password: Option<String>,
}

/// Prints what the connection test found.
pub fn print_test(t: &ConnectionTest) {
    if t.ok {
        println!(
            "connected: identity {}, RouterOS {}, {} ms",
            t.identity.as_deref().unwrap_or("?"),
            t.version.as_deref().unwrap_or("?"),
            t.round_trip_ms.unwrap_or(0)
        );
        if !t.excess_policies.is_empty() {
            println!(
                "warning: the API account's group {:?} also has {} — gerbang needs only api, read, write \
                 (see `gerbang router provision`)",
                t.group.as_deref().unwrap_or("?"),
                t.excess_policies.join(", ")
            );
        }
    } else {
        println!(
            "connection test failed ({:?}): {}",
            t.problem,
            t.detail.as_deref().unwrap_or("")
        );
    }
}

fn explain(e: RouterAdminError) -> anyhow::Error {
    match e {
        RouterAdminError::TestFailed(t) => {
            print_test(&t);
            anyhow::anyhow!("nothing was saved")
        }
        other => other.into(),
    }
}

/// `router add`: a new router from the arguments and the provisioning
/// script's defaults.
pub async fn add(state: &AppState, a: RouterArgs) -> anyhow::Result<()> {
    let host = a
        .host
        .clone()
        .ok_or_else(|| anyhow::anyhow!("--host is required"))?;
    let mut input = router_admin::cli_defaults(
        &a.name,
        &host,
        a.port
            .unwrap_or(if a.fingerprint.is_some() { 8729 } else { 8728 }),
        a.user.as_deref().unwrap_or("gerbang"),
        a.mode.unwrap_or(LoginMode::HotspotLogin),
    );
    apply(&mut input, &a);
    save(state, None, input).await
}

/// `router edit`: changes only what was given.
pub async fn edit(state: &AppState, a: RouterArgs) -> anyhow::Result<()> {
    let row = {
        let db = state.db.get().await?;
        let id = db::routers::id_by_name(&db, &a.name)
            .await?
            .ok_or_else(|| anyhow::anyhow!("no router named {:?}", a.name))?;
        db::routers::by_id(&db, id)
            .await?
            .ok_or_else(|| anyhow::anyhow!("no router named {:?}", a.name))?
    };
    let v = router_admin::view(&row);
    let mut input = RouterInput {
        name: a.rename.clone().unwrap_or(v.name),
        host: a.host.clone().unwrap_or(v.host),
        port: a.port.unwrap_or(v.port),
        tls: v.tls,
        tls_fingerprint: v.tls_fingerprint,
        api_username: a.user.clone().unwrap_or(v.api_username),
        api_password: None,
        login_mode: a.mode.unwrap_or(v.login_mode),
        hotspot_server: v.hotspot_server,
        login_url: v.login_url,
        hotspot_profile: v.hotspot_profile,
        fup_profile: v.fup_profile,
        address_list_prefix: v.address_list_prefix,
        is_default: v.is_default,
    };
    apply(&mut input, &a);
    save(state, Some(row.id), input).await
}

fn apply(input: &mut RouterInput, a: &RouterArgs) {
    if let Some(f) = &a.fingerprint {
        input.tls = true;
        input.tls_fingerprint = Some(f.clone());
    }
    if let Some(u) = &a.login_url {
        input.login_url = u.clone();
    }
    if let Some(s) = &a.hotspot_server {
        input.hotspot_server = s.clone();
    }
    if a.default {
        input.is_default = true;
    }
    input.api_password = a.password.clone();
}

async fn save(state: &AppState, id: Option<uuid::Uuid>, input: RouterInput) -> anyhow::Result<()> {
    use validator::Validate;
    if let Err(e) = input.validate() {
        anyhow::bail!("invalid settings: {e}");
    }
    let (router, test) = router_admin::save(state, None, id, &input, None)
        .await
        .map_err(explain)?;
    print_test(&test);
    println!(
        "saved router {:?} ({}:{}, {:?}{})",
        router.name,
        router.host,
        router.port,
        router.login_mode,
        if router.is_default { ", default" } else { "" }
    );
    Ok(())
}

/// `router list`.
pub async fn list(state: &AppState) -> anyhow::Result<()> {
    for r in router_admin::list(state, None).await? {
        println!(
            "{:<24} {}:{}{} user {} {:?}{}{}",
            r.name,
            r.host,
            r.port,
            if r.tls { " (api-ssl)" } else { "" },
            r.api_username,
            r.login_mode,
            if r.is_default { " default" } else { "" },
            if r.disabled { " DISABLED" } else { "" },
        );
    }
    Ok(())
}

/// `router disable` / `router enable`.
pub async fn set_disabled(state: &AppState, name: &str, disabled: bool) -> anyhow::Result<()> {
    let id = {
        let db = state.db.get().await?;
        db::routers::id_by_name(&db, name)
            .await?
            .ok_or_else(|| anyhow::anyhow!("no router named {name:?}"))?
    };
    router_admin::set_disabled(state, None, id, disabled, None).await?;
    println!(
        "router {name:?} {}",
        if disabled { "disabled" } else { "enabled" }
    );
    Ok(())
}
