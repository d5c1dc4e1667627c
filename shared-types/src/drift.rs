//! The drift report: where a router and the database disagree.

use serde::{Deserialize, Serialize};

use crate::formats::{Id, Timestamp};

use crate::AccessStatus;

/// One property that differs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
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
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct UserDrift {
    /// `null` for a gerbang account on the router whose user no longer exists.
    pub user_id: Option<Id>,
    /// The hotspot account name.
    pub name: String,
    /// Status in the database (`null` for an orphaned account).
    pub status: Option<AccessStatus>,
    /// What differs; empty lists are not reported.
    pub differences: Vec<DriftItem>,
    /// Bytes the router counted since the last accounting cycle.
    pub unaccounted_bytes: i64,
}

/// The last reconcile cycle of a router.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct CycleView {
    /// RFC 3339.
    pub at: Timestamp,
    /// Whether the cycle finished without error.
    pub ok: bool,
    /// How long it took, in milliseconds.
    pub duration_ms: i32,
    /// Users reconciled.
    pub users: i32,
    /// Router menus read (each once per cycle).
    pub reads: i32,
    /// Router commands that changed something.
    pub writes: i32,
    /// The error, when the cycle failed.
    pub error: Option<String>,
    /// Failed cycles in a row up to this one.
    pub consecutive_failures: i32,
    /// When the last successful cycle ended.
    pub last_ok_at: Option<Timestamp>,
}

/// Router health as seen now by the API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct RouterHealth {
    /// Whether the router answered now.
    pub reachable: bool,
    /// Round trip of one `/system/identity/print`.
    pub latency_ms: Option<u64>,
    /// Why it could not be read, when unreachable.
    pub error: Option<String>,
    /// The worker's last cycle on this router.
    pub last_cycle: Option<CycleView>,
}

/// `GET /admin/routers/{id}/drift`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct RouterDrift {
    /// The router's id.
    pub router_id: Id,
    /// The router's name in gerbang.
    pub name: String,
    /// Reachability, latency and the last cycle.
    pub health: RouterHealth,
    /// Users compared (0 when the router could not be read).
    pub users_checked: u32,
    /// Only users with a difference or unaccounted usage.
    pub users: Vec<UserDrift>,
}

/// What "reconcile now" did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct ReconcileNow {
    /// `done`, `skipped` (a worker was already reconciling this router) or `failed`.
    pub outcome: String,
    pub users: i64,
    /// Router menus read.
    pub reads: i64,
    /// Router commands that changed something.
    pub writes: i64,
    /// Why it failed.
    pub error: Option<String>,
}
