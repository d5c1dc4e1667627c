//! Business rules; no HTTP here.

pub mod captive;
pub mod client_errors;
pub mod health;
pub mod otp;
pub mod hotspot;
pub mod login;
pub mod registration;
pub mod sessions;
