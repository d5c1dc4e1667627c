//! Error reports the SPA sends when something breaks on a user's phone.

use serde::{Deserialize, Serialize};

use crate::formats::Id;
use validator::Validate;

/// A report of an error the SPA hit (a panic, a failed request it could not
/// explain). Operators read these to learn what breaks on residents' phones.
///
/// The limits are checked by `validator` on both sides, so the server answers
/// `validation_failed` with the failing fields rather than a parse error.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct NewClientError {
    /// The SPA route where it happened, e.g. `/captive` (no query string); 1–300 characters.
    #[validate(length(min = 1, max = 300))]
    #[cfg_attr(feature = "openapi", oai(validator(min_length = 1, max_length = 300)))]
    pub page: String,
    /// What went wrong, as the SPA saw it; 1–2000 characters.
    #[validate(length(min = 1, max = 2000))]
    #[cfg_attr(feature = "openapi", oai(validator(min_length = 1, max_length = 2000)))]
    pub message: String,
    /// The SPA build that sent it; at most 64 characters.
    #[validate(length(max = 64))]
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 64)))]
    #[serde(default)]
    #[cfg_attr(feature = "openapi", oai(default))]
    pub build: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report() -> NewClientError {
        NewClientError {
            page: "/captive".into(),
            message: "panic".into(),
            build: String::new(),
        }
    }

    #[test]
    fn a_normal_report_is_valid() {
        assert!(report().validate().is_ok());
    }

    #[test]
    fn too_long_message_and_empty_page_are_rejected_by_field() {
        let bad = NewClientError {
            page: String::new(),
            message: "x".repeat(2001),
            ..report()
        };
        let errors = bad.validate().unwrap_err();
        let fields = errors.field_errors();
        assert!(fields.contains_key("page"));
        assert!(fields.contains_key("message"));
        assert!(!fields.contains_key("build"));
    }
}

/// The answer to a stored report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct ClientErrorReceipt {
    /// Id of the stored report (UUID).
    pub id: Id,
}
