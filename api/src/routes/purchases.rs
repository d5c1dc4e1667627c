//! `/purchases`: buying a package and following its payment.

use poem::web::Data;
use poem_openapi::{param::Path, payload::Json, OpenApi};
use shared_types::{ErrorCode, NewPurchase, PurchaseCreated, PurchaseView};
use uuid::Uuid;

use super::ApiTags;
use crate::{
    error::{ApiError, ApiResult},
    http::{client_ip::ClientIp, rate_limit::shared_window, valid::Valid},
    identity::Auth,
    services::payments,
    state::AppState,
};

/// An order id as Midtrans allows them; anything else cannot exist here.
pub(super) fn valid_order_id(raw: &str) -> Result<&str, ApiError> {
    let ok = !raw.is_empty()
        && raw.len() <= 50
        && raw
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'~' | b'.'));
    if ok {
        Ok(raw)
    } else {
        Err(ApiError::new(
            ErrorCode::NotFound,
            "no purchase with this order id",
        ))
    }
}

/// Buying a package and following its payment (`/purchases/…`).
pub struct PurchasesApi;

#[OpenApi(
    prefix_path = "/purchases",
    tag = "ApiTags::Payments",
    tag = "ApiTags::Purchases"
)]
impl PurchasesApi {
    /// Buy a package: returns Midtrans' payment page. An open payment for
    /// the same package is handed back instead of a new one (`reused`).
    /// The gateway being down answers `service_unavailable` and nothing is kept.
    #[oai(path = "/", method = "post", operation_id = "create_purchase")]
    async fn purchase(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        client: ClientIp,
        body: Valid<NewPurchase>,
    ) -> ApiResult<Json<PurchaseCreated>> {
        shared_window(&state.kv, "purchase", &auth.user_id.to_string(), 10, 600).await?;
        let package_id = Uuid::parse_str(body.package_id.trim())
            .map_err(|_| ApiError::new(ErrorCode::NotFound, "no package with this id"))?;
        Ok(Json(
            payments::purchase(&state, &auth, package_id, client.0).await?,
        ))
    }

    /// One of my purchases (the payment result page polls this; while it is
    /// pending the server asks Midtrans at most every few seconds).
    #[oai(path = "/:order_id", method = "get", operation_id = "get_purchase")]
    async fn get_purchase(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        order_id: Path<String>,
    ) -> ApiResult<Json<PurchaseView>> {
        let id = valid_order_id(&order_id.0)?;
        Ok(Json(payments::my_purchase(&state, &auth, id).await?))
    }
}
