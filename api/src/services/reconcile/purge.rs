//! Deleting a user from a router.

use routeros::{menus::HotspotUser, menus::Menu, Query};

use super::apply::remove_where;
use crate::{
    db::users::User,
    integrations::routers::RouterClient,
    services::router_account::{owner_comment, HotspotError},
};

/// Deleting a user: everything of theirs leaves the router, in this order —
/// live sessions, hosts of their devices, MAC cookies, bypass bindings, FUP
/// queue, address-list entries, and last the hotspot account. Only objects
/// gerbang made (by name or owner comment) are touched.
pub async fn purge_user(
    client: &RouterClient,
    user: &User,
    macs: &[String],
) -> Result<usize, HotspotError> {
    let Some(name) = user.hotspot_username() else {
        return Ok(0);
    };
    let owner = || Query::Eq("comment".into(), owner_comment(&user.id));
    let by_user = || Query::Eq("user".into(), name.clone());
    let mut writes = remove_where(client, routeros::menus::Active::PATH, by_user()).await?;
    for mac in macs {
        writes += remove_where(
            client,
            routeros::menus::Host::PATH,
            Query::Eq("mac-address".into(), mac.clone()),
        )
        .await?;
    }
    writes += remove_where(client, routeros::menus::Cookie::PATH, by_user()).await?;
    writes += remove_where(client, routeros::menus::IpBinding::PATH, owner()).await?;
    writes += remove_where(client, routeros::menus::SimpleQueue::PATH, owner()).await?;
    writes += remove_where(client, routeros::menus::AddressListEntry::PATH, owner()).await?;
    writes += remove_where(client, HotspotUser::PATH, owner()).await?;
    Ok(writes)
}

/// Deleting a staff member: the hotspot account whose comment is their
/// operator key leaves the router with its live sessions and MAC cookies
/// (found by the account's current name, which the staff member may have
/// changed). Nothing else on the router is theirs.
pub async fn purge_staff(client: &RouterClient, operator_key: &str) -> Result<usize, HotspotError> {
    let by_key = || Query::Eq("comment".into(), operator_key.to_owned());
    let accounts = routeros::menus::list::<HotspotUser>(client.api(), [by_key()])
        .await
        .map_err(|e| client.err(e))?;
    let mut writes = 0;
    for name in accounts.into_iter().filter_map(|a| a.name) {
        let by_user = || Query::Eq("user".into(), name.clone());
        writes += remove_where(client, routeros::menus::Active::PATH, by_user()).await?;
        writes += remove_where(client, routeros::menus::Cookie::PATH, by_user()).await?;
    }
    writes += remove_where(client, HotspotUser::PATH, by_key()).await?;
    Ok(writes)
}

/// Ends a user's hotspot logins: their MAC cookies go first (so no device
/// logs back in with one), then every live session. Returns how many
/// sessions ended.
pub async fn end_logins(client: &RouterClient, user: &User) -> Result<usize, HotspotError> {
    let Some(name) = user.hotspot_username() else {
        return Ok(0);
    };
    remove_where(
        client,
        routeros::menus::Cookie::PATH,
        Query::Eq("user".into(), name.clone()),
    )
    .await?;
    let sessions: Vec<_> = routeros::menus::list::<routeros::menus::Active>(
        client.api(),
        [Query::Eq("user".into(), name)],
    )
    .await
    .map_err(|e| client.err(e))?
    .into_iter()
    .filter_map(|a| a.id)
    .collect();
    match client.api().hotspot_kick(&sessions).await {
        Err(routeros::Error::Trap(t)) if t.is_not_found() => Ok(0),
        r => r.map(|_| sessions.len()).map_err(|e| client.err(e).into()),
    }
}
