//! RFC 8908 captive-portal API.

use serde::{Deserialize, Serialize};

/// RFC 8908 captive-portal API answer (`application/captive+json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct CaptiveInfo {
    /// Whether the client is still held by the captive portal.
    pub captive: bool,
    /// Where the person can log in or see their status (the SPA).
    #[serde(rename = "user-portal-url")]
    #[cfg_attr(feature = "openapi", oai(rename = "user-portal-url"))]
    pub user_portal_url: String,
    /// Information about the facility, if configured.
    #[serde(rename = "venue-info-url", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        oai(rename = "venue-info-url", skip_serializing_if_is_none)
    )]
    pub venue_info_url: Option<String>,
    /// Seconds of validity left, when a session is known.
    #[serde(rename = "seconds-remaining", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        oai(rename = "seconds-remaining", skip_serializing_if_is_none)
    )]
    pub seconds_remaining: Option<i64>,
    /// Bytes of quota left, when a session is known.
    #[serde(rename = "bytes-remaining", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        oai(rename = "bytes-remaining", skip_serializing_if_is_none)
    )]
    pub bytes_remaining: Option<i64>,
    /// Whether packages are on sale (the session can be extended by buying one).
    #[serde(rename = "can-extend-session")]
    #[cfg_attr(feature = "openapi", oai(rename = "can-extend-session"))]
    pub can_extend_session: bool,
}
