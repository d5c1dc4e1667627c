//! The HTTP stack: routes, middleware and the plain (non-OpenAPI) endpoints.

pub mod auth;
pub mod client_ip;
pub mod deadline;
pub mod errors;
pub mod metrics;
pub mod rate_limit;
pub mod request_id;
pub mod security;
pub mod valid;

use poem::{
    endpoint::{make_sync, StaticFileEndpoint, StaticFilesEndpoint},
    error::NotFoundError,
    get, handler,
    http::StatusCode,
    web::{Data, Json},
    Endpoint, EndpointExt, IntoResponse, Response, Route,
};

use crate::{routes, services, state::AppState};

/// Builds the whole application for `state`.
pub fn app(state: AppState) -> impl Endpoint {
    let api = routes::api_service();
    // The contract exactly as `openapi.json` holds it (routes::spec_json).
    let spec_text = std::sync::Arc::new(routes::spec_json());
    let spec = make_sync(move |_| {
        Response::builder()
            .content_type("application/json; charset=utf-8")
            .body(spec_text.to_string())
    });
    let docs = api.swagger_ui();
    let mut route = Route::new()
        .nest("/api/v1", api)
        .at("/api/openapi.json", spec)
        .nest("/api/docs", docs)
        // Anything else under /api is an unknown route, never the SPA.
        .at("/api/*rest", make_sync(|_| Err::<(), _>(NotFoundError)))
        .at("/healthz", get(healthz))
        .at("/readyz", get(readyz))
        .at("/metrics", get(metrics_text));
    if let Some(dir) = &state.settings.http.spa_dir {
        // The captive entry is its own small bundle (see web/captive.html);
        // without it the full SPA serves /captive as well.
        let captive = dir.join("captive").join("index.html");
        if captive.is_file() {
            route = route.at("/captive", StaticFileEndpoint::new(captive));
        }
        // The admin dashboard is its own bundle too (web/admin.html), loaded
        // only by admins: every /admin/… address that is not one of its
        // files gets its index.
        let admin = dir.join("admin");
        if admin.join("index.html").is_file() {
            route = route.nest(
                "/admin",
                StaticFilesEndpoint::new(admin)
                    .index_file("index.html")
                    .fallback_to_index(),
            );
        }
        route = route.nest(
            "/",
            StaticFilesEndpoint::new(dir)
                .index_file("index.html")
                .fallback_to_index(),
        );
    }
    let limit = std::time::Duration::from_millis(state.settings.http.request_timeout_ms);
    route
        .with(deadline::Deadline(limit))
        .with(errors::BodyLimit(state.settings.http.max_body_bytes))
        .with(client_ip::ClientIpMiddleware(state.proxies.clone()))
        .catch_all_error(|e| async move { errors::to_envelope(e) })
        .with(security::SecurityHeaders::new(
            state.settings.http.spa_dir.as_deref(),
            &state.settings.turnstile.script_url,
        ))
        .with(metrics::MetricsMiddleware(state.metrics.clone()))
        .with(request_id::RequestIdMiddleware)
        .data(state)
}

/// Liveness: the process is up and serving HTTP.
#[handler]
fn healthz() -> Json<serde_json::Value> {
    Json(serde_json::json!({ "status": "ok" }))
}

/// Readiness: 200 when PostgreSQL and Redis answer, 503 naming what failed.
#[handler]
async fn readyz(state: Data<&AppState>) -> Response {
    let readiness = services::health::readiness(&state.db, &state.kv).await;
    let status = if readiness.is_ready() {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    Json(readiness).with_status(status).into_response()
}

/// Prometheus text exposition: the API's own metrics plus the routers' last
/// reconcile cycles (the worker records them in PostgreSQL; its process has
/// no HTTP listener).
#[handler]
async fn metrics_text(state: Data<&AppState>) -> Response {
    let mut text = state.metrics.render();
    match state.db.get().await {
        Ok(db) => match crate::db::cycles::all(&db).await {
            Ok(cycles) => text.push_str(&metrics::router_cycles(&cycles)),
            Err(e) => tracing::warn!(error = %e, "router cycle metrics not read"),
        },
        Err(e) => tracing::warn!(error = %e, "router cycle metrics not read"),
    }
    text.with_content_type("text/plain; version=0.0.4; charset=utf-8")
        .into_response()
}
