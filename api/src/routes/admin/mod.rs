//! The admin dashboard's API: one group per resource, each under
//! `/admin/<resource>` with the `Admin` tag and its own.

pub mod activity;
pub mod auth;
pub mod overview;
pub mod packages;
pub mod person;
pub mod registrations;
pub mod routers;
pub mod settings;
pub mod staff;
pub mod transactions;
pub mod users;
pub mod whatsapp;
