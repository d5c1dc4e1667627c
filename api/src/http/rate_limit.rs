//! Per-client rate limits (governor, GCRA) for endpoints a stranger can call.

use std::{hash::Hash, net::IpAddr, num::NonZeroU32, sync::Arc};

use governor::{
    clock::{Clock, DefaultClock},
    DefaultKeyedRateLimiter, Quota,
};

use crate::error::ApiError;

/// A keyed limiter; cheap to clone.
#[derive(Clone)]
pub struct RateLimiter<K: Hash + Eq + Clone = IpAddr> {
    inner: Arc<DefaultKeyedRateLimiter<K>>,
    clock: DefaultClock,
}

impl<K: Hash + Eq + Clone> RateLimiter<K> {
    /// `per_minute` requests per minute per key, with a burst of the same size.
    pub fn per_minute(per_minute: u32) -> Self {
        let n = NonZeroU32::new(per_minute.max(1)).expect("max(1) is non-zero");
        Self {
            inner: Arc::new(governor::RateLimiter::keyed(Quota::per_minute(n))),
            clock: DefaultClock::default(),
        }
    }

    /// Takes one cell for `key`, or says how long to wait.
    pub fn check(&self, key: &K) -> Result<(), ApiError> {
        self.inner.check_key(key).map_err(|not_until| {
            let wait = not_until.wait_time_from(self.clock.now());
            ApiError::rate_limited(wait.as_secs().max(1))
        })
    }

    /// Drops state of keys that are back at full capacity (call periodically).
    pub fn shrink(&self) {
        self.inner.retain_recent();
        self.inner.shrink_to_fit();
    }
}

/// INCR with the window set on the first hit; returns {count, ttl}.
const WINDOW_SCRIPT: &str = r#"
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('EXPIRE', KEYS[1], tonumber(ARGV[1])) end
return {n, redis.call('TTL', KEYS[1])}
"#;

/// A fixed-window counter in Redis, shared by every API replica: at most
/// `limit` hits per `window_seconds` for `bucket`/`key`.
pub async fn shared_window(
    kv: &crate::kv::Kv,
    bucket: &str,
    key: &str,
    limit: u64,
    window_seconds: u64,
) -> Result<(), ApiError> {
    use fred::interfaces::LuaInterface;
    let reply: Vec<i64> = kv
        .pool()
        .next()
        .eval(
            WINDOW_SCRIPT,
            vec![kv.key(&format!("rl:{bucket}:{key}"))],
            vec![window_seconds.to_string()],
        )
        .await
        .map_err(|e| ApiError::unavailable("redis", e))?;
    let (n, ttl) = (
        reply.first().copied().unwrap_or(0),
        reply.get(1).copied().unwrap_or(1),
    );
    if n as u64 > limit {
        return Err(ApiError::rate_limited(ttl.max(1) as u64));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared_types::ErrorCode;

    #[test]
    fn burst_is_allowed_then_limited_per_key() {
        let rl: RateLimiter<&str> = RateLimiter::per_minute(3);
        for _ in 0..3 {
            rl.check(&"a").unwrap();
        }
        let err = rl.check(&"a").unwrap_err();
        assert_eq!(err.code(), ErrorCode::RateLimited);
        // Another client is not affected.
        rl.check(&"b").unwrap();
    }
}
