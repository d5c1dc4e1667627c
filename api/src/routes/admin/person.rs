//! `/admin/users/{id}/…`: one person in full, what admins change about them
//! besides access (quota, profile, hotspot password, a session, a device),
//! and deleting them. (`GET` and `DELETE` of one path live in one group.)

use poem::web::Data;
use poem_openapi::{param::Path, payload::Json, OpenApi};
use shared_types::{
    Adjusted, Deleted, KickSession, Kicked, PasswordReset, ProfileEdit, QuotaAdjustment,
    UserDetail, UserRow,
};
use uuid::Uuid;

use crate::{
    error::ApiResult,
    http::{auth::AdminAuth, client_ip::ClientIp, valid::Valid},
    routes::ApiTags,
    services::{user_admin, user_changes, user_detail},
    state::AppState,
};

/// One person, for admins.
pub struct AdminPersonApi;

#[OpenApi(
    prefix_path = "/admin/users",
    tag = "ApiTags::Admin",
    tag = "ApiTags::AdminUsers"
)]
impl AdminPersonApi {
    /// Everything about one person: profile, access status and the rule that
    /// decided it, quota and validity, devices, live sessions read from the
    /// router (shared reads, a few seconds old at most), purchases, credits
    /// and adjustments, 90 days of usage and their audit trail.
    #[oai(path = "/:id", method = "get", operation_id = "get_user")]
    async fn detail(
        &self,
        state: Data<&AppState>,
        _admin: AdminAuth,
        id: Path<Uuid>,
    ) -> ApiResult<Json<UserDetail>> {
        Ok(Json(user_detail::user_detail(&state, id.0).await?))
    }

    /// Edit the profile: name, number (normalized, unique), blok/kamar or
    /// tamping type, role (resident ↔ komandan; staff ↔ admin ↔ super admin
    /// by super admins only). Every field is sent.
    #[oai(
        path = "/:id/profile",
        method = "put",
        operation_id = "edit_user_profile"
    )]
    async fn edit(
        &self,
        state: Data<&AppState>,
        admin: AdminAuth,
        client: ClientIp,
        id: Path<Uuid>,
        body: Valid<ProfileEdit>,
    ) -> ApiResult<Json<UserRow>> {
        Ok(Json(
            user_changes::edit_profile(&state, &admin.0, id.0, &body, client.0).await?,
        ))
    }

    /// Add or remove quota, extend or shorten validity, set or end
    /// "unlimited until": one credit-ledger row (source `adjustment`) per
    /// `idempotency_key`; sending the same request again changes nothing
    /// (`applied: false`). The router's live limit follows within a second.
    #[oai(
        path = "/:id/quota",
        method = "post",
        operation_id = "adjust_user_quota"
    )]
    async fn adjust(
        &self,
        state: Data<&AppState>,
        admin: AdminAuth,
        client: ClientIp,
        id: Path<Uuid>,
        body: Valid<QuotaAdjustment>,
    ) -> ApiResult<Json<Adjusted>> {
        Ok(Json(
            user_changes::adjust_quota(&state, &admin.0, id.0, &body, client.0).await?,
        ))
    }

    /// A new random hotspot password: MAC cookies and live sessions end on
    /// the router, the next code login uses the new one. A router that cannot
    /// be reached gives `service_unavailable` and changes nothing.
    #[oai(
        path = "/:id/hotspot-password/reset",
        method = "post",
        operation_id = "reset_user_hotspot_password"
    )]
    async fn reset_password(
        &self,
        state: Data<&AppState>,
        admin: AdminAuth,
        client: ClientIp,
        id: Path<Uuid>,
    ) -> ApiResult<Json<PasswordReset>> {
        Ok(Json(
            user_changes::reset_hotspot_password(&state, &admin.0, id.0, client.0).await?,
        ))
    }

    /// End one live hotspot session of this person (`session_id` from the
    /// live sessions). A bypassed device is ended by forgetting it (409).
    #[oai(
        path = "/:id/sessions/kick",
        method = "post",
        operation_id = "kick_user_session"
    )]
    async fn kick(
        &self,
        state: Data<&AppState>,
        admin: AdminAuth,
        client: ClientIp,
        id: Path<Uuid>,
        body: Valid<KickSession>,
    ) -> ApiResult<Json<Kicked>> {
        user_changes::kick_session(&state, &admin.0, id.0, &body, client.0).await?;
        Ok(Json(Kicked {
            session_id: body.session_id.clone(),
        }))
    }

    /// Forget one of this person's devices: its binding and live sessions
    /// leave the router; it must prove itself again to log in.
    #[oai(
        path = "/:id/devices/:device_id",
        method = "delete",
        operation_id = "forget_user_device"
    )]
    async fn forget_device(
        &self,
        state: Data<&AppState>,
        admin: AdminAuth,
        client: ClientIp,
        id: Path<Uuid>,
        device_id: Path<Uuid>,
    ) -> ApiResult<Json<Deleted>> {
        user_changes::forget_device_of(&state, &admin.0, id.0, device_id.0, client.0).await?;
        Ok(Json(Deleted {
            id: device_id.0.to_string().into(),
        }))
    }

    /// Delete a resident, officer or staff member (super admins only):
    /// everything of theirs is removed from the router first (for staff: the
    /// hotspot account carrying their operator key, with its sessions), then
    /// from the database. A router that cannot be reached gives `service_unavailable`
    /// and nothing is deleted.
    #[oai(path = "/:id", method = "delete", operation_id = "delete_user")]
    async fn delete(
        &self,
        state: Data<&AppState>,
        admin: AdminAuth,
        client: ClientIp,
        id: Path<Uuid>,
    ) -> ApiResult<Json<Deleted>> {
        user_admin::delete_user(&state, &admin.0, id.0, client.0).await?;
        Ok(Json(Deleted {
            id: id.0.to_string().into(),
        }))
    }
}
