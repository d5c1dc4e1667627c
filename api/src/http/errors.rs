//! Every error leaves as the shared envelope — including the ones poem and
//! poem-openapi raise before a handler runs (malformed JSON, unknown route).

use poem::{
    error::{MethodNotAllowedError, NotFoundError, ReadBodyError},
    http::StatusCode,
    Endpoint, IntoResponse, Middleware, Request, Response, Result,
};
use poem_openapi::{
    error::{ContentTypeError, ParseParamError, ParsePathError, ParseRequestPayloadError},
    OperationId,
};
use shared_types::ErrorCode;

use crate::error::ApiError;

/// Maps a poem error to the envelope. Errors our handlers built are already
/// enveloped responses and pass through unchanged.
pub fn to_envelope(err: poem::Error) -> Response {
    let op = err.data::<OperationId>().copied();
    let mut resp = if err.is_from_response() {
        err.into_response()
    } else {
        classify(err).into_response()
    };
    if let Some(op) = op {
        resp.set_data(op);
    }
    resp
}

fn classify(err: poem::Error) -> ApiError {
    if let Some(e) = err.downcast_ref::<ParseRequestPayloadError>() {
        return ApiError::new(
            ErrorCode::MalformedBody,
            "the request body is not valid JSON of the documented shape",
        )
        .with_detail("reason", e.reason.clone());
    }
    if let Some(e) = err.downcast_ref::<ParseParamError>() {
        return ApiError::new(
            ErrorCode::InvalidParameter,
            format!("invalid parameter `{}`", e.name),
        )
        .with_detail("parameter", e.name)
        .with_detail("reason", e.reason.clone());
    }
    if let Some(e) = err.downcast_ref::<ParsePathError>() {
        return ApiError::new(
            ErrorCode::InvalidParameter,
            format!("invalid path segment `{}`", e.name),
        )
        .with_detail("parameter", e.name)
        .with_detail("reason", e.reason.clone());
    }
    if err.is::<ContentTypeError>() {
        return ApiError::new(
            ErrorCode::UnsupportedMediaType,
            "send the body as application/json",
        );
    }
    if err.is::<NotFoundError>() {
        return ApiError::new(ErrorCode::NotFound, "no such route");
    }
    if err.is::<MethodNotAllowedError>() {
        return ApiError::new(
            ErrorCode::MethodNotAllowed,
            "method not allowed on this route",
        );
    }
    if let Some(ReadBodyError::PayloadTooLarge) = err.downcast_ref::<ReadBodyError>() {
        return payload_too_large();
    }
    match err.status() {
        StatusCode::NOT_FOUND => ApiError::new(ErrorCode::NotFound, "not found"),
        StatusCode::METHOD_NOT_ALLOWED => ApiError::new(
            ErrorCode::MethodNotAllowed,
            "method not allowed on this route",
        ),
        StatusCode::PAYLOAD_TOO_LARGE => payload_too_large(),
        StatusCode::UNAUTHORIZED => {
            ApiError::new(ErrorCode::Unauthorized, "authentication required")
        }
        StatusCode::FORBIDDEN => ApiError::new(ErrorCode::Forbidden, "forbidden"),
        s if s.is_server_error() => ApiError::internal(anyhow::anyhow!("{err}")),
        _ => ApiError::new(ErrorCode::MalformedBody, "bad request")
            .with_detail("reason", err.to_string()),
    }
}

fn payload_too_large() -> ApiError {
    ApiError::new(ErrorCode::PayloadTooLarge, "the request body is too large")
}

/// Rejects bodies over `max` bytes — by `Content-Length` up front, and by
/// counting for chunked bodies — so handlers only ever see bounded input.
pub struct BodyLimit(pub usize);

impl<E: Endpoint> Middleware<E> for BodyLimit {
    type Output = BodyLimitEndpoint<E>;

    fn transform(&self, ep: E) -> Self::Output {
        BodyLimitEndpoint {
            inner: ep,
            max: self.0,
        }
    }
}

pub struct BodyLimitEndpoint<E> {
    inner: E,
    max: usize,
}

impl<E: Endpoint> Endpoint for BodyLimitEndpoint<E> {
    type Output = E::Output;

    async fn call(&self, mut req: Request) -> Result<Self::Output> {
        let declared = req
            .headers()
            .get(poem::http::header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok());
        if declared.is_some_and(|n| n > self.max as u64) {
            return Err(payload_too_large().into());
        }
        if declared.is_none() {
            let body = req.take_body();
            if !body.is_empty() {
                req.set_body(body.into_bytes_limit(self.max).await?);
            }
        }
        self.inner.call(req).await
    }
}
