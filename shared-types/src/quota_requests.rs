//! Officers (*komandan*) ask for quota or unlimited access for some days;
//! an admin approves it in full, approves part of it, or rejects it with a
//! reason. An approval is one row of the credit ledger (the request is its
//! idempotency key), so a request is credited once however often it is
//! approved.

use serde::{Deserialize, Serialize};
use validator::{Validate, ValidationError};

use crate::formats::{Id, Timestamp};

/// Largest quota one request may ask for or grant: 1 TB.
pub const MAX_REQUEST_BYTES: i64 = 1_099_511_627_776;
/// Pending requests one officer may have at a time.
pub const MAX_PENDING_PER_OFFICER: i64 = 3;

/// Where a request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Enum))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", oai(rename_all = "snake_case"))]
pub enum QuotaRequestStatus {
    Pending,
    Approved,
    Rejected,
}

impl QuotaRequestStatus {
    /// The wire and database spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Approved => "approved",
            Self::Rejected => "rejected",
        }
    }

    /// From the database spelling (anything else is still pending).
    pub fn parse(s: &str) -> Self {
        [Self::Approved, Self::Rejected]
            .into_iter()
            .find(|v| v.as_str() == s)
            .unwrap_or(Self::Pending)
    }
}

/// What an officer asks for: quota (`quota_bytes`) or unlimited access,
/// for `days` days, with a note for the admin.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
#[validate(schema(function = "quota_or_unlimited"))]
pub struct NewQuotaRequest {
    /// Unlimited access for `days` days (then `quota_bytes` is absent).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", oai(default))]
    pub unlimited: bool,
    /// Bytes of quota asked for (1 MB … 1 TB); absent when `unlimited`.
    #[validate(range(min = 1_048_576, max = 1_099_511_627_776_i64))]
    #[cfg_attr(
        feature = "openapi",
        oai(validator(minimum(value = 1048576.0), maximum(value = 1099511627776.0)))
    )]
    #[serde(default)]
    #[cfg_attr(feature = "openapi", oai(default))]
    pub quota_bytes: Option<i64>,
    /// For how many days, 1 … 90.
    #[validate(range(min = 1, max = 90))]
    #[cfg_attr(
        feature = "openapi",
        oai(validator(minimum(value = 1.0), maximum(value = 90.0)))
    )]
    pub days: i32,
    /// Why, for the admin: 3–300 characters.
    #[validate(length(min = 3, max = 300))]
    #[cfg_attr(feature = "openapi", oai(validator(min_length = 3, max_length = 300)))]
    pub note: String,
}

fn quota_or_unlimited(r: &NewQuotaRequest) -> Result<(), ValidationError> {
    match (r.unlimited, r.quota_bytes) {
        (true, Some(_)) => Err(ValidationError::new("unlimited_has_no_quota")),
        (false, None) => Err(ValidationError::new("quota_required")),
        _ => Ok(()),
    }
}

/// An admin's approval; without overrides the request is granted as asked.
/// A different `quota_bytes` or `days` approves it partly.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct QuotaApproval {
    /// Bytes to grant instead (1 MB … 1 TB; quota requests only).
    #[validate(range(min = 1_048_576, max = 1_099_511_627_776_i64))]
    #[cfg_attr(
        feature = "openapi",
        oai(validator(minimum(value = 1048576.0), maximum(value = 1099511627776.0)))
    )]
    #[serde(default)]
    #[cfg_attr(feature = "openapi", oai(default))]
    pub quota_bytes: Option<i64>,
    /// Days to grant instead, 1 … 90.
    #[validate(range(min = 1, max = 90))]
    #[cfg_attr(
        feature = "openapi",
        oai(validator(minimum(value = 1.0), maximum(value = 90.0)))
    )]
    #[serde(default)]
    #[cfg_attr(feature = "openapi", oai(default))]
    pub days: Option<i32>,
}

/// An admin's rejection, with the reason the officer will read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct QuotaRejection {
    /// 3–300 characters.
    #[validate(length(min = 3, max = 300))]
    #[cfg_attr(feature = "openapi", oai(validator(min_length = 3, max_length = 300)))]
    pub reason: String,
}

/// A request as its officer and the admins see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct QuotaRequestView {
    pub id: Id,
    pub requester_id: Id,
    pub requester_name: String,
    /// The officer's number (`+62…`).
    pub requester_phone: Option<String>,
    pub unlimited: bool,
    /// Bytes asked for (quota requests).
    pub quota_bytes: Option<i64>,
    /// The same as people read it ("5 GB").
    pub quota_text: Option<String>,
    pub days: i32,
    pub note: String,
    pub status: QuotaRequestStatus,
    /// What was granted (approved requests).
    pub granted_bytes: Option<i64>,
    pub granted_text: Option<String>,
    pub granted_days: Option<i32>,
    /// Approved with other bytes or days than asked.
    pub partly: bool,
    /// Why it was rejected.
    pub reason: Option<String>,
    pub decided_by_name: Option<String>,
    pub decided_at: Option<Timestamp>,
    pub created_at: Timestamp,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_is_quota_or_unlimited() {
        let r = NewQuotaRequest {
            unlimited: false,
            quota_bytes: Some(5 << 30),
            days: 7,
            note: "regu jaga".into(),
        };
        assert!(r.validate().is_ok());
        let both = NewQuotaRequest {
            unlimited: true,
            ..r.clone()
        };
        assert!(both.validate().is_err());
        let neither = NewQuotaRequest {
            quota_bytes: None,
            ..r
        };
        assert!(neither.validate().is_err());
    }
}
