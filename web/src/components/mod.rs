//! Reusable widgets.

pub mod header;
