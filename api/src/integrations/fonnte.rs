//! Fonnte WhatsApp gateway (docs/integrations.md, Fonnte): urlencoded `POST /send`,
//! raw token in `Authorization`, success only as `"status": true`.

use std::time::Duration;

use serde::Deserialize;

use crate::settings::{FonnteSettings, Secret};

#[derive(Debug, thiserror::Error)]
pub enum FonnteError {
    /// The gateway cannot send (bad token, device disconnected, quota): ops must act.
    #[error("WhatsApp gateway unavailable: {0}")]
    ProviderDown(String),
    /// The number cannot receive WhatsApp messages.
    #[error("target invalid")]
    TargetInvalid,
    /// Our request was wrong.
    #[error("request rejected: {0}")]
    Rejected(String),
    /// No usable answer.
    #[error("transport: {0}")]
    Transport(String),
}

/// What Fonnte returned for an accepted message.
#[derive(Debug, Clone)]
pub struct Receipt {
    pub request_id: Option<i64>,
}

#[derive(Deserialize)]
struct Reply {
    status: bool,
    #[serde(default)]
    reason: Option<String>,
    #[serde(default)]
    requestid: Option<i64>,
}

#[derive(Clone)]
pub struct FonnteClient {
    http: reqwest::Client,
    base_url: String,
    token: Secret,
    timeout: Duration,
}

impl FonnteClient {
    pub fn new(http: reqwest::Client, settings: &FonnteSettings) -> Self {
        Self {
            http,
            base_url: settings.base_url.trim_end_matches('/').to_owned(),
            token: settings.token.clone(),
            timeout: Duration::from_millis(settings.timeout_ms),
        }
    }

    /// Sends one message to `target` (`62…`, no `+`). Not retried: a retry could
    /// deliver the same OTP twice and burn quota.
    #[tracing::instrument(skip_all)]
    pub async fn send(&self, target: &str, message: &str) -> Result<Receipt, FonnteError> {
        let resp = self
            .http
            .post(format!("{}/send", self.base_url))
            .header(reqwest::header::AUTHORIZATION, self.token.expose())
            .form(&[
                ("target", target),
                ("message", message),
                ("countryCode", "62"),
            ])
            .timeout(self.timeout)
            .send()
            .await
            .map_err(|e| FonnteError::Transport(e.without_url().to_string()))?;
        let reply: Reply = resp.json().await.map_err(|e| {
            FonnteError::Transport(format!("unreadable reply: {}", e.without_url()))
        })?;
        if reply.status {
            tracing::info!(fonnte.request_id = ?reply.requestid, "whatsapp message queued");
            return Ok(Receipt {
                request_id: reply.requestid,
            });
        }
        let reason = reply.reason.unwrap_or_default();
        Err(match reason.as_str() {
            "target invalid" => FonnteError::TargetInvalid,
            "invalid token"
            | "token invalid"
            | "request invalid on disconnected device"
            | "insufficient quota"
            | "devices must belong to an account"
            | "unknown user" => FonnteError::ProviderDown(reason),
            _ => FonnteError::Rejected(reason),
        })
    }
}
