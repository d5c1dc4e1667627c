//! Cookie sessions at the HTTP edge (docs/api-conventions.md, "Sessions and authentication", "CSRF"):
//! - `gerbang_at`: the short-lived opaque access token (HttpOnly, `Path=/api`);
//! - `gerbang_rt`: the rotating refresh token (HttpOnly, `Path=/api/v1/auth`);
//! - CSRF: every cookie-authenticated change needs `X-Requested-With: fetch`,
//!   and an `Origin`/`Sec-Fetch-Site` that is this site.

use poem::{http::Method, IntoResponse, Request, RequestBody, Response};
use poem_openapi::{
    registry::{MetaResponses, MetaSecurityScheme, Registry},
    ApiResponse,
};
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

/// The contract's name for the session cookie (`gerbang_at`).
pub const SESSION_SCHEME: &str = "session";
/// The contract's name for the CSRF header rule.
pub const CSRF_SCHEME: &str = "csrf";

/// The two security schemes of the contract. poem-openapi lists each
/// scheme of an operation as an alternative; `routes::spec_json` joins them
/// into one requirement (session **and** CSRF header for a change).
fn register_schemes(registry: &mut Registry) {
    registry.create_security_scheme(
        SESSION_SCHEME,
        MetaSecurityScheme {
            ty: "apiKey",
            description: Some(
                "The access token cookie `gerbang_at` (HttpOnly, Path=/api), set by a login \
                 and renewed by `POST /auth/refresh` with the refresh cookie `gerbang_rt`. \
                 Missing or expired: 401 `unauthorized`; the wrong role: 403 `forbidden`.",
            ),
            name: Some(ACCESS_COOKIE),
            key_in: Some("cookie"),
            scheme: None,
            bearer_format: None,
            flows: None,
            openid_connect_url: None,
        },
    );
    registry.create_security_scheme(
        CSRF_SCHEME,
        MetaSecurityScheme {
            ty: "apiKey",
            description: Some(
                "Every change made with the session cookies, and every login, refresh and \
                 logout, sends `X-Requested-With: fetch`; a browser's `Origin` or \
                 `Sec-Fetch-Site` must be this site. Otherwise 403 `csrf_failed`.",
            ),
            name: Some("X-Requested-With"),
            key_in: Some("header"),
            scheme: None,
            bearer_format: None,
            flows: None,
            openid_connect_url: None,
        },
    );
}

/// Implements poem-openapi's extractor for a session type, so the contract
/// names its security scheme; `$extract` reads the request.
macro_rules! security_extractor {
    ($ty:ty, [$($scheme:expr),+], |$req:ident| $extract:block) => {
        security_extractor!($ty, [$($scheme),+], false, |$req| $extract);
    };
    ($ty:ty, [$($scheme:expr),+], $optional:expr, |$req:ident| $extract:block) => {
        impl<'a> poem_openapi::ApiExtractor<'a> for $ty {
            const TYPES: &'static [poem_openapi::ApiExtractorType] =
                &[poem_openapi::ApiExtractorType::SecurityScheme];
            type ParamType = ();
            type ParamRawType = ();

            fn register(registry: &mut Registry) {
                register_schemes(registry);
            }

            fn security_schemes() -> Vec<&'static str> {
                vec![$($scheme),+]
            }

            fn has_security_fallback() -> bool {
                $optional
            }

            async fn from_request(
                $req: &'a Request,
                _body: &mut RequestBody,
                _opts: poem_openapi::ExtractParamOptions<()>,
            ) -> poem::Result<Self> {
                $extract
            }
        }
    };
}

/// Requires the CSRF header and same-site origin (for endpoints that set or
/// use cookies without an access token: login, refresh, logout).
pub struct Csrf;

security_extractor!(Csrf, [CSRF_SCHEME], |req| {
    let st = state(req)?;
    check_csrf(req, &st.settings.session)?;
    Ok(Csrf)
});

fn unauthorized() -> ApiError {
    ApiError::new(ErrorCode::Unauthorized, "sign in first")
}

/// The signed-in account behind the access cookie (CSRF rules on changes).
async fn authenticate(req: &Request) -> Result<Auth, ApiError> {
    let st = state(req)?;
    let token = read_cookie(req, ACCESS_COOKIE).ok_or_else(unauthorized)?;
    if !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        check_csrf(req, &st.settings.session)?;
    }
    let db = st.db.get().await.map_err(ApiError::from)?;
    let found = sessions::authenticate(&db, &token_hash(token))
        .await
        .map_err(ApiError::from)?;
    found.map(Auth::from).ok_or_else(unauthorized)
}

/// The signed-in account when its role passes `allowed`, else 403 `why`.
async fn authenticate_as(
    req: &Request,
    allowed: impl Fn(shared_types::Role) -> bool,
    why: &str,
) -> Result<Auth, ApiError> {
    let auth = authenticate(req).await?;
    if allowed(auth.role) {
        Ok(auth)
    } else {
        Err(ApiError::new(ErrorCode::Forbidden, why))
    }
}

security_extractor!(Auth, [SESSION_SCHEME], |req| {
    Ok(authenticate(req).await?)
});

/// The signed-in account if there is one (a missing or ended session is
/// `None`, never an error): operations open to everyone that say more to
/// a signed-in person.
pub struct MaybeAuth(pub Option<Auth>);

security_extractor!(MaybeAuth, [SESSION_SCHEME], true, |req| {
    Ok(MaybeAuth(authenticate(req).await.ok()))
});

/// An admin or super admin.
#[derive(Debug, Clone, Copy)]
pub struct AdminAuth(pub Auth);

security_extractor!(AdminAuth, [SESSION_SCHEME], |req| {
    Ok(AdminAuth(
        authenticate_as(req, |r| r.is_admin(), "admins only").await?,
    ))
});

/// A staff member (their own page), refused before the body is read.
#[derive(Debug, Clone, Copy)]
pub struct StaffAuth(pub Auth);

security_extractor!(StaffAuth, [SESSION_SCHEME], |req| {
    let staff = |r| r == shared_types::Role::Staff;
    Ok(StaffAuth(authenticate_as(req, staff, "staff only").await?))
});

/// An officer (*komandan*: quota requests), refused before the body is read.
#[derive(Debug, Clone, Copy)]
pub struct OfficerAuth(pub Auth);

security_extractor!(OfficerAuth, [SESSION_SCHEME], |req| {
    let officer = |r| r == shared_types::Role::Komandan;
    Ok(OfficerAuth(
        authenticate_as(req, officer, "officers (komandan) only").await?,
    ))
});

/// A super admin (routers and settings), refused before the body is read.
#[derive(Debug, Clone, Copy)]
pub struct SuperAdminAuth(pub Auth);

security_extractor!(SuperAdminAuth, [SESSION_SCHEME], |req| {
    let sup = |r| r == shared_types::Role::SuperAdmin;
    Ok(SuperAdminAuth(
        authenticate_as(req, sup, "super admins only").await?,
    ))
});

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
