//! Phone login DTOs.

use serde::{Deserialize, Serialize};
use validator::Validate;

/// Ask for a WhatsApp login code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct OtpRequest {
    /// The phone number as typed: `08…`, `62…` or `+62…` (Indonesian mobile numbers only).
    pub phone: String,
    /// The Turnstile token from the widget (single use).
    pub turnstile_token: String,
}

/// The answer to an OTP request. It is the same whether or not the number is
/// registered, so the endpoint cannot be used to discover residents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct OtpRequested {
    /// Seconds before another code may be requested for this number.
    pub resend_after_seconds: u32,
}

/// What the hotspot told the portal about the device (from the login page
/// redirect: `$(ip)`, `$(mac)`, `$(link-login-only)`, `$(link-orig)`).
/// The API never trusts it alone: the MAC is confirmed with the router.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct HotspotClient {
    /// The device's address on the hotspot network.
    #[validate(length(max = 45))]
    #[serde(default)]
    #[cfg_attr(feature = "openapi", oai(default))]
    pub ip: Option<String>,
    /// The device's MAC as the hotspot saw it (`AA:BB:CC:DD:EE:FF`).
    #[validate(length(max = 17))]
    #[serde(default)]
    #[cfg_attr(feature = "openapi", oai(default))]
    pub mac: Option<String>,
    /// The router's login URL from the redirect (informational; the API uses the router's configured URL).
    #[validate(length(max = 300))]
    #[serde(default)]
    #[cfg_attr(feature = "openapi", oai(default))]
    pub link_login_only: Option<String>,
    /// Where the user wanted to go before the portal (passed back to the router).
    #[validate(length(max = 500))]
    #[serde(default)]
    #[cfg_attr(feature = "openapi", oai(default))]
    pub dst: Option<String>,
}

/// Log in with the WhatsApp code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct OtpVerify {
    /// The same number the code was requested for.
    pub phone: String,
    /// The 6-digit code from WhatsApp.
    #[validate(length(min = 6, max = 6))]
    pub code: String,
    /// The device in the captive portal; absent when logging in outside the hotspot.
    #[validate(nested)]
    #[serde(default)]
    #[cfg_attr(feature = "openapi", oai(default))]
    pub client: Option<HotspotClient>,
}

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
pub struct UserView {
    pub id: String,
    pub name: String,
    pub role: Role,
    /// E.164 (`+628…`) for phone users.
    pub phone: Option<String>,
    /// Login name for staff and admins.
    pub username: Option<String>,
    pub blok: Option<String>,
    pub kamar: Option<String>,
    pub tamping_type: Option<String>,
}

/// Access status with the numbers behind it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct StatusView {
    pub status: crate::access::AccessStatus,
    pub unlimited: bool,
    pub quota_bytes: i64,
    pub used_bytes: i64,
    /// Quota left (0 when used up; not meaningful when `unlimited`).
    pub remaining_bytes: i64,
    /// End of validity (RFC 3339), if any.
    pub valid_until: Option<String>,
    /// The account name on the hotspot (the local phone form, `08…`).
    pub hotspot_username: Option<String>,
    /// Why the account is blocked (only when `status` is `blocked`).
    pub blocked_reason: Option<String>,
}

/// The fields the portal posts to the router's login page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct HotspotFields {
    pub username: String,
    /// The per-user hotspot password (random; never the phone number). Not to be stored.
    pub password: String,
    pub dst: String,
    pub popup: String,
}

/// Hotspot-login routers: submit `fields` as a form POST to `action` from the device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct HotspotLoginHandoff {
    /// The router's login URL.
    pub action: String,
    pub fields: HotspotFields,
}

/// Bypass routers: the device's ip-binding is in place; nothing to submit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct BypassHandoff {
    /// The MAC the binding was made for.
    pub mac: String,
}

/// How the device gets online after login, by the router's login mode.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Union))]
#[cfg_attr(feature = "openapi", oai(discriminator_name = "mode"))]
#[serde(tag = "mode", rename_all = "snake_case")]
pub enum HotspotHandoff {
    #[cfg_attr(feature = "openapi", oai(mapping = "hotspot_login"))]
    HotspotLogin(HotspotLoginHandoff),
    #[cfg_attr(feature = "openapi", oai(mapping = "bypass"))]
    Bypass(BypassHandoff),
}

/// A device of the logged-in user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct DeviceView {
    pub id: String,
    pub mac: String,
    pub label: Option<String>,
    /// A randomised ("private") MAC: it may change, and then the device must log in again.
    pub randomized: bool,
    pub last_ip: Option<String>,
    pub first_seen: String,
    pub last_seen: String,
    /// This session's device.
    pub current: bool,
}

/// A successful login.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct LoginResult {
    pub user: UserView,
    pub status: StatusView,
    /// What the portal does next to get the device online (absent outside the hotspot or when
    /// the status does not allow access).
    pub hotspot: Option<HotspotHandoff>,
    /// A one-time link (2 minutes) that opens the same session in the phone's main browser.
    pub open_in_browser_url: Option<String>,
    pub device: Option<DeviceView>,
}

/// Exchange a one-time link for a session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct SessionConsume {
    #[validate(length(min = 16, max = 128))]
    pub token: String,
}

/// Rename a device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct DevicePatch {
    /// 1–40 characters, e.g. "HP Budi".
    #[validate(length(min = 1, max = 40))]
    pub label: String,
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

/// The current device was logged in by the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct Connected {
    pub mode: LoginMode,
    pub mac: String,
    pub ip: Option<String>,
}

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
pub struct RegisterRequest {
    /// Full name, 2–100 characters.
    #[validate(length(min = 2, max = 100))]
    pub name: String,
    pub phone: String,
    pub role: RegisterRole,
    /// Residents: *blok* and *kamar*, or `tamping_type` alone.
    #[validate(length(min = 1, max = 32))]
    #[serde(default)]
    #[cfg_attr(feature = "openapi", oai(default))]
    pub blok: Option<String>,
    #[validate(length(min = 1, max = 32))]
    #[serde(default)]
    #[cfg_attr(feature = "openapi", oai(default))]
    pub kamar: Option<String>,
    #[validate(length(min = 1, max = 64))]
    #[serde(default)]
    #[cfg_attr(feature = "openapi", oai(default))]
    pub tamping_type: Option<String>,
    /// Turnstile token for the `register` action.
    pub turnstile_token: String,
}

/// A registration waiting for an admin.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct Registration {
    pub id: String,
    pub name: String,
    pub phone: String,
    pub role: Role,
    pub blok: Option<String>,
    pub kamar: Option<String>,
    pub tamping_type: Option<String>,
    /// `pending`, `approved` or `rejected`.
    pub approval: String,
    pub created_at: String,
}

/// Reject a registration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct RejectRegistration {
    /// Shown to nobody but admins; 1–300 characters.
    #[validate(length(min = 1, max = 300))]
    pub reason: String,
}

/// Staff and admin password login.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct PasswordLogin {
    #[validate(length(min = 1, max = 32))]
    pub username: String,
    #[validate(length(min = 1, max = 256))]
    pub password: String,
}

/// RFC 8908 captive-portal API answer (`application/captive+json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct CaptiveInfo {
    /// Whether the client is still held by the captive portal.
    pub captive: bool,
    #[serde(rename = "user-portal-url")]
    #[cfg_attr(feature = "openapi", oai(rename = "user-portal-url"))]
    pub user_portal_url: String,
    #[serde(rename = "venue-info-url", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        oai(rename = "venue-info-url", skip_serializing_if_is_none)
    )]
    pub venue_info_url: Option<String>,
    #[serde(rename = "seconds-remaining", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        oai(rename = "seconds-remaining", skip_serializing_if_is_none)
    )]
    pub seconds_remaining: Option<i64>,
    #[serde(rename = "bytes-remaining", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        oai(rename = "bytes-remaining", skip_serializing_if_is_none)
    )]
    pub bytes_remaining: Option<i64>,
    #[serde(rename = "can-extend-session")]
    #[cfg_attr(feature = "openapi", oai(rename = "can-extend-session"))]
    pub can_extend_session: bool,
}

/// A registration was received.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct Registered {
    /// `pending` until an admin approves it.
    pub status: String,
}

/// Block a user: the reason is shown to the user on the portal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct BlockUser {
    /// 1–300 characters, e.g. "Pelanggaran tata tertib — hubungi petugas blok".
    #[validate(length(min = 1, max = 300))]
    pub reason: String,
}

/// A user's access after an admin changed it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct UserAccess {
    pub id: String,
    pub status: crate::AccessStatus,
    pub active: bool,
    pub blocked: bool,
    pub blocked_reason: Option<String>,
}

/// A resource that was deleted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct Deleted {
    pub id: String,
}
