//! `X-Request-Id`: accepted from the caller when well-formed (nginx sets it),
//! otherwise generated; echoed on every response and put on the request span.

use poem::{http::HeaderValue, Endpoint, IntoResponse, Middleware, Request, Response, Result};
use tracing::Instrument;

pub const HEADER: &str = "x-request-id";

/// The request id, stored in request extensions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestId(pub String);

fn acceptable(id: &str) -> bool {
    (8..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

pub struct RequestIdMiddleware;

impl<E: Endpoint> Middleware<E> for RequestIdMiddleware {
    type Output = RequestIdEndpoint<E>;

    fn transform(&self, ep: E) -> Self::Output {
        RequestIdEndpoint(ep)
    }
}

pub struct RequestIdEndpoint<E>(E);

impl<E: Endpoint> Endpoint for RequestIdEndpoint<E> {
    type Output = Response;

    async fn call(&self, mut req: Request) -> Result<Response> {
        let id = req
            .headers()
            .get(HEADER)
            .and_then(|v| v.to_str().ok())
            .filter(|v| acceptable(v))
            .map(str::to_owned)
            .unwrap_or_else(|| uuid::Uuid::now_v7().to_string());
        req.extensions_mut().insert(RequestId(id.clone()));
        let span = tracing::info_span!(
            "http",
            request.id = %id,
            http.method = %req.method(),
            http.path = %req.uri().path(),
        );
        let result = self.0.call(req).instrument(span).await;
        let mut resp = match result {
            Ok(r) => r.into_response(),
            Err(e) => e.into_response(),
        };
        if let Ok(v) = HeaderValue::from_str(&id) {
            resp.headers_mut().insert(HEADER, v);
        }
        Ok(resp)
    }
}

#[cfg(test)]
mod tests {
    use super::acceptable;

    #[test]
    fn only_plain_ids_of_sane_length_are_taken_from_clients() {
        assert!(acceptable("0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"));
        assert!(!acceptable("short"));
        assert!(!acceptable(&"a".repeat(65)));
        assert!(!acceptable("abc def ghi"));
        assert!(!acceptable("abcdefgh\r\nx-injected: 1"));
    }
}
