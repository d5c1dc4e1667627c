//! Typed client over shared-types for the gerbang API (same origin, `/api/v1`).

use gloo_net::http::{Request, Response};
use serde::{de::DeserializeOwned, Serialize};
use shared_types::{
    BlockUser, BrowserLink, CaptiveInfo, ClientErrorReceipt, Connected, Deleted, DevicePatch,
    DeviceView, ErrorCode, ErrorEnvelope, LoginResult, NewClientError, NewPurchase, OtpRequest,
    OtpRequested, OtpVerify, PackageInput, PackageRemoved, PackageView, PasswordLogin,
    PortalConfig, PurchaseCreated, PurchaseStatus, PurchaseView, Readiness, RegisterRequest,
    Registered, Registration, RejectRegistration, RouterDrift, SessionConsume, StatusView,
    TransactionDetail, TransactionList, UsageHistory, UserAccess, UserView,
};

/// Base path of the versioned API.
pub const BASE: &str = "/api/v1";

/// Why a call failed, in terms the pages can explain.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// The server answered with the shared error envelope.
    Api {
        status: u16,
        envelope: ErrorEnvelope,
    },
    /// No answer (offline, captive network dropped, server down).
    Network(String),
    /// An answer we could not decode (a proxy's HTML error page, for example).
    Unexpected { status: u16 },
}

impl ApiError {
    /// `details.<key>` of an envelope, as text.
    pub fn detail(&self, key: &str) -> Option<String> {
        match self {
            ApiError::Api { envelope, .. } => envelope
                .details
                .get(key)
                .and_then(|v| v.as_str())
                .filter(|s| !s.is_empty())
                .map(str::to_owned),
            _ => None,
        }
    }

    /// Seconds to wait before retrying (`details.retry_after_seconds` of a 429).
    pub fn retry_after(&self) -> Option<u32> {
        match self {
            ApiError::Api { envelope, .. } => envelope
                .details
                .get("retry_after_seconds")
                .and_then(|v| v.as_u64())
                .map(|s| s.min(3600) as u32),
            _ => None,
        }
    }

    /// The stable code to translate for the user.
    pub fn code(&self) -> ErrorCode {
        match self {
            ApiError::Api { envelope, .. } => envelope.code,
            ApiError::Network(_) => ErrorCode::ServiceUnavailable,
            ApiError::Unexpected { .. } => ErrorCode::Internal,
        }
    }
}

async fn decode<T: DeserializeOwned>(resp: Response) -> Result<T, ApiError> {
    let status = resp.status();
    if resp.ok() {
        return resp
            .json::<T>()
            .await
            .map_err(|_| ApiError::Unexpected { status });
    }
    match resp.json::<ErrorEnvelope>().await {
        Ok(envelope) => Err(ApiError::Api { status, envelope }),
        Err(_) => Err(ApiError::Unexpected { status }),
    }
}

/// The CSRF header the API requires on every cookie-authenticated change.
const CSRF: (&str, &str) = ("X-Requested-With", "fetch");

/// An empty 2xx answer (204).
async fn decode_empty(resp: Response) -> Result<(), ApiError> {
    let status = resp.status();
    if resp.ok() {
        return Ok(());
    }
    match resp.json::<ErrorEnvelope>().await {
        Ok(envelope) => Err(ApiError::Api { status, envelope }),
        Err(_) => Err(ApiError::Unexpected { status }),
    }
}

async fn send(req: gloo_net::http::RequestBuilder) -> Result<Response, ApiError> {
    req.header(CSRF.0, CSRF.1)
        .send()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))
}

async fn send_json<B: Serialize>(
    req: gloo_net::http::RequestBuilder,
    body: &B,
) -> Result<Response, ApiError> {
    req.header(CSRF.0, CSRF.1)
        .json(body)
        .map_err(|e| ApiError::Network(e.to_string()))?
        .send()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))
}

async fn post<B: Serialize, T: DeserializeOwned>(path: &str, body: &B) -> Result<T, ApiError> {
    decode(send_json(Request::post(&format!("{BASE}{path}")), body).await?).await
}

async fn get<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    decode(send(Request::get(&format!("{BASE}{path}"))).await?).await
}

async fn post_empty<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    decode(send(Request::post(&format!("{BASE}{path}"))).await?).await
}

/// `GET /health`: readiness. A 503 still carries the readiness body, which
/// names the failed dependency, so both answers decode to [`Readiness`].
pub async fn health() -> Result<Readiness, ApiError> {
    let resp = Request::get(&format!("{BASE}/health"))
        .send()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))?;
    let status = resp.status();
    if status == 200 || status == 503 {
        return resp
            .json::<Readiness>()
            .await
            .map_err(|_| ApiError::Unexpected { status });
    }
    decode(resp).await
}

/// `POST /client-errors`: report an error seen in the SPA.
pub async fn report_client_error(report: &NewClientError) -> Result<ClientErrorReceipt, ApiError> {
    post("/client-errors", report).await
}

/// `POST /auth/otp/request`: send a WhatsApp code (needs a Turnstile token).
pub async fn request_otp(req: &OtpRequest) -> Result<OtpRequested, ApiError> {
    post("/auth/otp/request", req).await
}

/// `POST /auth/otp/verify`: log in; sets the session cookies.
pub async fn verify_otp(req: &OtpVerify) -> Result<LoginResult, ApiError> {
    post("/auth/otp/verify", req).await
}

/// `POST /auth/session/consume`: the one-time "open in browser" link.
pub async fn consume_session_link(token: &str) -> Result<LoginResult, ApiError> {
    post(
        "/auth/session/consume",
        &SessionConsume {
            token: token.to_owned(),
        },
    )
    .await
}

/// `POST /auth/refresh`: rotate the session cookies.
pub async fn refresh_session() -> Result<(), ApiError> {
    decode_empty(send(Request::post(&format!("{BASE}/auth/refresh"))).await?).await
}

/// `POST /auth/logout`.
pub async fn logout() -> Result<(), ApiError> {
    decode_empty(send(Request::post(&format!("{BASE}/auth/logout"))).await?).await
}

/// `POST /auth/register`: self-registration, pending until approved.
pub async fn register(req: &RegisterRequest) -> Result<Registered, ApiError> {
    post("/auth/register", req).await
}

/// `GET /me`.
pub async fn me() -> Result<UserView, ApiError> {
    get("/me").await
}

/// `GET /me/status`.
pub async fn my_status() -> Result<StatusView, ApiError> {
    get("/me/status").await
}

/// `GET /me/devices`.
pub async fn my_devices() -> Result<Vec<DeviceView>, ApiError> {
    get("/me/devices").await
}

/// `PATCH /me/devices/{id}`.
pub async fn rename_device(id: &str, label: &str) -> Result<DeviceView, ApiError> {
    let path = format!("/me/devices/{id}");
    decode(
        send_json(
            Request::patch(&format!("{BASE}{path}")),
            &DevicePatch {
                label: label.to_owned(),
            },
        )
        .await?,
    )
    .await
}

/// `DELETE /me/devices/{id}`.
pub async fn delete_device(id: &str) -> Result<(), ApiError> {
    let path = format!("/me/devices/{id}");
    decode_empty(send(Request::delete(&format!("{BASE}{path}"))).await?).await
}

/// `POST /me/devices/current/connect`: server-side hotspot login of this device.
pub async fn connect_current_device() -> Result<Connected, ApiError> {
    post_empty("/me/devices/current/connect").await
}

/// `GET /portal`: public portal settings; with the router's `$(mac)`, whether it is randomized.
pub async fn portal_config(mac: Option<&str>) -> Result<PortalConfig, ApiError> {
    let path = "/portal";
    let mut req = Request::get(&format!("{BASE}{path}"));
    if let Some(mac) = mac {
        req = req.query([("mac", mac)]);
    }
    decode(send(req).await?).await
}

/// `GET /me/usage`: daily usage for the last `days` days.
pub async fn my_usage(days: u32) -> Result<UsageHistory, ApiError> {
    let path = "/me/usage";
    decode(send(Request::get(&format!("{BASE}{path}")).query([("days", days.to_string())])).await?)
        .await
}

/// `POST /me/browser-link`: a fresh one-time link for the main browser.
pub async fn browser_link() -> Result<BrowserLink, ApiError> {
    post_empty("/me/browser-link").await
}

/// `GET /captive`: RFC 8908 state of this client.
pub async fn captive() -> Result<CaptiveInfo, ApiError> {
    get("/captive").await
}

/// `POST /admin/auth/login`.
pub async fn admin_login(req: &PasswordLogin) -> Result<LoginResult, ApiError> {
    post("/admin/auth/login", req).await
}

/// `GET /admin/registrations`.
pub async fn pending_registrations() -> Result<Vec<Registration>, ApiError> {
    get("/admin/registrations").await
}

/// `POST /admin/registrations/{id}/approve`.
pub async fn approve_registration(id: &str) -> Result<Registration, ApiError> {
    post_empty(&format!("/admin/registrations/{id}/approve")).await
}

/// `POST /admin/registrations/{id}/reject`.
pub async fn reject_registration(id: &str, reason: &str) -> Result<Registration, ApiError> {
    post(
        &format!("/admin/registrations/{id}/reject"),
        &RejectRegistration {
            reason: reason.to_owned(),
        },
    )
    .await
}

/// `POST /admin/users/{id}/block`.
pub async fn block_user(id: &str, reason: &str) -> Result<UserAccess, ApiError> {
    post(
        &format!("/admin/users/{id}/block"),
        &BlockUser {
            reason: reason.to_owned(),
        },
    )
    .await
}

/// `POST /admin/users/{id}/unblock`.
pub async fn unblock_user(id: &str) -> Result<UserAccess, ApiError> {
    post_empty(&format!("/admin/users/{id}/unblock")).await
}

/// `POST /admin/users/{id}/deactivate`.
pub async fn deactivate_user(id: &str) -> Result<UserAccess, ApiError> {
    post_empty(&format!("/admin/users/{id}/deactivate")).await
}

/// `POST /admin/users/{id}/activate`.
pub async fn activate_user(id: &str) -> Result<UserAccess, ApiError> {
    post_empty(&format!("/admin/users/{id}/activate")).await
}

/// `DELETE /admin/users/{id}`: purges the user from the router, then the database.
pub async fn delete_user(id: &str) -> Result<Deleted, ApiError> {
    let path = format!("/admin/users/{id}");
    decode(send(Request::delete(&format!("{BASE}{path}"))).await?).await
}

/// `GET /admin/routers/{id}/drift`: where the router and the database disagree.
pub async fn router_drift(id: &str) -> Result<RouterDrift, ApiError> {
    get(&format!("/admin/routers/{id}/drift")).await
}

/// `GET /packages`: packages on sale.
pub async fn packages() -> Result<Vec<PackageView>, ApiError> {
    get("/packages").await
}

/// `POST /purchases`: start paying for a package (go to `redirect_url`).
pub async fn create_purchase(package_id: &str) -> Result<PurchaseCreated, ApiError> {
    post(
        "/purchases",
        &NewPurchase {
            package_id: package_id.to_owned(),
        },
    )
    .await
}

/// `GET /purchases/{order_id}`: the result page polls this while pending.
pub async fn purchase(order_id: &str) -> Result<PurchaseView, ApiError> {
    get(&format!("/purchases/{order_id}")).await
}

/// `GET /me/purchases`.
pub async fn my_purchases() -> Result<Vec<PurchaseView>, ApiError> {
    get("/me/purchases").await
}

/// `GET /admin/packages`: all packages, inactive ones too.
pub async fn admin_packages() -> Result<Vec<PackageView>, ApiError> {
    get("/admin/packages").await
}

/// `POST /admin/packages`.
pub async fn create_package(input: &PackageInput) -> Result<PackageView, ApiError> {
    post("/admin/packages", input).await
}

/// `PUT /admin/packages/{id}`.
pub async fn update_package(id: &str, input: &PackageInput) -> Result<PackageView, ApiError> {
    let path = format!("/admin/packages/{id}");
    decode(send_json(Request::put(&format!("{BASE}{path}")), input).await?).await
}

/// `DELETE /admin/packages/{id}`: deleted, or deactivated when it has purchases.
pub async fn delete_package(id: &str) -> Result<PackageRemoved, ApiError> {
    let path = format!("/admin/packages/{id}");
    decode(send(Request::delete(&format!("{BASE}{path}"))).await?).await
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

/// `GET /admin/purchases`: transactions and totals.
pub async fn transactions(f: &TransactionFilter) -> Result<TransactionList, ApiError> {
    let mut q: Vec<(&str, String)> = Vec::new();
    if let Some(s) = f.status {
        q.push(("status", s.as_str().to_owned()));
    }
    for (k, v) in [
        ("from", &f.from),
        ("to", &f.to),
        ("user_id", &f.user_id),
        ("package_id", &f.package_id),
    ] {
        if let Some(v) = v {
            q.push((k, v.clone()));
        }
    }
    if let Some(l) = f.limit {
        q.push(("limit", l.to_string()));
    }
    if let Some(o) = f.offset {
        q.push(("offset", o.to_string()));
    }
    let path = "/admin/purchases";
    decode(send(Request::get(&format!("{BASE}{path}")).query(q)).await?).await
}

/// `GET /admin/purchases/{order_id}`: one transaction with its history.
pub async fn transaction(order_id: &str) -> Result<TransactionDetail, ApiError> {
    get(&format!("/admin/purchases/{order_id}")).await
}

/// `POST /admin/purchases/{order_id}/recheck`: ask Midtrans again now.
pub async fn recheck_transaction(order_id: &str) -> Result<TransactionDetail, ApiError> {
    post_empty(&format!("/admin/purchases/{order_id}/recheck")).await
}
