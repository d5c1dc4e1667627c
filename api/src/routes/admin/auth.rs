//! `/admin/auth`: password login to the dashboard.

use poem::web::Data;
use poem_openapi::OpenApi;
use shared_types::PasswordLogin;

use crate::{
    error::ApiResult,
    http::{
        auth::{Csrf, UserAgent, WithCookies},
        client_ip::ClientIp,
        valid::Valid,
    },
    routes::{
        auth::{logged_in, LoginResponse},
        ApiTags,
    },
    services::{
        login::{self, LoginDoor},
        sessions::Origin,
    },
    state::AppState,
};

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
    /// address is locked out of that username for 15 minutes
    /// (`rate_limited`); other addresses are not affected. Needs
    /// `X-Requested-With: fetch`.
    #[oai(path = "/login", method = "post", operation_id = "admin_login")]
    async fn login(
        &self,
        state: Data<&AppState>,
        client: ClientIp,
        ua: UserAgent,
        _csrf: Csrf,
        body: Valid<PasswordLogin>,
    ) -> ApiResult<WithCookies<LoginResponse>> {
        let ip = client.0;
        state.limit_public_ip("admin_login", ip).await?;
        let origin = Origin {
            ip,
            user_agent: ua.0.as_deref(),
        };
        let l = login::password_login(&state, &body, &origin, LoginDoor::Admins).await?;
        Ok(logged_in(&state, l))
    }
}
