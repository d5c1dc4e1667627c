//! One person as the admin dashboard shows them: profile, status and why,
//! devices, live sessions read from the router, purchases, the credit
//! ledger, daily usage and their audit trail.

use serde::{Deserialize, Serialize};

use crate::{
    access::AccessRule,
    audit::AuditEntry,
    devices::DeviceView,
    formats::{Id, Timestamp},
    payments::PurchaseView,
    portal::UsageHistory,
    user_list::UserRow,
};

/// Everything about one person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct UserDetail {
    /// Profile, status and quota numbers (as in the list).
    pub user: UserRow,
    /// Which rule decided `user.status`.
    pub rule: AccessRule,
    /// Not deactivated.
    pub active: bool,
    /// Why the account is blocked, when it is.
    pub blocked_reason: Option<String>,
    /// Why the registration was rejected, when it was.
    pub reject_reason: Option<String>,
    /// Unlimited until then (RFC 3339), if set.
    pub unlimited_until: Option<Timestamp>,
    /// Quota left at or under this is FUP (slow) speed.
    pub fup_threshold_bytes: Option<i64>,
    /// The account's name on the hotspot (`08…`, or the username).
    pub hotspot_username: Option<String>,
    /// The router's name (their own, else the default router).
    pub router_name: Option<String>,
    /// Router-confirmed devices, most recently seen first.
    pub devices: Vec<DeviceView>,
    /// Sessions the router shows right now.
    pub live: LiveSessions,
    /// The last 20 purchases, newest first.
    pub purchases: Vec<PurchaseView>,
    /// The last 50 credits and adjustments, newest first.
    pub credits: Vec<LedgerEntry>,
    /// Daily usage for the last 90 days, oldest first.
    pub usage: UsageHistory,
    /// The last 50 audit entries about this person or by them, newest first.
    pub audit: Vec<AuditEntry>,
}

/// Live sessions as one router read showed them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct LiveSessions {
    /// The sessions (empty when the router could not be read).
    pub sessions: Vec<LiveSession>,
    /// False when the router did not answer: `sessions` is then unknown, not empty.
    pub router_reachable: bool,
    /// When the router was read (RFC 3339); reads are shared for a few seconds.
    pub read_at: Option<Timestamp>,
}

/// One live hotspot session (or a bypassed device) on a router.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct LiveSession {
    /// The router's id of the session (`*1A`); pass it to kick the session.
    pub session_id: String,
    /// `hotspot` (a login) or `bypass` (an ip-binding of a proven device).
    pub kind: String,
    pub router_id: Id,
    pub router_name: String,
    /// The gerbang account, when the router's account name is one of ours.
    pub user_id: Option<Id>,
    pub user_name: Option<String>,
    /// The account name on the router.
    pub hotspot_username: Option<String>,
    pub ip: Option<String>,
    pub mac: Option<String>,
    /// Seconds since the login (hotspot sessions).
    pub uptime_seconds: Option<i64>,
    /// Bytes up and down in this session.
    pub bytes: i64,
    /// What the session may still move before the router cuts it (hotspot
    /// sessions with a limit).
    pub limit_left_bytes: Option<i64>,
}

/// Everyone online on one router.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct OnlineRouter {
    pub router_id: Id,
    pub router_name: String,
    pub live: LiveSessions,
}

/// Everyone online, router by router.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct OnlineNow {
    pub routers: Vec<OnlineRouter>,
    /// Seconds a router read is shared; refresh no faster than this.
    pub refresh_seconds: u32,
}

/// One row of the credit ledger: a paid purchase or an admin's adjustment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct LedgerEntry {
    /// `purchase` or `adjustment`.
    pub source: String,
    /// The purchase's order id (purchases).
    pub order_id: Option<String>,
    /// Bytes added (negative: removed).
    pub quota_bytes: i64,
    /// Unlimited package.
    pub unlimited: bool,
    /// Days of validity added (negative: shortened).
    pub validity_days: i32,
    pub valid_until_before: Option<Timestamp>,
    pub valid_until_after: Option<Timestamp>,
    /// "Unlimited until" after an adjustment that set or cleared it.
    pub unlimited_until_after: Option<Timestamp>,
    /// Why (adjustments).
    pub reason: Option<String>,
    /// Who adjusted (adjustments).
    pub actor_name: Option<String>,
    pub created_at: Timestamp,
}
