//! Business rules; no HTTP here. Each service has its own error enum
//! (`thiserror`); `crate::error` decides how each becomes an API answer.

pub mod accounting;
pub mod accounts;
pub mod captive;
pub mod client_errors;
pub mod device_proof;
pub mod devices;
pub mod drift;
pub mod facility;
pub mod health;
pub mod hotspot;
pub mod live;
pub mod login;
pub mod me;
pub mod otp;
pub mod overview;
pub mod payments;
pub mod provision;
pub mod quota_requests;
pub mod reconcile;
pub mod registration;
pub mod router_account;
pub mod router_admin;
pub mod sessions;
pub mod staff;
pub mod staff_edit;
pub mod staff_router;
pub mod user_admin;
pub mod user_changes;
pub mod user_detail;
pub mod whatsapp;

/// PostgreSQL or Redis failed underneath a service: never the caller's fault.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database: {0}")]
    Db(#[from] tokio_postgres::Error),
    #[error("database pool: {0}")]
    Pool(#[from] deadpool_postgres::PoolError),
    #[error("redis: {0}")]
    Kv(#[from] fred::error::Error),
}

/// Lets `?` turn a PostgreSQL, pool or Redis error into a service error's
/// `Store` variant.
macro_rules! store_errors {
    ($t:ty) => {
        impl From<tokio_postgres::Error> for $t {
            fn from(e: tokio_postgres::Error) -> Self {
                Self::Store(e.into())
            }
        }
        impl From<deadpool_postgres::PoolError> for $t {
            fn from(e: deadpool_postgres::PoolError) -> Self {
                Self::Store(e.into())
            }
        }
        impl From<fred::error::Error> for $t {
            fn from(e: fred::error::Error) -> Self {
                Self::Store(e.into())
            }
        }
    };
}
pub(crate) use store_errors;
