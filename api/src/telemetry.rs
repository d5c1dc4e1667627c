//! Tracing setup: pretty logs in development, JSON lines in production.

use tracing_subscriber::{fmt, prelude::*, EnvFilter};

use crate::settings::{LogFormat, Settings};

/// Installs the global subscriber. `RUST_LOG` overrides the configured filter.
pub fn init(settings: &Settings) {
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(&settings.log.filter));
    let registry = tracing_subscriber::registry().with(filter);
    let result = match settings.log.effective_format(settings.environment) {
        LogFormat::Json => registry
            .with(
                fmt::layer()
                    .json()
                    .flatten_event(true)
                    .with_current_span(true),
            )
            .try_init(),
        LogFormat::Pretty => registry.with(fmt::layer().with_target(false)).try_init(),
    };
    // A second init (tests, or `serve` after `migrate`) keeps the first subscriber.
    let _ = result;
}

/// The URL with any password replaced, for messages about where we tried to connect.
pub fn redact_url(raw: &str) -> String {
    match url::Url::parse(raw) {
        Ok(mut u) => {
            if u.password().is_some() {
                let _ = u.set_password(Some("***"));
            }
            u.to_string()
        }
        Err(_) => "<unparseable url>".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_lose_their_password() {
        let r = redact_url("postgres://gerbang:hunter2@db:5432/gerbang");
        assert!(!r.contains("hunter2"));
        assert!(r.contains("db:5432/gerbang"));
        assert_eq!(redact_url("::::"), "<unparseable url>");
    }
}
