//! `/payments/midtrans/notification`: Midtrans' signed notifications.

use poem::web::Data;
use poem_openapi::{payload::Json, OpenApi};
use serde_json::Value;
use shared_types::{ErrorCode, NotificationAck};

use super::ApiTags;
use crate::{
    error::{ApiError, ApiResult},
    http::client_ip::ClientIp,
    integrations::midtrans::Fields,
    services::payments::{self, Applied, PaymentError, Source},
    state::AppState,
};

/// Database or Redis trouble while handling a notification answers 503, so
/// Midtrans retries 4 times (a 500 would be retried only once).
fn retryable(e: PaymentError) -> ApiError {
    match e {
        PaymentError::Store(e) => ApiError::unavailable("payments", e),
        e => e.into(),
    }
}

/// Midtrans' signed HTTP notifications (`/payments/midtrans/…`).
pub struct MidtransWebhookApi;

#[OpenApi(
    prefix_path = "/payments/midtrans",
    tag = "ApiTags::Payments",
    tag = "ApiTags::MidtransWebhook"
)]
impl MidtransWebhookApi {
    /// Midtrans HTTP notification. The signature (SHA-512 over the exact
    /// strings received) is checked in constant time: wrong → 403 and
    /// nothing changes. Amount or currency different from the order → 400
    /// `payment_mismatch` (not applied, recorded). Unknown order → 200 (no
    /// retries wanted). Our own trouble → 503 (Midtrans retries).
    #[oai(
        path = "/notification",
        method = "post",
        operation_id = "midtrans_notification"
    )]
    async fn notification(
        &self,
        state: Data<&AppState>,
        client: ClientIp,
        body: Json<Value>,
    ) -> ApiResult<Json<NotificationAck>> {
        let Some(fields) = Fields::of(&body.0) else {
            state.limit_public_ip("midtrans_bad", client.0).await?;
            return Err(ApiError::new(
                ErrorCode::MalformedBody,
                "order_id, status_code, gross_amount and signature_key are required",
            ));
        };
        if !fields.signed_with(state.midtrans.server_key()) {
            tracing::warn!(ip = %client.0, order_id = fields.order_id, "midtrans notification with a wrong signature");
            state.limit_public_ip("midtrans_bad", client.0).await?;
            return Err(ApiError::new(
                ErrorCode::Forbidden,
                "signature does not match",
            ));
        }
        let applied = payments::apply(&state, Source::Notification, &fields, &body.0)
            .await
            .map_err(retryable)?;
        if applied == Applied::Mismatch {
            return Err(ApiError::new(
                ErrorCode::PaymentMismatch,
                "amount or currency differ from the order",
            ));
        }
        Ok(Json(NotificationAck {
            outcome: applied.as_str().into(),
        }))
    }
}
