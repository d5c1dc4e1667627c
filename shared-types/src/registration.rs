//! Self-registration and its review.

use serde::{Deserialize, Serialize};

use crate::formats::{Id, Timestamp};
use validator::Validate;

use crate::users::Role;

/// Roles a person may register as themselves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Enum))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", oai(rename_all = "snake_case"))]
pub enum RegisterRole {
    Resident,
    Komandan,
}

/// Self-registration; an admin approves it before the number can log in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct RegisterRequest {
    /// Full name, 2–100 characters.
    #[validate(length(min = 2, max = 100))]
    #[cfg_attr(feature = "openapi", oai(validator(min_length = 2, max_length = 100)))]
    pub name: String,
    /// The phone number as typed (`08…`, `62…` or `+62…`).
    pub phone: String,
    /// Resident or komandan.
    pub role: RegisterRole,
    /// Residents: *blok* and *kamar*, or `tamping_type` alone.
    #[validate(length(min = 1, max = 32))]
    #[cfg_attr(feature = "openapi", oai(validator(min_length = 1, max_length = 32)))]
    #[serde(default)]
    #[cfg_attr(feature = "openapi", oai(default))]
    pub blok: Option<String>,
    /// Room (residents, with `blok`).
    #[validate(length(min = 1, max = 32))]
    #[cfg_attr(feature = "openapi", oai(validator(min_length = 1, max_length = 32)))]
    #[serde(default)]
    #[cfg_attr(feature = "openapi", oai(default))]
    pub kamar: Option<String>,
    /// For a *tamping* (trusty) resident instead of blok and kamar.
    #[validate(length(min = 1, max = 64))]
    #[cfg_attr(feature = "openapi", oai(validator(min_length = 1, max_length = 64)))]
    #[serde(default)]
    #[cfg_attr(feature = "openapi", oai(default))]
    pub tamping_type: Option<String>,
    /// Turnstile token for the `register` action.
    pub turnstile_token: String,
}

/// A registration waiting for an admin.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct Registration {
    /// The account's id.
    pub id: Id,
    /// Full name.
    pub name: String,
    /// E.164 number (`+628…`).
    pub phone: String,
    /// Resident or komandan.
    pub role: Role,
    /// Block (residents).
    pub blok: Option<String>,
    /// Room (residents).
    pub kamar: Option<String>,
    /// Tamping type (residents without blok/kamar).
    pub tamping_type: Option<String>,
    /// `pending`, `approved` or `rejected`.
    pub approval: String,
    /// When the registration arrived.
    pub created_at: Timestamp,
}

/// Reject a registration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct RejectRegistration {
    /// Shown to nobody but admins; 1–300 characters.
    #[validate(length(min = 1, max = 300))]
    #[cfg_attr(feature = "openapi", oai(validator(min_length = 1, max_length = 300)))]
    pub reason: String,
}

/// A registration was received.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct Registered {
    /// `pending` until an admin approves it.
    pub status: String,
}
