//! What a logged-in person sees about themselves: the account, its access
//! status, daily usage, and a fresh one-time link for the main browser.

use shared_types::{
    access::format_bytes, BrowserLink, StatusView, UsageDay, UsageHistory, UserView,
};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::{
    db::{self, users::User},
    identity::Auth,
    services::{sessions, store_errors, StoreError},
    state::AppState,
};

#[derive(Debug, thiserror::Error)]
pub enum MeError {
    /// The session's user is gone.
    #[error("sign in first")]
    SignedOut,
    #[error("days must be between 1 and 90")]
    BadDays,
    #[error(transparent)]
    Store(#[from] StoreError),
}
store_errors!(MeError);

/// The session's user, read again (the session outlives no deletion).
pub async fn me_user(state: &AppState, auth: &Auth) -> Result<User, MeError> {
    let db = state.db.get().await?;
    db::users::by_id(&db, auth.user_id)
        .await?
        .ok_or(MeError::SignedOut)
}

pub async fn me(state: &AppState, auth: &Auth) -> Result<UserView, MeError> {
    Ok(me_user(state, auth).await?.view())
}

pub async fn my_status(state: &AppState, auth: &Auth) -> Result<StatusView, MeError> {
    Ok(me_user(state, auth)
        .await?
        .status_view(OffsetDateTime::now_utc()))
}

/// Daily usage for the last `days` days (7 or 30 on the dashboard; 1–90 accepted).
pub async fn my_usage(state: &AppState, auth: &Auth, days: u32) -> Result<UsageHistory, MeError> {
    if !(1..=90).contains(&days) {
        return Err(MeError::BadDays);
    }
    Ok(usage_history(state, auth.user_id, days as i32).await?)
}

/// A person's daily usage for the last `days` days (facility time zone),
/// days without traffic as 0: the resident's chart and the admin's view.
pub async fn usage_history(
    state: &AppState,
    user: Uuid,
    days: i32,
) -> Result<UsageHistory, StoreError> {
    let db = state.db.get().await?;
    let days: Vec<UsageDay> = db::usage::daily(&db, user, days, &state.settings.worker.time_zone)
        .await?
        .into_iter()
        .map(|(day, bytes)| UsageDay {
            day: day.into(),
            bytes,
        })
        .collect();
    let total_bytes = days.iter().map(|d| d.bytes).sum();
    Ok(UsageHistory {
        days,
        total_bytes,
        total_text: format_bytes(total_bytes),
    })
}

/// A fresh one-time link to this session for the phone's main browser.
pub async fn browser_link(state: &AppState, auth: &Auth) -> Result<BrowserLink, MeError> {
    let mac = {
        let db = state.db.get().await?;
        match auth.device_id {
            Some(id) => crate::db::devices::get(&db, auth.user_id, id)
                .await?
                .map(|d| d.mac),
            None => crate::db::sessions::pending_mac(&db, auth.session_id).await?,
        }
    };
    let token = sessions::new_handoff(state, auth.user_id, mac.as_deref()).await?;
    Ok(BrowserLink {
        url: sessions::handoff_url(state, &token),
        expires_in_seconds: state.settings.session.handoff_ttl_seconds as u32,
    })
}
