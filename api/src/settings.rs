//! Typed settings: built-in defaults → optional file → `GERBANG__…` environment.

use std::{net::SocketAddr, path::PathBuf, time::Duration};

use anyhow::Context;
use ipnet::IpNet;
use serde::Deserialize;

pub use crate::secret::Secret;

const DEFAULTS: &str = include_str!("../config/defaults.toml");

/// Where the process runs; picks log format and cookie/security defaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Environment {
    Development,
    Production,
}

/// Log line format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Pretty,
    Json,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Settings {
    pub environment: Environment,
    pub http: HttpSettings,
    pub database: DatabaseSettings,
    pub redis: RedisSettings,
    pub log: LogSettings,
    pub worker: WorkerSettings,
    pub fonnte: FonnteSettings,
    pub turnstile: TurnstileSettings,
    pub otp: OtpSettings,
    pub crypto: CryptoSettings,
    pub session: SessionSettings,
    pub devices: DeviceSettings,
    pub routers: RouterSettings,
    pub quota: QuotaSettings,
    pub midtrans: MidtransSettings,
    pub portal: PortalSettings,
    pub staff: StaffSettings,
    pub notifications: NotificationSettings,
}

/// WhatsApp notifications (docs/notifications.md).
#[derive(Debug, Clone, Deserialize)]
pub struct NotificationSettings {
    /// Notifications sent per day at most (login codes have their own budget).
    pub per_day: u32,
    /// Quiet hours in the facility's time zone (start = end: none).
    pub quiet_start_hour: u8,
    pub quiet_end_hour: u8,
    /// Admins hear about a router silent for this long.
    pub router_down_minutes: u32,
    /// Pause between two notifications.
    pub send_interval_ms: u64,
    /// A message not delivered within this many hours is dropped.
    pub expire_hours: u32,
}

/// Staff accounts.
#[derive(Debug, Clone, Deserialize)]
pub struct StaffSettings {
    /// Admins, not only super admins, may reveal a staff member's web password.
    pub admins_may_reveal_passwords: bool,
}

/// What the portal shows before login.
#[derive(Debug, Clone, Deserialize)]
pub struct PortalSettings {
    /// The facility's name in the portal header.
    pub facility_name: String,
    /// Whom a blocked or deactivated resident should contact.
    pub contact: String,
    /// Hosts residents without access must still reach to pay (walled garden).
    pub payment_walled_garden: Vec<String>,
}

/// Keys for sealing recoverable secrets (docs/integrations.md, "Secrets at rest").
#[derive(Debug, Clone, Deserialize)]
pub struct CryptoSettings {
    /// `kid:<base64 of 32 bytes>`, comma separated; old keys stay for opening.
    pub keys: Secret,
    /// The key new values are sealed with.
    pub active_kid: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct SessionSettings {
    pub access_ttl_seconds: u64,
    pub refresh_ttl_days: u64,
    /// `Secure` cookies; only a local http demo may turn it off.
    pub cookie_secure: bool,
    /// Origins allowed to make cookie-authenticated changes (scheme://host[:port]).
    /// Empty: the request's own Host, over http or https.
    pub allowed_origins: Vec<String>,
    /// Lifetime of the one-time "open in browser" link.
    pub handoff_ttl_seconds: u64,
    /// Wrong passwords for a username from one client address per 15 minutes
    /// before that address is locked out of it for that time.
    pub max_password_failures: u64,
    /// Wrong passwords for a username from all addresses together per hour
    /// before it is locked everywhere (lifted by a WhatsApp unlock code).
    pub max_password_failures_per_username: u64,
    /// One WhatsApp unlock code per username per this many seconds.
    pub unlock_cooldown_seconds: u64,
}

#[derive(Debug, Clone, Deserialize)]
pub struct DeviceSettings {
    /// Devices one user may have; the stalest is replaced by a new confirmed one.
    pub max_per_user: u32,
    /// Devices not seen by a cycle for this many days are forgotten.
    pub prune_after_days: u32,
}

/// Quota rules: the FUP threshold and speed.
#[derive(Debug, Clone, Deserialize)]
pub struct QuotaSettings {
    pub fup_percent: u8,
    pub fup_cap_bytes: i64,
    pub fup_rate_up_bps: u64,
    pub fup_rate_down_bps: u64,
}

impl QuotaSettings {
    /// The FUP threshold that comes with a package of `package_bytes`.
    pub fn fup_threshold(&self, package_bytes: i64) -> i64 {
        shared_types::access::fup_threshold(package_bytes, self.fup_percent, self.fup_cap_bytes)
    }

    /// `up/down` in bits per second, as RouterOS prints rates.
    pub fn fup_rate(&self) -> String {
        format!("{}/{}", self.fup_rate_up_bps, self.fup_rate_down_bps)
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct RouterSettings {
    pub connect_timeout_ms: u64,
    pub command_timeout_ms: u64,
    /// API sessions kept per router (routers allow 20 in total).
    pub pool_size: usize,
    /// How long admins' "online now" and person views share one read of a
    /// router's live sessions.
    pub live_read_seconds: u32,
}

#[derive(Debug, Clone, Deserialize)]
pub struct FonnteSettings {
    pub base_url: String,
    pub token: Secret,
    pub timeout_ms: u64,
}

#[derive(Debug, Clone, Deserialize)]
pub struct TurnstileSettings {
    pub base_url: String,
    pub secret: Secret,
    pub site_key: String,
    /// The widget script the portal loads (explicit rendering).
    pub script_url: String,
    pub hostnames: Vec<String>,
    pub action: String,
    pub allow_test_keys: bool,
    pub timeout_ms: u64,
}

#[derive(Debug, Clone, Deserialize)]
pub struct MidtransSettings {
    /// Snap API base, e.g. https://app.midtrans.com/snap/v1
    pub snap_url: String,
    /// Core API base for status checks, e.g. https://api.midtrans.com/v2
    pub api_url: String,
    pub server_key: Secret,
    /// Sent as `X-Override-Notification` when set (development, tests);
    /// production uses the URL in the Midtrans dashboard.
    #[serde(deserialize_with = "empty_is_none")]
    pub notification_url: Option<String>,
    /// Minutes a customer has to pay.
    pub expiry_minutes: u32,
    pub enabled_payments: Vec<String>,
    /// A status check of one order runs at most this often (result page polling).
    pub status_poll_seconds: u64,
    /// The reconciler first checks a pending order this long after creation,
    /// then backs off (doubling) up to `recheck_max_seconds`.
    pub recheck_after_seconds: u64,
    pub recheck_max_seconds: u64,
    /// A pending order this long past its expiry that Midtrans does not
    /// report as paid is closed as expired.
    pub expire_grace_seconds: u64,
    pub timeout_ms: u64,
}

/// The sandbox's server key; refused in production.
pub const SANDBOX_MIDTRANS_KEY: &str = "SB-Mid-server-gerbang-sandbox";

#[derive(Debug, Clone, Deserialize)]
pub struct OtpSettings {
    pub pepper: Secret,
    pub ttl_seconds: u64,
    pub cooldowns_seconds: Vec<u64>,
    pub max_per_phone_15min: u64,
    pub max_per_phone_day: u64,
    pub max_per_ip_hour: u64,
    pub global_per_minute: u64,
    pub global_per_day: u64,
    /// Wrong codes allowed per challenge before it is void.
    pub max_attempts: u64,
    pub max_wrong_per_phone_hour: u64,
    pub max_wrong_per_phone_day: u64,
}

/// The development pepper; refused in production.
pub const DEV_OTP_PEPPER: &str = "dev-only-otp-pepper";

#[derive(Debug, Clone, Deserialize)]
pub struct HttpSettings {
    pub bind: SocketAddr,
    #[serde(deserialize_with = "empty_is_none")]
    pub spa_dir: Option<PathBuf>,
    pub trusted_proxies: Vec<IpNet>,
    pub max_body_bytes: usize,
    pub public_writes_per_minute: u32,
    /// Where people reach the portal (links sent to phones), e.g. https://wifi.example.id
    pub public_url: String,
    /// A request without an answer after this long gets 503.
    pub request_timeout_ms: u64,
}

#[derive(Debug, Clone, Deserialize)]
pub struct DatabaseSettings {
    pub url: Secret,
    pub pool_size: usize,
    pub connect_timeout_ms: u64,
    /// PostgreSQL cancels a statement after this long (`statement_timeout`).
    pub statement_timeout_ms: u64,
}

#[derive(Debug, Clone, Deserialize)]
pub struct RedisSettings {
    pub url: Secret,
    pub key_prefix: String,
    pub pool_size: usize,
    pub connect_timeout_ms: u64,
}

#[derive(Debug, Clone, Deserialize)]
pub struct LogSettings {
    #[serde(deserialize_with = "empty_is_none")]
    pub format: Option<LogFormat>,
    pub filter: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct WorkerSettings {
    pub tick_seconds: u64,
    /// The facility's time zone: daily usage rollups and business days (IANA name).
    pub time_zone: String,
    pub client_error_retention_days: u32,
    pub ledger_retention_days: u32,
    /// Bypass mode: the shortest accounting interval near the limit.
    pub min_interval_seconds: u64,
    pub max_backoff_seconds: u64,
    /// Routers reconciled at once (bounded by the database pool).
    pub router_concurrency: usize,
    /// A cycle or job without an end after this long counts as failed.
    pub cycle_timeout_seconds: u64,
}

impl DatabaseSettings {
    pub fn connect_timeout(&self) -> Duration {
        Duration::from_millis(self.connect_timeout_ms)
    }

    pub fn statement_timeout(&self) -> Duration {
        Duration::from_millis(self.statement_timeout_ms)
    }
}

impl RedisSettings {
    pub fn connect_timeout(&self) -> Duration {
        Duration::from_millis(self.connect_timeout_ms)
    }
}

impl LogSettings {
    /// The configured format, or the environment's default.
    pub fn effective_format(&self, env: Environment) -> LogFormat {
        self.format.unwrap_or(match env {
            Environment::Development => LogFormat::Pretty,
            Environment::Production => LogFormat::Json,
        })
    }
}

fn empty_is_none<'de, D, T>(de: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::de::DeserializeOwned,
{
    let raw = Option::<String>::deserialize(de)?;
    match raw.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(s) => serde_json::from_value(serde_json::Value::String(s.to_owned()))
            .map(Some)
            .map_err(serde::de::Error::custom),
    }
}

impl Settings {
    /// Loads settings from the defaults, an optional file and the environment.
    pub fn load(file: Option<&std::path::Path>) -> anyhow::Result<Self> {
        Self::load_from(file, std::env::vars())
    }

    /// Like [`Settings::load`] with an explicit environment (for tests).
    pub fn load_from(
        file: Option<&std::path::Path>,
        env: impl IntoIterator<Item = (String, String)>,
    ) -> anyhow::Result<Self> {
        let env: std::collections::HashMap<String, String> = env
            .into_iter()
            .filter(|(k, _)| k.starts_with("GERBANG__"))
            .collect();
        let mut builder = config::Config::builder()
            .add_source(config::File::from_str(DEFAULTS, config::FileFormat::Toml));
        if let Some(path) = file {
            builder = builder.add_source(config::File::from(path).required(true));
        }
        builder = builder.add_source(
            config::Environment::with_prefix("GERBANG")
                .separator("__")
                .prefix_separator("__")
                .list_separator(",")
                .with_list_parse_key("http.trusted_proxies")
                .with_list_parse_key("turnstile.hostnames")
                .with_list_parse_key("otp.cooldowns_seconds")
                .with_list_parse_key("session.allowed_origins")
                .with_list_parse_key("midtrans.enabled_payments")
                .with_list_parse_key("portal.payment_walled_garden")
                .try_parsing(true)
                .source(Some(env)),
        );
        let settings: Settings = builder
            .build()
            .context("reading settings")?
            .try_deserialize()
            .context("invalid settings")?;
        settings.check()?;
        Ok(settings)
    }

    /// What the file and environment say for the settings super admins may
    /// change at run time (the fallback under the database's values).
    pub fn facility_defaults(&self) -> shared_types::FacilitySettings {
        let int = |v: u64| i32::try_from(v).unwrap_or(i32::MAX);
        shared_types::FacilitySettings {
            facility_name: self.portal.facility_name.clone(),
            contact: self.portal.contact.clone(),
            fup_percent: i32::from(self.quota.fup_percent),
            fup_cap_bytes: self.quota.fup_cap_bytes,
            fup_rate_up_bps: i64::try_from(self.quota.fup_rate_up_bps).unwrap_or(i64::MAX),
            fup_rate_down_bps: i64::try_from(self.quota.fup_rate_down_bps).unwrap_or(i64::MAX),
            devices_per_user: int(u64::from(self.devices.max_per_user)),
            otp_per_phone_15min: int(self.otp.max_per_phone_15min),
            otp_per_phone_day: int(self.otp.max_per_phone_day),
            otp_per_ip_hour: int(self.otp.max_per_ip_hour),
            otp_global_per_minute: int(self.otp.global_per_minute),
            otp_global_per_day: int(self.otp.global_per_day),
            payment_walled_garden: self.portal.payment_walled_garden.clone(),
            admins_may_reveal_passwords: self.staff.admins_may_reveal_passwords,
            notify_per_day: int(u64::from(self.notifications.per_day)),
            quiet_start_hour: i32::from(self.notifications.quiet_start_hour),
            quiet_end_hour: i32::from(self.notifications.quiet_end_hour),
            router_down_minutes: int(u64::from(self.notifications.router_down_minutes)),
        }
    }

    /// Rules that the types cannot express.
    fn check(&self) -> anyhow::Result<()> {
        if let Err(e) = validator::Validate::validate(&self.facility_defaults()) {
            anyhow::bail!("invalid settings (portal, quota, devices or otp): {e}");
        }
        if self.environment == Environment::Production {
            anyhow::ensure!(
                self.otp.pepper.expose() != DEV_OTP_PEPPER && self.otp.pepper.expose().len() >= 32,
                "invalid settings: otp.pepper must be a random value of at least 32 characters in production"
            );
            anyhow::ensure!(
                !self.turnstile.allow_test_keys,
                "invalid settings: turnstile.allow_test_keys is not allowed in production"
            );
            anyhow::ensure!(
                !self.crypto.keys.expose().contains(crate::crypto::DEV_KEY),
                "invalid settings: crypto.keys must not contain the development key in production"
            );
            anyhow::ensure!(
                self.midtrans.server_key.expose() != SANDBOX_MIDTRANS_KEY,
                "invalid settings: midtrans.server_key must be the merchant's key in production"
            );
            anyhow::ensure!(
                self.session.cookie_secure,
                "invalid settings: session.cookie_secure must be true in production"
            );
        }
        anyhow::ensure!(
            !self.otp.cooldowns_seconds.is_empty(),
            "invalid settings: otp.cooldowns_seconds needs at least one value"
        );
        crate::crypto::Sealer::new(&self.crypto.keys, &self.crypto.active_kid)?;
        anyhow::ensure!(
            self.quota.fup_percent <= 100 && self.quota.fup_cap_bytes >= 0,
            "invalid settings: quota.fup_percent must be 0..=100 and quota.fup_cap_bytes not negative"
        );
        anyhow::ensure!(
            (1..=10_080).contains(&self.midtrans.expiry_minutes),
            "invalid settings: midtrans.expiry_minutes must be 1..=10080 (Midtrans allows up to 7 days)"
        );
        anyhow::ensure!(
            self.devices.max_per_user >= 1,
            "invalid settings: devices.max_per_user must be at least 1"
        );
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn defaults_load_without_any_source() {
        let s = Settings::load_from(None, env(&[])).unwrap();
        assert_eq!(s.http.bind.port(), 8080);
        assert_eq!(s.environment, Environment::Development);
        assert!(s.http.spa_dir.is_none());
        assert!(s.http.trusted_proxies.is_empty());
        assert_eq!(s.log.effective_format(s.environment), LogFormat::Pretty);
    }

    #[test]
    fn environment_overrides_defaults_and_parses_lists() {
        let s = Settings::load_from(
            None,
            env(&[
                ("GERBANG__HTTP__BIND", "0.0.0.0:9000"),
                ("GERBANG__HTTP__TRUSTED_PROXIES", "10.0.0.0/8,172.18.0.0/16"),
                ("GERBANG__DATABASE__URL", "postgres://u:hunter2@db/g"),
                ("GERBANG__ENVIRONMENT", "production"),
                ("GERBANG__OTP__PEPPER", "0123456789abcdef0123456789abcdef"),
                (
                    "GERBANG__CRYPTO__KEYS",
                    "k1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8",
                ),
                ("GERBANG__CRYPTO__ACTIVE_KID", "k1"),
                ("GERBANG__SESSION__COOKIE_SECURE", "true"),
                ("GERBANG__MIDTRANS__SERVER_KEY", "Mid-server-abc"),
                ("GERBANG__MIDTRANS__ENABLED_PAYMENTS", "other_qris,bca_va"),
                ("GERBANG__REDIS__KEY_PREFIX", "t1:"),
            ]),
        )
        .unwrap();
        assert_eq!(s.http.bind.port(), 9000);
        assert_eq!(s.http.trusted_proxies.len(), 2);
        assert_eq!(s.redis.key_prefix, "t1:");
        assert_eq!(s.midtrans.enabled_payments, ["other_qris", "bca_va"]);
        assert_eq!(s.log.effective_format(s.environment), LogFormat::Json);
        assert_eq!(s.database.url.expose(), "postgres://u:hunter2@db/g");
    }

    #[test]
    fn secrets_never_print() {
        let s = Settings::load_from(
            None,
            env(&[("GERBANG__DATABASE__URL", "postgres://u:hunter2@db/g")]),
        )
        .unwrap();
        let debug = format!("{s:?}");
        assert!(!debug.contains("hunter2"), "{debug}");
        assert!(debug.contains("redacted"));
    }

    #[test]
    fn production_refuses_the_development_pepper_and_test_keys() {
        let err =
            Settings::load_from(None, env(&[("GERBANG__ENVIRONMENT", "production")])).unwrap_err();
        assert!(format!("{err:#}").contains("otp.pepper"));
        let err = Settings::load_from(
            None,
            env(&[
                ("GERBANG__ENVIRONMENT", "production"),
                ("GERBANG__OTP__PEPPER", "0123456789abcdef0123456789abcdef"),
                ("GERBANG__TURNSTILE__ALLOW_TEST_KEYS", "true"),
            ]),
        )
        .unwrap_err();
        assert!(format!("{err:#}").contains("allow_test_keys"));
        let err = Settings::load_from(
            None,
            env(&[
                ("GERBANG__ENVIRONMENT", "production"),
                ("GERBANG__OTP__PEPPER", "0123456789abcdef0123456789abcdef"),
            ]),
        )
        .unwrap_err();
        assert!(format!("{err:#}").contains("crypto.keys"), "{err:#}");
        let err = Settings::load_from(
            None,
            env(&[
                ("GERBANG__ENVIRONMENT", "production"),
                ("GERBANG__OTP__PEPPER", "0123456789abcdef0123456789abcdef"),
                (
                    "GERBANG__CRYPTO__KEYS",
                    "k1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8",
                ),
                ("GERBANG__CRYPTO__ACTIVE_KID", "k1"),
            ]),
        )
        .unwrap_err();
        assert!(
            format!("{err:#}").contains("midtrans.server_key"),
            "{err:#}"
        );
    }

    #[test]
    fn bad_values_are_reported() {
        let err = Settings::load_from(None, env(&[("GERBANG__HTTP__BIND", "not-an-address")]))
            .unwrap_err();
        assert!(format!("{err:#}").contains("invalid settings"));
    }
}
