//! Accounts created from the command line: the first super admin, and the
//! local demo's data (a router pointing at the simulator, an admin, a resident).

use shared_types::{access::GIB, phone::normalize_id_mobile, LoginMode, Role};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;
use zeroize::Zeroizing;

use crate::{
    crypto::{aad, hash_password, new_hotspot_password},
    db::{self, audit::Entry, routers::NewRouter},
    state::AppState,
};

/// Creates (or resets the password of) a staff/admin account.
pub async fn create_admin(
    state: &AppState,
    username: &str,
    name: &str,
    phone: Option<&str>,
    password: Zeroizing<String>,
    role: Role,
) -> anyhow::Result<Uuid> {
    anyhow::ensure!(
        matches!(role, Role::Admin | Role::SuperAdmin | Role::Staff),
        "only staff, admin or super_admin accounts are created here"
    );
    anyhow::ensure!(
        password.chars().count() >= 10,
        "the password must have at least 10 characters"
    );
    let phone = phone
        .map(|p| {
            normalize_id_mobile(p)
                .map_err(|_| anyhow::anyhow!("{p:?} is not an Indonesian mobile number"))
        })
        .transpose()?;
    let hash = hash_password(password).await?;
    let mut db = state.db.get().await?;
    let tx = db.transaction().await?;
    let account = db::users::PasswordAccount {
        username,
        password_hash: &hash,
        name,
        role,
        phone: phone.as_deref(),
    };
    let id = db::users::upsert_password_account(&tx, &account).await?;
    db::audit::record(
        &tx,
        &Entry::cli("user.admin_create")
            .target("user", id)
            .detail("role", role.as_str()),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Where the demo router is.
pub struct DemoRouter<'a> {
    pub host: &'a str,
    pub port: u16,
    pub username: &'a str,
    pub password: &'a str,
    pub login_url: &'a str,
}

/// The demo data: router `sandbox` (default), super admin `admin` / `gerbang-demo`,
/// an approved resident `081200000001` with 5 GiB for 30 days, a teacher
/// `guru` / `guru-demo-2026` (NIP `NIP-DEMO`; their hotspot account is
/// created from the staff screen). Safe to run again.
pub async fn seed_demo(state: &AppState, r: &DemoRouter<'_>) -> anyhow::Result<()> {
    let mut db = state.db.get().await?;
    let router_id = db::routers::id_by_name(&db, "sandbox")
        .await?
        .unwrap_or_else(Uuid::now_v7);
    let sealed = state.sealer.seal(
        r.password,
        &aad("routers", "api_password_sealed", &router_id),
    );
    db::routers::upsert(
        &db,
        &NewRouter {
            id: router_id,
            name: "sandbox",
            host: r.host,
            port: i32::from(r.port),
            api_username: r.username,
            api_password_sealed: &sealed,
            login_mode: LoginMode::HotspotLogin,
            login_url: r.login_url,
            is_default: true,
        },
    )
    .await?;
    create_admin(
        state,
        "admin",
        "Admin Demo",
        Some("081200000099"),
        Zeroizing::new("gerbang-demo".into()),
        Role::SuperAdmin,
    )
    .await?;
    if db::users::by_username(&db, "guru").await?.is_none() {
        let password = Zeroizing::new("guru-demo-2026".to_owned());
        let id = Uuid::now_v7();
        let hash = hash_password(password.clone()).await?;
        let sealed = state
            .sealer
            .seal(&password, &aad("users", "web_password_sealed", &id));
        let row = db::staff::NewStaffRow {
            id,
            username: "guru",
            name: "Guru Demo",
            operator_key: "NIP-DEMO",
            router_id: Some(router_id),
            password_hash: &hash,
            password_sealed: &sealed,
        };
        if db::staff::insert(&db, &row).await?.is_err() {
            anyhow::bail!("the demo teacher's username or NIP is taken by another account");
        }
    }
    let tx = db.transaction().await?;
    let (id, existing) = db::users::upsert_demo_resident(
        &tx,
        router_id,
        5 * GIB,
        OffsetDateTime::now_utc() + Duration::days(30),
        state.facility().await.fup_threshold(5 * GIB),
    )
    .await?;
    if existing.is_none() {
        let sealed = state.sealer.seal(
            &new_hotspot_password(),
            &aad("users", "hotspot_password_sealed", &id),
        );
        db::users::set_hotspot_password_if_missing(&tx, id, &sealed).await?;
    }
    if db::packages::packages(&tx, db::packages::Catalogue::All)
        .await?
        .is_empty()
    {
        for (name, price_idr, quota_bytes, validity_days) in [
            ("Harian 1 GB", 5_000, Some(GIB), 1),
            ("Mingguan 5 GB", 20_000, Some(5 * GIB), 7),
            ("Bulanan 20 GB", 60_000, Some(20 * GIB), 30),
            ("Tanpa Batas 7 Hari", 50_000, None, 7),
        ] {
            let input = shared_types::PackageInput {
                name: name.into(),
                price_idr,
                quota_bytes,
                validity_days,
                router_profile: None,
                active: true,
                sort_order: 0,
            };
            db::packages::save_package(&tx, Uuid::now_v7(), &input, false).await?;
        }
    }
    db::audit::record(&tx, &Entry::cli("demo.seed").target("router", router_id)).await?;
    tx.commit().await?;
    Ok(())
}
