//! `/admin/auth`: password login to the dashboard.

use poem::web::Data;
use poem_openapi::{payload::Json, ApiResponse, OpenApi};
use shared_types::{ConfirmPassword, Confirmed, OtpRequested, PasswordLogin, UnlockRequest};

use crate::{
    error::ApiResult,
    http::{
        auth::{AdminAuth, Csrf, UserAgent, WithCookies},
        client_ip::ClientIp,
        valid::Valid,
    },
    routes::{
        auth::{password_door, LoginResponse},
        ApiTags,
    },
    services::{
        login::{self, LoginDoor},
        staff,
    },
    state::AppState,
};

#[derive(ApiResponse)]
pub enum UnlockResponse {
    /// Accepted. The same answer whatever the username; a locked admin with a
    /// WhatsApp number receives the code there.
    #[oai(status = 202)]
    Accepted(Json<OtpRequested>),
}

/// Password login to the dashboard (`/admin/auth/…`).
pub struct AdminAuthApi;

#[OpenApi(
    prefix_path = "/admin/auth",
    tag = "ApiTags::Admin",
    tag = "ApiTags::AdminAuth"
)]
impl AdminAuthApi {
    /// Admin login with username and password.
    ///
    /// After 5 wrong passwords for a username from one client address, that
    /// address is locked out of that username for 15 minutes; after 20 from
    /// all addresses together within an hour, the username is locked
    /// everywhere. Locked answers are `rate_limited` with
    /// `details.unlock = "whatsapp_code"`: the admin asks for a code
    /// (`admin_request_unlock`) and signs in with password + `unlock_code`.
    /// Needs `X-Requested-With: fetch`.
    #[oai(path = "/login", method = "post", operation_id = "admin_login")]
    async fn login(
        &self,
        state: Data<&AppState>,
        client: ClientIp,
        ua: UserAgent,
        _csrf: Csrf,
        body: Valid<PasswordLogin>,
    ) -> ApiResult<WithCookies<LoginResponse>> {
        password_door(&state, client.0, ua.0.as_deref(), &body, LoginDoor::Admins).await
    }

    /// Ask for a WhatsApp unlock code for a locked username.
    ///
    /// Sent to the admin's own number only if the username is an admin with a
    /// number and is locked for this caller; one code per 5 minutes. The answer
    /// is the same either way. Needs `X-Requested-With: fetch`.
    #[oai(
        path = "/unlock",
        method = "post",
        operation_id = "admin_request_unlock"
    )]
    async fn unlock(
        &self,
        state: Data<&AppState>,
        client: ClientIp,
        _csrf: Csrf,
        body: Valid<UnlockRequest>,
    ) -> ApiResult<UnlockResponse> {
        state.limit_public_ip("admin_unlock", client.0).await?;
        let wait = login::request_unlock(&state, &body.username, client.0).await?;
        Ok(UnlockResponse::Accepted(Json(OtpRequested {
            resend_after_seconds: wait as u32,
        })))
    }

    /// Confirm my own password again: for 5 minutes this session may reveal
    /// a staff member's password. Wrong answers (422, `fields.password`) are
    /// limited to 5 per 15 minutes per admin and audited.
    #[oai(
        path = "/confirm",
        method = "post",
        operation_id = "admin_confirm_password"
    )]
    async fn confirm(
        &self,
        state: Data<&AppState>,
        admin: AdminAuth,
        client: ClientIp,
        body: Valid<ConfirmPassword>,
    ) -> ApiResult<Json<Confirmed>> {
        Ok(Json(
            staff::confirm(&state, &admin.0, &body.password, client.0).await?,
        ))
    }
}
