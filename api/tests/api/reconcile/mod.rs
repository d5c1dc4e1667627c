//! Reconciliation against the simulated router, one file per subject.

mod accounting;
mod cycle;
mod enforcement;
mod health;
