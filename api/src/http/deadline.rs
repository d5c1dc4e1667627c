//! Every request answers in bounded time: a handler still waiting (on a
//! database or a router that stopped answering) after `http.request_timeout_ms`
//! is dropped and the client gets 503 `service_unavailable`. Dropping it also
//! returns its pooled connections.

use std::time::Duration;

use poem::{Endpoint, IntoResponse, Middleware, Request, Response, Result};

use crate::error::ApiError;

pub struct Deadline(pub Duration);

impl<E: Endpoint> Middleware<E> for Deadline {
    type Output = DeadlineEndpoint<E>;

    fn transform(&self, ep: E) -> Self::Output {
        DeadlineEndpoint {
            inner: ep,
            limit: self.0,
        }
    }
}

pub struct DeadlineEndpoint<E> {
    inner: E,
    limit: Duration,
}

impl<E: Endpoint> Endpoint for DeadlineEndpoint<E> {
    type Output = Response;

    async fn call(&self, req: Request) -> Result<Self::Output> {
        let path = req.uri().path().to_owned();
        match tokio::time::timeout(self.limit, self.inner.call(req)).await {
            Ok(r) => r.map(IntoResponse::into_response),
            Err(_) => {
                tracing::warn!(
                    path,
                    limit_ms = self.limit.as_millis() as u64,
                    "request deadline exceeded"
                );
                Err(ApiError::unavailable(
                    "the service",
                    anyhow::anyhow!("no answer within {} ms", self.limit.as_millis()),
                )
                .into())
            }
        }
    }
}
