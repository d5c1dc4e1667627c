//! `/admin/users`: what admins do to a person's access.

use poem::web::Data;
use poem_openapi::{param::Path, payload::Json, OpenApi};
use shared_types::{BlockUser, Deleted, UserAccess};
use uuid::Uuid;

use crate::{
    error::ApiResult,
    http::{auth::AdminAuth, client_ip::ClientIp, valid::Valid},
    routes::ApiTags,
    services::user_admin::{self, AccessChange},
    state::AppState,
};

/// What admins do to a person's access (`/admin/users/…`).
pub struct AdminUsersApi;

#[OpenApi(
    prefix_path = "/admin/users",
    tag = "ApiTags::Admin",
    tag = "ApiTags::AdminUsers"
)]
impl AdminUsersApi {
    /// Block a user: the router account is disabled, live sessions kicked,
    /// bindings and MAC cookies removed within a second; API sessions end.
    #[oai(path = "/:id/block", method = "post", operation_id = "block_user")]
    async fn block(
        &self,
        state: Data<&AppState>,
        admin: AdminAuth,
        client: ClientIp,
        id: Path<Uuid>,
        body: Valid<BlockUser>,
    ) -> ApiResult<Json<UserAccess>> {
        let change = AccessChange::Block(body.reason.trim());
        Ok(Json(
            user_admin::change_access(&state, &admin.0, id.0, change, client.0).await?,
        ))
    }

    /// Unblock a user; access follows their quota and validity again.
    #[oai(path = "/:id/unblock", method = "post", operation_id = "unblock_user")]
    async fn unblock(
        &self,
        state: Data<&AppState>,
        admin: AdminAuth,
        client: ClientIp,
        id: Path<Uuid>,
    ) -> ApiResult<Json<UserAccess>> {
        Ok(Json(
            user_admin::change_access(&state, &admin.0, id.0, AccessChange::Unblock, client.0)
                .await?,
        ))
    }

    /// Deactivate a user (moved out, released): like a block, without a reason shown.
    #[oai(
        path = "/:id/deactivate",
        method = "post",
        operation_id = "deactivate_user"
    )]
    async fn deactivate(
        &self,
        state: Data<&AppState>,
        admin: AdminAuth,
        client: ClientIp,
        id: Path<Uuid>,
    ) -> ApiResult<Json<UserAccess>> {
        Ok(Json(
            user_admin::change_access(&state, &admin.0, id.0, AccessChange::Deactivate, client.0)
                .await?,
        ))
    }

    /// Activate a deactivated user again.
    #[oai(
        path = "/:id/activate",
        method = "post",
        operation_id = "activate_user"
    )]
    async fn activate(
        &self,
        state: Data<&AppState>,
        admin: AdminAuth,
        client: ClientIp,
        id: Path<Uuid>,
    ) -> ApiResult<Json<UserAccess>> {
        Ok(Json(
            user_admin::change_access(&state, &admin.0, id.0, AccessChange::Activate, client.0)
                .await?,
        ))
    }

    /// Delete a resident, officer or staff member: everything of theirs is
    /// removed from the router first, then from the database. A router that
    /// cannot be reached gives `service_unavailable` and nothing is deleted.
    #[oai(path = "/:id", method = "delete", operation_id = "delete_user")]
    async fn delete(
        &self,
        state: Data<&AppState>,
        admin: AdminAuth,
        client: ClientIp,
        id: Path<Uuid>,
    ) -> ApiResult<Json<Deleted>> {
        user_admin::delete_user(&state, &admin.0, id.0, client.0).await?;
        Ok(Json(Deleted {
            id: id.0.to_string().into(),
        }))
    }
}
