//! The one error envelope every gerbang endpoint returns, and its stable codes.

use serde::{Deserialize, Serialize};

/// A stable, machine-readable error code. Clients translate it for people;
/// its spelling never changes once published.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Enum))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", oai(rename_all = "snake_case"))]
pub enum ErrorCode {
    /// The request body is not valid JSON or does not have the documented shape.
    MalformedBody,
    /// A path or query parameter is missing or has the wrong type.
    InvalidParameter,
    /// The request was well-formed but a field failed validation (see `details`).
    ValidationFailed,
    /// The phone number is not an Indonesian mobile number.
    InvalidPhone,
    /// The Turnstile check failed, expired or was already used: get a new token.
    TurnstileFailed,
    /// The login code is wrong, expired or already used (see `details.attempts_left`).
    OtpInvalid,
    /// A cookie-authenticated change came without the CSRF header or from another origin.
    CsrfFailed,
    /// The router does not confirm this device (MAC) at this address.
    DeviceNotConfirmed,
    /// The device (MAC) belongs to another account.
    DeviceTaken,
    /// The router shows no login of this account from the session's device (yet).
    DeviceNotOnline,
    /// The phone number is already registered.
    AlreadyRegistered,
    /// A payment notification does not match the order we created (amount or currency).
    PaymentMismatch,
    /// The code was right, but the account is blocked (`details.reason`, `details.contact`).
    AccountBlocked,
    /// The code was right, but the registration still waits for an admin.
    AccountPending,
    /// The code was right, but the account has been deactivated (`details.contact`).
    AccountInactive,
    /// The request body uses a content type this endpoint does not accept.
    UnsupportedMediaType,
    /// The request body is larger than the server accepts.
    PayloadTooLarge,
    /// No such route or resource.
    NotFound,
    /// The route exists but not for this HTTP method.
    MethodNotAllowed,
    /// Too many requests from this client; retry after `details.retry_after_seconds`.
    RateLimited,
    /// Authentication is required or the credentials are not valid.
    Unauthorized,
    /// Authenticated, but not allowed to do this.
    Forbidden,
    /// The change conflicts with the current state of the resource.
    Conflict,
    /// A dependency (database, cache, router, payment gateway) is unavailable.
    ServiceUnavailable,
    /// Something failed on the server; the request id identifies it in the logs.
    Internal,
}

impl ErrorCode {
    /// All codes, in declaration order (used by tests and the SPA's string table).
    pub const ALL: [ErrorCode; 25] = [
        ErrorCode::MalformedBody,
        ErrorCode::InvalidParameter,
        ErrorCode::ValidationFailed,
        ErrorCode::InvalidPhone,
        ErrorCode::TurnstileFailed,
        ErrorCode::OtpInvalid,
        ErrorCode::CsrfFailed,
        ErrorCode::DeviceNotConfirmed,
        ErrorCode::DeviceTaken,
        ErrorCode::DeviceNotOnline,
        ErrorCode::AlreadyRegistered,
        ErrorCode::PaymentMismatch,
        ErrorCode::AccountBlocked,
        ErrorCode::AccountPending,
        ErrorCode::AccountInactive,
        ErrorCode::UnsupportedMediaType,
        ErrorCode::PayloadTooLarge,
        ErrorCode::NotFound,
        ErrorCode::MethodNotAllowed,
        ErrorCode::RateLimited,
        ErrorCode::Unauthorized,
        ErrorCode::Forbidden,
        ErrorCode::Conflict,
        ErrorCode::ServiceUnavailable,
        ErrorCode::Internal,
    ];

    /// The snake_case wire spelling of the code.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::MalformedBody => "malformed_body",
            ErrorCode::InvalidParameter => "invalid_parameter",
            ErrorCode::ValidationFailed => "validation_failed",
            ErrorCode::InvalidPhone => "invalid_phone",
            ErrorCode::TurnstileFailed => "turnstile_failed",
            ErrorCode::OtpInvalid => "otp_invalid",
            ErrorCode::CsrfFailed => "csrf_failed",
            ErrorCode::DeviceNotConfirmed => "device_not_confirmed",
            ErrorCode::DeviceTaken => "device_taken",
            ErrorCode::DeviceNotOnline => "device_not_online",
            ErrorCode::AlreadyRegistered => "already_registered",
            ErrorCode::PaymentMismatch => "payment_mismatch",
            ErrorCode::AccountBlocked => "account_blocked",
            ErrorCode::AccountPending => "account_pending",
            ErrorCode::AccountInactive => "account_inactive",
            ErrorCode::UnsupportedMediaType => "unsupported_media_type",
            ErrorCode::PayloadTooLarge => "payload_too_large",
            ErrorCode::NotFound => "not_found",
            ErrorCode::MethodNotAllowed => "method_not_allowed",
            ErrorCode::RateLimited => "rate_limited",
            ErrorCode::Unauthorized => "unauthorized",
            ErrorCode::Forbidden => "forbidden",
            ErrorCode::Conflict => "conflict",
            ErrorCode::ServiceUnavailable => "service_unavailable",
            ErrorCode::Internal => "internal",
        }
    }

    /// The HTTP status the API answers with for this code.
    pub fn http_status(self) -> u16 {
        match self {
            ErrorCode::MalformedBody | ErrorCode::InvalidParameter | ErrorCode::PaymentMismatch => {
                400
            }
            ErrorCode::Unauthorized | ErrorCode::OtpInvalid => 401,
            ErrorCode::Forbidden
            | ErrorCode::AccountBlocked
            | ErrorCode::AccountPending
            | ErrorCode::AccountInactive => 403,
            ErrorCode::NotFound => 404,
            ErrorCode::MethodNotAllowed => 405,
            ErrorCode::Conflict
            | ErrorCode::DeviceTaken
            | ErrorCode::DeviceNotOnline
            | ErrorCode::AlreadyRegistered => 409,
            ErrorCode::PayloadTooLarge => 413,
            ErrorCode::UnsupportedMediaType => 415,
            ErrorCode::ValidationFailed | ErrorCode::InvalidPhone => 422,
            ErrorCode::TurnstileFailed | ErrorCode::CsrfFailed | ErrorCode::DeviceNotConfirmed => {
                403
            }
            ErrorCode::RateLimited => 429,
            ErrorCode::Internal => 500,
            ErrorCode::ServiceUnavailable => 503,
        }
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error body of every non-2xx answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct ErrorEnvelope {
    /// Stable machine-readable code; clients switch on this, never on `message`.
    pub code: ErrorCode,
    /// A short English description for developers; not meant for end users.
    pub message: String,
    /// Extra structured facts about the error (e.g. failing fields, retry delay).
    #[serde(default)]
    pub details: std::collections::BTreeMap<String, serde_json::Value>,
}

impl ErrorEnvelope {
    /// An envelope with no details.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            details: Default::default(),
        }
    }

    /// Adds one detail entry.
    pub fn with_detail(mut self, key: &str, value: impl Into<serde_json::Value>) -> Self {
        self.details.insert(key.to_owned(), value.into());
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_spelling_matches_serde() {
        for code in ErrorCode::ALL {
            let json = serde_json::to_value(code).unwrap();
            assert_eq!(json, serde_json::Value::String(code.as_str().into()));
            let back: ErrorCode = serde_json::from_value(json).unwrap();
            assert_eq!(back, code);
        }
    }

    #[test]
    fn statuses_are_client_or_server_errors() {
        for code in ErrorCode::ALL {
            let s = code.http_status();
            let server_side = matches!(code, ErrorCode::Internal | ErrorCode::ServiceUnavailable);
            assert_eq!(s >= 500, server_side, "{code} -> {s}");
            assert!((400..600).contains(&s));
        }
    }

    #[test]
    fn envelope_round_trips_with_details() {
        let env = ErrorEnvelope::new(ErrorCode::RateLimited, "slow down")
            .with_detail("retry_after_seconds", 30);
        let text = serde_json::to_string(&env).unwrap();
        assert_eq!(
            text,
            r#"{"code":"rate_limited","message":"slow down","details":{"retry_after_seconds":30}}"#
        );
        assert_eq!(serde_json::from_str::<ErrorEnvelope>(&text).unwrap(), env);
    }
}
