//! `sessions` and `refresh_tokens`: logins, each a family of rotating refresh tokens.

use std::net::IpAddr;

use deadpool_postgres::GenericClient;
use shared_types::Role;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

/// How a session began.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Otp,
    Password,
    Handoff,
}

impl Kind {
    fn as_str(self) -> &'static str {
        match self {
            Kind::Otp => "otp",
            Kind::Password => "password",
            Kind::Handoff => "handoff",
        }
    }
}

/// The device a session is tied to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionDevice {
    /// Not opened from the hotspot (or no device is known).
    None,
    /// A device the router has seen log in to this account.
    Proven(Uuid),
    /// The MAC the router placed at the caller's address, not yet seen logging
    /// in (docs/architecture.md, "Binding a device").
    Pending(String),
}

/// A new session's tokens (hashes only are stored).
pub struct NewSession<'a> {
    pub user_id: Uuid,
    pub device: SessionDevice,
    pub kind: Kind,
    pub session_version: i32,
    pub access_hash: &'a [u8],
    pub access_ttl: Duration,
    pub refresh_hash: &'a [u8],
    pub lifetime: Duration,
    pub ip: IpAddr,
    pub user_agent: Option<&'a str>,
}

pub async fn insert(
    db: &impl GenericClient,
    s: &NewSession<'_>,
) -> Result<Uuid, tokio_postgres::Error> {
    let id = Uuid::now_v7();
    let now = OffsetDateTime::now_utc();
    let expires = now + s.lifetime;
    let (device_id, pending_mac) = match &s.device {
        SessionDevice::None => (None, None),
        SessionDevice::Proven(id) => (Some(*id), None),
        SessionDevice::Pending(mac) => (None, Some(mac.as_str())),
    };
    db.execute(
        "insert into sessions (id, user_id, device_id, pending_mac, kind, session_version,
                               access_hash, access_expires_at, ip, user_agent, expires_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        &[
            &id,
            &s.user_id,
            &device_id,
            &pending_mac,
            &s.kind.as_str(),
            &s.session_version,
            &s.access_hash,
            &(now + s.access_ttl),
            &s.ip,
            &s.user_agent,
            &expires,
        ],
    )
    .await?;
    db.execute(
        "insert into refresh_tokens (id, session_id, token_hash, expires_at) values ($1, $2, $3, $4)",
        &[&Uuid::now_v7(), &id, &s.refresh_hash, &expires],
    )
    .await?;
    Ok(id)
}

/// Who an access token belongs to, if it is valid right now.
#[derive(Debug, Clone, Copy)]
pub struct Authenticated {
    pub session_id: Uuid,
    pub user_id: Uuid,
    pub device_id: Option<Uuid>,
    pub role: Role,
}

/// Looks up a live access token: session not revoked or expired, user not
/// blocked or deactivated, session version current.
pub async fn authenticate(
    db: &impl GenericClient,
    access_hash: &[u8],
) -> Result<Option<Authenticated>, tokio_postgres::Error> {
    let stmt = db
        .prepare_cached(
            "select s.id, s.user_id, s.device_id, u.role
             from sessions s join users u on u.id = s.user_id
             where s.access_hash = $1 and s.access_expires_at > now()
               and s.revoked_at is null and s.expires_at > now()
               and s.session_version = u.session_version
               and not u.blocked and u.active and u.approval = 'approved'",
        )
        .await?;
    Ok(db.query_opt(&stmt, &[&access_hash]).await?.map(|r| {
        let role: String = r.get(3);
        Authenticated {
            session_id: r.get(0),
            user_id: r.get(1),
            device_id: r.get(2),
            role: Role::parse(&role).unwrap_or(Role::Resident),
        }
    }))
}

/// What happened to a refresh attempt.
pub enum Refreshed {
    /// Rotated: the session continues with new tokens.
    Rotated { session_id: Uuid, user_id: Uuid },
    /// Unknown or expired token, or a session that ended.
    Invalid,
    /// A token that was already used: the whole family is now revoked.
    Reused { session_id: Uuid, user_id: Uuid },
}

/// Rotates a refresh token inside the caller's transaction.
pub async fn rotate(
    db: &impl GenericClient,
    old_hash: &[u8],
    new_refresh_hash: &[u8],
    new_access_hash: &[u8],
    access_ttl: Duration,
) -> Result<Refreshed, tokio_postgres::Error> {
    // Row lock: a concurrent use of the same token waits and then sees it used.
    let Some(row) = db
        .query_opt(
            "select rt.id, rt.session_id, rt.used_at is not null, rt.expires_at > now(),
                    s.revoked_at is null and s.expires_at > now()
                      and s.session_version = u.session_version
                      and not u.blocked and u.active and u.approval = 'approved',
                    s.user_id
             from refresh_tokens rt
             join sessions s on s.id = rt.session_id
             join users u on u.id = s.user_id
             where rt.token_hash = $1
             for update of rt",
            &[&old_hash],
        )
        .await?
    else {
        return Ok(Refreshed::Invalid);
    };
    let (token_id, session_id, used, fresh, session_ok, user_id): (
        Uuid,
        Uuid,
        bool,
        bool,
        bool,
        Uuid,
    ) = (
        row.get(0),
        row.get(1),
        row.get(2),
        row.get(3),
        row.get(4),
        row.get(5),
    );
    if used {
        revoke(db, session_id, "refresh_token_reused").await?;
        return Ok(Refreshed::Reused {
            session_id,
            user_id,
        });
    }
    if !fresh || !session_ok {
        return Ok(Refreshed::Invalid);
    }
    db.execute(
        "update refresh_tokens set used_at = now() where id = $1",
        &[&token_id],
    )
    .await?;
    db.execute(
        "insert into refresh_tokens (id, session_id, parent_id, token_hash, expires_at)
         select $1, s.id, $2, $3, s.expires_at from sessions s where s.id = $4",
        &[&Uuid::now_v7(), &token_id, &new_refresh_hash, &session_id],
    )
    .await?;
    db.execute(
        "update sessions set access_hash = $2, access_expires_at = $3, last_used_at = now()
         where id = $1",
        &[
            &session_id,
            &new_access_hash,
            &(OffsetDateTime::now_utc() + access_ttl),
        ],
    )
    .await?;
    Ok(Refreshed::Rotated {
        session_id,
        user_id,
    })
}

/// The MAC a session waits to see log in, if any.
pub async fn pending_mac(
    db: &impl GenericClient,
    session_id: Uuid,
) -> Result<Option<String>, tokio_postgres::Error> {
    Ok(db
        .query_opt(
            "select pending_mac from sessions where id = $1",
            &[&session_id],
        )
        .await?
        .and_then(|r| r.get(0)))
}

/// Ties a session to its now proven device.
pub async fn set_device(
    db: &impl GenericClient,
    session_id: Uuid,
    device_id: Uuid,
) -> Result<(), tokio_postgres::Error> {
    db.execute(
        "update sessions set device_id = $2, pending_mac = null where id = $1",
        &[&session_id, &device_id],
    )
    .await?;
    Ok(())
}

/// Ends one session (all its tokens stop working).
pub async fn revoke(
    db: &impl GenericClient,
    session_id: Uuid,
    reason: &str,
) -> Result<bool, tokio_postgres::Error> {
    Ok(db
        .execute(
            "update sessions set revoked_at = now(), revoked_reason = $2, access_hash = null
             where id = $1 and revoked_at is null",
            &[&session_id, &reason],
        )
        .await?
        > 0)
}

/// Ends every live session of a user.
/// Revokes every live session of a user except `keep` (the one asking).
pub async fn revoke_others(
    db: &impl GenericClient,
    user_id: Uuid,
    keep: Option<Uuid>,
    reason: &str,
) -> Result<u64, tokio_postgres::Error> {
    db.execute(
        "update sessions set revoked_at = now(), revoked_reason = $3, access_hash = null
         where user_id = $1 and revoked_at is null and ($2::uuid is null or id <> $2)",
        &[&user_id, &keep, &reason],
    )
    .await
}

pub async fn revoke_all_of_user(
    db: &impl GenericClient,
    user_id: Uuid,
    reason: &str,
) -> Result<u64, tokio_postgres::Error> {
    db.execute(
        "update sessions set revoked_at = now(), revoked_reason = $2, access_hash = null
         where user_id = $1 and revoked_at is null",
        &[&user_id, &reason],
    )
    .await
}

/// The session a refresh token belongs to (for logout with only the refresh cookie).
pub async fn session_of_refresh(
    db: &impl GenericClient,
    hash: &[u8],
) -> Result<Option<Uuid>, tokio_postgres::Error> {
    Ok(db
        .query_opt(
            "select session_id from refresh_tokens where token_hash = $1",
            &[&hash],
        )
        .await?
        .map(|r| r.get(0)))
}

/// Deletes sessions that expired or were revoked more than `days` ago.
pub async fn delete_ended_before_days(
    db: &impl GenericClient,
    days: i32,
) -> Result<u64, tokio_postgres::Error> {
    db.execute(
        "delete from sessions
         where coalesce(least(revoked_at, expires_at), expires_at) < now() - make_interval(days => $1)",
        &[&days],
    )
    .await
}
