use poem::web::Data;
use poem_openapi::{param::Path, payload::Json, ApiResponse, OpenApi};
use shared_types::{LoginResult, PasswordLogin, Registration, RejectRegistration};
use uuid::Uuid;
use validator::Validate;

use super::ApiTags;
use crate::{
    error::{ApiError, ApiResult},
    http::{
        auth::{AdminAuth, Csrf, UserAgent, WithCookies},
        client_ip::ClientIp,
        rate_limit::shared_window,
    },
    services::{login, registration, sessions::Origin},
    state::AppState,
};

pub struct AdminApi;

#[derive(ApiResponse)]
pub enum AdminLoginResponse {
    /// Logged in. Session cookies (`gerbang_at`, `gerbang_rt`) are set.
    #[oai(status = 200)]
    Ok(Json<LoginResult>),
}

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
    ) -> ApiResult<WithCookies<AdminLoginResponse>> {
        let ip = client.0;
        state.public_writes.check(&ip)?;
        shared_window(
            &state.kv,
            "admin_login",
            &ip.to_string(),
            u64::from(state.settings.http.public_writes_per_minute),
            60,
        )
        .await?;
        body.validate().map_err(|e| ApiError::validation(&e))?;
        let origin = Origin {
            ip,
            user_agent: ua.0.as_deref(),
        };
        let l = login::password_login(&state, &body, &origin, true).await?;
        Ok(WithCookies {
            cookies: l.cookies.headers(&state.settings.session),
            inner: AdminLoginResponse::Ok(Json(l.result)),
        })
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
