//! The API error type: a stable code from shared-types, a safe message, and
//! the internal cause, which is logged once and never returned.

mod from_services;

use poem::{http::StatusCode, IntoResponse, Response};
use poem_openapi::{payload::Json, ApiResponse};
use shared_types::{ErrorCode, ErrorEnvelope};

/// An error a handler returns.
#[derive(Debug)]
pub struct ApiError {
    envelope: ErrorEnvelope,
    retry_after: Option<u64>,
    cause: Option<anyhow::Error>,
}

impl ApiError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            envelope: ErrorEnvelope::new(code, message),
            retry_after: None,
            cause: None,
        }
    }

    /// A server-side failure; `cause` is logged, the client sees only the code.
    pub fn internal(cause: impl Into<anyhow::Error>) -> Self {
        Self {
            cause: Some(cause.into()),
            ..Self::new(ErrorCode::Internal, "internal error")
        }
    }

    /// A dependency is down; `cause` is logged.
    pub fn unavailable(what: &str, cause: impl Into<anyhow::Error>) -> Self {
        Self {
            cause: Some(cause.into()),
            ..Self::new(
                ErrorCode::ServiceUnavailable,
                format!("{what} is unavailable"),
            )
        }
    }

    /// Too many requests; the client may retry after `seconds`.
    pub fn rate_limited(seconds: u64) -> Self {
        let mut e = Self::new(ErrorCode::RateLimited, "too many requests")
            .with_detail("retry_after_seconds", seconds);
        e.retry_after = Some(seconds);
        e
    }

    /// Field errors from `validator`, as `details.fields.<name> = [codes]`.
    /// The fields of a nested object are named as themselves (the settings'
    /// `values.fup_percent` is `fup_percent`), so a form can show each
    /// message under its own input.
    pub fn validation(errors: &validator::ValidationErrors) -> Self {
        fn collect(
            errors: &validator::ValidationErrors,
            out: &mut serde_json::Map<String, serde_json::Value>,
        ) {
            for (field, kind) in errors.errors() {
                match kind {
                    validator::ValidationErrorsKind::Field(errs) => {
                        let codes: Vec<serde_json::Value> =
                            errs.iter().map(|e| e.code.to_string().into()).collect();
                        out.insert(field.to_string(), codes.into());
                    }
                    validator::ValidationErrorsKind::Struct(inner) => collect(inner, out),
                    validator::ValidationErrorsKind::List(items) => {
                        for inner in items.values() {
                            collect(inner, out);
                        }
                    }
                }
            }
        }
        let mut fields = serde_json::Map::new();
        collect(errors, &mut fields);
        Self::new(ErrorCode::ValidationFailed, "some fields are not valid")
            .with_detail("fields", fields)
    }

    pub fn with_detail(mut self, key: &str, value: impl Into<serde_json::Value>) -> Self {
        self.envelope = self.envelope.with_detail(key, value);
        self
    }

    pub fn code(&self) -> ErrorCode {
        self.envelope.code
    }

    /// Turns the error into the HTTP response, logging the cause.
    fn into_http(self) -> Response {
        let status = StatusCode::from_u16(self.envelope.code.http_status())
            .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        if let Some(cause) = &self.cause {
            if status.is_server_error() {
                tracing::error!(code = %self.envelope.code, error = format!("{cause:#}"), "request failed");
            } else {
                tracing::info!(code = %self.envelope.code, error = format!("{cause:#}"), "request refused");
            }
        }
        let mut resp = Json(self.envelope).with_status(status).into_response();
        if let Some(secs) = self.retry_after {
            resp.headers_mut()
                .insert(poem::http::header::RETRY_AFTER, secs.into());
        }
        resp
    }
}

/// The documented error responses every operation can return; all carry
/// the [`ErrorEnvelope`]. Only its OpenAPI metadata is used: [`ApiError`]
/// builds the responses itself.
#[derive(ApiResponse)]
#[allow(dead_code)]
pub enum ErrorResponse {
    /// Malformed body or parameter (`malformed_body`, `invalid_parameter`).
    #[oai(status = 400)]
    BadRequest(Json<ErrorEnvelope>),
    /// Not authenticated (`unauthorized`).
    #[oai(status = 401)]
    Unauthorized(Json<ErrorEnvelope>),
    /// Not allowed (`forbidden`).
    #[oai(status = 403)]
    Forbidden(Json<ErrorEnvelope>),
    /// No such resource (`not_found`).
    #[oai(status = 404)]
    NotFound(Json<ErrorEnvelope>),
    /// Conflicts with the current state (`conflict`).
    #[oai(status = 409)]
    Conflict(Json<ErrorEnvelope>),
    /// Body too large (`payload_too_large`).
    #[oai(status = 413)]
    PayloadTooLarge(Json<ErrorEnvelope>),
    /// Wrong content type (`unsupported_media_type`).
    #[oai(status = 415)]
    UnsupportedMediaType(Json<ErrorEnvelope>),
    /// A field failed validation (`validation_failed`, with `details.fields`).
    #[oai(status = 422)]
    ValidationFailed(Json<ErrorEnvelope>),
    /// Rate limited (`rate_limited`, with `details.retry_after_seconds` and `Retry-After`).
    #[oai(status = 429)]
    TooManyRequests(Json<ErrorEnvelope>),
    /// Server failure (`internal`); the `X-Request-Id` identifies it in the logs.
    #[oai(status = 500)]
    Internal(Json<ErrorEnvelope>),
    /// A dependency is down (`service_unavailable`).
    #[oai(status = 503)]
    Unavailable(Json<ErrorEnvelope>),
}

impl From<ApiError> for poem::Error {
    fn from(e: ApiError) -> Self {
        poem::Error::from_response(e.into_http())
    }
}

/// Handlers return `Result<T, ApiError>`; the spec documents it as [`ErrorResponse`].
impl ApiResponse for ApiError {
    fn meta() -> poem_openapi::registry::MetaResponses {
        ErrorResponse::meta()
    }

    fn register(registry: &mut poem_openapi::registry::Registry) {
        ErrorResponse::register(registry)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        self.into_http()
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
