//! One file per page.

pub mod admin;
pub mod captive;
pub mod dashboard;
pub mod home;
pub mod not_found;
pub mod open_link;
pub mod packages;
pub mod payment;
pub mod register;
pub mod requests;
pub mod staff;
pub mod status;
