//! WhatsApp notifications through the outbox: each event puts exactly one
//! message in the fake WhatsApp inbox, with its text; delivery survives a
//! gateway outage and a worker killed mid-send without sending twice.

mod delivery;
mod events;
mod screen;

use uuid::Uuid;

use crate::helpers::*;

/// The admin's WhatsApp number in these tests.
pub const ADMIN_PHONE: &str = "+6281200000099";

/// Gives the super admin `kepala` a WhatsApp number.
pub async fn admin_phone(w: &World) {
    w.app
        .db()
        .await
        .execute(
            "update users set phone = $1 where username = 'kepala'",
            &[&ADMIN_PHONE],
        )
        .await
        .unwrap();
}

/// The outbox rows of `kind`: (status, attempts, error).
pub async fn outbox_of(w: &World, kind: &str) -> Vec<(String, i32, Option<String>)> {
    w.app
        .db()
        .await
        .query(
            "select status, attempts, error from whatsapp_outbox where kind = $1 order by created_at",
            &[&kind],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect()
}

/// The id of the only outbox row of `kind`.
pub async fn message_id(w: &World, kind: &str) -> Uuid {
    w.app
        .db()
        .await
        .query_one("select id from whatsapp_outbox where kind = $1", &[&kind])
        .await
        .unwrap()
        .get(0)
}
