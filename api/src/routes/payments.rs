use poem::web::Data;
use poem_openapi::{
    param::{Path, Query},
    payload::Json,
    OpenApi,
};
use serde_json::Value;
use shared_types::{
    ErrorCode, NewPurchase, NotificationAck, PackageInput, PackageRemoved, PackageView,
    PurchaseCreated, PurchaseStatus, PurchaseView, TransactionDetail, TransactionList,
};
use uuid::Uuid;
use validator::Validate;

use super::ApiTags;
use crate::{
    db::payments::{Catalogue, Filter},
    error::{ApiError, ApiResult},
    http::{auth::AdminAuth, client_ip::ClientIp, rate_limit::shared_window},
    identity::Auth,
    integrations::midtrans::Fields,
    services::payments::{self, Applied, PaymentError, Source},
    state::AppState,
};

pub struct PaymentsApi;

/// An order id as Midtrans allows them; anything else cannot exist here.
fn order_id(raw: &str) -> Result<&str, ApiError> {
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

/// Database or Redis trouble while handling a notification answers 503, so
/// Midtrans retries 4 times (a 500 would be retried only once).
fn retryable(e: PaymentError) -> ApiError {
    match e {
        PaymentError::Store(e) => ApiError::unavailable("payments", e),
        e => e.into(),
    }
}

#[OpenApi(tag = "ApiTags::Payments")]
impl PaymentsApi {
    /// Packages on sale, in display order.
    #[oai(path = "/packages", method = "get", operation_id = "list_packages")]
    async fn packages(&self, state: Data<&AppState>) -> ApiResult<Json<Vec<PackageView>>> {
        Ok(Json(payments::packages(&state, Catalogue::OnSale).await?))
    }

    /// Buy a package: returns Midtrans' payment page. An open payment for
    /// the same package is handed back instead of a new one (`reused`).
    /// The gateway being down answers `service_unavailable` and nothing is kept.
    #[oai(path = "/purchases", method = "post", operation_id = "create_purchase")]
    async fn purchase(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        client: ClientIp,
        body: Json<NewPurchase>,
    ) -> ApiResult<Json<PurchaseCreated>> {
        body.validate().map_err(|e| ApiError::validation(&e))?;
        shared_window(&state.kv, "purchase", &auth.user_id.to_string(), 10, 600).await?;
        let package_id = Uuid::parse_str(body.package_id.trim())
            .map_err(|_| ApiError::new(ErrorCode::NotFound, "no package with this id"))?;
        Ok(Json(
            payments::purchase(&state, &auth, package_id, client.0).await?,
        ))
    }

    /// One of my purchases (the payment result page polls this; while it is
    /// pending the server asks Midtrans at most every few seconds).
    #[oai(
        path = "/purchases/:order_id",
        method = "get",
        operation_id = "get_purchase"
    )]
    async fn get_purchase(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        order_id: Path<String>,
    ) -> ApiResult<Json<PurchaseView>> {
        let id = self::order_id(&order_id.0)?;
        Ok(Json(payments::my_purchase(&state, &auth, id).await?))
    }

    /// My purchases, newest first (at most 50).
    #[oai(
        path = "/me/purchases",
        method = "get",
        operation_id = "list_my_purchases"
    )]
    async fn my_purchases(
        &self,
        state: Data<&AppState>,
        auth: Auth,
    ) -> ApiResult<Json<Vec<PurchaseView>>> {
        Ok(Json(payments::my_purchases(&state, &auth).await?))
    }

    /// Midtrans HTTP notification. The signature (SHA-512 over the exact
    /// strings received) is checked in constant time: wrong → 403 and
    /// nothing changes. Amount or currency different from the order → 400
    /// `payment_mismatch` (not applied, recorded). Unknown order → 200 (no
    /// retries wanted). Our own trouble → 503 (Midtrans retries).
    #[oai(
        path = "/payments/midtrans/notification",
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

    /// All packages, including inactive ones.
    #[oai(
        path = "/admin/packages",
        method = "get",
        operation_id = "admin_list_packages"
    )]
    async fn admin_packages(
        &self,
        state: Data<&AppState>,
        _admin: AdminAuth,
    ) -> ApiResult<Json<Vec<PackageView>>> {
        Ok(Json(payments::packages(&state, Catalogue::All).await?))
    }

    /// Create a package.
    #[oai(
        path = "/admin/packages",
        method = "post",
        operation_id = "create_package"
    )]
    async fn create_package(
        &self,
        state: Data<&AppState>,
        admin: AdminAuth,
        client: ClientIp,
        body: Json<PackageInput>,
    ) -> ApiResult<Json<PackageView>> {
        body.validate().map_err(|e| ApiError::validation(&e))?;
        Ok(Json(
            payments::save_package(&state, &admin.0, None, &body, client.0).await?,
        ))
    }

    /// Replace a package. Open and past purchases keep what they sold.
    #[oai(
        path = "/admin/packages/:id",
        method = "put",
        operation_id = "update_package"
    )]
    async fn update_package(
        &self,
        state: Data<&AppState>,
        admin: AdminAuth,
        client: ClientIp,
        id: Path<Uuid>,
        body: Json<PackageInput>,
    ) -> ApiResult<Json<PackageView>> {
        body.validate().map_err(|e| ApiError::validation(&e))?;
        Ok(Json(
            payments::save_package(&state, &admin.0, Some(id.0), &body, client.0).await?,
        ))
    }

    /// Delete a package; one that has purchases is deactivated instead.
    #[oai(
        path = "/admin/packages/:id",
        method = "delete",
        operation_id = "delete_package"
    )]
    async fn delete_package(
        &self,
        state: Data<&AppState>,
        admin: AdminAuth,
        client: ClientIp,
        id: Path<Uuid>,
    ) -> ApiResult<Json<PackageRemoved>> {
        Ok(Json(
            payments::remove_package(&state, &admin.0, id.0, client.0).await?,
        ))
    }

    /// Transactions, newest first, with totals over everything the filters
    /// match. `from`/`to` are days (inclusive) in the facility's time zone.
    #[oai(
        path = "/admin/purchases",
        method = "get",
        operation_id = "list_transactions"
    )]
    #[allow(clippy::too_many_arguments)]
    async fn transactions(
        &self,
        state: Data<&AppState>,
        _admin: AdminAuth,
        status: Query<Option<PurchaseStatus>>,
        from: Query<Option<time::Date>>,
        to: Query<Option<time::Date>>,
        user_id: Query<Option<Uuid>>,
        package_id: Query<Option<Uuid>>,
        /// 1 … 200, default 50.
        limit: Query<Option<i64>>,
        offset: Query<Option<i64>>,
    ) -> ApiResult<Json<TransactionList>> {
        let limit = limit.0.unwrap_or(50);
        let offset = offset.0.unwrap_or(0);
        if !(1..=200).contains(&limit) || offset < 0 {
            return Err(ApiError::new(
                ErrorCode::InvalidParameter,
                "limit must be 1..=200 and offset not negative",
            ));
        }
        let filter = Filter {
            status: status.0,
            from: from.0,
            to: to.0,
            user_id: user_id.0,
            package_id: package_id.0,
        };
        Ok(Json(
            payments::transactions(&state, &filter, limit, offset).await?,
        ))
    }

    /// One transaction with every notification and status check received, and its credit.
    #[oai(
        path = "/admin/purchases/:order_id",
        method = "get",
        operation_id = "get_transaction"
    )]
    async fn transaction(
        &self,
        state: Data<&AppState>,
        _admin: AdminAuth,
        order_id: Path<String>,
    ) -> ApiResult<Json<TransactionDetail>> {
        let id = self::order_id(&order_id.0)?;
        Ok(Json(payments::transaction(&state, id).await?))
    }

    /// Ask Midtrans about this order now and apply the answer.
    #[oai(
        path = "/admin/purchases/:order_id/recheck",
        method = "post",
        operation_id = "recheck_transaction"
    )]
    async fn recheck(
        &self,
        state: Data<&AppState>,
        admin: AdminAuth,
        client: ClientIp,
        order_id: Path<String>,
    ) -> ApiResult<Json<TransactionDetail>> {
        let id = self::order_id(&order_id.0)?;
        Ok(Json(
            payments::recheck(&state, &admin.0, id, client.0).await?,
        ))
    }
}
