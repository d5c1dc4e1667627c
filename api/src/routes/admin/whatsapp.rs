//! `/admin/whatsapp/messages` (the notification outbox) and
//! `/admin/notifications/subscriptions` (what the signed-in admin hears about).

use poem::web::Data;
use poem_openapi::{
    param::{Path, Query},
    payload::Json,
    OpenApi,
};
use shared_types::{MessagePage, MessageStatus, MessageView, Subscriptions, SubscriptionsChange};
use uuid::Uuid;

use crate::{
    error::ApiResult,
    http::{auth::AdminAuth, client_ip::ClientIp},
    routes::ApiTags,
    services::whatsapp::admin,
    state::AppState,
};

/// The outbox.
pub struct AdminMessagesApi;

#[OpenApi(
    prefix_path = "/admin/whatsapp/messages",
    tag = "ApiTags::Admin",
    tag = "ApiTags::Notifications"
)]
impl AdminMessagesApi {
    /// WhatsApp notifications, newest first: what was sent, what failed and
    /// why, what waits (and until when), with the counts by status, today's
    /// sends against the notification budget, and whether quiet hours are
    /// on. Login codes are not listed (they never wait in the outbox).
    #[oai(path = "/", method = "get", operation_id = "list_whatsapp_messages")]
    async fn list(
        &self,
        state: Data<&AppState>,
        _admin: AdminAuth,
        status: Query<Option<MessageStatus>>,
        /// 1 … 200, default 50.
        #[oai(validator(minimum(value = "1"), maximum(value = "200")))]
        limit: Query<Option<i64>>,
        #[oai(validator(minimum(value = "0"), maximum(value = "1000000")))] offset: Query<
            Option<i64>,
        >,
    ) -> ApiResult<Json<MessagePage>> {
        Ok(Json(
            admin::page(
                &state,
                status.0,
                limit.0.unwrap_or(50),
                offset.0.unwrap_or(0),
            )
            .await?,
        ))
    }

    /// Send a failed message again: it waits to go out now (or after quiet
    /// hours). Audited. Not failed: 409 with `details.reason = "not_failed"`
    /// and its `details.status`.
    #[oai(
        path = "/:id/retry",
        method = "post",
        operation_id = "retry_whatsapp_message"
    )]
    async fn retry(
        &self,
        state: Data<&AppState>,
        admin: AdminAuth,
        client: ClientIp,
        id: Path<Uuid>,
    ) -> ApiResult<Json<MessageView>> {
        Ok(Json(admin::retry(&state, &admin.0, id.0, client.0).await?))
    }
}

/// The signed-in admin's subscriptions.
pub struct AdminSubscriptionsApi;

#[OpenApi(
    prefix_path = "/admin/notifications/subscriptions",
    tag = "ApiTags::Admin",
    tag = "ApiTags::Notifications"
)]
impl AdminSubscriptionsApi {
    /// Which events reach the signed-in admin on WhatsApp (all, until they
    /// turn some off), and their number (none: nothing reaches them).
    #[oai(path = "/", method = "get", operation_id = "my_subscriptions")]
    async fn mine(
        &self,
        state: Data<&AppState>,
        admin: AdminAuth,
    ) -> ApiResult<Json<Subscriptions>> {
        Ok(Json(admin::mine(&state, &admin.0).await?))
    }

    /// The events listed are on, the others off. Audited with before and after.
    #[oai(path = "/", method = "put", operation_id = "set_my_subscriptions")]
    async fn set(
        &self,
        state: Data<&AppState>,
        admin: AdminAuth,
        client: ClientIp,
        body: Json<SubscriptionsChange>,
    ) -> ApiResult<Json<Subscriptions>> {
        Ok(Json(
            admin::set_mine(&state, &admin.0, &body, client.0).await?,
        ))
    }
}
