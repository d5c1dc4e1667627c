//! The messages screen: the outbox page by page, sending a failed message
//! again, and which events each admin hears about.

use std::net::IpAddr;

use shared_types::{
    AdminEvent, MessagePage, MessageStatus, MessageView, Subscription, Subscriptions,
    SubscriptionsChange,
};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::{
    db::{self, audit::Entry, outbox, users::rfc3339},
    identity::Auth,
    services::{store_errors, StoreError},
    state::AppState,
};

#[derive(Debug, thiserror::Error)]
pub enum MessagesError {
    #[error("no message with this id")]
    NotFound,
    /// Only a failed message is sent again (its status now).
    #[error("only a failed message can be sent again")]
    NotFailed(MessageStatus),
    #[error(transparent)]
    Store(#[from] StoreError),
}
store_errors!(MessagesError);

fn view(r: &outbox::Row) -> MessageView {
    MessageView {
        id: r.id.to_string().into(),
        kind: r.kind.clone(),
        target: r.target.clone(),
        recipient_name: r.recipient_name.clone(),
        body: r.body.clone(),
        status: r.status,
        attempts: r.attempts,
        error: r.error.clone(),
        created_at: rfc3339(r.created_at).into(),
        next_attempt_at: (r.status == MessageStatus::Waiting)
            .then(|| rfc3339(r.next_attempt_at).into()),
        sent_at: r.sent_at.map(|t| rfc3339(t).into()),
    }
}

/// `GET /admin/whatsapp/messages`: newest first, with the counts and today's budget.
pub async fn page(
    state: &AppState,
    status: Option<MessageStatus>,
    limit: i64,
    offset: i64,
) -> Result<MessagePage, MessagesError> {
    let facility = state.facility().await;
    let tz = &state.settings.worker.time_zone;
    let now = OffsetDateTime::now_utc();
    let db = state.db.get().await?;
    let (rows, total) = outbox::page(&db, status, limit, offset).await?;
    let hour = outbox::local_time(&db, now, tz).await?.hour();
    Ok(MessagePage {
        items: rows.iter().map(view).collect(),
        total,
        counts: outbox::counts(&db).await?,
        sent_today: outbox::sent_on_day_of(&db, now, tz).await?,
        budget: facility.notify_per_day,
        quiet_now: facility.is_quiet_hour(i32::from(hour)),
    })
}

/// `POST /admin/whatsapp/messages/{id}/retry`: a failed message waits to be
/// sent again (now, or after quiet hours). Audited.
pub async fn retry(
    state: &AppState,
    admin: &Auth,
    id: Uuid,
    ip: IpAddr,
) -> Result<MessageView, MessagesError> {
    let mut db = state.db.get().await?;
    let tx = db.transaction().await?;
    // The update itself checks the status; this read names it when it is not failed.
    let before = outbox::by_id(&tx, id)
        .await?
        .ok_or(MessagesError::NotFound)?;
    if !outbox::retry(&tx, id).await? {
        return Err(MessagesError::NotFailed(before.status));
    }
    db::audit::record(
        &tx,
        &Entry::admin(admin.user_id, "whatsapp.retry")
            .target("whatsapp_message", id)
            .ip(ip)
            .detail("error_before", before.error),
    )
    .await?;
    let row = outbox::by_id(&tx, id)
        .await?
        .ok_or(MessagesError::NotFound)?;
    tx.commit().await?;
    Ok(view(&row))
}

fn subscriptions(phone: Option<String>, optouts: &[String]) -> Subscriptions {
    Subscriptions {
        phone,
        events: AdminEvent::ALL
            .into_iter()
            .map(|event| Subscription {
                event,
                subscribed: !optouts.iter().any(|o| o == event.as_str()),
            })
            .collect(),
    }
}

/// `GET /admin/notifications/subscriptions`: what the signed-in admin hears about.
pub async fn mine(state: &AppState, admin: &Auth) -> Result<Subscriptions, MessagesError> {
    let db = state.db.get().await?;
    let phone = db::users::by_id(&db, admin.user_id)
        .await?
        .and_then(|u| u.phone);
    Ok(subscriptions(
        phone,
        &outbox::optouts(&db, admin.user_id).await?,
    ))
}

/// `PUT /admin/notifications/subscriptions`: the events listed are on, the
/// rest off. Audited with before and after.
pub async fn set_mine(
    state: &AppState,
    admin: &Auth,
    change: &SubscriptionsChange,
    ip: IpAddr,
) -> Result<Subscriptions, MessagesError> {
    let mut db = state.db.get().await?;
    let tx = db.transaction().await?;
    let user = db::users::by_id_for_update(&tx, admin.user_id)
        .await?
        .ok_or(MessagesError::NotFound)?;
    let mut before = outbox::optouts(&tx, admin.user_id).await?;
    before.sort();
    let mut after: Vec<String> = AdminEvent::ALL
        .into_iter()
        .filter(|e| !change.subscribed.contains(e))
        .map(|e| e.as_str().to_owned())
        .collect();
    after.sort();
    let off: Vec<&str> = after.iter().map(String::as_str).collect();
    outbox::set_optouts(&tx, admin.user_id, &off).await?;
    if before != after {
        db::audit::record(
            &tx,
            &Entry::admin(admin.user_id, "notifications.subscriptions")
                .target("user", admin.user_id)
                .ip(ip)
                .detail("off_before", before)
                .detail("off_after", after.clone()),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(subscriptions(user.phone, &after))
}
