//! Writing to the router: a batch of [`Change`]s in flight at once, logging
//! sessions in again, and removing by query.

use futures_util::future::join_all;
use routeros::{Query, Row};

use super::{diff::Change, snapshot::text_of};
use crate::{integrations::routers::RouterClient, services::router_account::HotspotError};

/// The session for `commands` sent at once: the router answers them in
/// order, so the time allowed grows with the batch (a slow router that works
/// converges; the worker's cycle deadline still bounds the whole cycle).
pub(super) fn batch_session(client: &RouterClient, commands: usize) -> routeros::Client {
    let one = client.api().command_timeout();
    let n = u32::try_from(commands.max(1)).unwrap_or(u32::MAX);
    client.api().with_command_timeout(one.saturating_mul(n))
}

/// Applies changes, all in flight at once. Adding what already exists and
/// removing what is already gone count as done (a retried cycle converges).
pub async fn apply(client: &RouterClient, changes: Vec<Change>) -> Result<usize, HotspotError> {
    let session = batch_session(client, changes.len());
    let api = &session;
    let n = changes.len();
    let results = join_all(changes.into_iter().map(|c| async move {
        fn attrs<'a>(props: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
            props.iter().map(|(k, v)| (*k, v.as_str())).collect()
        }
        match c {
            Change::Add(path, props) => match api.add(path, attrs(&props)).await {
                Err(routeros::Error::Trap(t)) if t.is_duplicate() => Ok(()),
                r => r.map(drop),
            },
            Change::Set(path, id, props) => api.set(path, id, attrs(&props)).await,
            Change::Unset(path, id, prop) => api.unset(path, id, prop).await,
            Change::Remove(path, id) => match api.remove(path, &[id]).await {
                Err(routeros::Error::Trap(t)) if t.is_not_found() => Ok(()),
                r => r,
            },
        }
    }))
    .await;
    for r in results {
        r.map_err(|e| client.err(e))?;
    }
    Ok(n)
}

/// Ends these sessions (one command); returns the writes made.
pub(super) async fn kick(client: &RouterClient, sessions: &[&Row]) -> Result<usize, HotspotError> {
    let ids: Vec<_> = sessions.iter().filter_map(|a| a.id()).collect();
    if ids.is_empty() {
        return Ok(0);
    }
    client
        .api()
        .hotspot_kick(&ids)
        .await
        .map_err(|e| client.err(e))?;
    Ok(1)
}

/// A session to log in again, with the account it belongs to.
pub(super) struct Relogin<'a> {
    pub session: &'a Row,
    pub name: &'a str,
    pub password: &'a str,
}

/// Ends these sessions and logs the same devices in again with the account's
/// current limit and profile (the user does nothing).
pub(super) async fn relogin(
    client: &RouterClient,
    sessions: &[Relogin<'_>],
) -> Result<usize, HotspotError> {
    if sessions.is_empty() {
        return Ok(0);
    }
    let session = batch_session(client, sessions.len());
    let api = &session;
    let ended: Vec<&Row> = sessions.iter().map(|r| r.session).collect();
    kick(client, &ended).await?;
    let logins = join_all(sessions.iter().map(|r| async move {
        let mac: routeros::Mac = r
            .session
            .text("mac-address")
            .and_then(|m| m.parse().ok())
            .ok_or(HotspotError::BadAddress)?;
        api.hotspot_login(r.name, r.password, mac, &text_of(r.session, "address"))
            .await
            .map_err(|e| HotspotError::from(client.err(e)))
    }))
    .await;
    for r in logins {
        r?;
    }
    Ok(1 + sessions.len())
}

/// Removes every item of `path` that matches `q` (one read, one write).
pub(super) async fn remove_where(
    client: &RouterClient,
    path: &str,
    q: Query,
) -> Result<usize, HotspotError> {
    let api = client.api();
    let ids: Vec<_> = api
        .print(path)
        .proplist(&[".id"])
        .query(q)
        .rows()
        .await
        .map_err(|e| client.err(e))?
        .iter()
        .filter_map(Row::id)
        .collect();
    if ids.is_empty() {
        return Ok(0);
    }
    match api.remove(path, &ids).await {
        Err(routeros::Error::Trap(t)) if t.is_not_found() => Ok(0),
        r => r.map(|_| 1).map_err(|e| client.err(e).into()),
    }
}
