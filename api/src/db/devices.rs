//! `devices`: a user's phones and laptops, identified by router-confirmed MAC.

use std::{collections::HashMap, net::IpAddr};

use deadpool_postgres::GenericClient;
use shared_types::DeviceView;
use time::OffsetDateTime;
use tokio_postgres::Row;
use uuid::Uuid;

use super::users::rfc3339;

const COLUMNS: &str =
    "id, user_id, router_id, mac, last_ip, label, randomized, first_seen, last_seen";

#[derive(Debug, Clone)]
pub struct Device {
    pub id: Uuid,
    pub user_id: Uuid,
    pub router_id: Option<Uuid>,
    pub mac: String,
    pub last_ip: Option<IpAddr>,
    pub label: Option<String>,
    pub randomized: bool,
    pub first_seen: OffsetDateTime,
    pub last_seen: OffsetDateTime,
}

impl Device {
    fn from_row(r: &Row) -> Self {
        Self {
            id: r.get("id"),
            user_id: r.get("user_id"),
            router_id: r.get("router_id"),
            mac: r.get("mac"),
            last_ip: r.get("last_ip"),
            label: r.get("label"),
            randomized: r.get("randomized"),
            first_seen: r.get("first_seen"),
            last_seen: r.get("last_seen"),
        }
    }

    pub fn view(&self, current: Option<Uuid>) -> DeviceView {
        DeviceView {
            id: self.id.to_string().into(),
            mac: self.mac.clone(),
            label: self.label.clone(),
            randomized: self.randomized,
            last_ip: self.last_ip.map(|ip| ip.to_string()),
            first_seen: rfc3339(self.first_seen).into(),
            last_seen: rfc3339(self.last_seen).into(),
            current: Some(self.id) == current,
        }
    }
}

/// A locally administered MAC (bit 1 of the first octet): Android/iOS "private" addresses.
pub fn is_randomized(mac: &str) -> bool {
    u8::from_str_radix(mac.get(0..2).unwrap_or("00"), 16).is_ok_and(|b| b & 0x02 != 0)
}

/// Who owns a MAC, if anyone.
pub async fn owner_of(
    db: &impl GenericClient,
    mac: &str,
) -> Result<Option<Uuid>, tokio_postgres::Error> {
    let stmt = db
        .prepare_cached("select user_id from devices where mac = $1")
        .await?;
    Ok(db.query_opt(&stmt, &[&mac]).await?.map(|r| r.get(0)))
}

pub async fn list(
    db: &impl GenericClient,
    user_id: Uuid,
) -> Result<Vec<Device>, tokio_postgres::Error> {
    let stmt = db
        .prepare_cached(&format!(
            "select {COLUMNS} from devices where user_id = $1 order by last_seen desc, id"
        ))
        .await?;
    Ok(db
        .query(&stmt, &[&user_id])
        .await?
        .iter()
        .map(Device::from_row)
        .collect())
}

pub async fn get(
    db: &impl GenericClient,
    user_id: Uuid,
    id: Uuid,
) -> Result<Option<Device>, tokio_postgres::Error> {
    let stmt = db
        .prepare_cached(&format!(
            "select {COLUMNS} from devices where user_id = $1 and id = $2"
        ))
        .await?;
    Ok(db
        .query_opt(&stmt, &[&user_id, &id])
        .await?
        .as_ref()
        .map(Device::from_row))
}

/// A user's device with this MAC.
pub async fn of_user_by_mac(
    db: &impl GenericClient,
    user_id: Uuid,
    mac: &str,
) -> Result<Option<Device>, tokio_postgres::Error> {
    let stmt = db
        .prepare_cached(&format!(
            "select {COLUMNS} from devices where user_id = $1 and mac = $2"
        ))
        .await?;
    Ok(db
        .query_opt(&stmt, &[&user_id, &mac])
        .await?
        .as_ref()
        .map(Device::from_row))
}

/// The result of recording a confirmed device.
pub enum Recorded {
    /// The device (new or refreshed) and the devices removed to stay within the limit.
    Ok {
        device: Device,
        replaced: Vec<Device>,
    },
    /// The MAC belongs to another user.
    Taken,
}

/// Records a device the router has seen log in to `user_id`'s account (never
/// one merely found at an address: docs/architecture.md, "Binding a device"),
/// keeping at most `max` devices by replacing the stalest. Call inside a
/// transaction that holds the user row lock.
pub async fn record(
    db: &impl GenericClient,
    user_id: Uuid,
    router_id: Uuid,
    mac: &str,
    ip: IpAddr,
    max: u32,
) -> Result<Recorded, tokio_postgres::Error> {
    let existing = db
        .query_opt(
            &format!("select {COLUMNS} from devices where mac = $1 for update"),
            &[&mac],
        )
        .await?
        .as_ref()
        .map(Device::from_row);
    if let Some(d) = existing {
        if d.user_id != user_id {
            return Ok(Recorded::Taken);
        }
        let row = db
            .query_one(
                &format!(
                    "update devices set last_ip = $2, router_id = $3, last_seen = now()
                     where id = $1 returning {COLUMNS}"
                ),
                &[&d.id, &ip, &router_id],
            )
            .await?;
        return Ok(Recorded::Ok {
            device: Device::from_row(&row),
            replaced: vec![],
        });
    }
    // Make room: keep the newest max-1, the new device is the max-th.
    let replaced: Vec<Device> = db
        .query(
            &format!(
                "delete from devices where id in (
                    select id from devices where user_id = $1
                    order by last_seen desc, id desc offset $2)
                 returning {COLUMNS}"
            ),
            &[&user_id, &(i64::from(max) - 1)],
        )
        .await?
        .iter()
        .map(Device::from_row)
        .collect();
    let row = db
        .query_one(
            &format!(
                "insert into devices (id, user_id, router_id, mac, last_ip, randomized)
                 values ($1, $2, $3, $4, $5, $6) returning {COLUMNS}"
            ),
            &[
                &Uuid::now_v7(),
                &user_id,
                &router_id,
                &mac,
                &ip,
                &is_randomized(mac),
            ],
        )
        .await?;
    Ok(Recorded::Ok {
        device: Device::from_row(&row),
        replaced,
    })
}

pub async fn set_label(
    db: &impl GenericClient,
    user_id: Uuid,
    id: Uuid,
    label: &str,
) -> Result<Option<Device>, tokio_postgres::Error> {
    Ok(db
        .query_opt(
            &format!(
                "update devices set label = $3 where user_id = $1 and id = $2 returning {COLUMNS}"
            ),
            &[&user_id, &id, &label],
        )
        .await?
        .as_ref()
        .map(Device::from_row))
}

pub async fn delete(
    db: &impl GenericClient,
    user_id: Uuid,
    id: Uuid,
) -> Result<Option<Device>, tokio_postgres::Error> {
    Ok(db
        .query_opt(
            &format!("delete from devices where user_id = $1 and id = $2 returning {COLUMNS}"),
            &[&user_id, &id],
        )
        .await?
        .as_ref()
        .map(Device::from_row))
}

/// The most recently seen device at this address (for the captive API).
pub async fn by_last_ip(
    db: &impl GenericClient,
    ip: IpAddr,
) -> Result<Option<Device>, tokio_postgres::Error> {
    let stmt = db
        .prepare_cached(&format!(
            "select {COLUMNS} from devices where last_ip = $1 order by last_seen desc limit 1"
        ))
        .await?;
    Ok(db
        .query_opt(&stmt, &[&ip])
        .await?
        .as_ref()
        .map(Device::from_row))
}

/// The MACs of these users' devices, per user (one read per cycle).
pub async fn macs_of_users(
    db: &impl GenericClient,
    users: &[Uuid],
) -> Result<HashMap<Uuid, Vec<String>>, tokio_postgres::Error> {
    let stmt = db
        .prepare_cached("select user_id, mac from devices where user_id = any($1) order by mac")
        .await?;
    let mut out: HashMap<Uuid, Vec<String>> = HashMap::new();
    for r in db.query(&stmt, &[&users]).await? {
        out.entry(r.get(0)).or_default().push(r.get(1));
    }
    Ok(out)
}

/// Marks devices the router saw with traffic in this cycle (one statement).
pub async fn touch(db: &impl GenericClient, macs: &[String]) -> Result<u64, tokio_postgres::Error> {
    if macs.is_empty() {
        return Ok(0);
    }
    let stmt = db
        .prepare_cached("update devices set last_seen = now() where mac = any($1)")
        .await?;
    db.execute(&stmt, &[&macs]).await
}

/// Devices without traffic for `days`, removed; returns (owner, MAC, router) of each.
pub async fn delete_unseen_for_days(
    db: &impl GenericClient,
    days: u32,
) -> Result<Vec<(Uuid, String, Option<Uuid>)>, tokio_postgres::Error> {
    let stmt = db
        .prepare_cached(
            "delete from devices where last_seen < now() - make_interval(days => $1) \
             returning user_id, mac, router_id",
        )
        .await?;
    Ok(db
        .query(&stmt, &[&(days as i32)])
        .await?
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect())
}

/// The owners of these MACs: MAC → (user id, name, hotspot account name).
pub async fn owners_with_names(
    db: &impl GenericClient,
    macs: &[String],
) -> Result<HashMap<String, (Uuid, String, Option<String>)>, tokio_postgres::Error> {
    if macs.is_empty() {
        return Ok(HashMap::new());
    }
    // `owned` has only `user_id` and `mac`, so the users' column list stays unqualified.
    let rows = db
        .query(
            &format!(
                "with owned as (select user_id, mac from devices where mac = any($1))
                 select {}, owned.mac as device_mac
                 from users join owned on owned.user_id = users.id",
                super::users::COLUMNS
            ),
            &[&macs],
        )
        .await?;
    Ok(rows
        .iter()
        .map(|r| {
            let u = super::users::User::from_row(r);
            (
                r.get("device_mac"),
                (u.id, u.name.clone(), u.hotspot_username()),
            )
        })
        .collect())
}

#[cfg(test)]
mod tests {
    #[test]
    fn locally_administered_macs_are_flagged() {
        assert!(super::is_randomized("DA:A1:19:00:00:01"));
        assert!(super::is_randomized("02:00:00:00:00:01"));
        assert!(!super::is_randomized("00:1A:2B:3C:4D:5E"));
        assert!(!super::is_randomized("F0:00:00:00:00:01"));
    }
}
