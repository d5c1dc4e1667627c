use poem::web::Data;
use poem_openapi::{payload::Json, ApiResponse, OpenApi};
use shared_types::CaptiveInfo;

use super::ApiTags;
use crate::{
    error::ApiResult,
    http::{auth::Auth, client_ip::ClientIp},
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
        auth: Option<Auth>,
        client: ClientIp,
    ) -> ApiResult<CaptiveResponse> {
        let info = captive::info(&state, auth.as_ref(), client.0).await?;
        Ok(CaptiveResponse::Ok(Json(info), "private, no-store".into()))
    }
}
