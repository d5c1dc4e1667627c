//! Finding people in the admin dashboard: one row per person and a page of them.

use serde::{Deserialize, Serialize};

use crate::{
    access::AccessStatus,
    formats::{Id, Timestamp},
    users::{Approval, Role},
};

/// How a user list is ordered (ties broken by id, so pages never overlap).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Enum))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", oai(rename_all = "snake_case"))]
pub enum UserSort {
    /// By name, A to Z.
    #[default]
    Name,
    /// Newest first.
    Newest,
    /// Most bytes used first.
    MostUsed,
}

/// One person in the admin's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct UserRow {
    pub id: Id,
    pub name: String,
    /// `+628…` (residents and officers; staff may have one).
    pub phone: Option<String>,
    /// Staff and admins.
    pub username: Option<String>,
    pub role: Role,
    pub blok: Option<String>,
    pub kamar: Option<String>,
    pub tamping_type: Option<String>,
    pub approval: Approval,
    /// Access right now, by the one status rule.
    pub status: AccessStatus,
    pub quota_bytes: i64,
    pub used_bytes: i64,
    /// Quota left (never negative).
    pub remaining_bytes: i64,
    pub unlimited: bool,
    pub valid_until: Option<Timestamp>,
    pub router_id: Option<Id>,
    pub created_at: Timestamp,
}

/// A page of people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct UserPage {
    pub items: Vec<UserRow>,
    /// How many people match the search and filters in all.
    pub total: i64,
    /// Pass as `after` for the next page; absent on the last page.
    pub next: Option<String>,
}
