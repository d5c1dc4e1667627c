//! `whatsapp_outbox` and `notification_optouts` (docs/notifications.md).

use deadpool_postgres::GenericClient;
use shared_types::{AdminEvent, MessageCounts, MessageStatus};
use time::{OffsetDateTime, PrimitiveDateTime};
use uuid::Uuid;

/// A message to queue.
pub struct NewMessage<'a> {
    /// Names the event and the recipient: the same key is queued once.
    pub dedupe_key: &'a str,
    pub kind: &'a str,
    /// `62…` (a stored `+62…` phone is accepted).
    pub target: &'a str,
    pub recipient_id: Option<Uuid>,
    pub body: &'a str,
    pub urgent: bool,
    pub expire_hours: u32,
}

/// Queues a message unless its key was queued before. Returns whether it is new.
pub async fn enqueue(
    db: &impl GenericClient,
    m: &NewMessage<'_>,
) -> Result<bool, tokio_postgres::Error> {
    let stmt = db
        .prepare_cached(
            "insert into whatsapp_outbox (id, dedupe_key, kind, target, recipient_id, body,
                                          urgent, expires_at)
             values ($1, $2, $3, $4, $5, $6, $7, now() + make_interval(hours => $8))
             on conflict (dedupe_key) do nothing",
        )
        .await?;
    let n = db
        .execute(
            &stmt,
            &[
                &Uuid::now_v7(),
                &m.dedupe_key,
                &m.kind,
                &m.target.trim_start_matches('+'),
                &m.recipient_id,
                &m.body,
                &m.urgent,
                &(m.expire_hours.max(1) as i32),
            ],
        )
        .await?;
    Ok(n == 1)
}

/// Waiting messages of these kinds to `recipient` that a newer one makes
/// wrong (a "blocked" still waiting when "unblocked" is queued): failed as
/// superseded. Returns how many.
pub async fn supersede(
    db: &impl GenericClient,
    recipient: Uuid,
    kinds: &[&str],
) -> Result<u64, tokio_postgres::Error> {
    db.execute(
        "update whatsapp_outbox set status = 'failed', error = 'superseded: a newer message replaces it'
         where recipient_id = $1 and kind = any($2) and status = 'waiting'",
        &[&recipient, &kinds],
    )
    .await
}

/// Waiting messages to a person who is being deleted: failed, never sent.
pub async fn drop_waiting_to(
    db: &impl GenericClient,
    recipient: Uuid,
) -> Result<u64, tokio_postgres::Error> {
    db.execute(
        "update whatsapp_outbox set status = 'failed', error = 'recipient deleted'
         where recipient_id = $1 and status = 'waiting'",
        &[&recipient],
    )
    .await
}

/// Active admins with a WhatsApp number who did not turn `event` off: (id, phone).
pub async fn subscribers(
    db: &impl GenericClient,
    event: AdminEvent,
) -> Result<Vec<(Uuid, String)>, tokio_postgres::Error> {
    let stmt = db
        .prepare_cached(
            "select u.id, u.phone from users u
             where u.role in ('admin', 'super_admin') and u.phone is not null
               and u.active and not u.blocked
               and not exists (select 1 from notification_optouts o
                               where o.user_id = u.id and o.event = $1)
             order by u.created_at",
        )
        .await?;
    Ok(db
        .query(&stmt, &[&event.as_str()])
        .await?
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect())
}

/// The events `user` turned off.
pub async fn optouts(
    db: &impl GenericClient,
    user: Uuid,
) -> Result<Vec<String>, tokio_postgres::Error> {
    let stmt = db
        .prepare_cached("select event from notification_optouts where user_id = $1")
        .await?;
    Ok(db
        .query(&stmt, &[&user])
        .await?
        .iter()
        .map(|r| r.get(0))
        .collect())
}

/// Replaces `user`'s opt-outs.
pub async fn set_optouts(
    db: &impl GenericClient,
    user: Uuid,
    events: &[&str],
) -> Result<(), tokio_postgres::Error> {
    db.execute(
        "delete from notification_optouts where user_id = $1",
        &[&user],
    )
    .await?;
    for e in events {
        db.execute(
            "insert into notification_optouts (user_id, event) values ($1, $2)",
            &[&user, e],
        )
        .await?;
    }
    Ok(())
}

/// A message claimed for sending.
#[derive(Debug)]
pub struct Claimed {
    pub id: Uuid,
    pub target: String,
    pub body: String,
    pub attempts: i32,
}

/// Claims the next due message (urgent first, then oldest), marking it
/// `sending`: no other worker takes it. `quiet`: only urgent ones.
pub async fn claim_next(
    db: &impl GenericClient,
    now: OffsetDateTime,
    quiet: bool,
) -> Result<Option<Claimed>, tokio_postgres::Error> {
    let stmt = db
        .prepare_cached(
            "update whatsapp_outbox set status = 'sending', claimed_at = now(),
                                        attempts = attempts + 1
             where id = (select id from whatsapp_outbox
                         where status = 'waiting' and next_attempt_at <= $1
                           and expires_at > $1 and (urgent or not $2)
                         order by urgent desc, next_attempt_at, id
                         limit 1 for update skip locked)
             returning id, target, body, attempts",
        )
        .await?;
    Ok(db
        .query_opt(&stmt, &[&now, &quiet])
        .await?
        .map(|r| Claimed {
            id: r.get(0),
            target: r.get(1),
            body: r.get(2),
            attempts: r.get(3),
        }))
}

/// The gateway accepted the message.
pub async fn mark_sent(
    db: &impl GenericClient,
    id: Uuid,
    provider_id: Option<i64>,
) -> Result<(), tokio_postgres::Error> {
    db.execute(
        "update whatsapp_outbox set status = 'sent', sent_at = now(), claimed_at = null,
                                    provider_id = $2, error = null
         where id = $1 and status = 'sending'",
        &[&id, &provider_id],
    )
    .await?;
    Ok(())
}

/// The send failed for now: try again at `at`.
pub async fn mark_retry(
    db: &impl GenericClient,
    id: Uuid,
    at: OffsetDateTime,
    error: &str,
) -> Result<(), tokio_postgres::Error> {
    db.execute(
        "update whatsapp_outbox set status = 'waiting', claimed_at = null,
                                    next_attempt_at = $2, error = $3
         where id = $1 and status = 'sending'",
        &[&id, &at, &error],
    )
    .await?;
    Ok(())
}

/// The message cannot be delivered.
pub async fn mark_failed(
    db: &impl GenericClient,
    id: Uuid,
    error: &str,
) -> Result<(), tokio_postgres::Error> {
    db.execute(
        "update whatsapp_outbox set status = 'failed', claimed_at = null, error = $2
         where id = $1 and status = 'sending'",
        &[&id, &error],
    )
    .await?;
    Ok(())
}

/// Messages claimed before `before` whose outcome was never recorded (the
/// worker stopped mid-send): failed, never re-sent on their own, because
/// the gateway may have taken them. Returns how many.
pub async fn fail_interrupted(
    db: &impl GenericClient,
    before: OffsetDateTime,
) -> Result<u64, tokio_postgres::Error> {
    db.execute(
        "update whatsapp_outbox set status = 'failed', claimed_at = null,
                                    error = 'interrupted: the gateway may have sent it'
         where status = 'sending' and claimed_at < $1",
        &[&before],
    )
    .await
}

/// Waiting messages past their expiry: failed as stale. Returns how many.
pub async fn fail_expired(
    db: &impl GenericClient,
    now: OffsetDateTime,
) -> Result<u64, tokio_postgres::Error> {
    db.execute(
        "update whatsapp_outbox set status = 'failed', error = 'expired: not delivered in time'
         where status = 'waiting' and expires_at <= $1",
        &[&now],
    )
    .await
}

/// Notifications sent on `now`'s day in `time_zone`.
pub async fn sent_on_day_of(
    db: &impl GenericClient,
    now: OffsetDateTime,
    time_zone: &str,
) -> Result<i64, tokio_postgres::Error> {
    let stmt = db
        .prepare_cached(
            "select count(*) from whatsapp_outbox
             where status = 'sent'
               and sent_at >= (date_trunc('day', $1 at time zone $2) at time zone $2)",
        )
        .await?;
    Ok(db.query_one(&stmt, &[&now, &time_zone]).await?.get(0))
}

/// `t` on the facility's wall clock.
pub async fn local_time(
    db: &impl GenericClient,
    t: OffsetDateTime,
    time_zone: &str,
) -> Result<PrimitiveDateTime, tokio_postgres::Error> {
    let stmt = db.prepare_cached("select $1 at time zone $2").await?;
    Ok(db.query_one(&stmt, &[&t, &time_zone]).await?.get(0))
}

/// Puts a failed message back in the queue, due now and good for another
/// day. Returns false when it is not failed (nothing changed).
pub async fn retry(db: &impl GenericClient, id: Uuid) -> Result<bool, tokio_postgres::Error> {
    let n = db
        .execute(
            "update whatsapp_outbox set status = 'waiting', next_attempt_at = now(), error = null,
                    expires_at = greatest(expires_at, now() + interval '1 day')
             where id = $1 and status = 'failed'",
            &[&id],
        )
        .await?;
    Ok(n == 1)
}

/// One message as admins see it.
pub struct Row {
    pub id: Uuid,
    pub kind: String,
    pub target: String,
    pub recipient_name: Option<String>,
    pub body: String,
    pub status: MessageStatus,
    pub attempts: i32,
    pub error: Option<String>,
    pub created_at: OffsetDateTime,
    pub next_attempt_at: OffsetDateTime,
    pub sent_at: Option<OffsetDateTime>,
}

const ROW: &str = "select o.id, o.kind, o.target, u.name, o.body, o.status, o.attempts, o.error,
        o.created_at, o.next_attempt_at, o.sent_at
    from whatsapp_outbox o left join users u on u.id = o.recipient_id";

fn row(r: &tokio_postgres::Row) -> Row {
    Row {
        id: r.get(0),
        kind: r.get(1),
        target: r.get(2),
        recipient_name: r.get(3),
        body: r.get(4),
        status: MessageStatus::parse(r.get(5)).unwrap_or(MessageStatus::Failed),
        attempts: r.get(6),
        error: r.get(7),
        created_at: r.get(8),
        next_attempt_at: r.get(9),
        sent_at: r.get(10),
    }
}

/// One message.
pub async fn by_id(
    db: &impl GenericClient,
    id: Uuid,
) -> Result<Option<Row>, tokio_postgres::Error> {
    let stmt = db.prepare_cached(&format!("{ROW} where o.id = $1")).await?;
    Ok(db.query_opt(&stmt, &[&id]).await?.as_ref().map(row))
}

/// A page of messages, newest first, and how many match.
pub async fn page(
    db: &impl GenericClient,
    status: Option<MessageStatus>,
    limit: i64,
    offset: i64,
) -> Result<(Vec<Row>, i64), tokio_postgres::Error> {
    let status = status.map(|s| s.as_str());
    let stmt = db
        .prepare_cached(&format!(
            "{ROW} where $1::text is null or o.status = $1
             order by o.created_at desc, o.id desc limit $2 offset $3"
        ))
        .await?;
    let rows = db.query(&stmt, &[&status, &limit, &offset]).await?;
    let total_stmt = db
        .prepare_cached(
            "select count(*) from whatsapp_outbox where $1::text is null or status = $1",
        )
        .await?;
    let total = db.query_one(&total_stmt, &[&status]).await?.get(0);
    Ok((rows.iter().map(row).collect(), total))
}

/// Every message by status.
pub async fn counts(db: &impl GenericClient) -> Result<MessageCounts, tokio_postgres::Error> {
    let stmt = db
        .prepare_cached("select status, count(*) from whatsapp_outbox group by status")
        .await?;
    let mut c = MessageCounts::default();
    for r in db.query(&stmt, &[]).await? {
        let n: i64 = r.get(1);
        match MessageStatus::parse(r.get(0)) {
            Some(MessageStatus::Waiting) => c.waiting = n,
            Some(MessageStatus::Sending) => c.sending = n,
            Some(MessageStatus::Sent) => c.sent = n,
            Some(MessageStatus::Failed) | None => c.failed += n,
        }
    }
    Ok(c)
}
