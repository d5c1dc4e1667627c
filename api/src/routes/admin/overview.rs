//! `/admin/overview`: the admin home.

use poem::web::Data;
use poem_openapi::{payload::Json, OpenApi};
use shared_types::Overview;

use crate::{
    error::ApiResult, http::auth::AdminAuth, routes::ApiTags, services::overview, state::AppState,
};

/// The facility at a glance.
pub struct AdminOverviewApi;

#[OpenApi(
    prefix_path = "/admin/overview",
    tag = "ApiTags::Admin",
    tag = "ApiTags::AdminOverview"
)]
impl AdminOverviewApi {
    /// Routers up or down (age of the last cycle, online now as the worker
    /// last saw it), people by access status, registrations waiting, usage
    /// and revenue per day for 30 days with today / 7 / 30 day totals, and
    /// WhatsApp messages sent today against the daily budget. Reads no
    /// router; cheap enough to poll every 30 seconds.
    #[oai(path = "/", method = "get", operation_id = "get_overview")]
    async fn get(&self, state: Data<&AppState>, _admin: AdminAuth) -> ApiResult<Json<Overview>> {
        Ok(Json(overview::overview(&state).await?))
    }
}
