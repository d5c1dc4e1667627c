//! Sessions: issue (after OTP, password or a one-time link), rotate, end;
//! and the one-time "open in browser" links.

use std::net::IpAddr;

use fred::interfaces::KeysInterface;
use uuid::Uuid;

use crate::{
    crypto::{hex, new_token, token_hash},
    db::sessions::{self, Kind, NewSession, Refreshed, SessionDevice},
    identity::SessionTokens,
    services::{store_errors, StoreError},
    state::AppState,
};

#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    /// The refresh token is missing, unknown, expired or was reused; the
    /// reason is a stable word the client may show.
    #[error("the session has ended: {0}")]
    Ended(&'static str),
    #[error(transparent)]
    Store(#[from] StoreError),
}
store_errors!(SessionError);

/// Where and how a login happened.
pub struct Origin<'a> {
    pub ip: IpAddr,
    pub user_agent: Option<&'a str>,
}

/// Creates a session (inside the caller's transaction) and returns its tokens.
pub async fn issue(
    state: &AppState,
    db: &impl deadpool_postgres::GenericClient,
    user_id: Uuid,
    session_version: i32,
    device: SessionDevice,
    kind: Kind,
    origin: &Origin<'_>,
) -> Result<(Uuid, SessionTokens), tokio_postgres::Error> {
    let s = &state.settings.session;
    let access = new_token();
    let refresh = new_token();
    let id = sessions::insert(
        db,
        &NewSession {
            user_id,
            device,
            kind,
            session_version,
            access_hash: &token_hash(&access),
            access_ttl: time::Duration::seconds(s.access_ttl_seconds as i64),
            refresh_hash: &token_hash(&refresh),
            lifetime: time::Duration::days(s.refresh_ttl_days as i64),
            ip: origin.ip,
            user_agent: origin.user_agent,
        },
    )
    .await?;
    Ok((id, SessionTokens { access, refresh }))
}

/// Rotates the refresh token. Reuse of an already rotated token revokes the session.
pub async fn refresh(state: &AppState, token: Option<&str>) -> Result<SessionTokens, SessionError> {
    let token = token.ok_or_else(|| SessionError::Ended("no_refresh_token"))?;
    let s = &state.settings.session;
    let access = new_token();
    let refresh = new_token();
    let mut db = state.db.get().await?;
    let tx = db.transaction().await?;
    let outcome = sessions::rotate(
        &tx,
        &token_hash(token),
        &token_hash(&refresh),
        &token_hash(&access),
        time::Duration::seconds(s.access_ttl_seconds as i64),
    )
    .await?;
    match outcome {
        Refreshed::Rotated { .. } => {
            tx.commit().await?;
            Ok(SessionTokens { access, refresh })
        }
        Refreshed::Reused {
            session_id,
            user_id,
        } => {
            crate::db::audit::record(
                &tx,
                &crate::db::audit::Entry::system("session.refresh_reuse")
                    .target("user", user_id)
                    .detail("session_id", session_id.to_string()),
            )
            .await?;
            tx.commit().await?;
            tracing::warn!(%session_id, "refresh token reused: session revoked");
            Err(SessionError::Ended("refresh_token_reused"))
        }
        Refreshed::Invalid => Err(SessionError::Ended("invalid_refresh_token")),
    }
}

/// Ends the session named by either cookie. Idempotent.
pub async fn logout(
    state: &AppState,
    access: Option<&str>,
    refresh: Option<&str>,
) -> Result<(), SessionError> {
    let db = state.db.get().await?;
    let mut session = None;
    if let Some(a) = access {
        session = sessions::authenticate(&db, &token_hash(a))
            .await?
            .map(|a| a.session_id);
    }
    if session.is_none() {
        if let Some(r) = refresh {
            session = sessions::session_of_refresh(&db, &token_hash(r)).await?;
        }
    }
    if let Some(id) = session {
        sessions::revoke(&db, id, "logout").await?;
    }
    Ok(())
}

/// Creates a one-time link token for the phone's main browser. `mac` is the
/// device the login came from (proven or not yet): the new session is tied
/// to it as far as it is proven when the link is opened.
pub async fn new_handoff(
    state: &AppState,
    user_id: Uuid,
    mac: Option<&str>,
) -> Result<String, fred::error::Error> {
    let token = new_token();
    let key = state
        .kv
        .key(&format!("handoff:{}", hex(&token_hash(&token))));
    let value = format!("{user_id}/{}", mac.unwrap_or_default());
    let _: () = state
        .kv
        .pool()
        .next()
        .set(
            key,
            value,
            Some(fred::types::Expiration::EX(
                state.settings.session.handoff_ttl_seconds as i64,
            )),
            None,
            false,
        )
        .await?;
    Ok(token)
}

/// The portal page that exchanges a handoff token (the token stays in the fragment,
/// so it is never sent to a server log).
pub fn handoff_url(state: &AppState, token: &str) -> String {
    format!(
        "{}/buka#token={token}",
        state.settings.http.public_url.trim_end_matches('/')
    )
}

/// Takes a handoff token (single use: GETDEL) and returns its user and device MAC.
pub async fn take_handoff(
    state: &AppState,
    token: &str,
) -> Result<Option<(Uuid, Option<String>)>, fred::error::Error> {
    let key = state
        .kv
        .key(&format!("handoff:{}", hex(&token_hash(token))));
    let value: Option<String> = state.kv.pool().next().getdel(key).await?;
    Ok(value.and_then(|v| {
        let (user, mac) = v.split_once('/')?;
        Some((
            user.parse().ok()?,
            Some(mac.to_owned()).filter(|m| !m.is_empty()),
        ))
    }))
}
