//! The worker's side of the outbox (docs/notifications.md, "Delivery"):
//! claim a due message, hand it to Fonnte, record the outcome.
//!
//! - **At most once.** A message is claimed (`sending`, committed) before it
//!   is sent. If the worker dies after Fonnte took it but before the outcome
//!   is written, the message is found `sending` later and marked failed
//!   ("interrupted"), never re-sent on its own: the gateway may already
//!   have delivered it. An admin can send it again from the messages screen.
//! - **Retries.** Gateway down or unreachable: the message waits with
//!   exponential backoff (30 s doubling, at most 30 minutes) until it
//!   expires; the pass stops, so a dead gateway costs one request per
//!   pass. An invalid number or a refused request fails at once.
//! - **Quiet hours and budget.** In quiet hours only urgent messages are
//!   claimed; once the day's notification budget is used, nothing is.
//!   Login codes never wait here: they are sent directly, with their own budget.

use std::time::Duration;

use time::OffsetDateTime;

use crate::{db::outbox, integrations::fonnte::FonnteError, state::AppState};

/// What one pass did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Pass {
    pub sent: usize,
    pub failed: usize,
    /// Sends that will be tried again (the pass stopped at the first).
    pub retrying: usize,
    /// Messages found mid-send from an earlier run, marked failed.
    pub interrupted: u64,
    pub expired: u64,
    pub quiet: bool,
    /// The day's budget is used: nothing more goes out today.
    pub budget_used: bool,
}

/// The wait before the next try after `attempts` tries.
pub fn backoff(attempts: i32) -> Duration {
    let doublings = attempts.saturating_sub(1).clamp(0, 10) as u32;
    Duration::from_secs((30u64 << doublings).min(30 * 60))
}

/// Delivers up to `max` due messages as of `now`.
pub async fn deliver_due(
    state: &AppState,
    now: OffsetDateTime,
    max: usize,
) -> anyhow::Result<Pass> {
    let facility = state.facility().await;
    let tz = &state.settings.worker.time_zone;
    let db = state.db.get().await?;
    let mut pass = Pass::default();
    // A send in flight ends within the gateway's timeout; a claim older
    // than that (and a margin) belongs to a worker that stopped.
    let in_flight =
        Duration::from_millis(state.settings.fonnte.timeout_ms) + Duration::from_secs(60);
    pass.interrupted = outbox::fail_interrupted(&db, now - in_flight).await?;
    if pass.interrupted > 0 {
        tracing::warn!(
            messages = pass.interrupted,
            "notifications interrupted mid-send: marked failed, not re-sent"
        );
    }
    pass.expired = outbox::fail_expired(&db, now).await?;
    let hour = outbox::local_time(&db, now, tz).await?.hour();
    pass.quiet = facility.is_quiet_hour(i32::from(hour));
    let budget = i64::from(facility.notify_per_day);
    let mut sent_today = outbox::sent_on_day_of(&db, now, tz).await?;
    for _ in 0..max {
        if sent_today >= budget {
            pass.budget_used = true;
            break;
        }
        let Some(m) = outbox::claim_next(&db, now, pass.quiet).await? else {
            break;
        };
        match super::send(state, &m.target, &m.body).await {
            Ok(receipt) => {
                outbox::mark_sent(&db, m.id, receipt.request_id).await?;
                sent_today += 1;
                pass.sent += 1;
            }
            Err(FonnteError::TargetInvalid) => {
                outbox::mark_failed(&db, m.id, "target invalid: not a WhatsApp number").await?;
                pass.failed += 1;
            }
            Err(FonnteError::Rejected(reason)) => {
                let error = format!("refused by the gateway: {reason}");
                outbox::mark_failed(&db, m.id, &error).await?;
                tracing::error!(error, "notification refused");
                pass.failed += 1;
            }
            Err(e @ (FonnteError::ProviderDown(_) | FonnteError::Transport(_))) => {
                let at = now + backoff(m.attempts);
                outbox::mark_retry(&db, m.id, at, &e.to_string()).await?;
                tracing::warn!(alert = "whatsapp_gateway", error = %e, "notifications wait for the gateway");
                pass.retrying += 1;
                break;
            }
        }
    }
    Ok(pass)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_from_half_a_minute_to_half_an_hour() {
        let waits: Vec<u64> = (1..=9).map(|n| backoff(n).as_secs()).collect();
        assert_eq!(waits, [30, 60, 120, 240, 480, 960, 1800, 1800, 1800]);
    }
}
