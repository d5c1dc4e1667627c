//! Officers' quota requests: their own, and the admins' queue.

use shared_types::{
    NewQuotaRequest, QuotaApproval, QuotaRejection, QuotaRequestStatus, QuotaRequestView,
};

use super::transport::{ApiError, Call};

/// `POST /me/quota-requests`.
pub async fn file_quota_request(r: &NewQuotaRequest) -> Result<QuotaRequestView, ApiError> {
    Call::post("/me/quota-requests").json(r)?.fetch().await
}

/// `GET /me/quota-requests`.
pub async fn my_quota_requests() -> Result<Vec<QuotaRequestView>, ApiError> {
    Call::get("/me/quota-requests").fetch().await
}

/// `GET /admin/quota-requests`.
pub async fn quota_requests(status: QuotaRequestStatus) -> Result<Vec<QuotaRequestView>, ApiError> {
    Call::get("/admin/quota-requests")
        .query("status", status.as_str())
        .fetch()
        .await
}

/// `POST /admin/quota-requests/{id}/approve`.
pub async fn approve_quota_request(
    id: &str,
    a: &QuotaApproval,
) -> Result<QuotaRequestView, ApiError> {
    let path = format!("/admin/quota-requests/{id}/approve");
    Call::post(&path).json(a)?.fetch().await
}

/// `POST /admin/quota-requests/{id}/reject`.
pub async fn reject_quota_request(
    id: &str,
    r: &QuotaRejection,
) -> Result<QuotaRequestView, ApiError> {
    let path = format!("/admin/quota-requests/{id}/reject");
    Call::post(&path).json(r)?.fetch().await
}
