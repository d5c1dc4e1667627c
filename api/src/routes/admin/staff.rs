//! `/admin/staff`: staff accounts (admins), revealing a forgotten web
//! password (super admins, or admins where the facility allows it, after
//! confirming their own password) and resetting it.

use poem::web::Data;
use poem_openapi::{param::Path, payload::Json, OpenApi};
use shared_types::{NewStaff, ShownPassword, StaffCreated, StaffView};
use uuid::Uuid;

use crate::{
    error::ApiResult,
    http::{auth::AdminAuth, client_ip::ClientIp, valid::Valid},
    routes::ApiTags,
    services::staff,
    state::AppState,
};

/// Staff accounts.
pub struct AdminStaffApi;

#[OpenApi(
    prefix_path = "/admin/staff",
    tag = "ApiTags::Admin",
    tag = "ApiTags::Staff"
)]
impl AdminStaffApi {
    /// Every staff member, by name (never a password).
    #[oai(path = "/", method = "get", operation_id = "list_staff")]
    async fn list(
        &self,
        state: Data<&AppState>,
        _admin: AdminAuth,
    ) -> ApiResult<Json<Vec<StaffView>>> {
        Ok(Json(staff::list(&state).await?))
    }

    /// Create a staff member: username, name, operator key (the comment of
    /// their hotspot account on the router), router (default: the default
    /// router), and a web password — or none, and gerbang generates one and
    /// returns it once. 409 with `details.fields` for a taken username or
    /// operator key.
    #[oai(path = "/", method = "post", operation_id = "create_staff")]
    async fn create(
        &self,
        state: Data<&AppState>,
        admin: AdminAuth,
        client: ClientIp,
        body: Valid<NewStaff>,
    ) -> ApiResult<Json<StaffCreated>> {
        Ok(Json(
            staff::create(&state, &admin.0, &body, client.0).await?,
        ))
    }

    /// Reveal a staff member's web password. Needs a confirmation of the
    /// admin's own password within the last 5 minutes
    /// (`POST /admin/auth/confirm`; otherwise 403 with
    /// `details.reason = "confirm_password"`); super admins, or admins when
    /// the settings allow it; 10 per admin per hour. Audited.
    #[oai(
        path = "/:id/reveal",
        method = "post",
        operation_id = "reveal_staff_password"
    )]
    async fn reveal(
        &self,
        state: Data<&AppState>,
        admin: AdminAuth,
        client: ClientIp,
        id: Path<Uuid>,
    ) -> ApiResult<Json<ShownPassword>> {
        Ok(Json(staff::reveal(&state, &admin.0, id.0, client.0).await?))
    }

    /// Reset a staff member's web password to a generated one, shown once;
    /// their sessions end. Audited.
    #[oai(
        path = "/:id/password",
        method = "post",
        operation_id = "reset_staff_password"
    )]
    async fn reset(
        &self,
        state: Data<&AppState>,
        admin: AdminAuth,
        client: ClientIp,
        id: Path<Uuid>,
    ) -> ApiResult<Json<ShownPassword>> {
        Ok(Json(staff::reset(&state, &admin.0, id.0, client.0).await?))
    }
}
