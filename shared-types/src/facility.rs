//! Facility settings super admins change at run time (docs/operations.md,
//! "Settings in the database"): the configuration file and environment give
//! the defaults, the database holds what a super admin changed, and every
//! process reads the result within a second, without a restart. Secrets
//! never live here.

use serde::{Deserialize, Serialize};
use validator::{Validate, ValidationError};

use crate::formats::Timestamp;

/// The settings gerbang runs with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct FacilitySettings {
    /// Shown in the portal's header, 1–80 characters.
    #[validate(length(min = 1, max = 80), custom(function = "one_line"))]
    #[cfg_attr(feature = "openapi", oai(validator(min_length = 1, max_length = 80)))]
    pub facility_name: String,
    /// Whom a blocked or deactivated resident should contact, 1–120 characters.
    #[validate(length(min = 1, max = 120), custom(function = "one_line"))]
    #[cfg_attr(feature = "openapi", oai(validator(min_length = 1, max_length = 120)))]
    pub contact: String,
    /// The FUP threshold is this percentage of a package (1–100)…
    #[validate(range(min = 1, max = 100))]
    #[cfg_attr(
        feature = "openapi",
        oai(validator(minimum(value = 1.0), maximum(value = 100.0)))
    )]
    pub fup_percent: i32,
    /// …capped at this many bytes (0: no FUP).
    #[validate(range(min = 0, max = 1_099_511_627_776i64))]
    #[cfg_attr(
        feature = "openapi",
        oai(validator(minimum(value = 0.0), maximum(value = 1099511627776.0)))
    )]
    pub fup_cap_bytes: i64,
    /// Upload speed in FUP, bits per second (8 kbit/s – 10 Gbit/s).
    #[validate(range(min = 8_000, max = 10_000_000_000i64))]
    #[cfg_attr(
        feature = "openapi",
        oai(validator(minimum(value = 8000.0), maximum(value = 10000000000.0)))
    )]
    pub fup_rate_up_bps: i64,
    /// Download speed in FUP, bits per second.
    #[validate(range(min = 8_000, max = 10_000_000_000i64))]
    #[cfg_attr(
        feature = "openapi",
        oai(validator(minimum(value = 8000.0), maximum(value = 10000000000.0)))
    )]
    pub fup_rate_down_bps: i64,
    /// Devices one person may have (1–10); the stalest makes way for a new one.
    #[validate(range(min = 1, max = 10))]
    #[cfg_attr(
        feature = "openapi",
        oai(validator(minimum(value = 1.0), maximum(value = 10.0)))
    )]
    pub devices_per_user: i32,
    /// WhatsApp codes one number may request per 15 minutes (1–20).
    #[validate(range(min = 1, max = 20))]
    #[cfg_attr(
        feature = "openapi",
        oai(validator(minimum(value = 1.0), maximum(value = 20.0)))
    )]
    pub otp_per_phone_15min: i32,
    /// … per day (1–100).
    #[validate(range(min = 1, max = 100))]
    #[cfg_attr(
        feature = "openapi",
        oai(validator(minimum(value = 1.0), maximum(value = 100.0)))
    )]
    pub otp_per_phone_day: i32,
    /// Codes one client address may request per hour (1–1000).
    #[validate(range(min = 1, max = 1000))]
    #[cfg_attr(
        feature = "openapi",
        oai(validator(minimum(value = 1.0), maximum(value = 1000.0)))
    )]
    pub otp_per_ip_hour: i32,
    /// Codes the whole facility may send per minute (1–10000).
    #[validate(range(min = 1, max = 10_000))]
    #[cfg_attr(
        feature = "openapi",
        oai(validator(minimum(value = 1.0), maximum(value = 10000.0)))
    )]
    pub otp_global_per_minute: i32,
    /// … per day: the WhatsApp budget (1–1000000).
    #[validate(range(min = 1, max = 1_000_000))]
    #[cfg_attr(
        feature = "openapi",
        oai(validator(minimum(value = 1.0), maximum(value = 1000000.0)))
    )]
    pub otp_global_per_day: i32,
    /// Hosts a resident without access must still reach to pay (Midtrans,
    /// banks, e-wallets); added to every router's walled garden. At most 100
    /// host names; captive-portal probe hosts are refused.
    #[validate(length(max = 100), custom(function = "garden_hosts"))]
    #[cfg_attr(feature = "openapi", oai(validator(max_items = 100)))]
    pub payment_walled_garden: Vec<String>,
    /// Admins (not only super admins) may reveal a staff member's web
    /// password, after confirming their own.
    pub admins_may_reveal_passwords: bool,
    /// WhatsApp notifications sent per day at most (1–100000); login codes
    /// have their own budget (`otp_global_per_day`).
    #[validate(range(min = 1, max = 100_000))]
    #[cfg_attr(
        feature = "openapi",
        oai(validator(minimum(value = 1.0), maximum(value = 100000.0)))
    )]
    pub notify_per_day: i32,
    /// Quiet hours start at this hour, facility time (0–23): only urgent
    /// messages go out until `quiet_end_hour`. Equal hours: no quiet hours.
    #[validate(range(min = 0, max = 23))]
    #[cfg_attr(
        feature = "openapi",
        oai(validator(minimum(value = 0.0), maximum(value = 23.0)))
    )]
    pub quiet_start_hour: i32,
    /// Quiet hours end at this hour (0–23).
    #[validate(range(min = 0, max = 23))]
    #[cfg_attr(
        feature = "openapi",
        oai(validator(minimum(value = 0.0), maximum(value = 23.0)))
    )]
    pub quiet_end_hour: i32,
    /// Admins hear about a router that has not answered for this many minutes (1–1440).
    #[validate(range(min = 1, max = 1440))]
    #[cfg_attr(
        feature = "openapi",
        oai(validator(minimum(value = 1.0), maximum(value = 1440.0)))
    )]
    pub router_down_minutes: i32,
}

impl FacilitySettings {
    /// The FUP threshold that comes with a package of `package_bytes`.
    pub fn fup_threshold(&self, package_bytes: i64) -> i64 {
        let percent = self.fup_percent.clamp(1, 100) as u8;
        crate::access::fup_threshold(package_bytes, percent, self.fup_cap_bytes)
    }

    /// Whether `hour` (0–23, facility time) is inside quiet hours.
    pub fn is_quiet_hour(&self, hour: i32) -> bool {
        let (start, end) = (self.quiet_start_hour, self.quiet_end_hour);
        if start == end {
            false
        } else if start < end {
            (start..end).contains(&hour)
        } else {
            hour >= start || hour < end
        }
    }

    /// `up/down` in bits per second, as RouterOS prints rates.
    pub fn fup_rate(&self) -> String {
        format!("{}/{}", self.fup_rate_up_bps, self.fup_rate_down_bps)
    }
}

fn one_line(s: &str) -> Result<(), ValidationError> {
    if s.chars().any(char::is_control) || s.trim() != s {
        Err(ValidationError::new("one_line"))
    } else {
        Ok(())
    }
}

/// Hosts phones use to detect a captive portal: if they answer through the
/// walled garden, the phone shows "no internet" and never the sign-in page.
pub const CAPTIVE_PROBE_HOSTS: [&str; 8] = [
    "captive.apple.com",
    "connectivitycheck.gstatic.com",
    "connectivitycheck.android.com",
    "clients3.google.com",
    "connectivitycheck.platform.hicloud.com",
    "detectportal.firefox.com",
    "www.msftconnecttest.com",
    "www.samsung.com",
];

/// A DNS host name: labels of letters, digits and `-`, at least one dot.
pub fn is_host_name(h: &str) -> bool {
    h.len() <= 253
        && h.contains('.')
        && h.split('.').all(|l| {
            (1..=63).contains(&l.len())
                && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && !l.starts_with('-')
                && !l.ends_with('-')
        })
}

fn garden_hosts(hosts: &[String]) -> Result<(), ValidationError> {
    for h in hosts {
        if !is_host_name(h) || h.bytes().any(|b| b.is_ascii_uppercase()) {
            let mut e = ValidationError::new("host");
            e.add_param("host".into(), h);
            return Err(e);
        }
        if CAPTIVE_PROBE_HOSTS.contains(&h.as_str()) {
            let mut e = ValidationError::new("captive_probe");
            e.add_param("host".into(), h);
            return Err(e);
        }
    }
    let mut sorted: Vec<&String> = hosts.iter().collect();
    sorted.sort();
    if sorted.windows(2).any(|w| w[0] == w[1]) {
        return Err(ValidationError::new("duplicate"));
    }
    Ok(())
}

/// The settings with where each value comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct FacilitySettingsView {
    /// What gerbang runs with now.
    pub values: FacilitySettings,
    /// The configuration file's and environment's values.
    pub defaults: FacilitySettings,
    /// Names of the fields a super admin changed (the rest follow the defaults).
    pub changed: Vec<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", oai(default))]
    pub updated_at: Option<Timestamp>,
    /// Who changed them last.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", oai(default))]
    pub updated_by: Option<String>,
}

/// New settings and why. A field equal to its default follows the default
/// from then on (a later change of the configuration file applies to it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct FacilitySettingsChange {
    #[validate(nested)]
    pub values: FacilitySettings,
    /// For the audit log, 3–300 characters.
    #[validate(length(min = 3, max = 300))]
    #[cfg_attr(feature = "openapi", oai(validator(min_length = 3, max_length = 300)))]
    pub reason: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> FacilitySettings {
        FacilitySettings {
            facility_name: "Lapas Kelas IIA".into(),
            contact: "petugas registrasi".into(),
            fup_percent: 20,
            fup_cap_bytes: 3 * crate::access::GIB,
            fup_rate_up_bps: 1_000_000,
            fup_rate_down_bps: 1_000_000,
            devices_per_user: 3,
            otp_per_phone_15min: 3,
            otp_per_phone_day: 10,
            otp_per_ip_hour: 10,
            otp_global_per_minute: 60,
            otp_global_per_day: 5000,
            payment_walled_garden: vec!["app.midtrans.com".into(), "gopay.co.id".into()],
            admins_may_reveal_passwords: false,
            notify_per_day: 500,
            quiet_start_hour: 21,
            quiet_end_hour: 6,
            router_down_minutes: 10,
        }
    }

    #[test]
    fn quiet_hours_may_wrap_past_midnight() {
        let mut s = sample();
        let quiet: Vec<i32> = (0..24).filter(|h| s.is_quiet_hour(*h)).collect();
        assert_eq!(quiet, [0, 1, 2, 3, 4, 5, 21, 22, 23]);
        s.quiet_start_hour = 13;
        s.quiet_end_hour = 15;
        let quiet: Vec<i32> = (0..24).filter(|h| s.is_quiet_hour(*h)).collect();
        assert_eq!(quiet, [13, 14]);
        s.quiet_end_hour = 13;
        assert!((0..24).all(|h| !s.is_quiet_hour(h)));
    }

    #[test]
    fn the_sample_is_valid_and_bad_hosts_are_refused_by_name() {
        assert!(sample().validate().is_ok());
        for (host, code) in [
            ("connectivitycheck.gstatic.com", "captive_probe"),
            ("https://gopay.co.id", "host"),
            ("GoPay.co.id", "host"),
            ("localhost", "host"),
            ("app.midtrans.com", "duplicate"),
        ] {
            let mut s = sample();
            s.payment_walled_garden.push(host.into());
            let errors = s.validate().unwrap_err();
            let field = &errors.field_errors()["payment_walled_garden"];
            assert_eq!(field[0].code, code, "{host}");
        }
    }

    #[test]
    fn names_are_one_line() {
        let mut s = sample();
        s.facility_name = "Lapas\nklik https://x.y".into();
        assert!(s.validate().is_err());
        s.facility_name = " Lapas".into();
        assert!(s.validate().is_err());
    }

    #[test]
    fn fup_follows_the_settings() {
        let s = sample();
        assert_eq!(s.fup_threshold(5 * crate::access::GIB), crate::access::GIB);
        assert_eq!(s.fup_rate(), "1000000/1000000");
    }
}
