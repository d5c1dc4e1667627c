use poem::web::Data;
use poem_openapi::{payload::Json, ApiResponse, OpenApi};
use shared_types::Readiness;

use super::ApiTags;
use crate::{services, state::AppState};

pub struct HealthApi;

#[derive(ApiResponse)]
pub enum GetHealthResponse {
    /// Every dependency answered.
    #[oai(status = 200)]
    Ready(Json<Readiness>),
    /// At least one dependency is down; `failed` names it.
    #[oai(status = 503)]
    NotReady(Json<Readiness>),
}

#[OpenApi(tag = "ApiTags::Health")]
impl HealthApi {
    /// Readiness of the service and its dependencies (PostgreSQL, Redis).
    ///
    /// The same check as `GET /readyz`, inside the versioned API so clients
    /// use the typed contract.
    #[oai(path = "/health", method = "get", operation_id = "get_health")]
    async fn get_health(&self, state: Data<&AppState>) -> GetHealthResponse {
        let readiness = services::health::readiness(&state.db, &state.kv).await;
        if readiness.is_ready() {
            GetHealthResponse::Ready(Json(readiness))
        } else {
            GetHealthResponse::NotReady(Json(readiness))
        }
    }
}
