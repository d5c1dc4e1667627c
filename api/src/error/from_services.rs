//! The second tier: how each service's error becomes the API's answer. Every
//! `From<…Error> for ApiError` lives here, so the stable codes a client sees
//! (`shared_types::ErrorCode`) are decided in one place and services stay free
//! of HTTP concerns.

use shared_types::ErrorCode;

use super::ApiError;
use crate::{
    integrations::turnstile::TurnstileError,
    services::{
        client_errors::ClientErrorsError, devices::DeviceError, drift::DriftError,
        login::LoginError, me::MeError, otp::OtpError, payments::PaymentError,
        registration::RegistrationError, router_account::HotspotError, sessions::SessionError,
        user_admin::UserAdminError, StoreError,
    },
};

/// A database error for the logs: the SQLSTATE, PostgreSQL's message and the
/// constraint/table — never `DETAIL`, which repeats the row's values (phone
/// numbers, MACs, addresses).
fn without_row_data(e: tokio_postgres::Error) -> anyhow::Error {
    match e.as_db_error() {
        Some(db) => anyhow::anyhow!(
            "database error {}: {} (table {}, constraint {})",
            db.code().code(),
            db.message(),
            db.table().unwrap_or("-"),
            db.constraint().unwrap_or("-"),
        ),
        None => e.into(),
    }
}

impl From<tokio_postgres::Error> for ApiError {
    fn from(e: tokio_postgres::Error) -> Self {
        Self::internal(without_row_data(e))
    }
}

impl From<deadpool_postgres::PoolError> for ApiError {
    fn from(e: deadpool_postgres::PoolError) -> Self {
        Self::unavailable("database", e)
    }
}

impl From<fred::error::Error> for ApiError {
    fn from(e: fred::error::Error) -> Self {
        Self::unavailable("redis", e)
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Db(e) => e.into(),
            StoreError::Pool(e) => e.into(),
            StoreError::Kv(e) => e.into(),
        }
    }
}

fn session_ended(reason: &str) -> ApiError {
    ApiError::new(
        ErrorCode::Unauthorized,
        "the session has ended; sign in again",
    )
    .with_detail("reason", reason)
}

fn signed_out() -> ApiError {
    ApiError::new(ErrorCode::Unauthorized, "sign in first")
}

impl From<HotspotError> for ApiError {
    fn from(e: HotspotError) -> Self {
        match e {
            HotspotError::BadAddress => ApiError::new(
                ErrorCode::ValidationFailed,
                "client.ip or client.mac is not a valid address",
            )
            .with_detail("fields", serde_json::json!({"client": ["address"]})),
            HotspotError::NotConfirmed => ApiError::new(
                ErrorCode::DeviceNotConfirmed,
                "the router does not see this device at this address",
            ),
            e @ (HotspotError::Router(_) | HotspotError::NoRouter) => {
                ApiError::unavailable("the router", e)
            }
            HotspotError::Pool(e) => e.into(),
            HotspotError::Db(e) => e.into(),
            HotspotError::Store(e) => e.into(),
            e @ HotspotError::Sealed(_) => ApiError::internal(e),
        }
    }
}

impl From<OtpError> for ApiError {
    fn from(e: OtpError) -> Self {
        match e {
            OtpError::InvalidPhone => {
                ApiError::new(ErrorCode::InvalidPhone, "not an Indonesian mobile number")
            }
            OtpError::Turnstile(TurnstileError::Rejected(reason)) => ApiError::new(
                ErrorCode::TurnstileFailed,
                "the Turnstile token was not accepted",
            )
            .with_detail("reason", reason),
            OtpError::Turnstile(e @ TurnstileError::Unavailable(_)) => {
                ApiError::unavailable("turnstile", e)
            }
            OtpError::Limited(seconds) => ApiError::rate_limited(seconds),
            OtpError::BudgetExhausted => ApiError::new(
                ErrorCode::ServiceUnavailable,
                "login codes cannot be sent right now",
            ),
            OtpError::Invalid { attempts_left } => ApiError::new(
                ErrorCode::OtpInvalid,
                "the code is wrong, expired or already used",
            )
            .with_detail("attempts_left", attempts_left),
            e @ OtpError::Redis(_) => ApiError::unavailable("redis", e),
            OtpError::Pool(e) => e.into(),
            OtpError::Db(e) => e.into(),
        }
    }
}

impl From<SessionError> for ApiError {
    fn from(e: SessionError) -> Self {
        match e {
            SessionError::Ended(reason) => session_ended(reason),
            SessionError::Store(e) => e.into(),
        }
    }
}

impl From<LoginError> for ApiError {
    fn from(e: LoginError) -> Self {
        match e {
            LoginError::Otp(e) => e.into(),
            LoginError::Hotspot(e) => e.into(),
            LoginError::Session(e) => e.into(),
            LoginError::Blocked { reason, contact } => {
                ApiError::new(ErrorCode::AccountBlocked, "the account is blocked")
                    .with_detail("reason", reason)
                    .with_detail("contact", contact)
            }
            LoginError::Pending => ApiError::new(
                ErrorCode::AccountPending,
                "the registration waits for approval",
            ),
            LoginError::Inactive { contact } => {
                ApiError::new(ErrorCode::AccountInactive, "the account is deactivated")
                    .with_detail("contact", contact)
            }
            LoginError::DeviceTaken => ApiError::new(
                ErrorCode::DeviceTaken,
                "this device belongs to another account",
            ),
            LoginError::CannotLogIn => {
                ApiError::new(ErrorCode::Unauthorized, "the account cannot log in")
            }
            LoginError::LinkUsed => ApiError::new(
                ErrorCode::Unauthorized,
                "the link has expired or was already used",
            ),
            LoginError::WrongPassword => {
                ApiError::new(ErrorCode::Unauthorized, "wrong username or password")
            }
            LoginError::Locked { retry_after } => {
                ApiError::rate_limited(retry_after).with_detail("unlock", "whatsapp_code")
            }
            LoginError::UnlockCodeInvalid { attempts_left } => {
                ApiError::new(ErrorCode::OtpInvalid, "wrong, expired or used unlock code")
                    .with_detail("attempts_left", attempts_left)
            }
            LoginError::WrongDoor => {
                ApiError::new(ErrorCode::Forbidden, "this account cannot sign in here")
            }
            LoginError::Store(e) => e.into(),
        }
    }
}

impl From<MeError> for ApiError {
    fn from(e: MeError) -> Self {
        match e {
            MeError::SignedOut => signed_out(),
            MeError::BadDays => {
                ApiError::new(ErrorCode::InvalidParameter, "days must be between 1 and 90")
                    .with_detail("parameter", "days")
            }
            MeError::Store(e) => e.into(),
        }
    }
}

impl From<DeviceError> for ApiError {
    fn from(e: DeviceError) -> Self {
        match e {
            DeviceError::NotFound => ApiError::new(ErrorCode::NotFound, "no such device"),
            DeviceError::NoDeviceInSession => ApiError::new(
                ErrorCode::Conflict,
                "this session has no device; log in from the hotspot",
            ),
            DeviceError::NotOnline => ApiError::new(
                ErrorCode::DeviceNotOnline,
                "the router shows no login of this account from this device",
            ),
            DeviceError::Taken => ApiError::new(
                ErrorCode::DeviceTaken,
                "this device belongs to another account",
            ),
            DeviceError::NoAccess(status) => {
                ApiError::new(ErrorCode::Forbidden, "no access right now")
                    .with_detail("status", serde_json::to_value(status).unwrap_or_default())
            }
            DeviceError::Me(e) => e.into(),
            DeviceError::Hotspot(e) => e.into(),
            DeviceError::Store(e) => e.into(),
        }
    }
}

impl From<RegistrationError> for ApiError {
    fn from(e: RegistrationError) -> Self {
        match e {
            RegistrationError::Hierarchy { message, field } => {
                ApiError::new(ErrorCode::ValidationFailed, message)
                    .with_detail("fields", serde_json::json!({ field: ["hierarchy"] }))
            }
            RegistrationError::Otp(e) => e.into(),
            RegistrationError::AlreadyRegistered => ApiError::new(
                ErrorCode::AlreadyRegistered,
                "this number is already registered",
            ),
            RegistrationError::NotPending => {
                ApiError::new(ErrorCode::Conflict, "no pending registration with this id")
            }
            RegistrationError::Store(e) => e.into(),
        }
    }
}

impl From<crate::services::router_admin::RouterAdminError> for ApiError {
    fn from(e: crate::services::router_admin::RouterAdminError) -> Self {
        use crate::services::router_admin::{problem_field, RouterAdminError as E};
        match e {
            E::NotFound => ApiError::new(ErrorCode::NotFound, "no router with this id"),
            E::Rank => ApiError::new(ErrorCode::Forbidden, "routers are set up by super admins"),
            E::NameTaken => ApiError::new(ErrorCode::Conflict, "another router has this name")
                .with_detail("fields", serde_json::json!({ "name": ["taken"] })),
            E::PasswordRequired => {
                ApiError::new(ErrorCode::ValidationFailed, "the API password is required")
                    .with_detail(
                        "fields",
                        serde_json::json!({ "api_password": ["required"] }),
                    )
            }
            E::TestFailed(test) => {
                let problem = test
                    .problem
                    .unwrap_or(shared_types::ConnectionProblem::Protocol);
                let code = serde_json::to_value(problem).unwrap_or_default();
                ApiError::new(
                    ErrorCode::ValidationFailed,
                    "the router did not accept the connection; nothing was saved",
                )
                .with_detail(
                    "fields",
                    serde_json::json!({ problem_field(problem): [code] }),
                )
                .with_detail("test", serde_json::to_value(&*test).unwrap_or_default())
            }
            E::Store(e) => e.into(),
        }
    }
}

impl From<UserAdminError> for ApiError {
    fn from(e: UserAdminError) -> Self {
        match e {
            UserAdminError::NotFound => ApiError::new(ErrorCode::NotFound, "no user with this id"),
            UserAdminError::OwnAccount => ApiError::new(
                ErrorCode::Conflict,
                "you cannot block or deactivate your own account",
            ),
            UserAdminError::AdminNotDeleted => {
                ApiError::new(ErrorCode::Conflict, "admins are deactivated, not deleted")
            }
            UserAdminError::Rank => ApiError::new(ErrorCode::Forbidden, "this needs a super admin"),
            UserAdminError::BadCursor => ApiError::new(
                ErrorCode::InvalidParameter,
                "`after` is not a cursor from this list",
            )
            .with_detail("parameter", "after"),
            UserAdminError::Field(field, code, message) => {
                ApiError::new(ErrorCode::ValidationFailed, message)
                    .with_detail("fields", serde_json::json!({ field: [code] }))
            }
            UserAdminError::PhoneTaken => ApiError::new(
                ErrorCode::AlreadyRegistered,
                "another account has this number",
            )
            .with_detail("fields", serde_json::json!({ "phone": ["taken"] })),
            UserAdminError::KeyReused => ApiError::new(
                ErrorCode::Conflict,
                "this idempotency key was used for a different adjustment",
            )
            .with_detail(
                "fields",
                serde_json::json!({ "idempotency_key": ["reused"] }),
            ),
            UserAdminError::NoSuchSession => {
                ApiError::new(ErrorCode::NotFound, "no such live session of this person")
            }
            UserAdminError::BypassSession => ApiError::new(
                ErrorCode::Conflict,
                "a bypassed device has no login to end: forget the device instead",
            ),
            UserAdminError::Device(e) => e.into(),
            UserAdminError::Hotspot(e) => e.into(),
            UserAdminError::Store(e) => e.into(),
        }
    }
}

impl From<DriftError> for ApiError {
    fn from(e: DriftError) -> Self {
        match e {
            DriftError::NoRouter => ApiError::new(ErrorCode::NotFound, "no router with this id"),
            DriftError::Hotspot(e) => e.into(),
            e @ DriftError::Sealed(_) => ApiError::internal(e),
            DriftError::Store(e) => e.into(),
        }
    }
}

impl From<PaymentError> for ApiError {
    fn from(e: PaymentError) -> Self {
        match e {
            PaymentError::PackageNotFound => {
                ApiError::new(ErrorCode::NotFound, "no package with this id")
            }
            PaymentError::PurchaseNotFound => {
                ApiError::new(ErrorCode::NotFound, "no purchase with this order id")
            }
            PaymentError::SignedOut => ApiError::new(ErrorCode::Unauthorized, "session ended"),
            PaymentError::CannotBuy => {
                ApiError::new(ErrorCode::Forbidden, "this account cannot buy packages")
            }
            e @ PaymentError::Gateway(_) => ApiError::unavailable("payment gateway", e),
            PaymentError::Store(e) => e.into(),
        }
    }
}

impl From<ClientErrorsError> for ApiError {
    fn from(e: ClientErrorsError) -> Self {
        match e {
            ClientErrorsError::Pool(e) => e.into(),
            ClientErrorsError::Db(e) => e.into(),
        }
    }
}

impl From<crate::services::staff::StaffError> for ApiError {
    fn from(e: crate::services::staff::StaffError) -> Self {
        use crate::services::staff::StaffError as E;
        let field = |name: &str, code: &str| serde_json::json!({ name: [code] });
        match e {
            E::NotFound => ApiError::new(ErrorCode::NotFound, "no staff member with this id"),
            E::UsernameTaken => {
                ApiError::new(ErrorCode::Conflict, "another account has this username")
                    .with_detail("fields", field("username", "taken"))
            }
            E::OperatorKeyTaken => ApiError::new(
                ErrorCode::Conflict,
                "another staff member has this operator key",
            )
            .with_detail("fields", field("operator_key", "taken")),
            E::UnknownRouter => ApiError::new(ErrorCode::ValidationFailed, "no such router")
                .with_detail("fields", field("router_id", "unknown")),
            E::Rank => ApiError::new(ErrorCode::Forbidden, "this needs a super admin"),
            E::ConfirmFirst => {
                ApiError::new(ErrorCode::Forbidden, "confirm your own password first")
                    .with_detail("reason", "confirm_password")
            }
            E::WrongPassword => {
                ApiError::new(ErrorCode::ValidationFailed, "the password is not right")
                    .with_detail("fields", field("password", "wrong"))
            }
            E::Limited(seconds) => ApiError::rate_limited(seconds),
            E::NoHotspotAccount => ApiError::new(
                ErrorCode::NotFound,
                "the router has no hotspot account with this operator key",
            )
            .with_detail("reason", "no_hotspot_account"),
            E::RouterDown(why) => {
                tracing::warn!(error = %why, "staff: router not reachable");
                ApiError::new(
                    ErrorCode::ServiceUnavailable,
                    "the router cannot be reached",
                )
            }
            E::AlreadyLinked(name) => ApiError::new(
                ErrorCode::Conflict,
                "another router account already carries this operator key",
            )
            .with_detail("account", name),
            E::NoSuchAccount => ApiError::new(
                ErrorCode::NotFound,
                "the router has no account with this name",
            )
            .with_detail("reason", "no_such_account"),
            E::ResidentAccount => ApiError::new(
                ErrorCode::Conflict,
                "this is a resident's account managed by gerbang",
            )
            .with_detail("reason", "resident_account"),
            E::AccountNameTaken => ApiError::new(
                ErrorCode::Conflict,
                "the router already has an account with this name",
            )
            .with_detail("reason", "account_name_taken"),
            E::Http(e) => e,
            E::Internal(e) => ApiError::internal(e),
            E::Store(e) => e.into(),
        }
    }
}

impl From<crate::services::quota_requests::QuotaRequestError> for ApiError {
    fn from(e: crate::services::quota_requests::QuotaRequestError) -> Self {
        use crate::services::quota_requests::QuotaRequestError as E;
        match e {
            E::NotFound => ApiError::new(ErrorCode::NotFound, "no request with this id"),
            E::OfficersOnly => ApiError::new(
                ErrorCode::Forbidden,
                "only officers (komandan) ask for quota",
            ),
            E::TooManyPending => ApiError::new(
                ErrorCode::Conflict,
                "too many requests are waiting for an answer",
            )
            .with_detail("reason", "pending_limit")
            .with_detail("limit", shared_types::MAX_PENDING_PER_OFFICER),
            E::AlreadyDecided(status) => {
                ApiError::new(ErrorCode::Conflict, "this request was already decided")
                    .with_detail("reason", "already_decided")
                    .with_detail("status", serde_json::to_value(status).unwrap_or_default())
            }
            E::BytesForUnlimited => ApiError::new(
                ErrorCode::ValidationFailed,
                "an unlimited request grants days, not bytes",
            )
            .with_detail(
                "fields",
                serde_json::json!({ "quota_bytes": ["unlimited_has_no_quota"] }),
            ),
            E::Grant(e) => e.into(),
            E::Store(e) => e.into(),
        }
    }
}

impl From<crate::services::whatsapp::admin::MessagesError> for ApiError {
    fn from(e: crate::services::whatsapp::admin::MessagesError) -> Self {
        use crate::services::whatsapp::admin::MessagesError as E;
        match e {
            E::NotFound => ApiError::new(ErrorCode::NotFound, "no message with this id"),
            E::NotFailed(status) => ApiError::new(
                ErrorCode::Conflict,
                "only a failed message can be sent again",
            )
            .with_detail("reason", "not_failed")
            .with_detail("status", status.as_str()),
            E::Store(e) => e.into(),
        }
    }
}
