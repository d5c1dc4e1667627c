use poem::web::Data;
use poem_openapi::{param::Query, payload::Json, ApiResponse, OpenApi};
use shared_types::{CaptiveInfo, PortalConfig};

use super::ApiTags;
use crate::{
    error::ApiResult,
    http::{auth::MaybeAuth, client_ip::ClientIp},
    services::captive,
    state::AppState,
};

pub struct CaptiveApi;

#[derive(ApiResponse)]
pub enum CaptiveResponse {
    /// The client's captive state (`application/captive+json`, never cached).
    #[oai(status = 200, content_type = "application/captive+json")]
    Ok(Json<CaptiveInfo>, #[oai(header = "Cache-Control")] String),
}

#[OpenApi(tag = "ApiTags::Captive")]
impl CaptiveApi {
    /// RFC 8908 captive-portal API for the calling client.
    ///
    /// Identified by its session cookie, else by the device last seen at its address.
    #[oai(path = "/captive", method = "get", operation_id = "captive_portal_api")]
    async fn captive(
        &self,
        state: Data<&AppState>,
        auth: MaybeAuth,
        client: ClientIp,
    ) -> ApiResult<CaptiveResponse> {
        let info = captive::info(&state, auth.0.as_ref(), client.0).await?;
        Ok(CaptiveResponse::Ok(Json(info), "private, no-store".into()))
    }

    /// Public settings of the portal: facility name, whom to contact, the Turnstile
    /// widget, whether packages are on sale; with `mac` (the router's `$(mac)`),
    /// whether that MAC is randomized so the portal can warn before the OTP step.
    #[oai(path = "/portal", method = "get", operation_id = "get_portal_config")]
    async fn portal(
        &self,
        state: Data<&AppState>,
        mac: Query<Option<String>>,
    ) -> ApiResult<Json<PortalConfig>> {
        Ok(Json(captive::portal(&state, mac.0.as_deref()).await?))
    }
}
