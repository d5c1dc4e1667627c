//! `/admin/routers`: setting routers up (super admins) and what gerbang sees
//! of them (drift).

use poem::web::Data;
use poem_openapi::{param::Path, payload::Json, OpenApi};
use shared_types::{
    ConnectionTest, ReconcileNow, RouterCycles, RouterDrift, RouterInput, RouterSaved, RouterSetup,
    RouterView,
};
use uuid::Uuid;

use crate::{
    error::ApiResult,
    http::{
        auth::{AdminAuth, SuperAdminAuth},
        client_ip::ClientIp,
        valid::Valid,
    },
    routes::ApiTags,
    services::{drift, router_admin},
    state::AppState,
};

/// Routers (`/admin/routers/…`).
pub struct AdminRoutersApi;

#[OpenApi(
    prefix_path = "/admin/routers",
    tag = "ApiTags::Admin",
    tag = "ApiTags::AdminRouters"
)]
impl AdminRoutersApi {
    /// Every router, disabled ones too (super admins). Never the API password.
    #[oai(path = "/", method = "get", operation_id = "list_routers")]
    async fn list(
        &self,
        state: Data<&AppState>,
        admin: SuperAdminAuth,
    ) -> ApiResult<Json<Vec<RouterView>>> {
        Ok(Json(router_admin::list(&state, Some(&admin.0)).await?))
    }

    /// Add a router (super admins). The connection is tested first with
    /// exactly these settings; a failed test (422, `details.test` says what
    /// the router answered, `details.fields` the field to fix) saves nothing.
    #[oai(path = "/", method = "post", operation_id = "create_router")]
    async fn create(
        &self,
        state: Data<&AppState>,
        admin: SuperAdminAuth,
        client: ClientIp,
        body: Valid<RouterInput>,
    ) -> ApiResult<Json<RouterSaved>> {
        let (router, test) =
            router_admin::save(&state, Some(&admin.0), None, &body, Some(client.0)).await?;
        Ok(Json(RouterSaved { router, test }))
    }

    /// Test settings without saving (super admins; `api_password` required).
    #[oai(path = "/test", method = "post", operation_id = "test_router")]
    async fn test(
        &self,
        state: Data<&AppState>,
        admin: SuperAdminAuth,
        body: Valid<RouterInput>,
    ) -> ApiResult<Json<ConnectionTest>> {
        Ok(Json(
            router_admin::test_only(&state, Some(&admin.0), None, &body).await?,
        ))
    }

    /// Change a router's settings (super admins); without `api_password` the
    /// stored one stays. Tested first, like adding.
    #[oai(path = "/:id", method = "put", operation_id = "update_router")]
    async fn update(
        &self,
        state: Data<&AppState>,
        admin: SuperAdminAuth,
        client: ClientIp,
        id: Path<Uuid>,
        body: Valid<RouterInput>,
    ) -> ApiResult<Json<RouterSaved>> {
        let (router, test) =
            router_admin::save(&state, Some(&admin.0), Some(id.0), &body, Some(client.0)).await?;
        Ok(Json(RouterSaved { router, test }))
    }

    /// Test a router's changed settings without saving (the stored password
    /// unless a new one is sent).
    #[oai(
        path = "/:id/test",
        method = "post",
        operation_id = "test_saved_router"
    )]
    async fn test_saved(
        &self,
        state: Data<&AppState>,
        admin: SuperAdminAuth,
        id: Path<Uuid>,
        body: Valid<RouterInput>,
    ) -> ApiResult<Json<ConnectionTest>> {
        Ok(Json(
            router_admin::test_only(&state, Some(&admin.0), Some(id.0), &body).await?,
        ))
    }

    /// The provisioning script (paste it in the router's terminal; safe to
    /// run twice) and the live check of what the router still lacks.
    #[oai(path = "/:id/setup", method = "get", operation_id = "router_setup")]
    async fn setup(
        &self,
        state: Data<&AppState>,
        admin: SuperAdminAuth,
        id: Path<Uuid>,
    ) -> ApiResult<Json<RouterSetup>> {
        Ok(Json(
            router_admin::setup(&state, Some(&admin.0), id.0).await?,
        ))
    }

    /// Disable a router: the worker and the live views leave it alone and
    /// new registrations go elsewhere; its accounts on the router stay.
    #[oai(
        path = "/:id/disable",
        method = "post",
        operation_id = "disable_router"
    )]
    async fn disable(
        &self,
        state: Data<&AppState>,
        admin: SuperAdminAuth,
        client: ClientIp,
        id: Path<Uuid>,
    ) -> ApiResult<Json<RouterView>> {
        Ok(Json(
            router_admin::set_disabled(&state, Some(&admin.0), id.0, true, Some(client.0)).await?,
        ))
    }

    /// Enable a disabled router again.
    #[oai(path = "/:id/enable", method = "post", operation_id = "enable_router")]
    async fn enable(
        &self,
        state: Data<&AppState>,
        admin: SuperAdminAuth,
        client: ClientIp,
        id: Path<Uuid>,
    ) -> ApiResult<Json<RouterView>> {
        Ok(Json(
            router_admin::set_disabled(&state, Some(&admin.0), id.0, false, Some(client.0)).await?,
        ))
    }

    /// Reconcile now: one cycle of this router at once (as the worker runs
    /// it, under the router's lock); `skipped` when a worker is already on it.
    #[oai(
        path = "/:id/reconcile",
        method = "post",
        operation_id = "reconcile_router_now"
    )]
    async fn reconcile(
        &self,
        state: Data<&AppState>,
        admin: AdminAuth,
        client: ClientIp,
        id: Path<Uuid>,
    ) -> ApiResult<Json<ReconcileNow>> {
        Ok(Json(
            drift::reconcile_now(&state, &admin.0, id.0, client.0).await?,
        ))
    }

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

    /// The router's last 60 reconcile cycles, oldest first (duration, reads,
    /// writes, sessions seen, error): the routers screen's chart.
    #[oai(path = "/:id/cycles", method = "get", operation_id = "router_cycles")]
    async fn cycles(
        &self,
        state: Data<&AppState>,
        _admin: AdminAuth,
        id: Path<Uuid>,
    ) -> ApiResult<Json<RouterCycles>> {
        Ok(Json(router_admin::recent_cycles(&state, id.0, 60).await?))
    }
}
