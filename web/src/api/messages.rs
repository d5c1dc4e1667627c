//! WhatsApp notifications: the outbox and the admin's own subscriptions.

use gloo_net::http::Method;
use shared_types::{MessagePage, MessageStatus, MessageView, Subscriptions, SubscriptionsChange};

use super::transport::{ApiError, Call};

/// `GET /admin/whatsapp/messages`.
pub async fn whatsapp_messages(
    status: Option<MessageStatus>,
    offset: i64,
) -> Result<MessagePage, ApiError> {
    let mut call = Call::get("/admin/whatsapp/messages")
        .query("limit", 50)
        .query("offset", offset);
    if let Some(s) = status {
        call = call.query("status", s.as_str());
    }
    call.fetch().await
}

/// `POST /admin/whatsapp/messages/{id}/retry`.
pub async fn retry_whatsapp_message(id: &str) -> Result<MessageView, ApiError> {
    let path = format!("/admin/whatsapp/messages/{id}/retry");
    Call::post(&path).fetch().await
}

/// `GET /admin/notifications/subscriptions`.
pub async fn my_subscriptions() -> Result<Subscriptions, ApiError> {
    Call::get("/admin/notifications/subscriptions")
        .fetch()
        .await
}

/// `PUT /admin/notifications/subscriptions`.
pub async fn set_my_subscriptions(c: &SubscriptionsChange) -> Result<Subscriptions, ApiError> {
    Call::new(Method::PUT, "/admin/notifications/subscriptions")
        .json(c)?
        .fetch()
        .await
}
