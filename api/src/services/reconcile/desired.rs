//! What the router should say about one user, derived from the database row
//! alone (no router reads here).

use shared_types::{AccessStatus, LoginMode};
use time::OffsetDateTime;

use crate::{
    db::{routers::RouterRow, users::User},
    services::{accounting, router_account::owner_comment},
};

/// What `/ip/hotspot/user` should say for one user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DesiredUser {
    pub name: String,
    pub password: String,
    pub profile: String,
    /// `None`: no byte limit (unlimited).
    pub limit_bytes_total: Option<u64>,
    pub disabled: bool,
    pub comment: String,
}

impl DesiredUser {
    /// The desired state for `user`. `baseline_total` is what the router had
    /// counted for the account when the database was last brought up to date
    /// (see [`accounting::limit_bytes_total`]), so the router cuts the session
    /// exactly when the remaining quota is used.
    pub fn of(
        router: &RouterRow,
        user: &User,
        password: &str,
        baseline_total: i64,
        now: OffsetDateTime,
    ) -> Option<Self> {
        let name = user.hotspot_username()?;
        let facts = user.facts();
        let status = facts.status(now.unix_timestamp());
        Some(Self {
            name,
            password: password.to_owned(),
            profile: user
                .hotspot_profile
                .clone()
                .unwrap_or_else(|| router.hotspot_profile.clone()),
            limit_bytes_total: (status != AccessStatus::Unlimited)
                .then(|| accounting::limit_bytes_total(facts.remaining_bytes(), baseline_total)),
            disabled: !status.allows_access(),
            comment: owner_comment(&user.id),
        })
    }

    /// The properties written on the account (`name` aside).
    pub(super) fn props(&self) -> Vec<(&'static str, String)> {
        let mut p = vec![
            ("password", self.password.clone()),
            ("profile", self.profile.clone()),
            (
                "disabled",
                if self.disabled { "true" } else { "false" }.to_owned(),
            ),
            ("comment", self.comment.clone()),
        ];
        if let Some(l) = self.limit_bytes_total {
            p.push(("limit-bytes-total", l.to_string()));
        }
        p
    }
}

/// The desired account and the status it derives from; in hotspot mode a
/// user in FUP logs in with the router's FUP profile.
pub fn desired_for(
    router: &RouterRow,
    user: &User,
    password: &str,
    baseline_total: i64,
    now: OffsetDateTime,
) -> Option<(DesiredUser, AccessStatus)> {
    let mut desired = DesiredUser::of(router, user, password, baseline_total, now)?;
    let status = user.facts().status(now.unix_timestamp());
    if status == AccessStatus::Fup && router.login_mode == LoginMode::HotspotLogin {
        desired.profile = router.fup_profile.clone();
    }
    Some((desired, status))
}

/// The address list a user's devices belong to, by status
/// (`docs/architecture.md`, access statuses).
pub fn list_for(prefix: &str, status: AccessStatus) -> String {
    let slug = match status {
        AccessStatus::Active | AccessStatus::Unlimited => "active",
        AccessStatus::Fup => "fup",
        AccessStatus::Exhausted => "exhausted",
        AccessStatus::Expired => "expired",
        AccessStatus::Blocked | AccessStatus::Inactive => "blocked",
    };
    format!("{prefix}{slug}")
}

/// Every list gerbang manages on a router.
pub fn all_lists(prefix: &str) -> Vec<String> {
    ["active", "fup", "exhausted", "expired", "blocked"]
        .iter()
        .map(|s| format!("{prefix}{s}"))
        .collect()
}

/// The name of a bypassed user's FUP queue.
pub fn fup_queue_name(hotspot_name: &str) -> String {
    format!("gerbang-fup-{hotspot_name}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_has_a_managed_list() {
        let all = all_lists("gb-");
        for s in AccessStatus::ALL {
            assert!(all.contains(&list_for("gb-", s)), "{s:?}");
        }
        assert_eq!(list_for("gb-", AccessStatus::Inactive), "gb-blocked");
        assert_eq!(fup_queue_name("0812"), "gerbang-fup-0812");
    }
}
