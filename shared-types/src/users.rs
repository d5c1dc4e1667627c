//! People: roles, what a logged-in person sees about themselves, and
//! what admins change about their access.

use serde::{Deserialize, Serialize};

use crate::formats::{Id, Timestamp};
use validator::Validate;

/// A person's role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Enum))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", oai(rename_all = "snake_case"))]
pub enum Role {
    /// Resident (*warga binaan*, student).
    Resident,
    /// Officer (*komandan*).
    Komandan,
    /// Staff / teacher.
    Staff,
    Admin,
    SuperAdmin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Resident => "resident",
            Role::Komandan => "komandan",
            Role::Staff => "staff",
            Role::Admin => "admin",
            Role::SuperAdmin => "super_admin",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        [
            Role::Resident,
            Role::Komandan,
            Role::Staff,
            Role::Admin,
            Role::SuperAdmin,
        ]
        .into_iter()
        .find(|r| r.as_str() == s)
    }

    /// Admins and super admins run the dashboard.
    pub fn is_admin(self) -> bool {
        matches!(self, Role::Admin | Role::SuperAdmin)
    }
}

/// Where a self-registration stands (accounts made by an admin are approved).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Enum))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", oai(rename_all = "snake_case"))]
pub enum Approval {
    /// Waits for an admin's review.
    Pending,
    Approved,
    Rejected,
}

impl Approval {
    pub fn as_str(self) -> &'static str {
        match self {
            Approval::Pending => "pending",
            Approval::Approved => "approved",
            Approval::Rejected => "rejected",
        }
    }

    pub fn parse(s: &str) -> Option<Approval> {
        [Approval::Pending, Approval::Approved, Approval::Rejected]
            .into_iter()
            .find(|a| a.as_str() == s)
    }
}

/// The logged-in person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct UserView {
    /// The account's id.
    pub id: Id,
    /// Full name.
    pub name: String,
    /// What the person may do.
    pub role: Role,
    /// E.164 (`+628…`) for phone users.
    pub phone: Option<String>,
    /// Login name for staff and admins.
    pub username: Option<String>,
    /// Block (residents).
    pub blok: Option<String>,
    /// Room (residents).
    pub kamar: Option<String>,
    /// Tamping type (residents without blok/kamar).
    pub tamping_type: Option<String>,
}

/// Access status with the numbers behind it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct StatusView {
    /// Access status (the one status rule).
    pub status: crate::access::AccessStatus,
    /// Unlimited traffic right now.
    pub unlimited: bool,
    /// Bytes bought or granted in all.
    pub quota_bytes: i64,
    /// Bytes used so far.
    pub used_bytes: i64,
    /// Quota left (0 when used up; not meaningful when `unlimited`).
    pub remaining_bytes: i64,
    /// End of validity (RFC 3339), if any.
    pub valid_until: Option<Timestamp>,
    /// The account name on the hotspot (the local phone form, `08…`).
    pub hotspot_username: Option<String>,
    /// Why the account is blocked (only when `status` is `blocked`).
    pub blocked_reason: Option<String>,
}

/// A user's access after an admin changed it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct UserAccess {
    /// The account's id.
    pub id: Id,
    /// Access status after the change.
    pub status: crate::AccessStatus,
    /// Not deactivated.
    pub active: bool,
    /// Blocked by an admin.
    pub blocked: bool,
    /// Why it was blocked (shown to the person).
    pub blocked_reason: Option<String>,
}

/// Block a user: the reason is shown to the user on the portal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct BlockUser {
    /// 1–300 characters, e.g. "Pelanggaran tata tertib — hubungi petugas blok".
    #[validate(length(min = 1, max = 300))]
    #[cfg_attr(feature = "openapi", oai(validator(min_length = 1, max_length = 300)))]
    pub reason: String,
}

/// A resource that was deleted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct Deleted {
    /// The id of what was deleted.
    pub id: Id,
}
