use poem::web::Data;
use poem_openapi::{param::Path, payload::Json, OpenApi};
use shared_types::{PasswordLogin, Registration, RejectRegistration};
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
        rate_limit::limit_public_ip,
    },
    services::{login, registration, sessions::Origin},
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
        limit_public_ip(&state, "admin_login", ip).await?;
        body.validate().map_err(|e| ApiError::validation(&e))?;
        let origin = Origin {
            ip,
            user_agent: ua.0.as_deref(),
        };
        let l = login::password_login(&state, &body, &origin, true).await?;
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
            registration::review(&state, &admin.0, id.0, true, None, client.0).await?,
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
                false,
                Some(body.reason.trim()),
                client.0,
            )
            .await?,
        ))
    }
}
