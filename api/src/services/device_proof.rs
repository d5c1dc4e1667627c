//! Binding a device to an account only on proof (docs/architecture.md,
//! "Binding a device"): a device is recorded when the router shows this
//! account's hotspot session from its MAC — only the device itself can post
//! the login form, so only it can make that session. A MAC the router merely
//! finds at an address a caller named proves nothing and is never recorded.
//!
//! Two places record proofs: `services::devices::confirm_current` (the
//! portal, right after the form POST) and the worker's cycle (whatever the
//! portal did not get to).

use std::net::IpAddr;

use uuid::Uuid;

use crate::{
    db::{
        self,
        audit::Entry,
        devices::{Device, Recorded},
    },
    services::StoreError,
    state::AppState,
};

/// Who recorded the proof (for the audit log).
#[derive(Debug, Clone, Copy)]
pub enum ProvenBy {
    /// The person's own session, right after the form POST.
    Session(Uuid),
    /// The worker's cycle.
    Worker,
}

/// What recording a proven device did.
pub enum Proof {
    /// Recorded (new or refreshed); `replaced` were removed to stay within the limit.
    Recorded {
        device: Device,
        replaced: Vec<Device>,
    },
    /// The MAC is another account's device: nothing changed.
    Taken,
    /// The user is gone.
    NoUser,
}

/// Records `mac`, seen logged in to `user_id`'s account at `ip`, as their
/// device (at most `devices.max_per_user`, the stalest replaced) — under the
/// user's row lock, audited, in one transaction. With `ProvenBy::Session`
/// the session is tied to the device.
pub async fn record_proven(
    state: &AppState,
    user_id: Uuid,
    router_id: Uuid,
    mac: &str,
    ip: IpAddr,
    by: ProvenBy,
) -> Result<Proof, StoreError> {
    let mut db = state.db.get().await?;
    let tx = db.transaction().await?;
    if db::users::by_id_for_update(&tx, user_id).await?.is_none() {
        return Ok(Proof::NoUser);
    }
    let max = u32::try_from(state.facility().await.devices_per_user).unwrap_or(1);
    let (device, replaced) =
        match db::devices::record(&tx, user_id, router_id, mac, ip, max).await? {
            Recorded::Ok { device, replaced } => (device, replaced),
            Recorded::Taken => return Ok(Proof::Taken),
        };
    let mut entry = match by {
        ProvenBy::Session(session) => {
            db::sessions::set_device(&tx, session, device.id).await?;
            Entry::user(user_id, "device.proven").detail("session_id", session.to_string())
        }
        ProvenBy::Worker => Entry::system("device.proven").detail("user_id", user_id.to_string()),
    }
    .target("device", device.id)
    .detail("mac", mac.to_owned())
    .detail("ip", ip.to_string());
    for r in &replaced {
        entry = entry.detail("replaced_mac", r.mac.clone());
    }
    db::audit::record(&tx, &entry).await?;
    tx.commit().await?;
    Ok(Proof::Recorded { device, replaced })
}
