//! `/admin/packages`: managing packages.

use poem::web::Data;
use poem_openapi::{param::Path, payload::Json, OpenApi};
use shared_types::{PackageInput, PackageRemoved, PackageView};
use uuid::Uuid;

use crate::{
    db::packages::Catalogue,
    error::ApiResult,
    http::{auth::AdminAuth, client_ip::ClientIp, valid::Valid},
    routes::ApiTags,
    services::payments,
    state::AppState,
};

/// Managing packages (`/admin/packages/…`).
pub struct AdminPackagesApi;

#[OpenApi(
    prefix_path = "/admin/packages",
    tag = "ApiTags::Payments",
    tag = "ApiTags::Admin",
    tag = "ApiTags::AdminPackages"
)]
impl AdminPackagesApi {
    /// All packages, including inactive ones.
    #[oai(path = "/", method = "get", operation_id = "admin_list_packages")]
    async fn admin_packages(
        &self,
        state: Data<&AppState>,
        _admin: AdminAuth,
    ) -> ApiResult<Json<Vec<PackageView>>> {
        Ok(Json(payments::packages(&state, Catalogue::All).await?))
    }

    /// Create a package.
    #[oai(path = "/", method = "post", operation_id = "create_package")]
    async fn create_package(
        &self,
        state: Data<&AppState>,
        admin: AdminAuth,
        client: ClientIp,
        body: Valid<PackageInput>,
    ) -> ApiResult<Json<PackageView>> {
        Ok(Json(
            payments::save_package(&state, &admin.0, None, &body, client.0).await?,
        ))
    }

    /// Replace a package. Open and past purchases keep what they sold.
    #[oai(path = "/:id", method = "put", operation_id = "update_package")]
    async fn update_package(
        &self,
        state: Data<&AppState>,
        admin: AdminAuth,
        client: ClientIp,
        id: Path<Uuid>,
        body: Valid<PackageInput>,
    ) -> ApiResult<Json<PackageView>> {
        Ok(Json(
            payments::save_package(&state, &admin.0, Some(id.0), &body, client.0).await?,
        ))
    }

    /// Delete a package; one that has purchases is deactivated instead.
    #[oai(path = "/:id", method = "delete", operation_id = "delete_package")]
    async fn delete_package(
        &self,
        state: Data<&AppState>,
        admin: AdminAuth,
        client: ClientIp,
        id: Path<Uuid>,
    ) -> ApiResult<Json<PackageRemoved>> {
        Ok(Json(
            payments::remove_package(&state, &admin.0, id.0, client.0).await?,
        ))
    }
}
