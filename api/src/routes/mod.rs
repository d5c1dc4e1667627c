//! The OpenAPI service: one `#[OpenApi]` group per resource, composed here.

pub mod admin;
pub mod auth;
pub mod captive;
pub mod client_errors;
pub mod health;
pub mod me;
pub mod payments;

use poem_openapi::{OpenApiService, Tags};

/// Tags group operations in the published contract.
#[derive(Tags)]
pub enum ApiTags {
    /// Phone login: WhatsApp OTP, sessions, the hotspot handoff.
    Auth,
    /// Service readiness.
    Health,
    /// The logged-in person: status, devices.
    Me,
    /// RFC 8908 captive-portal API.
    Captive,
    /// The admin dashboard.
    Admin,
    /// Error reports from the SPA.
    ClientErrors,
    /// Quota packages and Midtrans payments.
    Payments,
}

/// Title of the published contract.
pub const TITLE: &str = "gerbang API";

/// Every operation group of the API.
pub type Apis = (
    health::HealthApi,
    auth::AuthApi,
    me::MeApi,
    captive::CaptiveApi,
    admin::AdminApi,
    client_errors::ClientErrorsApi,
    payments::PaymentsApi,
);

/// The API, mounted at `/api/v1`. Holds no I/O: the spec can be generated
/// without a database.
pub fn api_service() -> OpenApiService<Apis, ()> {
    OpenApiService::new(
        (
            health::HealthApi,
            auth::AuthApi,
            me::MeApi,
            captive::CaptiveApi,
            admin::AdminApi,
            client_errors::ClientErrorsApi,
            payments::PaymentsApi,
        ),
        TITLE,
        env!("CARGO_PKG_VERSION"),
    )
    .description(
        "JSON API of gerbang, the MikroTik hotspot manager for closed communities. \
         Every error is an `ErrorEnvelope` with a stable `code`.",
    )
    .server("/api/v1")
}

/// The OpenAPI document exactly as `gerbang openapi` prints it and as
/// `openapi.json` at the repository root holds it.
pub fn spec_json() -> String {
    let mut spec = api_service().spec();
    spec.push('\n');
    spec
}
