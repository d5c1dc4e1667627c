//! Staff and teachers: their login and page, and the admin's staff calls.

use gloo_net::http::Method;
use shared_types::{
    AdoptAccount, ConfirmPassword, Confirmed, HotspotAccountCreated, HotspotPasswordChange,
    HotspotPasswordChanged, LoginResult, NewStaff, PasswordChanged, PasswordLogin, ShownPassword,
    StaffCreated, StaffEdit, StaffLink, StaffPage, StaffSync, StaffView, WebPasswordChange,
};

use super::transport::{ApiError, Call};

/// `POST /auth/staff/login`.
pub async fn staff_login(req: &PasswordLogin) -> Result<LoginResult, ApiError> {
    Call::post("/auth/staff/login").json(req)?.fetch().await
}

/// `GET /me/staff`.
pub async fn staff_page() -> Result<StaffPage, ApiError> {
    Call::get("/me/staff").fetch().await
}

/// `PUT /me/hotspot-password`.
pub async fn change_my_hotspot_password(
    c: &HotspotPasswordChange,
) -> Result<HotspotPasswordChanged, ApiError> {
    Call::new(Method::PUT, "/me/hotspot-password")
        .json(c)?
        .fetch()
        .await
}

/// `PUT /me/password`.
pub async fn change_my_password(c: &WebPasswordChange) -> Result<PasswordChanged, ApiError> {
    Call::new(Method::PUT, "/me/password")
        .json(c)?
        .fetch()
        .await
}

/// `GET /admin/staff`.
pub async fn list_staff() -> Result<Vec<StaffView>, ApiError> {
    Call::get("/admin/staff").fetch().await
}

/// `POST /admin/staff`.
pub async fn create_staff(s: &NewStaff) -> Result<StaffCreated, ApiError> {
    Call::post("/admin/staff").json(s)?.fetch().await
}

/// `PUT /admin/staff/{id}`.
pub async fn edit_staff(id: &str, s: &StaffEdit) -> Result<StaffView, ApiError> {
    let path = format!("/admin/staff/{id}");
    Call::new(Method::PUT, &path).json(s)?.fetch().await
}

/// `POST /admin/auth/confirm`.
pub async fn confirm_my_password(password: &str) -> Result<Confirmed, ApiError> {
    let body = ConfirmPassword {
        password: password.to_owned(),
    };
    Call::post("/admin/auth/confirm").json(&body)?.fetch().await
}

/// `POST /admin/staff/{id}/reveal`.
pub async fn reveal_staff_password(id: &str) -> Result<ShownPassword, ApiError> {
    let path = format!("/admin/staff/{id}/reveal");
    Call::post(&path).fetch().await
}

/// `POST /admin/staff/{id}/password`.
pub async fn reset_staff_password(id: &str) -> Result<ShownPassword, ApiError> {
    let path = format!("/admin/staff/{id}/password");
    Call::post(&path).fetch().await
}

/// `GET /admin/staff/sync` (`None`: the default router).
pub async fn sync_staff(router_id: Option<String>) -> Result<StaffSync, ApiError> {
    let mut call = Call::get("/admin/staff/sync");
    if let Some(r) = router_id {
        call = call.query("router_id", r);
    }
    call.fetch().await
}

/// `POST /admin/staff/{id}/adopt`.
pub async fn adopt_staff_account(id: &str, account: &str) -> Result<StaffLink, ApiError> {
    let path = format!("/admin/staff/{id}/adopt");
    let body = AdoptAccount {
        account: account.to_owned(),
    };
    Call::post(&path).json(&body)?.fetch().await
}

/// `POST /admin/staff/{id}/hotspot-account`.
pub async fn create_staff_hotspot_account(id: &str) -> Result<HotspotAccountCreated, ApiError> {
    let path = format!("/admin/staff/{id}/hotspot-account");
    Call::post(&path).fetch().await
}
