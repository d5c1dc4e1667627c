//! Staff and teachers (*guru*): accounts an admin creates, a web password
//! stored twice (an argon2id hash to log in, a sealed copy an admin may
//! reveal), and the staff member's own hotspot account on the router, found
//! by the operator key (NIP, employee code) in its comment.

use serde::{Deserialize, Serialize};
use validator::{Validate, ValidationError};

use crate::formats::{Id, Timestamp};

/// Web passwords: 10–128 characters (any characters; spaces count).
pub const WEB_PASSWORD_MIN: usize = 10;
pub const WEB_PASSWORD_MAX: usize = 128;

/// Hotspot passwords: 8–64 printable ASCII characters without spaces or
/// quotes (typed on the router's login page, stored in RouterOS).
pub const HOTSPOT_PASSWORD_MIN: usize = 8;
pub const HOTSPOT_PASSWORD_MAX: usize = 64;

pub fn username_rule(u: &str) -> Result<(), ValidationError> {
    let b = u.as_bytes();
    let ok = (3..=32).contains(&b.len())
        && b[0].is_ascii_lowercase() | b[0].is_ascii_digit()
        && b.iter().all(|c| {
            c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, b'.' | b'_' | b'-')
        });
    if ok {
        Ok(())
    } else {
        Err(ValidationError::new("username"))
    }
}

pub fn operator_key_rule(k: &str) -> Result<(), ValidationError> {
    let ok = (1..=64).contains(&k.len())
        && k.bytes()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'-'));
    if ok {
        Ok(())
    } else {
        Err(ValidationError::new("operator_key"))
    }
}

/// Why a web password is refused, if it is.
pub fn web_password_rule(p: &str) -> Result<(), ValidationError> {
    let n = p.chars().count();
    if n < WEB_PASSWORD_MIN {
        Err(ValidationError::new("too_short"))
    } else if n > WEB_PASSWORD_MAX {
        Err(ValidationError::new("too_long"))
    } else if p.chars().all(|c| c == p.chars().next().unwrap_or(' ')) {
        Err(ValidationError::new("too_simple"))
    } else {
        Ok(())
    }
}

/// Why a hotspot password is refused, if it is.
pub fn hotspot_password_rule(p: &str) -> Result<(), ValidationError> {
    let n = p.len();
    if !p
        .bytes()
        .all(|b| b.is_ascii_graphic() && !matches!(b, b'"' | b'\'' | b'\\'))
    {
        Err(ValidationError::new("characters"))
    } else if n < HOTSPOT_PASSWORD_MIN {
        Err(ValidationError::new("too_short"))
    } else if n > HOTSPOT_PASSWORD_MAX {
        Err(ValidationError::new("too_long"))
    } else {
        Ok(())
    }
}

fn optional_web_password(p: &str) -> Result<(), ValidationError> {
    web_password_rule(p)
}

/// A staff account to create (admins).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct NewStaff {
    /// Login name: 3–32 of `a-z 0-9 . _ -`, starting with a letter or digit.
    #[validate(custom(function = "username_rule"))]
    #[cfg_attr(
        feature = "openapi",
        oai(validator(pattern = r"^[a-z0-9][a-z0-9._-]{2,31}$"))
    )]
    pub username: String,
    /// Full name, 1–100 characters.
    #[validate(length(min = 1, max = 100))]
    #[cfg_attr(feature = "openapi", oai(validator(min_length = 1, max_length = 100)))]
    pub name: String,
    /// NIP or employee code, unique: the comment gerbang looks for on the
    /// staff member's hotspot account.
    #[validate(custom(function = "operator_key_rule"))]
    #[cfg_attr(
        feature = "openapi",
        oai(validator(pattern = r"^[A-Za-z0-9._-]{1,64}$"))
    )]
    pub operator_key: String,
    /// The router holding the account; absent: the default router.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", oai(default))]
    pub router_id: Option<Id>,
    /// The first web password (10–128 characters); absent: gerbang
    /// generates one and returns it once.
    #[validate(custom(function = "optional_web_password"))]
    #[cfg_attr(feature = "openapi", oai(validator(min_length = 10, max_length = 128)))]
    #[serde(default)]
    #[cfg_attr(feature = "openapi", oai(default))]
    pub password: Option<String>,
}

/// A staff account as admins see it (never a password).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct StaffView {
    pub id: Id,
    pub username: String,
    pub name: String,
    pub operator_key: String,
    pub router_id: Option<Id>,
    pub router_name: Option<String>,
    /// When the web password was last set.
    pub password_set_at: Option<Timestamp>,
    /// Deactivated staff cannot log in and their hotspot account is disabled.
    pub active: bool,
    /// Blocked by an admin (same effect as deactivated, with a reason).
    pub blocked: bool,
    pub created_at: Timestamp,
}

/// A staff member's details as an admin edits them; every field is sent.
/// A changed operator key is written to the comment of their hotspot
/// account (found by the old key, changed by its `.id`); a changed router
/// leaves the old router's account as it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct StaffEdit {
    /// Login name: 3–32 of `a-z 0-9 . _ -`, starting with a letter or digit.
    #[validate(custom(function = "username_rule"))]
    #[cfg_attr(
        feature = "openapi",
        oai(validator(pattern = r"^[a-z0-9][a-z0-9._-]{2,31}$"))
    )]
    pub username: String,
    /// Full name, 1–100 characters.
    #[validate(length(min = 1, max = 100))]
    #[cfg_attr(feature = "openapi", oai(validator(min_length = 1, max_length = 100)))]
    pub name: String,
    /// NIP or employee code, unique.
    #[validate(custom(function = "operator_key_rule"))]
    #[cfg_attr(
        feature = "openapi",
        oai(validator(pattern = r"^[A-Za-z0-9._-]{1,64}$"))
    )]
    pub operator_key: String,
    /// The router holding the account.
    pub router_id: Id,
}

/// A created staff account; `password` only when gerbang generated it
/// (shown once, never again except through an audited reveal).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct StaffCreated {
    pub staff: StaffView,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", oai(default))]
    pub password: Option<String>,
}

/// A web password shown to an admin: revealed (after confirming their own
/// password) or newly generated by a reset. Sent with `Cache-Control: no-store`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct ShownPassword {
    pub password: String,
}

/// An admin confirms their own password before revealing one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct ConfirmPassword {
    #[validate(length(min = 1, max = 256))]
    #[cfg_attr(feature = "openapi", oai(validator(min_length = 1, max_length = 256)))]
    pub password: String,
}

/// How long the confirmation holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct Confirmed {
    pub valid_for_seconds: u32,
}

/// A staff member changes their own web password.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct WebPasswordChange {
    #[validate(length(min = 1, max = 256))]
    #[cfg_attr(feature = "openapi", oai(validator(min_length = 1, max_length = 256)))]
    pub current: String,
    /// 10–128 characters, not one character repeated.
    #[validate(custom(function = "web_password_rule"))]
    #[cfg_attr(feature = "openapi", oai(validator(min_length = 10, max_length = 128)))]
    pub new: String,
}

/// A staff member's new hotspot password, typed twice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
#[validate(schema(function = "same_twice"))]
pub struct HotspotPasswordChange {
    /// 8–64 printable characters without spaces or quotes.
    #[validate(custom(function = "hotspot_password_rule"))]
    #[cfg_attr(feature = "openapi", oai(validator(min_length = 8, max_length = 64)))]
    pub password: String,
    /// The same again.
    #[validate(length(min = 1, max = 64))]
    #[cfg_attr(feature = "openapi", oai(validator(min_length = 1, max_length = 64)))]
    pub confirm: String,
}

fn same_twice(c: &HotspotPasswordChange) -> Result<(), ValidationError> {
    if c.password == c.confirm {
        Ok(())
    } else {
        Err(ValidationError::new("confirm_differs"))
    }
}

/// A live session of the staff member's hotspot account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct StaffSession {
    pub address: Option<String>,
    pub mac_address: Option<String>,
    pub uptime_seconds: i64,
    pub bytes: i64,
}

/// The staff member's hotspot account as the router has it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct HotspotAccount {
    /// The name typed on the router's login page.
    pub username: String,
    pub profile: Option<String>,
    pub enabled: bool,
    /// Uptime and bytes the router has committed to the account.
    pub uptime_seconds: i64,
    pub bytes: i64,
    pub sessions: Vec<StaffSession>,
}

/// `GET /me/staff`: the staff page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct StaffPage {
    pub username: String,
    pub name: String,
    pub operator_key: String,
    pub router_name: Option<String>,
    /// Whether the router answered.
    pub router_reachable: bool,
    /// The account whose comment is the operator key; `null` when the router
    /// has none (an admin can create or adopt it).
    pub hotspot: Option<HotspotAccount>,
}

/// What a web password change did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct PasswordChanged {
    /// Other signed-in sessions of the account that were ended.
    pub other_sessions_ended: u32,
}

/// What a hotspot password change did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct HotspotPasswordChanged {
    /// Live sessions ended so that the new password takes effect.
    pub sessions_ended: u32,
}

/// A hotspot account as the router has it (sync).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct RouterAccount {
    pub name: String,
    pub comment: Option<String>,
    pub profile: Option<String>,
    pub disabled: bool,
}

/// A staff member and the router account that carries their operator key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct StaffLink {
    pub staff: StaffView,
    pub account: RouterAccount,
}

/// `GET /admin/staff/sync`: one read of a router's hotspot accounts, sorted
/// by comment against the staff members on that router.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct StaffSync {
    pub router_id: Id,
    pub router_name: String,
    /// Staff whose account exists.
    pub linked: Vec<StaffLink>,
    /// Staff whose account is missing (create it, or adopt one).
    pub missing: Vec<StaffView>,
    /// Accounts with a comment that matches no staff member (adopt them).
    pub unmatched: Vec<RouterAccount>,
    /// Accounts without a comment, and gerbang's own residents' accounts:
    /// left alone.
    pub left_alone: u32,
}

/// Adopt an existing router account into a staff member: its comment
/// becomes their operator key; its password stays.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct AdoptAccount {
    /// The account's name on the router.
    #[validate(length(min = 1, max = 64))]
    #[cfg_attr(feature = "openapi", oai(validator(min_length = 1, max_length = 64)))]
    pub account: String,
}

/// A hotspot account gerbang created for a staff member: its password,
/// shown once (the staff member changes it on their page).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct HotspotAccountCreated {
    pub username: String,
    pub password: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_follow_their_rules() {
        assert_eq!(web_password_rule("pendek").unwrap_err().code, "too_short");
        assert_eq!(
            web_password_rule("aaaaaaaaaaaa").unwrap_err().code,
            "too_simple"
        );
        assert!(web_password_rule("kata sandi guru").is_ok());
        assert_eq!(
            web_password_rule(&"x1".repeat(65)).unwrap_err().code,
            "too_long"
        );
        assert!(hotspot_password_rule("Guru-2026").is_ok());
        assert_eq!(
            hotspot_password_rule("a b c d e").unwrap_err().code,
            "characters"
        );
        assert_eq!(
            hotspot_password_rule("abc\"defgh").unwrap_err().code,
            "characters"
        );
        assert_eq!(
            hotspot_password_rule("short1").unwrap_err().code,
            "too_short"
        );
        let c = HotspotPasswordChange {
            password: "Guru-2026".into(),
            confirm: "Guru-2027".into(),
        };
        assert!(c.validate().is_err());
    }

    #[test]
    fn usernames_and_keys() {
        assert!(username_rule("bu.sari").is_ok());
        assert!(username_rule("Bu.Sari").is_err());
        assert!(username_rule("-sari").is_err());
        assert!(operator_key_rule("NIP-1987").is_ok());
        assert!(operator_key_rule("NIP 1987").is_err());
    }
}
