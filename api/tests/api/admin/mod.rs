//! The admin dashboard's people side: finding people, and who may act on whom.

mod access_changes;
mod finding;
mod ranks;
