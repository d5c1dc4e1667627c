//! Usage accounting from router counters (docs/routeros.md, "Usage accounting"):
//! usage = the hotspot user's counters (committed at each logout) plus the
//! live sessions' counters, plus — in bypass mode — the counters of the
//! user's bypassed hosts, measured as deltas against the last observation.
//!
//! - A session that ends moves its bytes into the user's counters: its bytes
//!   already counted are subtracted from the committed increase, so nothing is
//!   counted twice.
//! - A reboot drops live sessions without committing them: only what the
//!   router never reported is lost; nothing already counted is counted again.
//! - A counter that goes backwards (reset, account re-created) counts from zero.

use std::collections::BTreeMap;

/// What the router reports for one user at one moment.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Observation {
    /// bytes-in + bytes-out of the hotspot user.
    pub committed: i64,
    /// Live sessions, keyed by `<.id>/<mac>`: bytes-in + bytes-out of each.
    pub sessions: BTreeMap<String, i64>,
    /// Bypass mode: the user's bypassed hosts, keyed by `<.id>/<mac>`. Their
    /// counters never move into the account's, so a host that goes away
    /// takes nothing from `committed`.
    #[serde(default)]
    pub hosts: BTreeMap<String, i64>,
}

impl Observation {
    /// Everything the router has counted for the user right now.
    pub fn total(&self) -> i64 {
        self.account_total() + self.hosts.values().sum::<i64>()
    }

    /// What the hotspot account itself has counted (its limit is measured against this).
    pub fn account_total(&self) -> i64 {
        self.committed + self.sessions.values().sum::<i64>()
    }
}

/// Growth of each counter since `prev`; a counter that is new or went backwards counts from zero.
fn growth(prev: &BTreeMap<String, i64>, now: &BTreeMap<String, i64>) -> i64 {
    now.iter()
        .map(|(k, &b)| match prev.get(k) {
            Some(&p) if b >= p => b - p,
            _ => b,
        })
        .sum()
}

/// Bytes used between two observations.
pub fn usage_delta(prev: &Observation, now: &Observation) -> i64 {
    let committed = if now.committed >= prev.committed {
        now.committed - prev.committed
    } else {
        now.committed
    };
    let ended: i64 = prev
        .sessions
        .iter()
        .filter(|(k, _)| !now.sessions.contains_key(*k))
        .map(|(_, b)| *b)
        .sum();
    let live = growth(&prev.sessions, &now.sessions);
    (committed - ended).max(0) + live + growth(&prev.hosts, &now.hosts)
}

/// The `limit-bytes-total` that lets the user use exactly what is left:
/// what is left in the database plus what the router had counted when the
/// database was last brought up to date (`baseline_total`).
/// Never 0: RouterOS reads a zero limit as "no limit".
pub fn limit_bytes_total(remaining: i64, baseline_total: i64) -> u64 {
    (remaining.max(0) + baseline_total.max(0)).max(1) as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obs(committed: i64, sessions: &[(&str, i64)]) -> Observation {
        Observation {
            committed,
            sessions: sessions.iter().map(|(k, b)| (k.to_string(), *b)).collect(),
            hosts: BTreeMap::new(),
        }
    }

    fn with_hosts(mut o: Observation, hosts: &[(&str, i64)]) -> Observation {
        o.hosts = hosts.iter().map(|(k, b)| (k.to_string(), *b)).collect();
        o
    }

    #[test]
    fn live_growth_then_logout_is_counted_once() {
        let a = obs(0, &[]);
        let b = obs(0, &[("*1/AA", 300)]);
        let c = obs(0, &[("*1/AA", 1_000)]);
        let d = obs(1_200, &[]); // logged out: 1,200 committed (200 after c)
        let total = usage_delta(&a, &b) + usage_delta(&b, &c) + usage_delta(&c, &d);
        assert_eq!(total, 1_200);
    }

    #[test]
    fn a_reboot_loses_only_unreported_bytes() {
        let before = obs(500, &[("*1/AA", 700)]);
        let after = obs(500, &[]); // sessions dropped, nothing committed
        assert_eq!(usage_delta(&before, &after), 0);
        let relogin = obs(500, &[("*9/AA", 50)]); // new ids after the reboot
        assert_eq!(usage_delta(&after, &relogin), 50);
    }

    #[test]
    fn counters_going_backwards_count_from_zero() {
        assert_eq!(usage_delta(&obs(5_000, &[]), &obs(300, &[])), 300);
        assert_eq!(
            usage_delta(&obs(0, &[("*1/AA", 900)]), &obs(0, &[("*1/AA", 100)])),
            100
        );
    }

    #[test]
    fn two_sessions_one_ends() {
        let a = obs(100, &[("*1/AA", 10), ("*2/BB", 20)]);
        let b = obs(100 + 15, &[("*2/BB", 25)]); // *1 ended at 15
        assert_eq!(usage_delta(&a, &b), 5 + 5);
        assert_eq!(a.total(), 130);
    }

    #[test]
    fn a_bypassed_host_that_goes_away_takes_nothing_from_a_session_that_ends() {
        // Bypass mode: the login that proved a device ends (its 520 bytes move into
        // the account) in the same cycle as another device's host disappears.
        let a = with_hosts(obs(0, &[("*1/AA", 500)]), &[("*7/BB", 1_000)]);
        let b = with_hosts(obs(520, &[]), &[]);
        assert_eq!(usage_delta(&a, &b), 20);
        // Host counters grow on their own; the account's are untouched.
        let c = with_hosts(obs(520, &[]), &[("*7/BB", 300)]);
        assert_eq!(usage_delta(&b, &c), 300);
        assert_eq!((c.total(), c.account_total()), (820, 520));
    }

    #[test]
    fn the_limit_is_left_plus_what_the_router_had_counted() {
        assert_eq!(limit_bytes_total(1_000, 0), 1_000);
        assert_eq!(limit_bytes_total(-5, 300), 300);
    }
}
