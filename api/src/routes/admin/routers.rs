//! `/admin/routers`: routers as gerbang sees them.

use poem::web::Data;
use poem_openapi::{param::Path, payload::Json, OpenApi};
use shared_types::RouterDrift;
use uuid::Uuid;

use crate::{
    error::ApiResult, http::auth::AdminAuth, routes::ApiTags, services::drift, state::AppState,
};

/// Routers as gerbang sees them (`/admin/routers/…`).
pub struct AdminRoutersApi;

#[OpenApi(
    prefix_path = "/admin/routers",
    tag = "ApiTags::Admin",
    tag = "ApiTags::AdminRouters"
)]
impl AdminRoutersApi {
    /// Where the router and the database disagree: per user (account
    /// properties, address-list membership, bypass bindings, usage not yet
    /// accounted) and the router's health (reachable, latency, last cycle).
    /// Reads the router once and changes nothing.
    #[oai(path = "/:id/drift", method = "get", operation_id = "router_drift")]
    async fn drift(
        &self,
        state: Data<&AppState>,
        _admin: AdminAuth,
        id: Path<Uuid>,
    ) -> ApiResult<Json<RouterDrift>> {
        Ok(Json(drift::router_drift(&state, id.0).await?))
    }
}
