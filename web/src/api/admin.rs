//! The admin dashboard's calls.

use gloo_net::http::Method;
use shared_types::{
    AccessStatus, Adjusted, AuditPage, BlockUser, ConnectionTest, Deleted, FacilitySettingsChange,
    FacilitySettingsView, KickSession, Kicked, LoginResult, OnlineNow, OtpRequested, Overview,
    PackageInput, PackageRemoved, PackageView, PasswordLogin, PasswordReset, ProfileEdit,
    PurchaseStatus, QuotaAdjustment, Registration, RejectRegistration, RouterCycles, RouterDrift,
    RouterInput, RouterSaved, RouterSetup, RouterView, TransactionDetail, TransactionList,
    UnlockRequest, UserAccess, UserDetail, UserPage, UserRow,
};

use super::transport::{ApiError, Call};

/// `POST /admin/auth/login`.
pub async fn admin_login(req: &PasswordLogin) -> Result<LoginResult, ApiError> {
    Call::post("/admin/auth/login").json(req)?.fetch().await
}

/// `POST /admin/auth/unlock`: a WhatsApp unlock code for a locked username.
pub async fn admin_request_unlock(username: &str) -> Result<OtpRequested, ApiError> {
    let body = UnlockRequest {
        username: username.to_owned(),
    };
    Call::post("/admin/auth/unlock").json(&body)?.fetch().await
}

/// `GET /admin/registrations`.
pub async fn pending_registrations() -> Result<Vec<Registration>, ApiError> {
    Call::get("/admin/registrations").fetch().await
}

/// `POST /admin/registrations/{id}/approve`.
pub async fn approve_registration(id: &str) -> Result<Registration, ApiError> {
    let path = format!("/admin/registrations/{id}/approve");
    Call::post(&path).fetch().await
}

/// `POST /admin/registrations/{id}/reject`.
pub async fn reject_registration(id: &str, reason: &str) -> Result<Registration, ApiError> {
    let path = format!("/admin/registrations/{id}/reject");
    let body = RejectRegistration {
        reason: reason.to_owned(),
    };
    Call::post(&path).json(&body)?.fetch().await
}

/// `POST /admin/users/{id}/block`.
pub async fn block_user(id: &str, reason: &str) -> Result<UserAccess, ApiError> {
    let path = format!("/admin/users/{id}/block");
    let body = BlockUser {
        reason: reason.to_owned(),
    };
    Call::post(&path).json(&body)?.fetch().await
}

/// `POST /admin/users/{id}/unblock`.
pub async fn unblock_user(id: &str) -> Result<UserAccess, ApiError> {
    let path = format!("/admin/users/{id}/unblock");
    Call::post(&path).fetch().await
}

/// `POST /admin/users/{id}/deactivate`.
pub async fn deactivate_user(id: &str) -> Result<UserAccess, ApiError> {
    let path = format!("/admin/users/{id}/deactivate");
    Call::post(&path).fetch().await
}

/// `POST /admin/users/{id}/activate`.
pub async fn activate_user(id: &str) -> Result<UserAccess, ApiError> {
    let path = format!("/admin/users/{id}/activate");
    Call::post(&path).fetch().await
}

/// `DELETE /admin/users/{id}`: purges the user from the router, then the database.
pub async fn delete_user(id: &str) -> Result<Deleted, ApiError> {
    let path = format!("/admin/users/{id}");
    Call::new(Method::DELETE, &path).fetch().await
}

/// `GET /admin/routers/{id}/drift`: where the router and the database disagree.
pub async fn router_drift(id: &str) -> Result<RouterDrift, ApiError> {
    let path = format!("/admin/routers/{id}/drift");
    Call::get(&path).fetch().await
}

/// `GET /admin/packages`: all packages, inactive ones too.
pub async fn admin_packages() -> Result<Vec<PackageView>, ApiError> {
    Call::get("/admin/packages").fetch().await
}

/// `POST /admin/packages`.
pub async fn create_package(input: &PackageInput) -> Result<PackageView, ApiError> {
    Call::post("/admin/packages").json(input)?.fetch().await
}

/// `PUT /admin/packages/{id}`.
pub async fn update_package(id: &str, input: &PackageInput) -> Result<PackageView, ApiError> {
    let path = format!("/admin/packages/{id}");
    Call::new(Method::PUT, &path).json(input)?.fetch().await
}

/// `DELETE /admin/packages/{id}`: deleted, or deactivated when it has purchases.
pub async fn delete_package(id: &str) -> Result<PackageRemoved, ApiError> {
    let path = format!("/admin/packages/{id}");
    Call::new(Method::DELETE, &path).fetch().await
}

/// Filters of the transaction list (dates `YYYY-MM-DD`, inclusive).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TransactionFilter {
    pub status: Option<PurchaseStatus>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub user_id: Option<String>,
    pub package_id: Option<String>,
    pub limit: Option<u32>,
    pub offset: Option<u32>,
}

impl TransactionFilter {
    /// The filters that are set, as query keys and values (the list and its
    /// CSV export take the same ones).
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        let status = self.status.map(|s| s.as_str().to_owned());
        [
            ("status", status.as_ref()),
            ("from", self.from.as_ref()),
            ("to", self.to.as_ref()),
            ("user_id", self.user_id.as_ref()),
            ("package_id", self.package_id.as_ref()),
        ]
        .into_iter()
        .filter_map(|(k, v)| Some((k, v?.clone())))
        .collect()
    }
}

/// `GET /admin/purchases`: transactions and totals.
pub async fn transactions(f: &TransactionFilter) -> Result<TransactionList, ApiError> {
    let mut call = Call::get("/admin/purchases");
    for (k, v) in f.pairs() {
        call = call.query(k, v);
    }
    if let Some(l) = f.limit {
        call = call.query("limit", l);
    }
    if let Some(o) = f.offset {
        call = call.query("offset", o);
    }
    call.fetch().await
}

/// `GET /admin/purchases/{order_id}`: one transaction with its history.
pub async fn transaction(order_id: &str) -> Result<TransactionDetail, ApiError> {
    let path = format!("/admin/purchases/{order_id}");
    Call::get(&path).fetch().await
}

/// `POST /admin/purchases/{order_id}/recheck`: ask Midtrans again now.
pub async fn recheck_transaction(order_id: &str) -> Result<TransactionDetail, ApiError> {
    let path = format!("/admin/purchases/{order_id}/recheck");
    Call::post(&path).fetch().await
}

/// `GET /admin/users`: a page of people matching the search and filters.
pub async fn find_users(
    q: &str,
    status: Option<AccessStatus>,
    online_only: bool,
    after: Option<&str>,
) -> Result<UserPage, ApiError> {
    let mut call = Call::get("/admin/users").query("limit", 25);
    if !q.trim().is_empty() {
        call = call.query("q", q.trim());
    }
    if let Some(s) = status {
        call = call.query("status", s.as_str());
    }
    if online_only {
        call = call.query("online", true);
    }
    if let Some(a) = after {
        call = call.query("after", a);
    }
    call.fetch().await
}

/// `GET /admin/users/{id}`: one person in full.
pub async fn user_detail(id: &str) -> Result<UserDetail, ApiError> {
    let path = format!("/admin/users/{id}");
    Call::get(&path).fetch().await
}

/// `PUT /admin/users/{id}/profile`.
pub async fn edit_profile(id: &str, edit: &ProfileEdit) -> Result<UserRow, ApiError> {
    let path = format!("/admin/users/{id}/profile");
    Call::new(Method::PUT, &path).json(edit)?.fetch().await
}

/// `POST /admin/users/{id}/quota`: applies once per `idempotency_key`.
pub async fn adjust_quota(id: &str, a: &QuotaAdjustment) -> Result<Adjusted, ApiError> {
    let path = format!("/admin/users/{id}/quota");
    Call::post(&path).json(a)?.fetch().await
}

/// `POST /admin/users/{id}/hotspot-password/reset`.
pub async fn reset_hotspot_password(id: &str) -> Result<PasswordReset, ApiError> {
    let path = format!("/admin/users/{id}/hotspot-password/reset");
    Call::post(&path).fetch().await
}

/// `POST /admin/users/{id}/sessions/kick`.
pub async fn kick_session(id: &str, session_id: &str) -> Result<Kicked, ApiError> {
    let path = format!("/admin/users/{id}/sessions/kick");
    let body = KickSession {
        session_id: session_id.to_owned(),
    };
    Call::post(&path).json(&body)?.fetch().await
}

/// `DELETE /admin/users/{id}/devices/{device_id}`.
pub async fn forget_device(id: &str, device_id: &str) -> Result<Deleted, ApiError> {
    let path = format!("/admin/users/{id}/devices/{device_id}");
    Call::new(Method::DELETE, &path).fetch().await
}

/// `GET /admin/online`: everyone online, router by router.
pub async fn online_now() -> Result<OnlineNow, ApiError> {
    Call::get("/admin/online").fetch().await
}

/// Filters of the audit log (days `YYYY-MM-DD`, inclusive).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AuditFilter {
    pub user_id: Option<String>,
    pub actor_id: Option<String>,
    pub action: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
}

/// `GET /admin/audit`: a page of the audit log, newest first.
pub async fn audit_page(f: &AuditFilter, after: Option<&str>) -> Result<AuditPage, ApiError> {
    let mut call = Call::get("/admin/audit").query("limit", 50);
    for (k, v) in [
        ("user_id", &f.user_id),
        ("actor_id", &f.actor_id),
        ("action", &f.action),
        ("from", &f.from),
        ("to", &f.to),
    ] {
        if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
            call = call.query(k, v);
        }
    }
    if let Some(a) = after {
        call = call.query("after", a);
    }
    call.fetch().await
}

/// `GET /admin/routers` (super admins).
pub async fn routers() -> Result<Vec<RouterView>, ApiError> {
    Call::get("/admin/routers").fetch().await
}

/// `POST /admin/routers/test`: test settings without saving.
pub async fn test_router(input: &RouterInput) -> Result<ConnectionTest, ApiError> {
    Call::post("/admin/routers/test").json(input)?.fetch().await
}

/// `POST /admin/routers`: add a router (tested first; a failed test saves nothing).
pub async fn create_router(input: &RouterInput) -> Result<RouterSaved, ApiError> {
    Call::post("/admin/routers").json(input)?.fetch().await
}

/// `GET /admin/routers/{id}/setup`: the script and the live check.
pub async fn router_setup(id: &str) -> Result<RouterSetup, ApiError> {
    let path = format!("/admin/routers/{id}/setup");
    Call::get(&path).fetch().await
}

/// `POST /admin/routers/{id}/reconcile`: one cycle now.
pub async fn reconcile_router_now(id: &str) -> Result<shared_types::ReconcileNow, ApiError> {
    let path = format!("/admin/routers/{id}/reconcile");
    Call::post(&path).fetch().await
}

/// `POST /admin/routers/{id}/disable` or `/enable`.
pub async fn set_router_disabled(id: &str, disabled: bool) -> Result<RouterView, ApiError> {
    let path = if disabled {
        format!("/admin/routers/{id}/disable")
    } else {
        format!("/admin/routers/{id}/enable")
    };
    Call::post(&path).fetch().await
}

/// `PUT /admin/routers/{id}`: change a router (tested first; without a
/// password the stored one stays).
pub async fn update_router(id: &str, input: &RouterInput) -> Result<RouterSaved, ApiError> {
    let path = format!("/admin/routers/{id}");
    Call::new(Method::PUT, &path).json(input)?.fetch().await
}

/// `POST /admin/routers/{id}/test`: test changed settings of a saved router.
pub async fn test_saved_router(id: &str, input: &RouterInput) -> Result<ConnectionTest, ApiError> {
    let path = format!("/admin/routers/{id}/test");
    Call::post(&path).json(input)?.fetch().await
}

/// `GET /admin/routers/{id}/cycles`: the last cycles, for the chart.
pub async fn router_cycles(id: &str) -> Result<RouterCycles, ApiError> {
    let path = format!("/admin/routers/{id}/cycles");
    Call::get(&path).fetch().await
}

/// [`router_cycles`] taking the id by value (for a resource).
pub async fn router_cycles_of(id: String) -> Result<RouterCycles, ApiError> {
    router_cycles(&id).await
}

/// `GET /admin/overview`: the facility at a glance.
pub async fn overview() -> Result<Overview, ApiError> {
    Call::get("/admin/overview").fetch().await
}

/// `GET /admin/settings` (super admins).
pub async fn facility_settings() -> Result<FacilitySettingsView, ApiError> {
    Call::get("/admin/settings").fetch().await
}

/// `PUT /admin/settings` (super admins).
pub async fn change_facility_settings(
    change: &FacilitySettingsChange,
) -> Result<FacilitySettingsView, ApiError> {
    Call::new(Method::PUT, "/admin/settings")
        .json(change)?
        .fetch()
        .await
}
