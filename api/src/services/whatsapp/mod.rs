//! WhatsApp. Every message gerbang sends goes through [`send`], which counts
//! it per day of the facility's calendar (`whatsapp_daily`) for the
//! overview's "sent today against the budget". Login codes are sent
//! directly; notifications are queued in the outbox ([`outbox`]) in the
//! transaction of the change that causes them and delivered by the worker
//! ([`deliver`]); see docs/notifications.md.

pub mod admin;
pub mod deliver;
pub mod outbox;
pub mod templates;
pub mod text;
pub mod watch;

use crate::{
    integrations::fonnte::{FonnteError, Receipt},
    state::AppState,
};

/// Sends one message through Fonnte and counts the outcome. A count that
/// cannot be written is logged, never turned into a failed send.
pub async fn send(state: &AppState, target: &str, text: &str) -> Result<Receipt, FonnteError> {
    let sent = state.fonnte.send(target, text).await;
    let counted = async {
        let db = state.db.get().await?;
        crate::db::whatsapp::count(&db, sent.is_ok(), &state.settings.worker.time_zone).await?;
        anyhow::Ok(())
    };
    if let Err(e) = counted.await {
        tracing::warn!(error = %e, "whatsapp message not counted");
    }
    sent
}
