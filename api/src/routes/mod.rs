//! The OpenAPI service: one `#[OpenApi]` group per resource and audience,
//! each with its `prefix_path` and tags, composed here. Handlers are thin:
//! extract (bodies through [`crate::http::valid::Valid`]), call one service,
//! answer.

pub mod admin;
pub mod auth;
pub mod captive;
pub mod client_errors;
pub mod devices;
pub mod health;
pub mod me;
pub mod midtrans;
pub mod packages;
pub mod purchases;
pub mod quota_requests;
pub mod staff;

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
    /// The logged-in person's devices.
    Devices,
    /// Packages on sale.
    Packages,
    /// Buying a package and following its payment.
    Purchases,
    /// Midtrans' signed notifications (called by Midtrans, not by people).
    MidtransWebhook,
    /// Admin password login.
    AdminAuth,
    /// Reviewing self-registrations.
    AdminRegistrations,
    /// Blocking, deactivating and deleting people.
    AdminUsers,
    /// Routers: drift and health.
    AdminRouters,
    /// Managing packages.
    AdminPackages,
    /// Transactions.
    AdminTransactions,
    /// Who is online now, and the audit log.
    AdminActivity,
    /// The facility at a glance.
    AdminOverview,
    /// Facility settings (super admins).
    AdminSettings,
    /// Staff and teachers: accounts, password login, their own hotspot account.
    Staff,
    /// Officers' (komandan) quota requests and the admins' decisions.
    QuotaRequests,
    /// WhatsApp notifications: the outbox and what each admin hears about.
    Notifications,
}

/// Title of the published contract.
pub const TITLE: &str = "gerbang API";

/// Declares [`Apis`] (the type poem-openapi needs) and `apis()` (its value)
/// from one list, so a group is added in one place. Every group is a unit
/// struct, usable as a type and as a value.
macro_rules! api_groups {
    ($( ( $($api:path),+ $(,)? ) ),+ $(,)?) => {
        /// Every operation group of the API.
        pub type Apis = ( $( ( $($api,)+ ), )+ );

        fn apis() -> Apis {
            ( $( ( $($api,)+ ), )+ )
        }
    };
}

api_groups!(
    (
        health::HealthApi,
        auth::AuthApi,
        me::MeApi,
        devices::DevicesApi,
        captive::CaptiveApi,
        client_errors::ClientErrorsApi,
    ),
    (
        packages::PackagesApi,
        purchases::PurchasesApi,
        midtrans::MidtransWebhookApi,
    ),
    (
        admin::auth::AdminAuthApi,
        admin::registrations::AdminRegistrationsApi,
        admin::users::AdminUsersApi,
        admin::person::AdminPersonApi,
        admin::activity::AdminActivityApi,
        admin::routers::AdminRoutersApi,
        admin::packages::AdminPackagesApi,
        admin::transactions::AdminTransactionsApi,
        admin::settings::AdminSettingsApi,
        admin::overview::AdminOverviewApi,
        admin::staff::AdminStaffApi,
    ),
    (staff::StaffAuthApi, staff::StaffSelfApi),
    (
        quota_requests::QuotaRequestsApi,
        quota_requests::AdminQuotaRequestsApi,
    ),
    (
        admin::whatsapp::AdminMessagesApi,
        admin::whatsapp::AdminSubscriptionsApi,
    ),
);

/// The API, mounted at `/api/v1`. Holds no I/O: the spec can be generated
/// without a database.
pub fn api_service() -> OpenApiService<Apis, ()> {
    OpenApiService::new(apis(), TITLE, env!("CARGO_PKG_VERSION"))
        .description(
            "JSON API of gerbang, the MikroTik hotspot manager for closed communities. \
             Every error is an `ErrorEnvelope` with a stable `code`.",
        )
        .server("/api/v1")
}

/// The OpenAPI document exactly as `gerbang openapi` prints it and as
/// `openapi.json` at the repository root holds it.
pub fn spec_json() -> String {
    let mut spec: serde_json::Value =
        serde_json::from_str(&api_service().spec()).expect("poem-openapi writes JSON");
    join_security(&mut spec);
    let mut out = serde_json::to_string_pretty(&spec).expect("a JSON value serializes");
    out.push('\n');
    out
}

/// poem-openapi lists the security schemes of an operation's extractors as
/// alternatives (one requirement each). gerbang's are cumulative: this
/// joins them into one requirement, and a change (anything but GET) made
/// with the session cookie needs the CSRF header as well
/// (`http::auth::check_csrf`).
fn join_security(spec: &mut serde_json::Value) {
    use crate::http::auth::{CSRF_SCHEME, SESSION_SCHEME};
    let Some(paths) = spec["paths"].as_object_mut() else {
        return;
    };
    for item in paths.values_mut().filter_map(|i| i.as_object_mut()) {
        for (method, op) in item.iter_mut() {
            let Some(security) = op.get_mut("security") else {
                continue;
            };
            let mut joined = serde_json::Map::new();
            // `{}`: the session is optional (the operation is open to everyone).
            let mut optional = false;
            for requirement in security.as_array().into_iter().flatten() {
                let requirement = requirement.as_object();
                optional |= requirement.is_some_and(|r| r.is_empty());
                for (k, v) in requirement.into_iter().flatten() {
                    joined.insert(k.clone(), v.clone());
                }
            }
            if method != "get" && joined.contains_key(SESSION_SCHEME) {
                joined.insert(CSRF_SCHEME.to_owned(), serde_json::json!([]));
            }
            *security = if optional {
                serde_json::json!([joined, {}])
            } else {
                serde_json::json!([joined])
            };
        }
    }
}
