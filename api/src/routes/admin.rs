use poem::web::Data;
use poem_openapi::{param::Path, payload::Json, OpenApi};
use shared_types::{
    BlockUser, Deleted, PasswordLogin, Registration, RejectRegistration, RouterDrift, UserAccess,
};
use uuid::Uuid;
use validator::Validate;

use super::{
    auth::{logged_in, LoginResponse},
    ApiTags,
};
use crate::{
    error::{ApiError, ApiResult},
    http::{
        auth::{AdminAuth, Csrf, UserAgent, WithCookies},
        client_ip::ClientIp,
    },
    services::{
        drift,
        login::{self, LoginDoor},
        registration::{self, Decision},
        sessions::Origin,
        user_admin::{self, AccessChange},
    },
    state::AppState,
};

pub struct AdminApi;

#[OpenApi(tag = "ApiTags::Admin")]
impl AdminApi {
    /// Admin login with username and password.
    ///
    /// After 5 wrong passwords for a username it is locked for 15 minutes
    /// (`rate_limited`). Needs `X-Requested-With: fetch`.
    #[oai(
        path = "/admin/auth/login",
        method = "post",
        operation_id = "admin_login"
    )]
    async fn login(
        &self,
        state: Data<&AppState>,
        client: ClientIp,
        ua: UserAgent,
        _csrf: Csrf,
        body: Json<PasswordLogin>,
    ) -> ApiResult<WithCookies<LoginResponse>> {
        let ip = client.0;
        state.limit_public_ip("admin_login", ip).await?;
        body.validate().map_err(|e| ApiError::validation(&e))?;
        let origin = Origin {
            ip,
            user_agent: ua.0.as_deref(),
        };
        let l = login::password_login(&state, &body, &origin, LoginDoor::Admins).await?;
        Ok(logged_in(&state, l))
    }

    /// Registrations waiting for approval, oldest first.
    #[oai(
        path = "/admin/registrations",
        method = "get",
        operation_id = "list_pending_registrations"
    )]
    async fn pending(
        &self,
        state: Data<&AppState>,
        _admin: AdminAuth,
    ) -> ApiResult<Json<Vec<Registration>>> {
        Ok(Json(registration::pending(&state).await?))
    }

    /// Approve a registration: the number can log in; a hotspot password is generated.
    #[oai(
        path = "/admin/registrations/:id/approve",
        method = "post",
        operation_id = "approve_registration"
    )]
    async fn approve(
        &self,
        state: Data<&AppState>,
        admin: AdminAuth,
        client: ClientIp,
        id: Path<Uuid>,
    ) -> ApiResult<Json<Registration>> {
        Ok(Json(
            registration::review(&state, &admin.0, id.0, Decision::Approve, client.0).await?,
        ))
    }

    /// Reject a registration, with a reason for the record.
    #[oai(
        path = "/admin/registrations/:id/reject",
        method = "post",
        operation_id = "reject_registration"
    )]
    async fn reject(
        &self,
        state: Data<&AppState>,
        admin: AdminAuth,
        client: ClientIp,
        id: Path<Uuid>,
        body: Json<RejectRegistration>,
    ) -> ApiResult<Json<Registration>> {
        body.validate().map_err(|e| ApiError::validation(&e))?;
        Ok(Json(
            registration::review(
                &state,
                &admin.0,
                id.0,
                Decision::Reject(Some(body.reason.trim())),
                client.0,
            )
            .await?,
        ))
    }

    /// Block a user: the router account is disabled, live sessions kicked,
    /// bindings and MAC cookies removed within a second; API sessions end.
    #[oai(
        path = "/admin/users/:id/block",
        method = "post",
        operation_id = "block_user"
    )]
    async fn block(
        &self,
        state: Data<&AppState>,
        admin: AdminAuth,
        client: ClientIp,
        id: Path<Uuid>,
        body: Json<BlockUser>,
    ) -> ApiResult<Json<UserAccess>> {
        body.validate().map_err(|e| ApiError::validation(&e))?;
        let change = AccessChange::Block(body.reason.trim());
        Ok(Json(
            user_admin::change_access(&state, &admin.0, id.0, change, client.0).await?,
        ))
    }

    /// Unblock a user; access follows their quota and validity again.
    #[oai(
        path = "/admin/users/:id/unblock",
        method = "post",
        operation_id = "unblock_user"
    )]
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
        path = "/admin/users/:id/deactivate",
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
        path = "/admin/users/:id/activate",
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
    #[oai(
        path = "/admin/users/:id",
        method = "delete",
        operation_id = "delete_user"
    )]
    async fn delete(
        &self,
        state: Data<&AppState>,
        admin: AdminAuth,
        client: ClientIp,
        id: Path<Uuid>,
    ) -> ApiResult<Json<Deleted>> {
        user_admin::delete_user(&state, &admin.0, id.0, client.0).await?;
        Ok(Json(Deleted {
            id: id.0.to_string(),
        }))
    }

    /// Where the router and the database disagree: per user (account
    /// properties, address-list membership, bypass bindings, usage not yet
    /// accounted) and the router's health (reachable, latency, last cycle).
    /// Reads the router once and changes nothing.
    #[oai(
        path = "/admin/routers/:id/drift",
        method = "get",
        operation_id = "router_drift"
    )]
    async fn drift(
        &self,
        state: Data<&AppState>,
        _admin: AdminAuth,
        id: Path<Uuid>,
    ) -> ApiResult<Json<RouterDrift>> {
        Ok(Json(drift::router_drift(&state, id.0).await?))
    }
}
