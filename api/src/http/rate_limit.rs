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
