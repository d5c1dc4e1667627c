//! Typed client over shared-types for the gerbang API (same origin, `/api/v1`).

use gloo_net::http::{Request, Response};
use serde::{de::DeserializeOwned, Serialize};
use shared_types::{ClientErrorReceipt, ErrorCode, ErrorEnvelope, NewClientError, Readiness};

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

async fn post<B: Serialize, T: DeserializeOwned>(path: &str, body: &B) -> Result<T, ApiError> {
    let resp = Request::post(&format!("{BASE}{path}"))
        .json(body)
        .map_err(|e| ApiError::Network(e.to_string()))?
        .send()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))?;
    decode(resp).await
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
