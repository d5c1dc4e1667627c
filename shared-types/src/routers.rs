//! Routers as super admins set them up: what they send (the API password is
//! write-only), what they read back, and the connection test run before
//! anything is saved.

use serde::{Deserialize, Serialize};
use validator::{Validate, ValidationError};

use crate::{
    formats::{Id, Timestamp},
    login::LoginMode,
};

/// A router to add, or a router's new settings. `api_password` is required
/// to add one; absent when editing, the stored password stays.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct RouterInput {
    /// Unique, 1–64 characters, e.g. "Blok A".
    #[validate(length(min = 1, max = 64))]
    #[cfg_attr(feature = "openapi", oai(validator(min_length = 1, max_length = 64)))]
    pub name: String,
    /// Address or host name of the router's API service.
    #[validate(length(min = 1, max = 253), custom(function = "host_name"))]
    #[cfg_attr(feature = "openapi", oai(validator(min_length = 1, max_length = 253)))]
    pub host: String,
    /// 8728 (api) or 8729 (api-ssl) unless changed on the router.
    #[validate(range(min = 1, max = 65535))]
    #[cfg_attr(
        feature = "openapi",
        oai(validator(minimum(value = 1.0), maximum(value = 65535.0)))
    )]
    pub port: i32,
    /// api-ssl, verified by `tls_fingerprint`.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", oai(default))]
    pub tls: bool,
    /// SHA-256 of the router's certificate, 64 hex digits (`:` allowed); required with `tls`.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", oai(default))]
    pub tls_fingerprint: Option<String>,
    /// The API account (least privilege: the provisioning script's `gerbang` group).
    #[validate(length(min = 1, max = 64))]
    #[cfg_attr(feature = "openapi", oai(validator(min_length = 1, max_length = 64)))]
    pub api_username: String,
    /// Write-only: sealed when stored, never returned.
    #[validate(length(min = 1, max = 128))]
    #[cfg_attr(feature = "openapi", oai(validator(min_length = 1, max_length = 128)))]
    #[serde(default)]
    #[cfg_attr(feature = "openapi", oai(default))]
    pub api_password: Option<String>,
    pub login_mode: LoginMode,
    /// The hotspot server's name on the router (`/ip hotspot`).
    #[validate(custom(function = "router_name"))]
    #[cfg_attr(
        feature = "openapi",
        oai(validator(pattern = r"^[A-Za-z0-9._-]{1,64}$"))
    )]
    pub hotspot_server: String,
    /// The router's login page, e.g. `http://10.5.50.1/login`.
    #[validate(url, length(max = 300))]
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 300)))]
    pub login_url: String,
    /// The hotspot user profile for people at full speed.
    #[validate(custom(function = "router_name"))]
    #[cfg_attr(
        feature = "openapi",
        oai(validator(pattern = r"^[A-Za-z0-9._-]{1,64}$"))
    )]
    pub hotspot_profile: String,
    /// The profile people in FUP log in with.
    #[validate(custom(function = "router_name"))]
    #[cfg_attr(
        feature = "openapi",
        oai(validator(pattern = r"^[A-Za-z0-9._-]{1,64}$"))
    )]
    pub fup_profile: String,
    /// Prefix of gerbang's address lists.
    #[validate(custom(function = "router_name"))]
    #[cfg_attr(
        feature = "openapi",
        oai(validator(pattern = r"^[A-Za-z0-9._-]{1,64}$"))
    )]
    pub address_list_prefix: String,
    /// New registrations go to the default router.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", oai(default))]
    pub is_default: bool,
}

fn host_name(h: &str) -> Result<(), ValidationError> {
    let ok = h
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']'));
    if ok {
        Ok(())
    } else {
        Err(ValidationError::new("host"))
    }
}

fn router_name(s: &str) -> Result<(), ValidationError> {
    let ok = (1..=64).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
    if ok {
        Ok(())
    } else {
        Err(ValidationError::new("router_name"))
    }
}

/// A router as admins read it (never its password).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct RouterView {
    pub id: Id,
    pub name: String,
    pub host: String,
    pub port: i32,
    pub tls: bool,
    pub tls_fingerprint: Option<String>,
    pub api_username: String,
    pub login_mode: LoginMode,
    pub hotspot_server: String,
    pub login_url: String,
    pub hotspot_profile: String,
    pub fup_profile: String,
    pub address_list_prefix: String,
    pub is_default: bool,
    /// Left alone by the worker and the live views.
    pub disabled: bool,
    pub created_at: Timestamp,
}

/// Why a connection test failed, in a word a client can translate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Enum))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", oai(rename_all = "snake_case"))]
pub enum ConnectionProblem {
    /// Nothing answers at host:port (wrong address or port, API service off, firewall).
    Unreachable,
    /// No answer in time.
    Timeout,
    /// The router refused the username or password (or the account lacks the `api` policy).
    LoginRefused,
    /// api-ssl: the certificate does not match the pinned fingerprint, or TLS failed.
    TlsFailed,
    /// `tls` without a valid SHA-256 fingerprint.
    BadFingerprint,
    /// Connected, but the router answered something unexpected.
    Protocol,
}

/// What the connection test found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct ConnectionTest {
    /// Logged in and read the router.
    pub ok: bool,
    pub problem: Option<ConnectionProblem>,
    /// What went wrong, in English, for the log and support.
    pub detail: Option<String>,
    /// `/system identity`.
    pub identity: Option<String>,
    /// RouterOS version.
    pub version: Option<String>,
    pub board: Option<String>,
    /// Connect + login + two reads, in milliseconds.
    pub round_trip_ms: Option<u32>,
    /// The API account's group.
    pub group: Option<String>,
    /// Policies the group has beyond what gerbang needs (`api`, `read`, `write`):
    /// shown as a warning, not an error.
    pub excess_policies: Vec<String>,
}

/// A saved router and the connection test it passed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct RouterSaved {
    pub router: RouterView,
    pub test: ConnectionTest,
}

/// One item of a live router's setup check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct SetupCheck {
    /// What was checked, e.g. "user profile gerbang-fup".
    pub item: String,
    pub ok: bool,
    /// What the router has, or what is missing.
    pub detail: String,
    /// The script line(s) that fix it, when it is not ok.
    pub fix: Option<String>,
}

/// A router's setup: the provisioning script and what the live router lacks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct RouterSetup {
    /// The RouterOS script to paste in the router's terminal (safe to run twice).
    pub script: String,
    /// The live check; empty when the router could not be read.
    pub checks: Vec<SetupCheck>,
    /// False when the router did not answer (`checks` is then unknown).
    pub reachable: bool,
    /// Why the router could not be read.
    pub error: Option<String>,
}
