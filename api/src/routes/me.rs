//! `/me`: what the logged-in person sees about themselves.

use poem::web::Data;
use poem_openapi::{param::Query, payload::Json, OpenApi};
use shared_types::{BrowserLink, PurchaseView, StatusView, UsageHistory, UserView};

use super::ApiTags;
use crate::{
    error::ApiResult,
    identity::Auth,
    services::{me, payments},
    state::AppState,
};

fn default_days() -> u32 {
    7
}

/// The logged-in person (`/me`, `/me/status`, `/me/usage`, …).
pub struct MeApi;

#[OpenApi(prefix_path = "/me", tag = "ApiTags::Me")]
impl MeApi {
    /// The logged-in person.
    #[oai(path = "/", method = "get", operation_id = "get_me")]
    async fn me(&self, state: Data<&AppState>, auth: Auth) -> ApiResult<Json<UserView>> {
        Ok(Json(me::me(&state, &auth).await?))
    }

    /// Access status, quota left, expiry and hotspot account name.
    #[oai(path = "/status", method = "get", operation_id = "get_my_status")]
    async fn status(&self, state: Data<&AppState>, auth: Auth) -> ApiResult<Json<StatusView>> {
        Ok(Json(me::my_status(&state, &auth).await?))
    }

    /// Daily usage for the last `days` days (default 7, at most 90), oldest first,
    /// in the facility's time zone; days without traffic are 0.
    #[oai(path = "/usage", method = "get", operation_id = "get_my_usage")]
    async fn usage(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        #[oai(
            default = "default_days",
            validator(minimum(value = "1"), maximum(value = "90"))
        )]
        days: Query<u32>,
    ) -> ApiResult<Json<UsageHistory>> {
        Ok(Json(me::my_usage(&state, &auth, days.0).await?))
    }

    /// A fresh one-time link (valid once, 2 minutes) that opens this session in the
    /// phone's main browser, for when the captive pop-up closes.
    #[oai(
        path = "/browser-link",
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

    /// My purchases, newest first (at most 50).
    #[oai(
        path = "/purchases",
        method = "get",
        operation_id = "list_my_purchases",
        tag = "ApiTags::Payments",
        tag = "ApiTags::Purchases"
    )]
    async fn my_purchases(
        &self,
        state: Data<&AppState>,
        auth: Auth,
    ) -> ApiResult<Json<Vec<PurchaseView>>> {
        Ok(Json(payments::my_purchases(&state, &auth).await?))
    }
}
