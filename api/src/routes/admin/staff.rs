//! `/admin/staff`: staff accounts (admins), revealing a forgotten web
//! password (super admins, or admins where the facility allows it, after
//! confirming their own password) and resetting it.

use poem::web::Data;
use poem_openapi::{
    param::{Path, Query},
    payload::Json,
    OpenApi,
};
use shared_types::{
    AdoptAccount, HotspotAccountCreated, NewStaff, ShownPassword, StaffCreated, StaffEdit,
    StaffLink, StaffSync, StaffView,
};
use uuid::Uuid;

use crate::{
    error::ApiResult,
    http::{auth::AdminAuth, client_ip::ClientIp, valid::Valid},
    routes::ApiTags,
    services::{staff, staff_edit, staff_router},
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

    /// Edit a staff member: username, name, operator key, router (every
    /// field sent). A new operator key on the same router is written to the
    /// comment of the hotspot account that carried the old one (by `.id`;
    /// router unreachable → 503 and nothing changed; another account already
    /// carrying the new key → 409). A new router only changes where gerbang
    /// looks: the old router's account is left as it is. Audited with the
    /// values before and after. Block, deactivate and delete are the people
    /// operations (`/admin/users/{id}/…`).
    #[oai(path = "/:id", method = "put", operation_id = "edit_staff")]
    async fn edit(
        &self,
        state: Data<&AppState>,
        admin: AdminAuth,
        client: ClientIp,
        id: Path<Uuid>,
        body: Valid<StaffEdit>,
    ) -> ApiResult<Json<StaffView>> {
        Ok(Json(
            staff_edit::update(&state, &admin.0, id.0, &body, client.0).await?,
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

    /// Sync from the router: one read of its hotspot accounts, sorted by
    /// comment — staff whose account exists, staff whose account is
    /// missing, accounts whose comment matches no staff member, and how many
    /// were left alone (no comment, or residents'). Changes nothing.
    #[oai(path = "/sync", method = "get", operation_id = "sync_staff")]
    async fn sync(
        &self,
        state: Data<&AppState>,
        _admin: AdminAuth,
        /// The router; absent: the default router.
        router_id: Query<Option<Uuid>>,
    ) -> ApiResult<Json<StaffSync>> {
        Ok(Json(staff_router::sync(&state, router_id.0).await?))
    }

    /// Adopt an existing router account into this staff member: its comment
    /// becomes their operator key; its password stays. 409 when another
    /// account already carries the key, or the account is a resident's.
    #[oai(
        path = "/:id/adopt",
        method = "post",
        operation_id = "adopt_staff_account"
    )]
    async fn adopt(
        &self,
        state: Data<&AppState>,
        admin: AdminAuth,
        client: ClientIp,
        id: Path<Uuid>,
        body: Valid<AdoptAccount>,
    ) -> ApiResult<Json<StaffLink>> {
        Ok(Json(
            staff_router::adopt(&state, &admin.0, id.0, &body.account, client.0).await?,
        ))
    }

    /// Create the missing hotspot account on the staff member's router
    /// (named by their username, their operator key as its comment); its
    /// password is generated and shown once.
    #[oai(
        path = "/:id/hotspot-account",
        method = "post",
        operation_id = "create_staff_hotspot_account"
    )]
    async fn create_account(
        &self,
        state: Data<&AppState>,
        admin: AdminAuth,
        client: ClientIp,
        id: Path<Uuid>,
    ) -> ApiResult<Json<HotspotAccountCreated>> {
        Ok(Json(
            staff_router::create_account(&state, &admin.0, id.0, client.0).await?,
        ))
    }
}
