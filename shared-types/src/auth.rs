//! Phone login DTOs.

use serde::{Deserialize, Serialize};

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
