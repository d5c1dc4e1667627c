//! The drift report: where a router and the database disagree.

use serde::{Deserialize, Serialize};

use crate::AccessStatus;

/// One property that differs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct DriftItem {
    /// `account`, `profile`, `limit-bytes-total`, `disabled`, `password`,
    /// `address-list 10.5.50.10`, `ip-binding AA:BB:…`.
    pub field: String,
    /// What the database wants (`null`: should not exist). Passwords are never shown.
    pub database: Option<String>,
    /// What the router has (`null`: missing).
    pub router: Option<String>,
}

/// One user whose router state differs from the database, or whose usage is
/// not yet accounted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct UserDrift {
    /// `null` for a gerbang account on the router whose user no longer exists.
    pub user_id: Option<String>,
    /// The hotspot account name.
    pub name: String,
    /// Status in the database (`null` for an orphaned account).
    pub status: Option<AccessStatus>,
    pub differences: Vec<DriftItem>,
    /// Bytes the router counted since the last accounting cycle.
    pub unaccounted_bytes: i64,
}

/// The last reconcile cycle of a router.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct CycleView {
    /// RFC 3339.
    pub at: String,
    pub ok: bool,
    pub duration_ms: i32,
    pub users: i32,
    pub reads: i32,
    pub writes: i32,
    pub error: Option<String>,
    pub consecutive_failures: i32,
    pub last_ok_at: Option<String>,
}

/// Router health as seen now by the API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct RouterHealth {
    pub reachable: bool,
    /// Round trip of one `/system/identity/print`.
    pub latency_ms: Option<u64>,
    pub error: Option<String>,
    pub last_cycle: Option<CycleView>,
}

/// `GET /admin/routers/{id}/drift`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct RouterDrift {
    pub router_id: String,
    pub name: String,
    pub health: RouterHealth,
    /// Users compared (0 when the router could not be read).
    pub users_checked: u32,
    /// Only users with a difference or unaccounted usage.
    pub users: Vec<UserDrift>,
}
