//! The logged-in person: account, status, usage, devices, purchases.

use gloo_net::http::Method;
use shared_types::{
    BrowserLink, Connected, DevicePatch, DeviceView, PurchaseView, StatusView, UsageHistory,
    UserView,
};

use super::transport::{ApiError, Call};

/// `GET /me`.
pub async fn me() -> Result<UserView, ApiError> {
    Call::get("/me").fetch().await
}

/// `GET /me/status`.
pub async fn my_status() -> Result<StatusView, ApiError> {
    Call::get("/me/status").fetch().await
}

/// `GET /me/usage`: daily usage for the last `days` days.
pub async fn my_usage(days: u32) -> Result<UsageHistory, ApiError> {
    Call::get("/me/usage").query("days", days).fetch().await
}

/// `POST /me/browser-link`: a fresh one-time link for the main browser.
pub async fn browser_link() -> Result<BrowserLink, ApiError> {
    Call::post("/me/browser-link").fetch().await
}

/// `GET /me/purchases`.
pub async fn my_purchases() -> Result<Vec<PurchaseView>, ApiError> {
    Call::get("/me/purchases").fetch().await
}

/// `GET /me/devices`.
pub async fn my_devices() -> Result<Vec<DeviceView>, ApiError> {
    Call::get("/me/devices").fetch().await
}

/// `PATCH /me/devices/{id}`.
pub async fn rename_device(id: &str, label: &str) -> Result<DeviceView, ApiError> {
    let path = format!("/me/devices/{id}");
    let body = DevicePatch {
        label: label.to_owned(),
    };
    Call::new(Method::PATCH, &path).json(&body)?.fetch().await
}

/// `DELETE /me/devices/{id}`.
pub async fn delete_device(id: &str) -> Result<(), ApiError> {
    let path = format!("/me/devices/{id}");
    Call::new(Method::DELETE, &path).fetch_empty().await
}

/// `POST /me/devices/current/confirm`: after the login form, this device becomes the session's.
pub async fn confirm_current_device() -> Result<DeviceView, ApiError> {
    Call::post("/me/devices/current/confirm").fetch().await
}

/// `POST /me/devices/current/connect`: put this device online (or get the form to post).
pub async fn connect_current_device() -> Result<Connected, ApiError> {
    Call::post("/me/devices/current/connect").fetch().await
}
