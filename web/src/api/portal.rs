//! What anyone can call: health, error reports, logging in, registration,
//! the portal settings, packages and following a purchase.

use gloo_net::http::{Method, Request};
use shared_types::{
    CaptiveInfo, ClientErrorReceipt, LoginResult, NewClientError, NewPurchase, OtpRequest,
    OtpRequested, OtpVerify, PackageView, PortalConfig, PurchaseCreated, PurchaseView, Readiness,
    RegisterRequest, Registered, SessionConsume,
};

use super::transport::{decode, ApiError, Call, BASE};

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
    Call::post("/client-errors").json(report)?.fetch().await
}

/// `POST /auth/otp/request`: send a WhatsApp code (needs a Turnstile token).
pub async fn request_otp(req: &OtpRequest) -> Result<OtpRequested, ApiError> {
    Call::post("/auth/otp/request").json(req)?.fetch().await
}

/// `POST /auth/otp/verify`: log in; sets the session cookies.
pub async fn verify_otp(req: &OtpVerify) -> Result<LoginResult, ApiError> {
    Call::post("/auth/otp/verify").json(req)?.fetch().await
}

/// `POST /auth/session/consume`: the one-time "open in browser" link.
pub async fn consume_session_link(token: &str) -> Result<LoginResult, ApiError> {
    let body = SessionConsume {
        token: token.to_owned(),
    };
    Call::post("/auth/session/consume")
        .json(&body)?
        .fetch()
        .await
}

/// `POST /auth/refresh`: rotate the session cookies (the transport does
/// this by itself when an access token has expired).
pub async fn refresh_session() -> Result<(), ApiError> {
    Call::post("/auth/refresh").fetch_empty().await
}

/// `POST /auth/logout`.
pub async fn logout() -> Result<(), ApiError> {
    Call::post("/auth/logout").fetch_empty().await
}

/// `POST /auth/register`: self-registration, pending until approved.
pub async fn register(req: &RegisterRequest) -> Result<Registered, ApiError> {
    Call::post("/auth/register").json(req)?.fetch().await
}

/// `GET /portal`: public portal settings; with the router's `$(mac)`, whether it is randomized.
pub async fn portal_config(mac: Option<&str>) -> Result<PortalConfig, ApiError> {
    let mut call = Call::get("/portal");
    if let Some(mac) = mac {
        call = call.query("mac", mac);
    }
    call.fetch().await
}

/// `GET /captive`: RFC 8908 state of this client.
pub async fn captive() -> Result<CaptiveInfo, ApiError> {
    Call::get("/captive").fetch().await
}

/// `GET /packages`: packages on sale.
pub async fn packages() -> Result<Vec<PackageView>, ApiError> {
    Call::get("/packages").fetch().await
}

/// `POST /purchases`: start paying for a package (go to `redirect_url`).
pub async fn create_purchase(package_id: &str) -> Result<PurchaseCreated, ApiError> {
    let body = NewPurchase {
        package_id: package_id.to_owned(),
    };
    Call::post("/purchases").json(&body)?.fetch().await
}

/// `GET /purchases/{order_id}`: the result page polls this while pending.
pub async fn purchase(order_id: &str) -> Result<PurchaseView, ApiError> {
    let path = format!("/purchases/{order_id}");
    Call::new(Method::GET, &path).fetch().await
}
