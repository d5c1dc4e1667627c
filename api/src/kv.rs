//! Redis (fred pool) with a key prefix, so deployments and tests can share a server.

use std::time::Duration;

use anyhow::Context;
use fred::{
    clients::Pool,
    interfaces::{ClientLike, EventInterface},
    types::config::{Config, ConnectionConfig, PerformanceConfig, ReconnectPolicy},
};

use crate::{db::unreachable, settings::RedisSettings};

/// The Redis pool and the prefix every key gets.
#[derive(Clone)]
pub struct Kv {
    pool: Pool,
    prefix: String,
}

impl Kv {
    /// Connects; fails with one clear line when Redis cannot be reached.
    pub async fn connect(settings: &RedisSettings) -> anyhow::Result<Self> {
        let timeout = settings.connect_timeout();
        let mut config = Config::from_url(settings.url.expose())
            .context("redis.url is not a valid Redis URL")?;
        config.fail_fast = true;
        let perf = PerformanceConfig {
            default_command_timeout: Duration::from_secs(5),
            ..Default::default()
        };
        let connection = ConnectionConfig {
            connection_timeout: timeout,
            internal_command_timeout: timeout,
            ..Default::default()
        };
        let policy = ReconnectPolicy::new_exponential(0, 100, 5_000, 2);
        let pool = Pool::new(
            config,
            Some(perf),
            Some(connection),
            Some(policy),
            settings.pool_size,
        )?;
        for client in pool.clients() {
            // Log reconnect trouble once per event instead of failing requests silently.
            client.on_error(|(err, server)| async move {
                tracing::warn!(error = %err, server = ?server.map(|s| s.to_string()), "redis connection error");
                Ok(())
            });
        }
        tokio::time::timeout(timeout, pool.init())
            .await
            .map_err(|_| anyhow::anyhow!("timed out"))
            .and_then(|r| r.map(drop).map_err(anyhow::Error::from))
            .map_err(|e| unreachable("Redis", settings.url.expose(), &e))?;
        Ok(Self {
            pool,
            prefix: settings.key_prefix.clone(),
        })
    }

    /// The full key for a logical key.
    pub fn key(&self, key: &str) -> String {
        format!("{}{}", self.prefix, key)
    }

    /// The underlying pool (commands must use [`Kv::key`] for their keys).
    pub fn pool(&self) -> &Pool {
        &self.pool
    }

    /// One PING, bounded by `timeout`.
    pub async fn ping(&self, timeout: Duration) -> anyhow::Result<()> {
        let reply: String = tokio::time::timeout(timeout, self.pool.next().ping(None))
            .await
            .context("timed out")??;
        anyhow::ensure!(reply == "PONG", "unexpected PING reply");
        Ok(())
    }

    /// Closes every connection.
    pub async fn quit(&self) {
        let _ = self.pool.quit().await;
    }
}
