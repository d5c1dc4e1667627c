//! Business rules; no HTTP here.

pub mod accounting;
pub mod accounts;
pub mod captive;
pub mod client_errors;
pub mod drift;
pub mod health;
pub mod hotspot;
pub mod login;
pub mod otp;
pub mod payments;
pub mod provision;
pub mod reconcile;
pub mod registration;
pub mod router_account;
pub mod sessions;
pub mod user_admin;
