//! `/admin/registrations`: reviewing self-registrations.

use poem::web::Data;
use poem_openapi::{param::Path, payload::Json, OpenApi};
use shared_types::{Registration, RejectRegistration};
use uuid::Uuid;

use crate::{
    error::ApiResult,
    http::{auth::AdminAuth, client_ip::ClientIp, valid::Valid},
    routes::ApiTags,
    services::registration::{self, Decision},
    state::AppState,
};

/// Reviewing self-registrations (`/admin/registrations/…`).
pub struct AdminRegistrationsApi;

#[OpenApi(
    prefix_path = "/admin/registrations",
    tag = "ApiTags::Admin",
    tag = "ApiTags::AdminRegistrations"
)]
impl AdminRegistrationsApi {
    /// Registrations waiting for approval, oldest first.
    #[oai(
        path = "/",
        method = "get",
        operation_id = "list_pending_registrations"
    )]
    async fn pending(
        &self,
        state: Data<&AppState>,
        _admin: AdminAuth,
    ) -> ApiResult<Json<Vec<Registration>>> {
        Ok(Json(registration::pending(&state).await?))
    }

    /// Approve a registration: the number can log in; a hotspot password is generated.
    #[oai(
        path = "/:id/approve",
        method = "post",
        operation_id = "approve_registration"
    )]
    async fn approve(
        &self,
        state: Data<&AppState>,
        admin: AdminAuth,
        client: ClientIp,
        id: Path<Uuid>,
    ) -> ApiResult<Json<Registration>> {
        Ok(Json(
            registration::review(&state, &admin.0, id.0, Decision::Approve, client.0).await?,
        ))
    }

    /// Reject a registration, with a reason for the record.
    #[oai(
        path = "/:id/reject",
        method = "post",
        operation_id = "reject_registration"
    )]
    async fn reject(
        &self,
        state: Data<&AppState>,
        admin: AdminAuth,
        client: ClientIp,
        id: Path<Uuid>,
        body: Valid<RejectRegistration>,
    ) -> ApiResult<Json<Registration>> {
        Ok(Json(
            registration::review(
                &state,
                &admin.0,
                id.0,
                Decision::Reject(Some(body.reason.trim())),
                client.0,
            )
            .await?,
        ))
    }
}
