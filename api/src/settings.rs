//! Typed settings: built-in defaults → optional file → `GERBANG__…` environment.

use std::{fmt, net::SocketAddr, path::PathBuf, time::Duration};

use anyhow::Context;
use ipnet::IpNet;
use serde::Deserialize;

const DEFAULTS: &str = include_str!("../config/defaults.toml");

/// A value that must never appear in logs, errors or responses.
#[derive(Clone, Deserialize, PartialEq, Eq)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret itself; call only where it is handed to the one consumer that needs it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

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
}

#[derive(Debug, Clone, Deserialize)]
pub struct HttpSettings {
    pub bind: SocketAddr,
    #[serde(deserialize_with = "empty_is_none")]
    pub spa_dir: Option<PathBuf>,
    pub trusted_proxies: Vec<IpNet>,
    pub max_body_bytes: usize,
    pub public_writes_per_minute: u32,
}

#[derive(Debug, Clone, Deserialize)]
pub struct DatabaseSettings {
    pub url: Secret,
    pub pool_size: usize,
    pub connect_timeout_ms: u64,
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
    pub client_error_retention_days: u32,
}

impl DatabaseSettings {
    pub fn connect_timeout(&self) -> Duration {
        Duration::from_millis(self.connect_timeout_ms)
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
                .try_parsing(true)
                .source(Some(env)),
        );
        builder
            .build()
            .context("reading settings")?
            .try_deserialize()
            .context("invalid settings")
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
                ("GERBANG__REDIS__KEY_PREFIX", "t1:"),
            ]),
        )
        .unwrap();
        assert_eq!(s.http.bind.port(), 9000);
        assert_eq!(s.http.trusted_proxies.len(), 2);
        assert_eq!(s.redis.key_prefix, "t1:");
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
    fn bad_values_are_reported() {
        let err = Settings::load_from(None, env(&[("GERBANG__HTTP__BIND", "not-an-address")]))
            .unwrap_err();
        assert!(format!("{err:#}").contains("invalid settings"));
    }
}
