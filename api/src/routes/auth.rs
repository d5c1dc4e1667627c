use poem::web::Data;
use poem_openapi::{payload::Json, ApiResponse, OpenApi};
use shared_types::{
    LoginResult, OtpRequest, OtpRequested, OtpVerify, RegisterRequest, Registered, SessionConsume,
};

use super::ApiTags;
use crate::{
    error::ApiResult,
    http::{
        auth::{AccessCookie, Csrf, RefreshCookie, UserAgent, WithCookies},
        client_ip::ClientIp,
        valid::Valid,
    },
    identity::SessionTokens,
    services::{
        login::{self, LoggedIn},
        otp, registration,
        sessions::{self, Origin},
    },
    state::AppState,
};

#[derive(ApiResponse)]
pub enum RequestOtpResponse {
    /// Accepted. The same answer whether or not the number is registered; a
    /// registered, approved account receives the code on WhatsApp.
    #[oai(status = 202)]
    Accepted(Json<OtpRequested>),
}

#[derive(ApiResponse)]
pub enum LoginResponse {
    /// Logged in. Session cookies (`gerbang_at`, `gerbang_rt`) are set.
    #[oai(status = 200)]
    Ok(Json<LoginResult>),
}

#[derive(ApiResponse)]
pub enum NoContent {
    /// Done.
    #[oai(status = 204)]
    Done,
}

#[derive(ApiResponse)]
pub enum RegisterResponse {
    /// Received; an admin reviews it. The number can log in once approved.
    #[oai(status = 202)]
    Accepted(Json<Registered>),
}

pub fn logged_in(state: &AppState, l: LoggedIn) -> WithCookies<LoginResponse> {
    WithCookies {
        cookies: l.cookies.headers(&state.settings.session),
        inner: LoginResponse::Ok(Json(l.result)),
    }
}

/// A username + password login through `door` (the admin form or the staff
/// form): the per-IP limit on strangers, then the login itself.
pub async fn password_door(
    state: &AppState,
    ip: std::net::IpAddr,
    user_agent: Option<&str>,
    body: &shared_types::PasswordLogin,
    door: crate::services::login::LoginDoor,
) -> crate::error::ApiResult<WithCookies<LoginResponse>> {
    let bucket = match door {
        crate::services::login::LoginDoor::Admins => "admin_login",
        crate::services::login::LoginDoor::Staff => "staff_login",
    };
    state.limit_public_ip(bucket, ip).await?;
    let origin = crate::services::sessions::Origin { ip, user_agent };
    let l = crate::services::login::password_login(state, body, &origin, door).await?;
    Ok(logged_in(state, l))
}

/// Phone login, sessions and self-registration (`/auth/…`).
pub struct AuthApi;

#[OpenApi(prefix_path = "/auth", tag = "ApiTags::Auth")]
impl AuthApi {
    /// Send a WhatsApp login code.
    ///
    /// Checks the Turnstile token first (single use), then the per-number
    /// cooldown (60 s, then 120 s and 300 s), per-number and per-IP caps and a
    /// global budget. Over a limit: `rate_limited` with `Retry-After`.
    #[oai(path = "/otp/request", method = "post", operation_id = "request_otp")]
    async fn request_otp(
        &self,
        state: Data<&AppState>,
        client: ClientIp,
        body: Valid<OtpRequest>,
    ) -> ApiResult<RequestOtpResponse> {
        let ClientIp(ip) = client;
        state.public_writes.check(&ip)?;
        let answer = otp::request(&state, &body, ip).await?;
        Ok(RequestOtpResponse::Accepted(Json(answer)))
    }

    /// Log in with the WhatsApp code.
    ///
    /// At most 5 tries per code (then request a new one) and 10 wrong codes
    /// per number per hour. With `client`, the router must confirm the device's
    /// MAC at its address (`device_not_confirmed`), a MAC owned by another
    /// account is refused (`device_taken`), and `hotspot` says how to get the
    /// device online. Needs `X-Requested-With: fetch`.
    #[oai(path = "/otp/verify", method = "post", operation_id = "verify_otp")]
    async fn verify_otp(
        &self,
        state: Data<&AppState>,
        client: ClientIp,
        ua: UserAgent,
        _csrf: Csrf,
        body: Valid<OtpVerify>,
    ) -> ApiResult<WithCookies<LoginResponse>> {
        let ClientIp(ip) = client;
        state.limit_public_ip("otp_verify", ip).await?;
        let origin = Origin {
            ip,
            user_agent: ua.0.as_deref(),
        };
        let l = login::otp_login(&state, &body, &origin).await?;
        Ok(logged_in(&state, l))
    }

    /// Exchange a one-time "open in browser" link for a session.
    ///
    /// The link is valid once, for 2 minutes.
    #[oai(
        path = "/session/consume",
        method = "post",
        operation_id = "consume_session_link"
    )]
    async fn consume(
        &self,
        state: Data<&AppState>,
        client: ClientIp,
        ua: UserAgent,
        _csrf: Csrf,
        body: Valid<SessionConsume>,
    ) -> ApiResult<WithCookies<LoginResponse>> {
        let ClientIp(ip) = client;
        state.limit_public_ip("session_consume", ip).await?;
        let origin = Origin {
            ip,
            user_agent: ua.0.as_deref(),
        };
        let l = login::consume_handoff(&state, &body.token, &origin).await?;
        Ok(logged_in(&state, l))
    }

    /// Rotate the refresh token (cookie) and get a new access token.
    ///
    /// Presenting a refresh token that was already used ends the session
    /// (`unauthorized`, `details.reason = refresh_token_reused`).
    #[oai(path = "/refresh", method = "post", operation_id = "refresh_session")]
    async fn refresh(
        &self,
        state: Data<&AppState>,
        _csrf: Csrf,
        refresh: RefreshCookie,
    ) -> ApiResult<WithCookies<NoContent>> {
        match sessions::refresh(&state, refresh.0.as_deref()).await {
            Ok(cookies) => Ok(WithCookies {
                cookies: cookies.headers(&state.settings.session),
                inner: NoContent::Done,
            }),
            Err(e) => Err(e.into()),
        }
    }

    /// End this session and clear its cookies.
    #[oai(path = "/logout", method = "post", operation_id = "logout")]
    async fn logout(
        &self,
        state: Data<&AppState>,
        _csrf: Csrf,
        access: AccessCookie,
        refresh: RefreshCookie,
    ) -> ApiResult<WithCookies<NoContent>> {
        sessions::logout(&state, access.0.as_deref(), refresh.0.as_deref()).await?;
        Ok(WithCookies {
            cookies: SessionTokens::cleared(&state.settings.session),
            inner: NoContent::Done,
        })
    }

    /// Register (resident or komandan); an admin approves before the number can log in.
    ///
    /// Residents give *blok* and *kamar*, or a `tamping_type` alone. Needs a
    /// Turnstile token for the `register` action. A number that is already
    /// registered gets `already_registered`.
    #[oai(path = "/register", method = "post", operation_id = "register")]
    async fn register(
        &self,
        state: Data<&AppState>,
        client: ClientIp,
        body: Valid<RegisterRequest>,
    ) -> ApiResult<RegisterResponse> {
        let ClientIp(ip) = client;
        state.limit_public_ip("register", ip).await?;
        registration::register(&state, &body, ip).await?;
        Ok(RegisterResponse::Accepted(Json(Registered {
            status: "pending".into(),
        })))
    }
}
