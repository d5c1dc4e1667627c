//! `/admin/purchases`: transactions for the dashboard.

use poem::web::Data;
use poem_openapi::{
    param::{Path, Query},
    payload::Json,
    OpenApi,
};
use shared_types::{ErrorCode, PurchaseStatus, TransactionDetail, TransactionList};
use uuid::Uuid;

use crate::{
    db::payments::Filter,
    error::{ApiError, ApiResult},
    http::{auth::AdminAuth, client_ip::ClientIp},
    routes::{purchases::valid_order_id, ApiTags},
    services::payments,
    state::AppState,
};

/// Transactions for the dashboard (`/admin/purchases/…`).
pub struct AdminTransactionsApi;

/// A CSV file download.
#[derive(poem_openapi::ApiResponse)]
enum CsvFile {
    /// The CSV (UTF-8 with BOM, CRLF), streamed.
    #[oai(status = 200, content_type = "text/csv; charset=utf-8")]
    Ok(
        poem_openapi::payload::Binary<poem::Body>,
        /// `attachment; filename="transaksi-….csv"`
        #[oai(header = "Content-Disposition")]
        String,
    ),
}

/// A day filter the database can work with (PostgreSQL dates end at 4713 BC,
/// and the facility's day boundaries are computed from it).
pub(crate) fn day_in_range(
    name: &str,
    day: Option<time::Date>,
) -> Result<Option<time::Date>, ApiError> {
    let ok = |d: &time::Date| (1970..=9999).contains(&d.year());
    match day {
        Some(d) if !ok(&d) => Err(ApiError::new(
            ErrorCode::InvalidParameter,
            format!("`{name}` must be a day between 1970-01-01 and 9999-12-31"),
        )
        .with_detail("parameter", name.to_owned())),
        d => Ok(d),
    }
}

/// The list's and the export's filters, days checked.
fn filter(
    status: Option<PurchaseStatus>,
    from: Option<time::Date>,
    to: Option<time::Date>,
    user_id: Option<Uuid>,
    package_id: Option<Uuid>,
) -> Result<Filter, ApiError> {
    Ok(Filter {
        status,
        from: day_in_range("from", from)?,
        to: day_in_range("to", to)?,
        user_id,
        package_id,
    })
}

#[OpenApi(
    prefix_path = "/admin/purchases",
    tag = "ApiTags::Payments",
    tag = "ApiTags::Admin",
    tag = "ApiTags::AdminTransactions"
)]
impl AdminTransactionsApi {
    /// Transactions, newest first, with totals over everything the filters
    /// match. `from`/`to` are days (inclusive) in the facility's time zone.
    #[oai(path = "/", method = "get", operation_id = "list_transactions")]
    #[allow(clippy::too_many_arguments)]
    async fn transactions(
        &self,
        state: Data<&AppState>,
        _admin: AdminAuth,
        status: Query<Option<PurchaseStatus>>,
        /// First day (inclusive), `YYYY-MM-DD`, 1970-01-01 … 9999-12-31.
        from: Query<Option<time::Date>>,
        /// Last day (inclusive), `YYYY-MM-DD`, 1970-01-01 … 9999-12-31.
        to: Query<Option<time::Date>>,
        user_id: Query<Option<Uuid>>,
        package_id: Query<Option<Uuid>>,
        /// 1 … 200, default 50.
        #[oai(validator(minimum(value = "1"), maximum(value = "200")))]
        limit: Query<Option<i64>>,
        #[oai(validator(minimum(value = "0")))] offset: Query<Option<i64>>,
    ) -> ApiResult<Json<TransactionList>> {
        let limit = limit.0.unwrap_or(50);
        let offset = offset.0.unwrap_or(0);
        let filter = filter(status.0, from.0, to.0, user_id.0, package_id.0)?;
        Ok(Json(
            payments::transactions(&state, &filter, limit, offset).await?,
        ))
    }

    /// Every transaction matching the filters (as `GET /admin/purchases`,
    /// without paging) as a CSV for spreadsheets, newest first: streamed from
    /// the database, so any number of rows takes the same memory.
    #[oai(
        path = "/export.csv",
        method = "get",
        operation_id = "export_transactions_csv"
    )]
    #[allow(clippy::too_many_arguments)]
    async fn export(
        &self,
        state: Data<&AppState>,
        _admin: AdminAuth,
        status: Query<Option<PurchaseStatus>>,
        /// First day (inclusive), `YYYY-MM-DD`.
        from: Query<Option<time::Date>>,
        /// Last day (inclusive), `YYYY-MM-DD`.
        to: Query<Option<time::Date>>,
        user_id: Query<Option<Uuid>>,
        package_id: Query<Option<Uuid>>,
    ) -> ApiResult<CsvFile> {
        let filter = filter(status.0, from.0, to.0, user_id.0, package_id.0)?;
        let stream = payments::transactions_csv(&state, &filter).await?;
        let name = format!(
            "attachment; filename=\"transaksi-{}.csv\"",
            time::OffsetDateTime::now_utc().date()
        );
        Ok(CsvFile::Ok(
            poem_openapi::payload::Binary(poem::Body::from_bytes_stream(stream)),
            name,
        ))
    }

    /// One transaction with every notification and status check received, and its credit.
    #[oai(path = "/:order_id", method = "get", operation_id = "get_transaction")]
    async fn transaction(
        &self,
        state: Data<&AppState>,
        _admin: AdminAuth,
        order_id: Path<String>,
    ) -> ApiResult<Json<TransactionDetail>> {
        let id = valid_order_id(&order_id.0)?;
        Ok(Json(payments::transaction(&state, id).await?))
    }

    /// Ask Midtrans about this order now and apply the answer.
    #[oai(
        path = "/:order_id/recheck",
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
        let id = valid_order_id(&order_id.0)?;
        Ok(Json(
            payments::recheck(&state, &admin.0, id, client.0).await?,
        ))
    }
}
