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

    /// Right after the login form was posted: the router shows this account logged
    /// in from the device the session named, so it becomes this session's device
    /// (bypass routers: its binding replaces that login). 409 `device_not_online`
    /// while the router shows no such login. Idempotent.
    #[oai(
        path = "/current/confirm",
        method = "post",
        operation_id = "confirm_current_device"
    )]
    async fn confirm(&self, state: Data<&AppState>, auth: Auth) -> ApiResult<Json<DeviceView>> {
        Ok(Json(devices::confirm_current(&state, &auth).await?))
    }

    /// "Connect this device", for when the captive pop-up closed before the login
    /// form was sent: a device the router has seen log in to this account is logged
    /// in from the server (`/ip/hotspot/active/login`, or its bypass binding); any
    /// other gets `login_form` to post from this browser.
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
