//! Access status: one resolution function used by the API, the worker and the portal (docs/architecture.md, "Access status").

use serde::{Deserialize, Serialize};

/// 1 GiB in bytes (shown as "GB" in the Indonesian UI).
pub const GIB: i64 = 1_073_741_824;

/// Why a user can or cannot use the hotspot right now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Enum))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", oai(rename_all = "snake_case"))]
pub enum AccessStatus {
    /// Quota left and within validity.
    Active,
    /// No quota limit until `valid_until`.
    Unlimited,
    /// Fair-use: little quota left, speed limited.
    Fup,
    /// No quota left (*habis*): buy a package.
    Exhausted,
    /// Validity ended.
    Expired,
    /// Blocked by an admin (see `blocked_reason`).
    Blocked,
    /// Not approved yet, or deactivated.
    Inactive,
}

impl AccessStatus {
    /// Every status.
    pub const ALL: [AccessStatus; 7] = [
        AccessStatus::Active,
        AccessStatus::Unlimited,
        AccessStatus::Fup,
        AccessStatus::Exhausted,
        AccessStatus::Expired,
        AccessStatus::Blocked,
        AccessStatus::Inactive,
    ];

    /// The snake_case wire spelling (also what the database's `access_status` returns).
    pub fn as_str(self) -> &'static str {
        match self {
            AccessStatus::Active => "active",
            AccessStatus::Unlimited => "unlimited",
            AccessStatus::Fup => "fup",
            AccessStatus::Exhausted => "exhausted",
            AccessStatus::Expired => "expired",
            AccessStatus::Blocked => "blocked",
            AccessStatus::Inactive => "inactive",
        }
    }

    pub fn parse(s: &str) -> Option<AccessStatus> {
        Self::ALL.into_iter().find(|a| a.as_str() == s)
    }

    /// Whether the router lets the user's devices online.
    pub fn allows_access(self) -> bool {
        matches!(
            self,
            AccessStatus::Active | AccessStatus::Unlimited | AccessStatus::Fup
        )
    }
}

/// The facts the status is derived from (times in Unix seconds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AccessFacts {
    /// Blocked by an admin.
    pub blocked: bool,
    /// Not deactivated.
    pub active: bool,
    /// The registration was approved.
    pub approved: bool,
    /// Unlimited for good (set by an admin).
    pub unlimited: bool,
    /// Unlimited until this time (an unlimited package).
    pub unlimited_until: Option<i64>,
    /// Bytes bought or granted in all.
    pub quota_bytes: i64,
    /// Bytes used so far.
    pub used_bytes: i64,
    /// End of validity (Unix seconds); `None`: none set.
    pub valid_until: Option<i64>,
    /// The FUP threshold for this user (from the last package, or the default).
    pub fup_threshold_bytes: Option<i64>,
}

impl AccessFacts {
    /// Quota left; never negative.
    pub fn remaining_bytes(&self) -> i64 {
        (self.quota_bytes - self.used_bytes).max(0)
    }

    /// Whether quota is not counted at `now` (admin flag or an unlimited package).
    pub fn unlimited_at(&self, now: i64) -> bool {
        self.unlimited || self.unlimited_until.is_some_and(|u| u > now)
    }

    /// Resolution order: blocked → inactive → expired → unlimited → exhausted → fup → active.
    pub fn status(&self, now: i64) -> AccessStatus {
        if self.blocked {
            return AccessStatus::Blocked;
        }
        if !self.active || !self.approved {
            return AccessStatus::Inactive;
        }
        if self.valid_until.is_some_and(|v| v <= now) {
            return AccessStatus::Expired;
        }
        if self.unlimited_at(now) {
            return AccessStatus::Unlimited;
        }
        let remaining = self.quota_bytes - self.used_bytes;
        if remaining <= 0 {
            return AccessStatus::Exhausted;
        }
        if let Some(threshold) = self.fup_threshold_bytes {
            if self.quota_bytes > threshold && remaining <= threshold {
                return AccessStatus::Fup;
            }
        }
        AccessStatus::Active
    }
}

/// Which rule of the status resolution decided a user's status: what an admin
/// reads as "why" next to the status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Enum))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", oai(rename_all = "snake_case"))]
pub enum AccessRule {
    /// An admin blocked the account (`blocked_reason` says why).
    BlockedByAdmin,
    /// The registration waits for review or was rejected.
    NotApproved,
    /// An admin deactivated the account.
    Deactivated,
    /// `valid_until` has passed.
    ValidityEnded,
    /// Unlimited for good (admin flag).
    UnlimitedByAdmin,
    /// Unlimited until `unlimited_until` (an unlimited package or an adjustment).
    UnlimitedUntil,
    /// Everything bought or granted has been used.
    QuotaUsedUp,
    /// What is left is at or under the FUP threshold.
    UnderFupThreshold,
    /// Quota left, above the FUP threshold, within validity.
    QuotaLeft,
}

impl AccessFacts {
    /// The rule that decided [`AccessFacts::status`] at `now` (same order).
    pub fn rule(&self, now: i64) -> AccessRule {
        match self.status(now) {
            AccessStatus::Blocked => AccessRule::BlockedByAdmin,
            AccessStatus::Inactive if !self.approved => AccessRule::NotApproved,
            AccessStatus::Inactive => AccessRule::Deactivated,
            AccessStatus::Expired => AccessRule::ValidityEnded,
            AccessStatus::Unlimited if self.unlimited => AccessRule::UnlimitedByAdmin,
            AccessStatus::Unlimited => AccessRule::UnlimitedUntil,
            AccessStatus::Exhausted => AccessRule::QuotaUsedUp,
            AccessStatus::Fup => AccessRule::UnderFupThreshold,
            AccessStatus::Active => AccessRule::QuotaLeft,
        }
    }
}

/// The default FUP threshold for a package of `package_bytes`: 20 % of it, at most 3 GiB.
pub fn default_fup_threshold(package_bytes: i64) -> i64 {
    fup_threshold(package_bytes, 20, 3 * GIB)
}

/// The FUP threshold for a package: `percent` % of it, at most `cap_bytes`.
pub fn fup_threshold(package_bytes: i64, percent: u8, cap_bytes: i64) -> i64 {
    (package_bytes.max(0) / 100 * i64::from(percent)
        + package_bytes.max(0) % 100 * i64::from(percent) / 100)
        .min(cap_bytes)
}

/// Bytes for people: binary units labelled "GB"/"MB" as Indonesian users expect,
/// with a decimal comma ("1,5 GB").
pub fn format_bytes(bytes: i64) -> String {
    const MIB: i64 = 1_048_576;
    let b = bytes.max(0);
    if b >= GIB {
        let tenths = (b * 10 + GIB / 2) / GIB;
        if tenths % 10 == 0 {
            format!("{} GB", tenths / 10)
        } else {
            format!("{},{} GB", tenths / 10, tenths % 10)
        }
    } else if b >= MIB {
        format!("{} MB", (b + MIB / 2) / MIB)
    } else {
        format!("{} KB", (b + 512) / 1024)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts() -> AccessFacts {
        AccessFacts {
            blocked: false,
            active: true,
            approved: true,
            unlimited: false,
            unlimited_until: None,
            quota_bytes: 10 * GIB,
            used_bytes: GIB,
            valid_until: Some(1_000),
            fup_threshold_bytes: Some(2 * GIB),
        }
    }

    #[test]
    fn resolution_follows_the_documented_order() {
        let now = 500;
        assert_eq!(facts().status(now), AccessStatus::Active);
        let f = AccessFacts {
            used_bytes: 9 * GIB,
            ..facts()
        };
        assert_eq!(f.status(now), AccessStatus::Fup);
        let f = AccessFacts {
            used_bytes: 10 * GIB,
            ..facts()
        };
        assert_eq!(f.status(now), AccessStatus::Exhausted);
        let f = AccessFacts {
            used_bytes: 11 * GIB,
            unlimited: true,
            ..facts()
        };
        assert_eq!(f.status(now), AccessStatus::Unlimited);
        assert_eq!(f.remaining_bytes(), 0);
        let f = AccessFacts {
            used_bytes: 11 * GIB,
            unlimited_until: Some(600),
            ..facts()
        };
        assert_eq!(f.status(now), AccessStatus::Unlimited);
        assert_eq!(f.status(600), AccessStatus::Exhausted, "the package ended");
        assert_eq!(facts().status(1_000), AccessStatus::Expired);
        let f = AccessFacts {
            approved: false,
            valid_until: Some(0),
            ..facts()
        };
        assert_eq!(f.status(now), AccessStatus::Inactive);
        let f = AccessFacts {
            blocked: true,
            active: false,
            ..facts()
        };
        assert_eq!(f.status(now), AccessStatus::Blocked);
        let f = AccessFacts {
            valid_until: None,
            fup_threshold_bytes: None,
            used_bytes: 9 * GIB,
            ..facts()
        };
        assert_eq!(f.status(now), AccessStatus::Active);
        assert!(AccessStatus::Fup.allows_access());
        assert!(!AccessStatus::Exhausted.allows_access());
    }

    #[test]
    fn the_rule_names_why_each_status_was_decided() {
        let now = 500;
        let cases = [
            (facts(), AccessRule::QuotaLeft),
            (
                AccessFacts {
                    used_bytes: 9 * GIB,
                    ..facts()
                },
                AccessRule::UnderFupThreshold,
            ),
            (
                AccessFacts {
                    used_bytes: 10 * GIB,
                    ..facts()
                },
                AccessRule::QuotaUsedUp,
            ),
            (
                AccessFacts {
                    unlimited: true,
                    ..facts()
                },
                AccessRule::UnlimitedByAdmin,
            ),
            (
                AccessFacts {
                    unlimited_until: Some(600),
                    ..facts()
                },
                AccessRule::UnlimitedUntil,
            ),
            (
                AccessFacts {
                    valid_until: Some(400),
                    ..facts()
                },
                AccessRule::ValidityEnded,
            ),
            (
                AccessFacts {
                    approved: false,
                    ..facts()
                },
                AccessRule::NotApproved,
            ),
            (
                AccessFacts {
                    active: false,
                    ..facts()
                },
                AccessRule::Deactivated,
            ),
            (
                AccessFacts {
                    blocked: true,
                    active: false,
                    ..facts()
                },
                AccessRule::BlockedByAdmin,
            ),
        ];
        for (f, rule) in cases {
            assert_eq!(f.rule(now), rule, "{f:?}");
        }
    }

    #[test]
    fn small_packages_use_the_threshold_only_above_it() {
        let f = AccessFacts {
            quota_bytes: GIB,
            used_bytes: 0,
            fup_threshold_bytes: Some(2 * GIB),
            ..facts()
        };
        assert_eq!(f.status(0), AccessStatus::Active);
        assert_eq!(default_fup_threshold(5 * GIB), GIB);
        assert_eq!(default_fup_threshold(100 * GIB), 3 * GIB);
    }

    #[test]
    fn sizes_read_as_indonesian_users_expect() {
        assert_eq!(format_bytes(5 * GIB), "5 GB");
        assert_eq!(format_bytes(GIB + GIB / 2), "1,5 GB");
        assert_eq!(format_bytes(300 * 1_048_576), "300 MB");
        assert_eq!(format_bytes(2048), "2 KB");
        assert_eq!(format_bytes(-5), "0 KB");
    }
}
