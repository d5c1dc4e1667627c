//! The one place that speaks HTTP to the API (same origin, `/api/v1`).
//!
//! Every call goes through [`call`], which
//! - sends the CSRF header the API requires on cookie-authenticated changes;
//! - decodes the shared error envelope into [`ApiError`];
//! - when an access token has expired (401 outside `/auth/…`), refreshes the
//!   session once (`POST /auth/refresh`, shared by every call waiting at that
//!   moment, because a refresh token works once) and repeats the call;
//! - when the refresh says the session has ended (revoked, reused or
//!   expired), tells the handler set with [`on_session_ended`], which sends
//!   the person to the login page.
//!
//! See docs/api-conventions.md ("Sessions and authentication", "CSRF").

use std::{cell::RefCell, rc::Rc};

use futures_util::future::{FutureExt, LocalBoxFuture, Shared};
use gloo_net::http::{Method, Request, RequestBuilder, Response};
use serde::{de::DeserializeOwned, Serialize};
use shared_types::{ErrorCode, ErrorEnvelope};

/// Base path of the versioned API.
pub const BASE: &str = "/api/v1";

/// The CSRF header the API requires on every cookie-authenticated change.
const CSRF: (&str, &str) = ("X-Requested-With", "fetch");

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

    /// `details.<key>` of an envelope, as JSON (e.g. a failed router test).
    pub fn detail_json(&self, key: &str) -> Option<serde_json::Value> {
        match self {
            ApiError::Api { envelope, .. } => envelope.details.get(key).cloned(),
            _ => None,
        }
    }

    /// The first problem code per field of a 422/409 (`details.fields`):
    /// `[("phone", "taken")]`.
    pub fn field_codes(&self) -> Vec<(String, String)> {
        match self {
            ApiError::Api { envelope, .. } => envelope
                .details
                .get("fields")
                .and_then(|f| f.as_object())
                .map(|fields| {
                    fields
                        .iter()
                        .filter_map(|(k, v)| Some((k.clone(), v.get(0)?.as_str()?.to_owned())))
                        .collect()
                })
                .unwrap_or_default(),
            _ => Vec::new(),
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

fn network(e: gloo_net::Error) -> ApiError {
    ApiError::Network(e.to_string())
}

/// One request, kept as data so it can be sent a second time after a refresh.
pub(super) struct Call<'a> {
    method: Method,
    path: &'a str,
    query: Vec<(&'a str, String)>,
    json: Option<String>,
}

impl<'a> Call<'a> {
    pub fn new(method: Method, path: &'a str) -> Self {
        Self {
            method,
            path,
            query: Vec::new(),
            json: None,
        }
    }

    pub fn get(path: &'a str) -> Self {
        Self::new(Method::GET, path)
    }

    pub fn post(path: &'a str) -> Self {
        Self::new(Method::POST, path)
    }

    pub fn query(mut self, key: &'a str, value: impl ToString) -> Self {
        self.query.push((key, value.to_string()));
        self
    }

    pub fn json<B: Serialize>(mut self, body: &B) -> Result<Self, ApiError> {
        self.json =
            Some(serde_json::to_string(body).map_err(|e| ApiError::Network(e.to_string()))?);
        Ok(self)
    }

    fn request(&self) -> Result<Request, ApiError> {
        let mut b = RequestBuilder::new(&format!("{BASE}{}", self.path))
            .method(self.method.clone())
            .header(CSRF.0, CSRF.1);
        if !self.query.is_empty() {
            b = b.query(self.query.iter().map(|(k, v)| (*k, v.as_str())));
        }
        match &self.json {
            Some(body) => b
                .header("Content-Type", "application/json")
                .body(body.clone())
                .map_err(network),
            None => b.build().map_err(network),
        }
    }

    /// Whether a 401 on this call can mean "access token expired" (the
    /// session endpoints themselves answer 401 for other reasons).
    fn may_refresh(&self) -> bool {
        let p = self.path.trim_start_matches('/');
        !p.starts_with("auth/") && !p.starts_with("admin/auth/")
    }

    /// Sends the call; refreshes once and repeats it on an expired access token.
    pub async fn send(&self) -> Result<Response, ApiError> {
        let resp = self.request()?.send().await.map_err(network)?;
        if resp.status() != 401 || !self.may_refresh() {
            return Ok(resp);
        }
        match refresh().await {
            Refresh::Renewed => self.request()?.send().await.map_err(network),
            Refresh::Ended => {
                session_ended();
                Ok(resp)
            }
            Refresh::NoSession | Refresh::Failed => Ok(resp),
        }
    }

    /// Sends and decodes a JSON answer.
    pub async fn fetch<T: DeserializeOwned>(&self) -> Result<T, ApiError> {
        decode(self.send().await?).await
    }

    /// Sends and expects an empty 2xx answer (204).
    pub async fn fetch_empty(&self) -> Result<(), ApiError> {
        let resp = self.send().await?;
        if resp.ok() {
            return Ok(());
        }
        Err(error_of(resp).await)
    }
}

pub(super) async fn decode<T: DeserializeOwned>(resp: Response) -> Result<T, ApiError> {
    let status = resp.status();
    if resp.ok() {
        return resp
            .json::<T>()
            .await
            .map_err(|_| ApiError::Unexpected { status });
    }
    Err(error_of(resp).await)
}

async fn error_of(resp: Response) -> ApiError {
    let status = resp.status();
    match resp.json::<ErrorEnvelope>().await {
        Ok(envelope) => ApiError::Api { status, envelope },
        Err(_) => ApiError::Unexpected { status },
    }
}

/// What a refresh attempt found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Refresh {
    /// New cookies are set; repeat the call.
    Renewed,
    /// There was no session to refresh (a visitor who never logged in).
    NoSession,
    /// The session ended (revoked, refresh token reused or expired).
    Ended,
    /// The refresh itself could not be made (network, server trouble).
    Failed,
}

type InFlight = Shared<LocalBoxFuture<'static, Refresh>>;

thread_local! {
    /// The refresh in progress, shared by every call that hit a 401 meanwhile.
    static REFRESHING: RefCell<Option<InFlight>> = const { RefCell::new(None) };
    static ON_ENDED: RefCell<Option<Rc<dyn Fn()>>> = const { RefCell::new(None) };
}

async fn refresh() -> Refresh {
    let flight = REFRESHING.with(|r| {
        r.borrow_mut()
            .get_or_insert_with(|| {
                async {
                    let outcome = refresh_now().await;
                    REFRESHING.with(|r| r.borrow_mut().take());
                    outcome
                }
                .boxed_local()
                .shared()
            })
            .clone()
    });
    flight.await
}

async fn refresh_now() -> Refresh {
    let sent = RequestBuilder::new(&format!("{BASE}/auth/refresh"))
        .method(Method::POST)
        .header(CSRF.0, CSRF.1)
        .send()
        .await;
    let Ok(resp) = sent else {
        return Refresh::Failed;
    };
    if resp.ok() {
        return Refresh::Renewed;
    }
    if resp.status() != 401 {
        return Refresh::Failed;
    }
    match error_of(resp).await.detail("reason").as_deref() {
        Some("no_refresh_token") => Refresh::NoSession,
        _ => Refresh::Ended,
    }
}

/// Sets what happens when a session turns out to have ended (once per app).
pub fn on_session_ended(handler: impl Fn() + 'static) {
    ON_ENDED.with(|h| *h.borrow_mut() = Some(Rc::new(handler)));
}

fn session_ended() {
    if let Some(h) = ON_ENDED.with(|h| h.borrow().clone()) {
        h();
    }
}
