//! Quota packages and purchases (Midtrans), for residents and the dashboard.
//! Money is whole Rupiah (`i64`), quota whole bytes; the `*_text` fields are
//! the Indonesian display forms ("Rp 10.000", "5 GB").

use serde::{Deserialize, Serialize};

use crate::formats::{Id, Timestamp};
use validator::{Validate, ValidationError};

/// Where a purchase is. `pending` is the only state that moves on its own;
/// `paid` is final (a late settlement after `expired`/`failed`/`cancelled`
/// still becomes `paid`, because the money was taken).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Enum))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", oai(rename_all = "snake_case"))]
pub enum PurchaseStatus {
    Pending,
    Paid,
    Failed,
    Expired,
    Cancelled,
}

impl PurchaseStatus {
    pub const ALL: [PurchaseStatus; 5] = [
        PurchaseStatus::Pending,
        PurchaseStatus::Paid,
        PurchaseStatus::Failed,
        PurchaseStatus::Expired,
        PurchaseStatus::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PurchaseStatus::Pending => "pending",
            PurchaseStatus::Paid => "paid",
            PurchaseStatus::Failed => "failed",
            PurchaseStatus::Expired => "expired",
            PurchaseStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }

    /// Indonesian label for people.
    pub fn label(self) -> &'static str {
        match self {
            PurchaseStatus::Pending => "Menunggu pembayaran",
            PurchaseStatus::Paid => "Lunas",
            PurchaseStatus::Failed => "Gagal",
            PurchaseStatus::Expired => "Kedaluwarsa",
            PurchaseStatus::Cancelled => "Dibatalkan",
        }
    }
}

/// Rupiah for people: "Rp 10.000" (dot as thousands separator, no decimals).
pub fn format_rupiah(amount: i64) -> String {
    let digits = amount.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 4);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    let sign = if amount < 0 { "-" } else { "" };
    format!("{sign}Rp {out}")
}

/// A quota package as residents see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct PackageView {
    /// The package's id.
    pub id: Id,
    /// Name shown to residents.
    pub name: String,
    /// Price in whole Rupiah.
    pub price_idr: i64,
    /// "Rp 10.000".
    pub price_text: String,
    /// Quota in bytes; absent for unlimited packages.
    pub quota_bytes: Option<i64>,
    /// "5 GB", or "Tanpa batas" for unlimited.
    pub quota_text: String,
    /// No quota: unlimited traffic for the validity.
    pub unlimited: bool,
    /// Days of validity added (from the later of now and the current end).
    pub validity_days: i32,
    /// Hotspot profile on the router (speed tier); absent: the router's default.
    pub router_profile: Option<String>,
    /// On sale.
    pub active: bool,
    /// Display order (lowest first).
    pub sort_order: i32,
}

fn profile_name(p: &str) -> Result<(), ValidationError> {
    if !p.is_empty()
        && p.len() <= 64
        && p.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
    {
        Ok(())
    } else {
        Err(ValidationError::new("profile_name"))
    }
}

/// Create or replace a package (admin).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct PackageInput {
    /// Shown to residents and sent to Midtrans as the item name (max 50).
    #[validate(length(min = 1, max = 50))]
    #[cfg_attr(feature = "openapi", oai(validator(min_length = 1, max_length = 50)))]
    pub name: String,
    /// Whole Rupiah, 1 … 100.000.000.
    #[validate(range(min = 1, max = 100_000_000))]
    #[cfg_attr(
        feature = "openapi",
        oai(validator(minimum(value = 1.0), maximum(value = 100000000.0)))
    )]
    pub price_idr: i64,
    /// Bytes (at least 1 MiB); absent or null: unlimited for the validity.
    #[validate(range(min = 1_048_576_i64, max = 109_951_162_777_600_i64))]
    #[cfg_attr(
        feature = "openapi",
        oai(validator(minimum(value = 1048576.0), maximum(value = 109951162777600.0)))
    )]
    #[serde(default)]
    #[cfg_attr(feature = "openapi", oai(default))]
    pub quota_bytes: Option<i64>,
    /// 1 … 366 days.
    #[validate(range(min = 1, max = 366))]
    #[cfg_attr(
        feature = "openapi",
        oai(validator(minimum(value = 1.0), maximum(value = 366.0)))
    )]
    pub validity_days: i32,
    /// Hotspot user profile that must exist on the routers (letters, digits, `.`, `_`, `-`).
    #[validate(custom(function = "profile_name"))]
    #[cfg_attr(
        feature = "openapi",
        oai(validator(min_length = 1, max_length = 64, pattern = r"^[A-Za-z0-9._-]+$"))
    )]
    #[serde(default)]
    #[cfg_attr(feature = "openapi", oai(default))]
    pub router_profile: Option<String>,
    /// On sale (default true).
    #[serde(default = "yes")]
    #[cfg_attr(feature = "openapi", oai(default = "yes"))]
    pub active: bool,
    /// Display order, lowest first (default 0).
    #[validate(range(min = -100_000, max = 100_000))]
    #[cfg_attr(feature = "openapi", oai(validator(minimum(value = -100000.0), maximum(value = 100000.0))))]
    #[serde(default)]
    #[cfg_attr(feature = "openapi", oai(default))]
    pub sort_order: i32,
}

fn yes() -> bool {
    true
}

/// What happened to a package on delete.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct PackageRemoved {
    /// The package's id.
    pub id: Id,
    /// `deleted`, or `deactivated` when it has purchases (their records keep it).
    pub outcome: String,
}

/// Buy a package.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct NewPurchase {
    /// Id of an active package.
    #[validate(length(min = 1, max = 64))]
    #[cfg_attr(feature = "openapi", oai(validator(min_length = 1, max_length = 64)))]
    pub package_id: String,
}

/// A payment to make: send the person to `redirect_url` (Midtrans' page).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct PurchaseCreated {
    /// Our order id at Midtrans.
    pub order_id: String,
    /// Midtrans' payment page to open.
    pub redirect_url: String,
    /// RFC 3339; after it the payment can no longer be made.
    pub expires_at: Timestamp,
    /// True when an open payment for the same package was handed back.
    pub reused: bool,
}

/// One purchase as its buyer sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct PurchaseView {
    /// Our order id at Midtrans.
    pub order_id: String,
    /// Where the payment stands.
    pub status: PurchaseStatus,
    /// "Lunas", "Menunggu pembayaran", …
    pub status_text: String,
    /// The package as it was sold.
    pub package_name: String,
    /// Price in whole Rupiah.
    pub amount_idr: i64,
    /// "Rp 10.000".
    pub amount_text: String,
    /// Absent for unlimited packages.
    pub quota_bytes: Option<i64>,
    /// The quota sold, for people (`5 GB`, `Tanpa batas`).
    pub quota_text: String,
    /// Days of validity sold.
    pub validity_days: i32,
    /// RFC 3339.
    pub created_at: Timestamp,
    /// When the unpaid order expires.
    pub expires_at: Timestamp,
    /// When the payment settled.
    pub paid_at: Option<Timestamp>,
    /// Paid after it had been closed here (expired, failed, cancelled); credited anyway.
    pub paid_late: bool,
    /// How it was paid (`qris`, `bank_transfer`, …), once known.
    pub payment_type: Option<String>,
    /// Where to pay; only while pending.
    pub redirect_url: Option<String>,
}

/// One purchase in the dashboard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct TransactionView {
    /// The purchase.
    #[serde(flatten)]
    #[cfg_attr(feature = "openapi", oai(flatten))]
    pub purchase: PurchaseView,
    /// Absent when the user was deleted (the record stays).
    pub user_id: Option<Id>,
    /// The buyer's name (`None` once the account was deleted).
    pub user_name: Option<String>,
    /// The buyer's number as sent to Midtrans.
    pub customer_phone: Option<String>,
    /// The package's id.
    pub package_id: Id,
    /// Midtrans' transaction id, once a method was chosen.
    pub transaction_id: Option<String>,
    /// The last `transaction_status` Midtrans reported.
    pub gateway_status: Option<String>,
}

/// Sums over every transaction matching the filters (not just this page).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct TransactionTotals {
    /// Transactions matching the filters.
    pub count: i64,
    /// Of those, paid.
    pub paid_count: i64,
    /// Sum paid, in whole Rupiah.
    pub paid_amount_idr: i64,
    /// "Rp 1.250.000".
    pub paid_amount_text: String,
    /// Of those, pending.
    pub pending_count: i64,
    /// Of those, failed.
    pub failed_count: i64,
    /// Of those, expired.
    pub expired_count: i64,
    /// Of those, cancelled.
    pub cancelled_count: i64,
}

/// A page of transactions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct TransactionList {
    /// One page, newest first.
    pub items: Vec<TransactionView>,
    /// Totals over everything the filters match (not only this page).
    pub totals: TransactionTotals,
    /// Rupiah paid per day (facility time zone) over everything the filters
    /// match, from the first payment's day to the last one's (at most 92
    /// days), oldest first.
    pub paid_per_day: Vec<crate::overview::DayAmount>,
}

/// Our answer to a Midtrans notification (2xx: Midtrans stops retrying).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct NotificationAck {
    /// `credited`, `unchanged`, `failed`, `expired`, `cancelled`, `unknown_order`.
    pub outcome: String,
}

/// One notification or status check as received.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct PaymentEventView {
    /// `notification` or `status_check`.
    pub source: String,
    /// Midtrans' `transaction_status`, when present.
    pub transaction_status: Option<String>,
    /// Midtrans' `status_code`, when present.
    pub status_code: Option<String>,
    /// What it did: `applied`, `unchanged`, `ignored`, `amount_mismatch`, `not_found`, …
    pub outcome: String,
    /// RFC 3339.
    pub received_at: Timestamp,
    /// The body as Midtrans sent it.
    pub body: serde_json::Value,
}

/// What a paid purchase added to the user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct CreditView {
    /// Bytes credited.
    pub quota_bytes: i64,
    /// Unlimited package.
    pub unlimited: bool,
    /// Days of validity credited.
    pub validity_days: i32,
    /// Validity end before the credit.
    pub valid_until_before: Option<Timestamp>,
    /// Validity end after the credit.
    pub valid_until_after: Timestamp,
    /// RFC 3339.
    pub created_at: Timestamp,
}

/// One transaction with everything that happened to it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct TransactionDetail {
    /// The transaction.
    pub transaction: TransactionView,
    /// Every notification and status check received, oldest first.
    pub events: Vec<PaymentEventView>,
    /// The credit it gave, once paid.
    pub credit: Option<CreditView>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rupiah_reads_as_indonesians_write_it() {
        assert_eq!(format_rupiah(10_000), "Rp 10.000");
        assert_eq!(format_rupiah(1_250_000), "Rp 1.250.000");
        assert_eq!(format_rupiah(500), "Rp 500");
        assert_eq!(format_rupiah(0), "Rp 0");
        assert_eq!(format_rupiah(-2_500), "-Rp 2.500");
    }

    #[test]
    fn package_input_rules() {
        let ok = PackageInput {
            name: "Paket 5 GB".into(),
            price_idr: 10_000,
            quota_bytes: Some(5 << 30),
            validity_days: 30,
            router_profile: Some("paket-5gb".into()),
            active: true,
            sort_order: 0,
        };
        assert!(ok.validate().is_ok());
        let bad = PackageInput {
            price_idr: 0,
            quota_bytes: Some(10),
            validity_days: 0,
            router_profile: Some("a b".into()),
            ..ok.clone()
        };
        let errs = bad.validate().unwrap_err();
        let fields = errs.field_errors();
        for f in [
            "price_idr",
            "quota_bytes",
            "validity_days",
            "router_profile",
        ] {
            assert!(fields.contains_key(f), "{f}");
        }
        let unlimited: PackageInput =
            serde_json::from_str(r#"{"name":"Bebas","price_idr":50000,"validity_days":7}"#)
                .unwrap();
        assert!(unlimited.active && unlimited.quota_bytes.is_none());
    }
}
