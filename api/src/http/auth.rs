//! Cookie sessions at the HTTP edge (docs/api-conventions.md, "Sessions and authentication", "CSRF"):
//! - `gerbang_at`: the short-lived opaque access token (HttpOnly, `Path=/api`);
//! - `gerbang_rt`: the rotating refresh token (HttpOnly, `Path=/api/v1/auth`);
//! - CSRF: every cookie-authenticated change needs `X-Requested-With: fetch`,
//!   and an `Origin`/`Sec-Fetch-Site` that is this site.

use poem::{http::Method, IntoResponse, Request, RequestBody, Response};
use poem_openapi::{registry::MetaResponses, ApiResponse};
use shared_types::ErrorCode;

use crate::{
    crypto::token_hash,
    db::sessions,
    error::ApiError,
    identity::{Auth, SessionTokens},
    settings::SessionSettings,
    state::AppState,
};

pub const ACCESS_COOKIE: &str = "gerbang_at";
pub const REFRESH_COOKIE: &str = "gerbang_rt";
const ACCESS_PATH: &str = "/api";
const REFRESH_PATH: &str = "/api/v1/auth";
/// The header the SPA sends on every change (a simple cross-site form cannot).
pub const CSRF_HEADER: &str = "x-requested-with";
pub const CSRF_VALUE: &str = "fetch";

fn cookie(name: &str, value: &str, path: &str, max_age: u64, secure: bool) -> String {
    format!(
        "{name}={value}; Path={path}; Max-Age={max_age}; HttpOnly; SameSite=Strict{}",
        if secure { "; Secure" } else { "" }
    )
}

/// Sessions travel as cookies at the HTTP edge.
impl SessionTokens {
    pub fn headers(&self, s: &SessionSettings) -> Vec<String> {
        vec![
            cookie(
                ACCESS_COOKIE,
                &self.access,
                ACCESS_PATH,
                s.access_ttl_seconds,
                s.cookie_secure,
            ),
            cookie(
                REFRESH_COOKIE,
                &self.refresh,
                REFRESH_PATH,
                s.refresh_ttl_days * 86_400,
                s.cookie_secure,
            ),
        ]
    }

    /// Cookies that delete both tokens.
    pub fn cleared(s: &SessionSettings) -> Vec<String> {
        vec![
            cookie(ACCESS_COOKIE, "", ACCESS_PATH, 0, s.cookie_secure),
            cookie(REFRESH_COOKIE, "", REFRESH_PATH, 0, s.cookie_secure),
        ]
    }
}

/// A response with `Set-Cookie` headers; documented as the inner response.
pub struct WithCookies<T> {
    pub inner: T,
    pub cookies: Vec<String>,
}

impl<T: IntoResponse> IntoResponse for WithCookies<T> {
    fn into_response(self) -> Response {
        let mut resp = self.inner.into_response();
        for c in self.cookies {
            if let Ok(v) = c.parse() {
                resp.headers_mut().append(poem::http::header::SET_COOKIE, v);
            }
        }
        resp.headers_mut().insert(
            poem::http::header::CACHE_CONTROL,
            poem::http::HeaderValue::from_static("no-store"),
        );
        resp
    }
}

impl<T: ApiResponse> ApiResponse for WithCookies<T> {
    fn meta() -> MetaResponses {
        T::meta()
    }

    fn register(registry: &mut poem_openapi::registry::Registry) {
        T::register(registry)
    }
}

/// A cookie's value from the request.
pub fn read_cookie<'a>(req: &'a Request, name: &str) -> Option<&'a str> {
    req.headers()
        .get_all(poem::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim())
        .filter(|v| !v.is_empty())
}

fn state(req: &Request) -> Result<&AppState, ApiError> {
    req.data::<AppState>()
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("AppState is not attached")))
}

/// Checks the CSRF rules for a request that relies on cookies.
pub fn check_csrf(req: &Request, s: &SessionSettings) -> Result<(), ApiError> {
    let refuse = |why: &str| {
        ApiError::new(ErrorCode::CsrfFailed, "cross-site request refused")
            .with_detail("reason", why)
    };
    let header = req.headers().get(CSRF_HEADER).and_then(|v| v.to_str().ok());
    if header != Some(CSRF_VALUE) {
        return Err(refuse("missing X-Requested-With: fetch"));
    }
    if let Some(site) = req
        .headers()
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
    {
        if !matches!(site, "same-origin" | "none") {
            return Err(refuse("Sec-Fetch-Site is not same-origin"));
        }
    }
    if let Some(origin) = req
        .headers()
        .get(poem::http::header::ORIGIN)
        .and_then(|v| v.to_str().ok())
    {
        let allowed = if s.allowed_origins.is_empty() {
            let host = req
                .headers()
                .get(poem::http::header::HOST)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default();
            origin == format!("http://{host}") || origin == format!("https://{host}")
        } else {
            s.allowed_origins.iter().any(|o| o == origin)
        };
        if !allowed {
            return Err(refuse("Origin is not allowed"));
        }
    }
    Ok(())
}

/// Requires the CSRF header and same-site origin (for endpoints that set or
/// use cookies without an access token: login, refresh, logout).
pub struct Csrf;

impl<'a> poem::FromRequest<'a> for Csrf {
    async fn from_request(req: &'a Request, _body: &mut RequestBody) -> poem::Result<Self> {
        let st = state(req)?;
        check_csrf(req, &st.settings.session)?;
        Ok(Csrf)
    }
}

fn unauthorized() -> ApiError {
    ApiError::new(ErrorCode::Unauthorized, "sign in first")
}

impl<'a> poem::FromRequest<'a> for Auth {
    async fn from_request(req: &'a Request, _body: &mut RequestBody) -> poem::Result<Self> {
        let st = state(req)?;
        let token = read_cookie(req, ACCESS_COOKIE).ok_or_else(unauthorized)?;
        if !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
            check_csrf(req, &st.settings.session)?;
        }
        let db = st.db.get().await.map_err(ApiError::from)?;
        let found = sessions::authenticate(&db, &token_hash(token))
            .await
            .map_err(ApiError::from)?;
        Ok(found.map(Auth::from).ok_or_else(unauthorized)?)
    }
}

/// An admin or super admin.
#[derive(Debug, Clone, Copy)]
pub struct AdminAuth(pub Auth);

impl<'a> poem::FromRequest<'a> for AdminAuth {
    async fn from_request(req: &'a Request, body: &mut RequestBody) -> poem::Result<Self> {
        let auth = Auth::from_request(req, body).await?;
        if !auth.role.is_admin() {
            return Err(ApiError::new(ErrorCode::Forbidden, "admins only").into());
        }
        Ok(AdminAuth(auth))
    }
}

/// A staff member (their own page), refused before the body is read.
#[derive(Debug, Clone, Copy)]
pub struct StaffAuth(pub Auth);

impl<'a> poem::FromRequest<'a> for StaffAuth {
    async fn from_request(req: &'a Request, body: &mut RequestBody) -> poem::Result<Self> {
        let auth = Auth::from_request(req, body).await?;
        if auth.role != shared_types::Role::Staff {
            return Err(ApiError::new(ErrorCode::Forbidden, "staff only").into());
        }
        Ok(StaffAuth(auth))
    }
}

/// A super admin (routers and settings), refused before the body is read.
#[derive(Debug, Clone, Copy)]
pub struct SuperAdminAuth(pub Auth);

impl<'a> poem::FromRequest<'a> for SuperAdminAuth {
    async fn from_request(req: &'a Request, body: &mut RequestBody) -> poem::Result<Self> {
        let auth = Auth::from_request(req, body).await?;
        if auth.role != shared_types::Role::SuperAdmin {
            return Err(ApiError::new(ErrorCode::Forbidden, "super admins only").into());
        }
        Ok(SuperAdminAuth(auth))
    }
}

/// The `User-Agent`, truncated for storage.
pub struct UserAgent(pub Option<String>);

impl<'a> poem::FromRequest<'a> for UserAgent {
    async fn from_request(req: &'a Request, _body: &mut RequestBody) -> poem::Result<Self> {
        Ok(UserAgent(
            req.headers()
                .get(poem::http::header::USER_AGENT)
                .and_then(|v| v.to_str().ok())
                .map(|ua| ua.chars().take(300).collect()),
        ))
    }
}

/// The refresh-token cookie, if present.
pub struct RefreshCookie(pub Option<String>);

impl<'a> poem::FromRequest<'a> for RefreshCookie {
    async fn from_request(req: &'a Request, _body: &mut RequestBody) -> poem::Result<Self> {
        Ok(RefreshCookie(
            read_cookie(req, REFRESH_COOKIE).map(str::to_owned),
        ))
    }
}

/// The access-token cookie, if present (logout accepts either cookie).
pub struct AccessCookie(pub Option<String>);

impl<'a> poem::FromRequest<'a> for AccessCookie {
    async fn from_request(req: &'a Request, _body: &mut RequestBody) -> poem::Result<Self> {
        Ok(AccessCookie(
            read_cookie(req, ACCESS_COOKIE).map(str::to_owned),
        ))
    }
}
