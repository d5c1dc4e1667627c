//! Officers' quota requests: `/me/quota-requests` (officers file and follow
//! theirs) and `/admin/quota-requests` (the admins' queue and decisions).

use poem::web::Data;
use poem_openapi::{
    param::{Path, Query},
    payload::Json,
    OpenApi,
};
use shared_types::{
    NewQuotaRequest, QuotaApproval, QuotaRejection, QuotaRequestStatus, QuotaRequestView,
};
use uuid::Uuid;

use crate::{
    error::ApiResult,
    http::{
        auth::{AdminAuth, OfficerAuth},
        client_ip::ClientIp,
        valid::Valid,
    },
    routes::ApiTags,
    services::quota_requests,
    state::AppState,
};

/// An officer's own requests.
pub struct QuotaRequestsApi;

#[OpenApi(prefix_path = "/me/quota-requests", tag = "ApiTags::QuotaRequests")]
impl QuotaRequestsApi {
    /// Ask for quota (`quota_bytes`) or unlimited access for `days` days,
    /// with a note for the admin (officers only, else 403). At most 3 may
    /// wait at once (409, `details.reason = "pending_limit"`).
    #[oai(path = "/", method = "post", operation_id = "file_quota_request")]
    async fn file(
        &self,
        state: Data<&AppState>,
        auth: OfficerAuth,
        client: ClientIp,
        body: Valid<NewQuotaRequest>,
    ) -> ApiResult<Json<QuotaRequestView>> {
        Ok(Json(
            quota_requests::file(&state, &auth.0, &body, client.0).await?,
        ))
    }

    /// The officer's requests and their answers, newest first (the last 50).
    #[oai(path = "/", method = "get", operation_id = "my_quota_requests")]
    async fn mine(
        &self,
        state: Data<&AppState>,
        auth: OfficerAuth,
    ) -> ApiResult<Json<Vec<QuotaRequestView>>> {
        Ok(Json(quota_requests::mine(&state, &auth.0).await?))
    }
}

/// The admins' queue.
pub struct AdminQuotaRequestsApi;

#[OpenApi(
    prefix_path = "/admin/quota-requests",
    tag = "ApiTags::Admin",
    tag = "ApiTags::QuotaRequests"
)]
impl AdminQuotaRequestsApi {
    /// Requests by status: `pending` (default; oldest first) or the decided
    /// ones (newest first), at most 100.
    #[oai(path = "/", method = "get", operation_id = "list_quota_requests")]
    async fn list(
        &self,
        state: Data<&AppState>,
        _admin: AdminAuth,
        status: Query<Option<QuotaRequestStatus>>,
    ) -> ApiResult<Json<Vec<QuotaRequestView>>> {
        let status = status.0.unwrap_or(QuotaRequestStatus::Pending);
        Ok(Json(quota_requests::queue(&state, status).await?))
    }

    /// Approve as asked, or partly with other `quota_bytes` / `days`. The
    /// grant is one credit-ledger row keyed by the request (credited once);
    /// the router follows within a second. Already decided (by another
    /// admin meanwhile): 409 with `details.reason = "already_decided"` and
    /// its `details.status`.
    #[oai(
        path = "/:id/approve",
        method = "post",
        operation_id = "approve_quota_request"
    )]
    async fn approve(
        &self,
        state: Data<&AppState>,
        admin: AdminAuth,
        client: ClientIp,
        id: Path<Uuid>,
        body: Valid<QuotaApproval>,
    ) -> ApiResult<Json<QuotaRequestView>> {
        Ok(Json(
            quota_requests::approve(&state, &admin.0, id.0, &body, client.0).await?,
        ))
    }

    /// Reject with a reason the officer reads. Already decided: 409 as for approve.
    #[oai(
        path = "/:id/reject",
        method = "post",
        operation_id = "reject_quota_request"
    )]
    async fn reject(
        &self,
        state: Data<&AppState>,
        admin: AdminAuth,
        client: ClientIp,
        id: Path<Uuid>,
        body: Valid<QuotaRejection>,
    ) -> ApiResult<Json<QuotaRequestView>> {
        Ok(Json(
            quota_requests::reject(&state, &admin.0, id.0, &body, client.0).await?,
        ))
    }
}
