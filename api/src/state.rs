//! Shared application state handed to handlers through `Data<&AppState>`.

use std::{net::IpAddr, sync::Arc};

use deadpool_postgres::Pool;

use crate::{
    crypto::Sealer,
    error::ApiError,
    http::{
        client_ip::TrustedProxies,
        metrics::Metrics,
        rate_limit::{shared_window, RateLimiter},
    },
    integrations::{
        fonnte::FonnteClient, midtrans::MidtransClient, routers::Routers,
        turnstile::TurnstileClient,
    },
    kv::Kv,
    settings::Settings,
};

/// Everything a request handler may need. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub settings: Arc<Settings>,
    pub db: Pool,
    pub kv: Kv,
    pub metrics: Metrics,
    pub proxies: TrustedProxies,
    pub public_writes: RateLimiter,
    pub fonnte: FonnteClient,
    pub turnstile: TurnstileClient,
    pub midtrans: MidtransClient,
    pub sealer: Sealer,
    pub routers: Routers,
    /// Shared reads of the routers' live sessions (admin views).
    pub live: crate::services::live::LiveCache,
    /// This process's copy of the facility settings (`services::facility`).
    pub facility: crate::services::facility::FacilityCache,
}

impl AppState {
    /// The per-IP limit on a stranger-callable endpoint: governor in this process,
    /// plus a shared one-minute window in Redis so it holds across API replicas.
    pub async fn limit_public_ip(&self, bucket: &str, ip: IpAddr) -> Result<(), ApiError> {
        self.public_writes.check(&ip)?;
        shared_window(
            &self.kv,
            bucket,
            &ip.to_string(),
            u64::from(self.settings.http.public_writes_per_minute),
            60,
        )
        .await
    }

    /// The facility settings in force (at most a second old).
    pub async fn facility(&self) -> Arc<shared_types::FacilitySettings> {
        crate::services::facility::current(self).await
    }

    /// Connects to PostgreSQL and Redis, failing fast with a one-line message.
    pub async fn connect(settings: Settings) -> anyhow::Result<Self> {
        let db = crate::db::pool(&settings.database)?;
        crate::db::ensure_reachable(&db, &settings.database).await?;
        let kv = Kv::connect(&settings.redis).await?;
        let http = crate::integrations::http_client();
        let sealer = Sealer::new(&settings.crypto.keys, &settings.crypto.active_kid)?;
        // Compute the decoy password hash now, so the first login of an unknown
        // username takes no longer than a known one.
        tokio::task::spawn_blocking(|| {
            crate::crypto::decoy_hash();
        });
        Ok(Self {
            live: Default::default(),
            facility: Default::default(),
            routers: Routers::new(sealer.clone(), settings.routers.clone()),
            sealer,
            fonnte: FonnteClient::new(http.clone(), &settings.fonnte),
            midtrans: MidtransClient::new(http.clone(), &settings.midtrans),
            turnstile: TurnstileClient::new(http, &settings.turnstile),
            proxies: TrustedProxies::new(settings.http.trusted_proxies.clone()),
            public_writes: RateLimiter::per_minute(settings.http.public_writes_per_minute),
            metrics: Metrics::new(),
            settings: Arc::new(settings),
            db,
            kv,
        })
    }
}
