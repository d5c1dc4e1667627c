//! gerbang SPA: the captive portal for phones and the dashboard for admins.
//!
//! `api.rs` is the only place that talks HTTP; every request and response type
//! comes from `shared-types`, so the SPA cannot drift from the API contract.

pub mod api;
pub mod app;
pub mod components;
pub mod i18n;
pub mod pages;
pub mod report;
pub mod routes;
pub mod state;
