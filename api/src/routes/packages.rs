//! `/packages`: what residents can buy.

use poem::web::Data;
use poem_openapi::{payload::Json, OpenApi};
use shared_types::PackageView;

use super::ApiTags;
use crate::{db::packages::Catalogue, error::ApiResult, services::payments, state::AppState};

/// Packages on sale (`/packages`).
pub struct PackagesApi;

#[OpenApi(
    prefix_path = "/packages",
    tag = "ApiTags::Payments",
    tag = "ApiTags::Packages"
)]
impl PackagesApi {
    /// Packages on sale, in display order.
    #[oai(path = "/", method = "get", operation_id = "list_packages")]
    async fn packages(&self, state: Data<&AppState>) -> ApiResult<Json<Vec<PackageView>>> {
        Ok(Json(payments::packages(&state, Catalogue::OnSale).await?))
    }
}
