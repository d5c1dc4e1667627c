use poem::web::Data;
use poem_openapi::{payload::Json, ApiResponse, OpenApi};
use shared_types::{ErrorCode, OtpRequest, OtpRequested};

use super::ApiTags;
use crate::{
    error::{ApiError, ApiResult},
    http::client_ip::ClientIp,
    integrations::turnstile::TurnstileError,
    services::otp::{self, OtpError},
    state::AppState,
};

pub struct AuthApi;

#[derive(ApiResponse)]
pub enum RequestOtpResponse {
    /// Accepted. The same answer whether or not the number is registered; a
    /// registered, approved account receives the code on WhatsApp.
    #[oai(status = 202)]
    Accepted(Json<OtpRequested>),
}

impl From<OtpError> for ApiError {
    fn from(e: OtpError) -> Self {
        match e {
            OtpError::InvalidPhone => {
                ApiError::new(ErrorCode::InvalidPhone, "not an Indonesian mobile number")
            }
            OtpError::Turnstile(TurnstileError::Rejected(reason)) => ApiError::new(
                ErrorCode::TurnstileFailed,
                "the Turnstile token was not accepted",
            )
            .with_detail("reason", reason),
            OtpError::Turnstile(e @ TurnstileError::Unavailable(_)) => {
                ApiError::unavailable("turnstile", e)
            }
            OtpError::Limited(seconds) => ApiError::rate_limited(seconds),
            OtpError::BudgetExhausted => ApiError::new(
                ErrorCode::ServiceUnavailable,
                "login codes cannot be sent right now",
            ),
            e @ OtpError::Redis(_) => ApiError::unavailable("redis", e),
            OtpError::Pool(e) => e.into(),
            OtpError::Db(e) => e.into(),
        }
    }
}

#[OpenApi(tag = "ApiTags::Auth")]
impl AuthApi {
    /// Send a WhatsApp login code.
    ///
    /// Checks the Turnstile token first (single use), then the per-number
    /// cooldown (60 s, then 120 s and 300 s), per-number and per-IP caps and a
    /// global budget. Over a limit: `rate_limited` with `Retry-After`.
    #[oai(
        path = "/auth/otp/request",
        method = "post",
        operation_id = "request_otp"
    )]
    async fn request_otp(
        &self,
        state: Data<&AppState>,
        client: ClientIp,
        body: Json<OtpRequest>,
    ) -> ApiResult<RequestOtpResponse> {
        let ClientIp(ip) = client;
        state.public_writes.check(&ip)?;
        let answer = otp::request(&state, &body, ip).await?;
        Ok(RequestOtpResponse::Accepted(Json(answer)))
    }
}
