//! Cloudflare Turnstile siteverify (docs/integrations.md, Turnstile): single-use tokens,
//! hostname and action checked, fail closed on anything unexpected.

use std::{net::IpAddr, time::Duration};

use serde::Deserialize;

use crate::settings::{Secret, TurnstileSettings};

#[derive(Debug, thiserror::Error)]
pub enum TurnstileError {
    /// The token is invalid, expired, spent, or for another host/action.
    #[error("turnstile rejected the token: {0}")]
    Rejected(String),
    /// Turnstile could not answer; we refuse rather than let the request through.
    #[error("turnstile unavailable: {0}")]
    Unavailable(String),
}

#[derive(Deserialize)]
struct Reply {
    success: bool,
    #[serde(rename = "error-codes", default)]
    error_codes: Vec<String>,
    #[serde(default)]
    hostname: Option<String>,
    #[serde(default)]
    action: Option<String>,
    #[serde(default)]
    metadata: Option<serde_json::Value>,
}

#[derive(Clone)]
pub struct TurnstileClient {
    http: reqwest::Client,
    base_url: String,
    secret: Secret,
    hostnames: Vec<String>,
    action: String,
    allow_test_keys: bool,
    timeout: Duration,
}

impl TurnstileClient {
    pub fn new(http: reqwest::Client, settings: &TurnstileSettings) -> Self {
        Self {
            http,
            base_url: settings.base_url.trim_end_matches('/').to_owned(),
            secret: settings.secret.clone(),
            hostnames: settings.hostnames.clone(),
            action: settings.action.clone(),
            allow_test_keys: settings.allow_test_keys,
            timeout: Duration::from_millis(settings.timeout_ms),
        }
    }

    /// Verifies a widget token for the visitor at `remote_ip` (the OTP action).
    pub async fn verify(&self, token: &str, remote_ip: IpAddr) -> Result<(), TurnstileError> {
        self.verify_action(token, remote_ip, &self.action).await
    }

    /// Verifies a widget token issued for `action`.
    #[tracing::instrument(skip_all, fields(action))]
    pub async fn verify_action(
        &self,
        token: &str,
        remote_ip: IpAddr,
        action: &str,
    ) -> Result<(), TurnstileError> {
        if token.is_empty() || token.len() > 2048 {
            return Err(TurnstileError::Rejected("invalid-input-response".into()));
        }
        let ip = remote_ip.to_string();
        let resp = self
            .http
            .post(format!("{}/siteverify", self.base_url))
            .form(&[
                ("secret", self.secret.expose()),
                ("response", token),
                ("remoteip", ip.as_str()),
            ])
            .timeout(self.timeout)
            .send()
            .await
            .map_err(|e| TurnstileError::Unavailable(e.without_url().to_string()))?;
        let reply: Reply = resp
            .json()
            .await
            .map_err(|_| TurnstileError::Unavailable("siteverify did not answer JSON".into()))?;
        if !reply.success {
            if reply
                .error_codes
                .iter()
                .any(|c| c == "internal-error" || c.ends_with("-secret"))
            {
                return Err(TurnstileError::Unavailable(reply.error_codes.join(",")));
            }
            return Err(TurnstileError::Rejected(reply.error_codes.join(",")));
        }
        let testing = reply
            .metadata
            .as_ref()
            .and_then(|m| m.get("result_with_testing_key"))
            .and_then(serde_json::Value::as_bool)
            .unwrap_or(false);
        if testing {
            // Test keys cannot carry our hostname or action.
            return if self.allow_test_keys {
                Ok(())
            } else {
                Err(TurnstileError::Rejected("test key not allowed".into()))
            };
        }
        let hostname = reply.hostname.unwrap_or_default();
        if !self.hostnames.is_empty() && !self.hostnames.contains(&hostname) {
            return Err(TurnstileError::Rejected(format!(
                "token issued for host {hostname:?}"
            )));
        }
        if reply.action.as_deref().unwrap_or_default() != action {
            return Err(TurnstileError::Rejected(
                "token issued for another action".into(),
            ));
        }
        Ok(())
    }
}
