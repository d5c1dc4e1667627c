//! What an admin sends to change one person: a quota adjustment, a profile
//! edit, a session to kick — and what comes back.

use serde::{Deserialize, Serialize};
use validator::{Validate, ValidationError};

use crate::{user_list::UserRow, users::Role};

/// Adjust a person's quota and validity. Every adjustment is one row in the
/// credit ledger; the key makes a double click or a retried request apply once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
#[validate(schema(function = "changes_something"))]
pub struct QuotaAdjustment {
    /// Chosen by the client once per intended adjustment (8–64 of `A–Z a–z 0–9 _ -`),
    /// e.g. a UUID made when the form opened. Resending it never applies twice.
    #[validate(custom(function = "idempotency_key"))]
    #[cfg_attr(
        feature = "openapi",
        oai(validator(min_length = 8, max_length = 64, pattern = r"^[A-Za-z0-9_-]+$"))
    )]
    pub idempotency_key: String,
    /// Bytes to add (negative: remove; at most what is left can be removed).
    #[validate(range(min = -109_951_162_777_600_i64, max = 109_951_162_777_600_i64))]
    #[cfg_attr(
        feature = "openapi",
        oai(validator(minimum(value = -109951162777600.0), maximum(value = 109951162777600.0)))
    )]
    #[serde(default)]
    #[cfg_attr(feature = "openapi", oai(default))]
    pub add_bytes: i64,
    /// Days to extend validity by (negative: shorten), −366 … 366.
    #[validate(range(min = -366, max = 366))]
    #[cfg_attr(
        feature = "openapi",
        oai(validator(minimum(value = -366.0), maximum(value = 366.0)))
    )]
    #[serde(default)]
    #[cfg_attr(feature = "openapi", oai(default))]
    pub extend_days: i32,
    /// Make the person unlimited for this many days from now (1 … 366).
    #[validate(range(min = 1, max = 366))]
    #[cfg_attr(
        feature = "openapi",
        oai(validator(minimum(value = 1.0), maximum(value = 366.0)))
    )]
    #[serde(default)]
    #[cfg_attr(feature = "openapi", oai(default))]
    pub unlimited_days: Option<i32>,
    /// End "unlimited until" now (cannot be combined with `unlimited_days`).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", oai(default))]
    pub clear_unlimited: bool,
    /// Why, 3–300 characters (kept in the ledger and the audit log).
    #[validate(length(min = 3, max = 300))]
    #[cfg_attr(feature = "openapi", oai(validator(min_length = 3, max_length = 300)))]
    pub reason: String,
}

fn idempotency_key(key: &str) -> Result<(), ValidationError> {
    let ok = (8..=64).contains(&key.len())
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if ok {
        Ok(())
    } else {
        Err(ValidationError::new("idempotency_key"))
    }
}

fn changes_something(a: &QuotaAdjustment) -> Result<(), ValidationError> {
    if a.unlimited_days.is_some() && a.clear_unlimited {
        return Err(ValidationError::new("unlimited_set_and_cleared"));
    }
    if a.add_bytes == 0 && a.extend_days == 0 && a.unlimited_days.is_none() && !a.clear_unlimited {
        return Err(ValidationError::new("nothing_to_change"));
    }
    Ok(())
}

/// What an adjustment did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct Adjusted {
    /// False when this key had been applied before: nothing changed now.
    pub applied: bool,
    /// The person after the adjustment.
    pub user: UserRow,
}

/// A person's profile as an admin edits it (every field is sent).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct ProfileEdit {
    /// Full name, 2–100 characters.
    #[validate(length(min = 2, max = 100))]
    #[cfg_attr(feature = "openapi", oai(validator(min_length = 2, max_length = 100)))]
    pub name: String,
    /// The number in any form (`08…`, `62…`, `+62…`); required for residents and officers.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", oai(default))]
    pub phone: Option<String>,
    /// Resident ↔ komandan: admins. Staff ↔ admin ↔ super admin: super admins only.
    pub role: Role,
    /// Residents: blok and kamar, or `tamping_type` alone; nobody else has any.
    #[validate(length(min = 1, max = 32))]
    #[cfg_attr(feature = "openapi", oai(validator(min_length = 1, max_length = 32)))]
    #[serde(default)]
    #[cfg_attr(feature = "openapi", oai(default))]
    pub blok: Option<String>,
    #[validate(length(min = 1, max = 32))]
    #[cfg_attr(feature = "openapi", oai(validator(min_length = 1, max_length = 32)))]
    #[serde(default)]
    #[cfg_attr(feature = "openapi", oai(default))]
    pub kamar: Option<String>,
    #[validate(length(min = 1, max = 64))]
    #[cfg_attr(feature = "openapi", oai(validator(min_length = 1, max_length = 64)))]
    #[serde(default)]
    #[cfg_attr(feature = "openapi", oai(default))]
    pub tamping_type: Option<String>,
}

/// End one live session on the router.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct KickSession {
    /// The router's session id from `live.sessions` (`*1A`).
    #[validate(length(min = 2, max = 16))]
    #[cfg_attr(feature = "openapi", oai(validator(min_length = 2, max_length = 16)))]
    pub session_id: String,
}

/// What a password reset did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct PasswordReset {
    /// Live sessions ended on the router.
    pub sessions_ended: u32,
}

/// The session that was ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct Kicked {
    /// The router's session id.
    pub session_id: String,
}
