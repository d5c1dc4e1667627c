//! Readiness: can this process serve requests right now?

use std::time::{Duration, Instant};

use deadpool_postgres::Pool;
use shared_types::{CheckStatus, DependencyCheck, Readiness};

use crate::kv::Kv;

/// How long one dependency may take to answer a readiness check.
pub const CHECK_TIMEOUT: Duration = Duration::from_secs(2);

/// Checks PostgreSQL and Redis concurrently. Causes are logged, not returned.
#[tracing::instrument(skip_all)]
pub async fn readiness(db: &Pool, kv: &Kv) -> Readiness {
    let (pg, redis) = tokio::join!(
        timed("postgres", crate::db::ping(db, CHECK_TIMEOUT)),
        timed("redis", kv.ping(CHECK_TIMEOUT)),
    );
    Readiness::from_checks(vec![pg, redis], env!("CARGO_PKG_VERSION"))
}

async fn timed(
    name: &str,
    check: impl std::future::Future<Output = anyhow::Result<()>>,
) -> DependencyCheck {
    let start = Instant::now();
    let result = check.await;
    let latency_ms = start.elapsed().as_millis().try_into().unwrap_or(u64::MAX);
    let status = match result {
        Ok(()) => CheckStatus::Ok,
        Err(e) => {
            tracing::warn!(
                dependency = name,
                error = format!("{e:#}"),
                "readiness check failed"
            );
            CheckStatus::Down
        }
    };
    DependencyCheck {
        name: name.to_owned(),
        status,
        latency_ms,
    }
}
