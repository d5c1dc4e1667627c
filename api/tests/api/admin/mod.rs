//! The admin dashboard's people side: finding people, and who may act on whom.

mod access_changes;
mod activity;
mod finding;
mod overview;
mod person;
mod quota_requests;
mod ranks;
mod routers;
mod settings;
