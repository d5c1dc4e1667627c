//! Integration tests: the real application on port 0, a fresh PostgreSQL
//! database per test (copied from a migrated template) and a Redis key prefix
//! per test. Set GERBANG_TEST_DATABASE_URL / GERBANG_TEST_REDIS_URL to point
//! them elsewhere than the local defaults.

mod access_matrix;
mod admin;
mod backup;
mod browser;
mod client_errors;
mod deadlines;
mod deployment;
mod errors;
mod headers;
mod health;
mod helpers;
mod hygiene;
mod login;
mod notifications;
mod otp;
mod payments;
mod reconcile;
mod soak;
mod spa;
mod staff;
mod startup;
mod worker;
