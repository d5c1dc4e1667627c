//! `/me/devices`: the logged-in person's devices.

use poem::web::Data;
use poem_openapi::{param::Path, payload::Json, ApiResponse, OpenApi};
use shared_types::{Connected, DevicePatch, DeviceView};
use uuid::Uuid;

use super::ApiTags;
use crate::{
    error::ApiResult,
    http::{client_ip::ClientIp, valid::Valid},
    identity::Auth,
    services::devices,
    state::AppState,
};

#[derive(ApiResponse)]
pub enum DeletedResponse {
    /// Removed.
    #[oai(status = 204)]
    Deleted,
}

/// The logged-in person's devices (`/me/devices/…`).
pub struct DevicesApi;

#[OpenApi(
    prefix_path = "/me/devices",
    tag = "ApiTags::Me",
    tag = "ApiTags::Devices"
)]
impl DevicesApi {
    /// The person's devices, most recently seen first; `current` marks this session's.
    #[oai(path = "/", method = "get", operation_id = "list_my_devices")]
    async fn devices(
        &self,
        state: Data<&AppState>,
        auth: Auth,
    ) -> ApiResult<Json<Vec<DeviceView>>> {
        Ok(Json(devices::my_devices(&state, &auth).await?))
    }

    /// Rename a device.
    #[oai(path = "/:id", method = "patch", operation_id = "rename_my_device")]
    async fn rename(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        id: Path<Uuid>,
        body: Valid<DevicePatch>,
    ) -> ApiResult<Json<DeviceView>> {
        Ok(Json(
            devices::rename_device(&state, &auth, id.0, &body.label).await?,
        ))
    }

    /// Forget a device: its bypass binding is removed and its hotspot sessions are ended.
    #[oai(path = "/:id", method = "delete", operation_id = "delete_my_device")]
    async fn delete(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        id: Path<Uuid>,
    ) -> ApiResult<DeletedResponse> {
        devices::delete_device(&state, &auth, id.0).await?;
        Ok(DeletedResponse::Deleted)
    }

    /// Log this session's device in from the server (`/ip/hotspot/active/login`),
    /// for when the captive pop-up closed before the login form was sent.
    #[oai(
        path = "/current/connect",
        method = "post",
        operation_id = "connect_current_device"
    )]
    async fn connect(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        client: ClientIp,
    ) -> ApiResult<Json<Connected>> {
        Ok(Json(
            devices::connect_current(&state, &auth, client.0).await?,
        ))
    }
}
