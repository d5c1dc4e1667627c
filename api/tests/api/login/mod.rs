//! Phone login end to end against the sandbox, one file per subject.

mod codes;
mod devices;
mod portal;
mod registration;
mod sessions;
mod squatting;
