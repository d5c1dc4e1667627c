//! `/admin/settings`: the facility settings super admins change at run time
//! (`services::facility`).

use poem::web::Data;
use poem_openapi::{payload::Json, OpenApi};
use shared_types::{FacilitySettingsChange, FacilitySettingsView};

use crate::{
    error::ApiResult,
    http::{auth::SuperAdminAuth, client_ip::ClientIp, valid::Valid},
    routes::ApiTags,
    services::facility,
    state::AppState,
};

/// Facility settings.
pub struct AdminSettingsApi;

#[OpenApi(
    prefix_path = "/admin/settings",
    tag = "ApiTags::Admin",
    tag = "ApiTags::AdminSettings"
)]
impl AdminSettingsApi {
    /// The settings in force, the configuration's defaults and which fields
    /// differ from them (super admins).
    #[oai(path = "/", method = "get", operation_id = "get_settings")]
    async fn get(
        &self,
        state: Data<&AppState>,
        _admin: SuperAdminAuth,
    ) -> ApiResult<Json<FacilitySettingsView>> {
        Ok(Json(facility::view(&state).await?))
    }

    /// Change the settings (super admins), with a reason for the audit log.
    /// Applied without a restart: in this process at once, everywhere else
    /// (other API processes, the worker) within a second. A value equal to
    /// its default follows the configuration file from then on.
    #[oai(path = "/", method = "put", operation_id = "update_settings")]
    async fn put(
        &self,
        state: Data<&AppState>,
        admin: SuperAdminAuth,
        client: ClientIp,
        body: Valid<FacilitySettingsChange>,
    ) -> ApiResult<Json<FacilitySettingsView>> {
        Ok(Json(
            facility::change(&state, &admin.0, &body, client.0).await?,
        ))
    }
}
