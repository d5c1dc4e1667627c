//! Connections to the managed routers: one small pool of logged-in RouterOS
//! API sessions per router, built from its `routers` row (password unsealed
//! only to log in) and rebuilt when the row changes.

use std::{collections::HashMap, sync::Arc, time::Duration};

use routeros::{pool::Pool, Client, Config, Tls};
use tokio::sync::Mutex;
use uuid::Uuid;

use crate::{
    crypto::{aad, Sealer},
    db::routers::RouterRow,
    settings::RouterSettings,
};

/// Why a router could not be used.
#[derive(Debug, thiserror::Error)]
pub enum RouterError {
    #[error("router {0}: {1}")]
    Api(String, routeros::Error),
    #[error("router {0}: the API session pool timed out")]
    Busy(String),
    #[error("router {0}: stored API password cannot be opened: {1}")]
    Sealed(String, crate::crypto::OpenError),
    #[error("router {0}: tls_fingerprint is not a SHA-256 fingerprint")]
    Fingerprint(String),
}

/// The pools, keyed by router id. Cheap to clone.
#[derive(Clone)]
pub struct Routers {
    pools: Arc<Mutex<HashMap<Uuid, (String, Pool)>>>,
    sealer: Sealer,
    settings: RouterSettings,
}

impl Routers {
    pub fn new(sealer: Sealer, settings: RouterSettings) -> Self {
        Self {
            pools: Default::default(),
            sealer,
            settings,
        }
    }

    fn config(&self, r: &RouterRow) -> Result<Config, RouterError> {
        let password = self
            .sealer
            .open(
                &r.api_password_sealed,
                &aad("routers", "api_password_sealed", &r.id),
            )
            .map_err(|e| RouterError::Sealed(r.name.clone(), e))?;
        let mut config = Config::new(
            format!("{}:{}", r.host, r.port),
            r.api_username.clone(),
            password.as_str(),
        );
        config.connect_timeout = Duration::from_millis(self.settings.connect_timeout_ms);
        config.command_timeout = Duration::from_millis(self.settings.command_timeout_ms);
        if r.tls {
            let pin = r
                .tls_fingerprint
                .as_deref()
                .and_then(routeros::tls::parse_fingerprint)
                .ok_or_else(|| RouterError::Fingerprint(r.name.clone()))?;
            config.tls = Some(Tls::Pin {
                sha256: pin,
                server_name: r.host.clone(),
            });
        }
        Ok(config)
    }

    /// A logged-in session to the router (from its pool).
    pub async fn client(&self, r: &RouterRow) -> Result<RouterClient, RouterError> {
        // The pool is keyed by everything that decides how to connect.
        let identity = format!(
            "{}:{}:{}:{}:{}:{:?}",
            r.host, r.port, r.api_username, r.api_password_sealed, r.tls, r.tls_fingerprint
        );
        let pool = {
            let mut pools = self.pools.lock().await;
            match pools.get(&r.id) {
                Some((id, pool)) if *id == identity => pool.clone(),
                _ => {
                    let pool = routeros::pool::pool(self.config(r)?, self.settings.pool_size);
                    pools.insert(r.id, (identity, pool.clone()));
                    pool
                }
            }
        };
        let obj = pool.get().await.map_err(|e| match e {
            deadpool::managed::PoolError::Backend(e) => RouterError::Api(r.name.clone(), e),
            _ => RouterError::Busy(r.name.clone()),
        })?;
        Ok(RouterClient {
            name: r.name.clone(),
            client: obj,
        })
    }
}

/// A pooled session; returns to the pool when dropped.
pub struct RouterClient {
    name: String,
    client: deadpool::managed::Object<routeros::pool::Manager>,
}

impl RouterClient {
    pub fn api(&self) -> &Client {
        &self.client
    }

    /// Wraps a RouterOS error with the router's name.
    pub fn err(&self, e: routeros::Error) -> RouterError {
        RouterError::Api(self.name.clone(), e)
    }
}
