use poem::{web::Data, Request};
use poem_openapi::{payload::Json, ApiResponse, OpenApi};
use shared_types::{ClientErrorReceipt, NewClientError};

use super::ApiTags;
use crate::{
    error::ApiResult,
    http::{client_ip::ClientIp, request_id::RequestId, valid::Valid},
    services::client_errors::{self, Reporter},
    state::AppState,
};

pub struct ClientErrorsApi;

#[derive(ApiResponse)]
pub enum ReportClientErrorResponse {
    /// The report was stored.
    #[oai(status = 202)]
    Accepted(Json<ClientErrorReceipt>),
}

#[OpenApi(tag = "ApiTags::ClientErrors")]
impl ClientErrorsApi {
    /// Report an error the SPA hit on a user's device.
    ///
    /// Unauthenticated (it must work before login), so it is rate limited per
    /// client IP.
    #[oai(
        path = "/client-errors",
        method = "post",
        operation_id = "report_client_error"
    )]
    async fn report_client_error(
        &self,
        state: Data<&AppState>,
        client: ClientIp,
        req: &Request,
        body: Valid<NewClientError>,
    ) -> ApiResult<ReportClientErrorResponse> {
        let ClientIp(ip) = client;
        state.public_writes.check(&ip)?;
        let request_id = req
            .extensions()
            .get::<RequestId>()
            .map(|r| r.0.as_str())
            .unwrap_or_default();
        let user_agent = req
            .headers()
            .get(poem::http::header::USER_AGENT)
            .and_then(|v| v.to_str().ok());
        let id = client_errors::record(
            &state.db,
            &body,
            Reporter {
                ip,
                user_agent,
                request_id,
            },
        )
        .await?;
        Ok(ReportClientErrorResponse::Accepted(Json(
            ClientErrorReceipt {
                id: id.to_string().into(),
            },
        )))
    }
}
