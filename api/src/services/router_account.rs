//! The pieces every router-side service shares about one person's objects on
//! a router: which router they belong to, the owner mark on gerbang's objects,
//! their sealed hotspot password, and their bypass ip-bindings. Both the
//! login handoff (`hotspot`) and the reconciler use these; neither imports
//! the other for them.

use routeros::{
    menus::{list, IpBinding, Menu},
    Query, Row,
};
use uuid::Uuid;

use crate::{
    crypto::{aad, new_hotspot_password},
    db::{routers::RouterRow, users::User},
    integrations::routers::{RouterClient, RouterError},
    state::AppState,
};

/// What can go wrong while gerbang works on a router for a person.
#[derive(Debug, thiserror::Error)]
pub enum HotspotError {
    #[error("the device address is not valid")]
    BadAddress,
    #[error("the router does not confirm this device")]
    NotConfirmed,
    #[error(transparent)]
    Router(#[from] RouterError),
    #[error("no router is configured")]
    NoRouter,
    #[error("database: {0}")]
    Db(#[from] tokio_postgres::Error),
    #[error("database pool: {0}")]
    Pool(#[from] deadpool_postgres::PoolError),
    #[error("stored hotspot password cannot be opened: {0}")]
    Sealed(#[from] crate::crypto::OpenError),
    #[error(transparent)]
    Store(#[from] crate::services::StoreError),
}

/// The comment that marks a router object as gerbang's, for this user.
pub fn owner_comment(user_id: &Uuid) -> String {
    format!("gerbang:uid={user_id}")
}

/// Whether a router object is one gerbang made (owner comment, not dynamic).
pub fn is_ours(row: &Row) -> bool {
    row.text("comment")
        .is_some_and(|c| c.starts_with("gerbang:"))
        && row.text("dynamic").as_deref() != Some("true")
}

/// The router a user belongs to (their own, else the default one).
pub async fn router_of(state: &AppState, user: &User) -> Result<RouterRow, HotspotError> {
    let db = state.db.get().await?;
    let row = match user.router_id {
        Some(id) => crate::db::routers::by_id(&db, id).await?,
        None => None,
    };
    match row {
        Some(r) => Ok(r),
        None => crate::db::routers::default_router(&db)
            .await?
            .ok_or(HotspotError::NoRouter),
    }
}

/// The user's router and a pooled API session to it.
pub async fn session_for(
    state: &AppState,
    user: &User,
) -> Result<(RouterRow, RouterClient), HotspotError> {
    let router = router_of(state, user).await?;
    let client = state.routers.client(&router).await?;
    Ok((router, client))
}

/// The user's hotspot password in clear, creating and storing a sealed one when missing.
pub async fn password_of(
    state: &AppState,
    user: &User,
) -> Result<zeroize::Zeroizing<String>, HotspotError> {
    let ad = aad("users", "hotspot_password_sealed", &user.id);
    let sealed = match &user.hotspot_password_sealed {
        Some(s) => s.clone(),
        None => {
            let fresh = state.sealer.seal(&new_hotspot_password(), &ad);
            let db = state.db.get().await?;
            crate::db::users::set_hotspot_password_if_missing(&db, user.id, &fresh).await?
        }
    };
    Ok(state.sealer.open(&sealed, &ad)?)
}

/// Makes sure a bypass ip-binding exists for the device.
pub async fn ensure_binding(
    client: &RouterClient,
    router: &RouterRow,
    user: &User,
    mac: &str,
) -> Result<(), HotspotError> {
    let api = client.api();
    let bindings = list::<IpBinding>(api, [Query::Eq("mac-address".into(), mac.to_owned())])
        .await
        .map_err(|e| client.err(e))?;
    let comment = owner_comment(&user.id);
    if let Some(b) = bindings.first() {
        if b.kind.as_deref() == Some("bypassed") && b.comment.as_deref() == Some(comment.as_str()) {
            return Ok(());
        }
        if let Some(id) = &b.id {
            api.set(
                IpBinding::PATH,
                *id,
                [("type", "bypassed"), ("comment", comment.as_str())],
            )
            .await
            .map_err(|e| client.err(e))?;
        }
        return Ok(());
    }
    api.add(
        IpBinding::PATH,
        [
            ("mac-address", mac),
            ("type", "bypassed"),
            ("server", router.hotspot_server.as_str()),
            ("comment", comment.as_str()),
        ],
    )
    .await
    .map_err(|e| client.err(e))?;
    Ok(())
}

/// Removes the bypass binding of a device that was replaced or deleted.
pub async fn remove_binding(client: &RouterClient, mac: &str) -> Result<(), HotspotError> {
    let api = client.api();
    let ids: Vec<_> = list::<IpBinding>(api, [Query::Eq("mac-address".into(), mac.to_owned())])
        .await
        .map_err(|e| client.err(e))?
        .into_iter()
        .filter(|b| {
            b.comment
                .as_deref()
                .is_some_and(|c| c.starts_with("gerbang:"))
        })
        .filter_map(|b| b.id)
        .collect();
    if !ids.is_empty() {
        api.remove(IpBinding::PATH, &ids)
            .await
            .map_err(|e| client.err(e))?;
    }
    Ok(())
}
