//! Packages and Midtrans purchases: money in, quota out, exactly once.
//!
//! - A purchase row exists only if Midtrans accepted the Snap transaction
//!   (the call runs inside the inserting transaction, under the user's row
//!   lock, so a failed call leaves nothing behind and two clicks cannot race).
//! - Every gateway answer — notification or status check — goes through
//!   [`apply`]: the purchase row locked `for update`, the amount checked, a
//!   forward-only state machine, the event stored, and on the first success
//!   one credit in `credit_ledger` under the key `purchase:<order_id>`.
//! - Success is final. A success that arrives after we closed the order
//!   (expired, failed, cancelled) is still credited and flagged `paid_late`:
//!   the customer's money was taken, so they get what they paid for, and the
//!   audit log says so.
//! - Crediting adds quota in bytes and extends validity from the later of
//!   now and the current end; then `NOTIFY` makes the worker fix the router
//!   at once (raised limit, account re-enabled, device logged back in).

mod buying;
mod dashboard;
mod export;
mod gateway;
mod packages;

pub use buying::{my_purchase, my_purchases, purchase};
pub use dashboard::{recheck, transaction, transactions};
pub use export::transactions_csv;
pub use gateway::{apply, check_order, reconcile_pending, Applied, Source};
pub use packages::{packages, remove_package, save_package};

use crate::{
    integrations::midtrans::MidtransError,
    services::{store_errors, StoreError},
};

#[derive(Debug, thiserror::Error)]
pub enum PaymentError {
    #[error("no package with this id")]
    PackageNotFound,
    #[error("no purchase with this order id")]
    PurchaseNotFound,
    /// The session's user is gone.
    #[error("session ended")]
    SignedOut,
    /// Blocked, deactivated or not approved.
    #[error("this account cannot buy packages")]
    CannotBuy,
    #[error("payment gateway: {0}")]
    Gateway(#[from] MidtransError),
    #[error(transparent)]
    Store(#[from] StoreError),
}
store_errors!(PaymentError);
