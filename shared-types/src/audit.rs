//! The audit log as admins read it.

use serde::{Deserialize, Serialize};

use crate::formats::{Id, Timestamp};

/// One audit entry: who did what to whom, and what changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct AuditEntry {
    pub id: Id,
    pub at: Timestamp,
    /// `admin`, `user`, `system`, `worker` or `cli`.
    pub actor_kind: String,
    pub actor_id: Option<Id>,
    /// The actor's name now (absent for the system, or once deleted).
    pub actor_name: Option<String>,
    /// Dotted action, e.g. `user.block`, `quota.adjust`.
    pub action: String,
    /// `user`, `purchase`, `device`, `router`, …
    pub target_kind: Option<String>,
    pub target_id: Option<String>,
    /// The target person's name, when the target is a user that still exists.
    pub target_name: Option<String>,
    /// What changed: `before`/`after`, `reason` and other facts of the action.
    pub details: serde_json::Value,
}

/// A page of the audit log, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct AuditPage {
    pub items: Vec<AuditEntry>,
    /// Pass as `after` for the next (older) page; absent on the last page.
    pub next: Option<String>,
}
