use poem::web::Data;
use poem_openapi::{
    param::{Path, Query},
    payload::Json,
    ApiResponse, OpenApi,
};
use shared_types::{
    BrowserLink, Connected, DevicePatch, DeviceView, StatusView, UsageHistory, UserView,
};
use uuid::Uuid;
use validator::Validate;

use super::ApiTags;
use crate::{
    error::{ApiError, ApiResult},
    http::client_ip::ClientIp,
    identity::Auth,
    services::{devices, me},
    state::AppState,
};

pub struct MeApi;

fn default_days() -> u32 {
    7
}

#[derive(ApiResponse)]
pub enum DeletedResponse {
    /// Removed.
    #[oai(status = 204)]
    Deleted,
}

#[OpenApi(tag = "ApiTags::Me")]
impl MeApi {
    /// The logged-in person.
    #[oai(path = "/me", method = "get", operation_id = "get_me")]
    async fn me(&self, state: Data<&AppState>, auth: Auth) -> ApiResult<Json<UserView>> {
        Ok(Json(me::me(&state, &auth).await?))
    }

    /// Access status, quota left, expiry and hotspot account name.
    #[oai(path = "/me/status", method = "get", operation_id = "get_my_status")]
    async fn status(&self, state: Data<&AppState>, auth: Auth) -> ApiResult<Json<StatusView>> {
        Ok(Json(me::my_status(&state, &auth).await?))
    }

    /// Daily usage for the last `days` days (default 7, at most 90), oldest first,
    /// in the facility's time zone; days without traffic are 0.
    #[oai(path = "/me/usage", method = "get", operation_id = "get_my_usage")]
    async fn usage(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        #[oai(default = "default_days")] days: Query<u32>,
    ) -> ApiResult<Json<UsageHistory>> {
        Ok(Json(me::my_usage(&state, &auth, days.0).await?))
    }

    /// A fresh one-time link (valid once, 2 minutes) that opens this session in the
    /// phone's main browser, for when the captive pop-up closes.
    #[oai(
        path = "/me/browser-link",
        method = "post",
        operation_id = "create_browser_link"
    )]
    async fn browser_link(
        &self,
        state: Data<&AppState>,
        auth: Auth,
    ) -> ApiResult<Json<BrowserLink>> {
        Ok(Json(me::browser_link(&state, &auth).await?))
    }

    /// The person's devices, most recently seen first; `current` marks this session's.
    #[oai(path = "/me/devices", method = "get", operation_id = "list_my_devices")]
    async fn devices(
        &self,
        state: Data<&AppState>,
        auth: Auth,
    ) -> ApiResult<Json<Vec<DeviceView>>> {
        Ok(Json(devices::my_devices(&state, &auth).await?))
    }

    /// Rename a device.
    #[oai(
        path = "/me/devices/:id",
        method = "patch",
        operation_id = "rename_my_device"
    )]
    async fn rename(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        id: Path<Uuid>,
        body: Json<DevicePatch>,
    ) -> ApiResult<Json<DeviceView>> {
        body.validate().map_err(|e| ApiError::validation(&e))?;
        Ok(Json(
            devices::rename_device(&state, &auth, id.0, &body.label).await?,
        ))
    }

    /// Forget a device: its bypass binding is removed and its hotspot sessions are ended.
    #[oai(
        path = "/me/devices/:id",
        method = "delete",
        operation_id = "delete_my_device"
    )]
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
        path = "/me/devices/current/connect",
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
