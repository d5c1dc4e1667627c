//! Reusable widgets.

pub mod async_view;
pub mod confirm;
pub mod connect;
pub mod day_bars;
pub mod form;
pub mod format;
pub mod gb;
pub mod handoff;
pub mod header;
pub mod login;
pub mod notices;
pub mod turnstile;
pub mod usage_chart;
