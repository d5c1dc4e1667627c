//! Logging in: the WhatsApp code, the hotspot handoff, password login
//! and the one-time link.

use serde::{Deserialize, Serialize};
use validator::Validate;

use crate::{
    devices::DeviceView,
    users::{StatusView, UserView},
};

/// Ask for a WhatsApp login code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct OtpRequest {
    /// The phone number as typed: `08…`, `62…` or `+62…` (Indonesian mobile numbers only).
    #[validate(length(max = 32))]
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 32)))]
    pub phone: String,
    /// The Turnstile token from the widget (single use).
    #[validate(length(max = 4096))]
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 4096)))]
    pub turnstile_token: String,
}

/// The answer to an OTP request. It is the same whether or not the number is
/// registered, so the endpoint cannot be used to discover residents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct OtpRequested {
    /// Seconds before another code may be requested for this number.
    pub resend_after_seconds: u32,
}

/// What the hotspot told the portal about the device (from the login page
/// redirect: `$(ip)`, `$(mac)`, `$(link-login-only)`, `$(link-orig)`).
/// The API never trusts it alone: the MAC is confirmed with the router.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct HotspotClient {
    /// The device's address on the hotspot network.
    #[validate(length(max = 45))]
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 45)))]
    #[serde(default)]
    #[cfg_attr(feature = "openapi", oai(default))]
    pub ip: Option<String>,
    /// The device's MAC as the hotspot saw it (`AA:BB:CC:DD:EE:FF`).
    #[validate(length(max = 17))]
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 17)))]
    #[serde(default)]
    #[cfg_attr(feature = "openapi", oai(default))]
    pub mac: Option<String>,
    /// The router's login URL from the redirect (informational; the API uses the router's configured URL).
    #[validate(length(max = 300))]
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 300)))]
    #[serde(default)]
    #[cfg_attr(feature = "openapi", oai(default))]
    pub link_login_only: Option<String>,
    /// Where the user wanted to go before the portal (passed back to the router).
    #[validate(length(max = 500))]
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 500)))]
    #[serde(default)]
    #[cfg_attr(feature = "openapi", oai(default))]
    pub dst: Option<String>,
}

/// Log in with the WhatsApp code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct OtpVerify {
    /// The same number the code was requested for.
    pub phone: String,
    /// The 6-digit code from WhatsApp.
    #[validate(length(min = 6, max = 6))]
    #[cfg_attr(feature = "openapi", oai(validator(min_length = 6, max_length = 6)))]
    pub code: String,
    /// The device in the captive portal; absent when logging in outside the hotspot.
    #[validate(nested)]
    #[serde(default)]
    #[cfg_attr(feature = "openapi", oai(default))]
    pub client: Option<HotspotClient>,
}

/// The router's login mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Enum))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", oai(rename_all = "snake_case"))]
pub enum LoginMode {
    HotspotLogin,
    Bypass,
}

/// The fields the portal posts to the router's login page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct HotspotFields {
    /// The hotspot account (the local phone number, `08…`).
    pub username: String,
    /// The per-user hotspot password (random; never the phone number). Not to be stored.
    pub password: String,
    /// Where the router sends the browser after login.
    pub dst: String,
    /// RouterOS' `popup` field (always `true`).
    pub popup: String,
}

/// The hidden form the portal submits from the device to the router's login
/// page. Routers in bypass mode get it too: the router seeing the device log
/// in is what proves the device is the caller's, and its binding then
/// replaces that login (docs/architecture.md, "Binding a device").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct HotspotLoginHandoff {
    /// The router's login URL.
    pub action: String,
    /// The fields to POST, as they are.
    pub fields: HotspotFields,
}

/// A successful login.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct LoginResult {
    /// The person who logged in.
    pub user: UserView,
    /// Their access status.
    pub status: StatusView,
    /// The form to submit from the device so the router logs it in (absent outside the
    /// hotspot or when the status does not allow access).
    pub hotspot: Option<HotspotLoginHandoff>,
    /// A one-time link (2 minutes) that opens the same session in the phone's main browser.
    pub open_in_browser_url: Option<String>,
    /// This session's device, once the router has seen it log in to this account
    /// (always absent right after the code: see `confirm_current_device`).
    pub device: Option<DeviceView>,
}

/// Exchange a one-time link for a session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct SessionConsume {
    /// The token from the link's fragment (`/buka#token=…`).
    #[validate(length(min = 16, max = 128))]
    #[cfg_attr(feature = "openapi", oai(validator(min_length = 16, max_length = 128)))]
    pub token: String,
}

/// Staff and admin password login.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct PasswordLogin {
    /// Login name (case-insensitive).
    #[validate(length(min = 1, max = 32))]
    #[cfg_attr(feature = "openapi", oai(validator(min_length = 1, max_length = 32)))]
    pub username: String,
    /// The password (never logged).
    #[validate(length(min = 1, max = 256))]
    #[cfg_attr(feature = "openapi", oai(validator(min_length = 1, max_length = 256)))]
    pub password: String,
    /// Only while the username is locked (`rate_limited` with `details.unlock`): the
    /// 6-digit code `POST /admin/auth/unlock` sent to the admin's WhatsApp.
    #[validate(length(equal = 6))]
    #[cfg_attr(feature = "openapi", oai(validator(min_length = 6, max_length = 6)))]
    #[serde(default)]
    #[cfg_attr(feature = "openapi", oai(default))]
    pub unlock_code: Option<String>,
}

/// Ask for a WhatsApp unlock code for a locked dashboard username.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct UnlockRequest {
    /// The locked login name.
    #[validate(length(min = 1, max = 32))]
    #[cfg_attr(feature = "openapi", oai(validator(min_length = 1, max_length = 32)))]
    pub username: String,
}
