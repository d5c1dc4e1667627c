//! Staff and teachers: password login (`/auth/staff/login`) and their own
//! page (`/me/staff`, `/me/password`, `/me/hotspot-password`).

use poem::web::Data;
use poem_openapi::{payload::Json, OpenApi};
use shared_types::{
    HotspotPasswordChange, HotspotPasswordChanged, PasswordLogin, StaffPage, WebPasswordChange,
};

use crate::{
    error::ApiResult,
    http::{
        auth::{Csrf, StaffAuth, UserAgent, WithCookies},
        client_ip::ClientIp,
        valid::Valid,
    },
    routes::{
        auth::{password_door, LoginResponse},
        ApiTags,
    },
    services::{login::LoginDoor, staff, staff_router},
    state::AppState,
};

/// Staff login.
pub struct StaffAuthApi;

#[OpenApi(prefix_path = "/auth/staff", tag = "ApiTags::Staff")]
impl StaffAuthApi {
    /// Staff login with username and password (residents and komandan log
    /// in with a WhatsApp code instead; admins at `/admin/auth/login`).
    /// Wrong passwords lock the username as for admins (per address for 15
    /// minutes, everywhere for an hour). An unknown username and a wrong
    /// password answer the same, in the same time. Needs
    /// `X-Requested-With: fetch`.
    #[oai(path = "/login", method = "post", operation_id = "staff_login")]
    async fn login(
        &self,
        state: Data<&AppState>,
        client: ClientIp,
        ua: UserAgent,
        _csrf: Csrf,
        body: Valid<PasswordLogin>,
    ) -> ApiResult<WithCookies<LoginResponse>> {
        password_door(&state, client.0, ua.0.as_deref(), &body, LoginDoor::Staff).await
    }
}

/// A staff member's own page.
pub struct StaffSelfApi;

#[OpenApi(prefix_path = "/me", tag = "ApiTags::Staff")]
impl StaffSelfApi {
    /// The staff page: who they are and their hotspot account as the router
    /// has it (found by the comment equal to their operator key), with its
    /// live sessions. `hotspot` is `null` when the router has no such
    /// account; `router_reachable` is false when the router did not answer.
    #[oai(path = "/staff", method = "get", operation_id = "staff_page")]
    async fn page(&self, state: Data<&AppState>, me: StaffAuth) -> ApiResult<Json<StaffPage>> {
        Ok(Json(staff_router::page(&state, &me.0).await?))
    }

    /// Change my web password (the current one first; 10–128 characters).
    /// My other sessions end; this one stays.
    #[oai(
        path = "/password",
        method = "put",
        operation_id = "change_my_password"
    )]
    async fn password(
        &self,
        state: Data<&AppState>,
        me: StaffAuth,
        client: ClientIp,
        body: Valid<WebPasswordChange>,
    ) -> ApiResult<Json<shared_types::PasswordChanged>> {
        Ok(Json(
            staff::change_web_password(&state, &me.0, &body, client.0).await?,
        ))
    }

    /// Change my hotspot password on the router (8–64 printable characters
    /// without spaces or quotes, typed twice). Every live session of the
    /// account ends, so the old password stops working at once. 503 when
    /// the router cannot be reached (nothing changed); 404
    /// `no_hotspot_account` when the router has no account for me.
    #[oai(
        path = "/hotspot-password",
        method = "put",
        operation_id = "change_my_hotspot_password"
    )]
    async fn hotspot_password(
        &self,
        state: Data<&AppState>,
        me: StaffAuth,
        client: ClientIp,
        body: Valid<HotspotPasswordChange>,
    ) -> ApiResult<Json<HotspotPasswordChanged>> {
        Ok(Json(
            staff_router::change_hotspot_password(&state, &me.0, &body, client.0).await?,
        ))
    }
}
