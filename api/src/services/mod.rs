//! Business rules; no HTTP here.

pub mod client_errors;
pub mod health;
pub mod otp;
