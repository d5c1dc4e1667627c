//! What the portal needs before anyone logs in, and the resident's usage history.

use serde::{Deserialize, Serialize};

use crate::formats::Day;

/// Public settings of the portal (`GET /portal`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct PortalConfig {
    /// The facility's name, shown in the header (e.g. "Lapas Kelas IIA Contoh").
    pub facility_name: String,
    /// Whom to contact when an account is blocked or inactive (e.g. "petugas registrasi di pos blok").
    pub contact: String,
    /// Turnstile site key for the widget.
    pub turnstile_site_key: String,
    /// The widget script (Cloudflare's, or the sandbox stand-in in development).
    pub turnstile_script_url: String,
    /// Turnstile action of the OTP request.
    pub turnstile_action_otp: String,
    /// Turnstile action of self-registration.
    pub turnstile_action_register: String,
    /// Whether packages can be bought.
    pub packages_on_sale: bool,
    /// When the `mac` query names a randomized ("private") MAC: the portal warns before
    /// the OTP step that the device will be asked to log in again whenever it changes.
    pub randomized_mac: Option<bool>,
}

/// One day of usage (facility time zone).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct UsageDay {
    /// `YYYY-MM-DD`.
    pub day: Day,
    /// Bytes used that day.
    pub bytes: i64,
}

/// Daily usage for the last `days` days, oldest first, days without traffic as 0.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct UsageHistory {
    /// One entry per day, oldest first.
    pub days: Vec<UsageDay>,
    /// Sum of the days.
    pub total_bytes: i64,
    /// "1,5 GB" style total for display.
    pub total_text: String,
}

/// A fresh one-time link that opens this session in the phone's main browser.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct BrowserLink {
    /// The one-time link (`…/buka#token=…`).
    pub url: String,
    /// Seconds until the link expires.
    pub expires_in_seconds: u32,
}
