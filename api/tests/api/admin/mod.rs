//! The admin dashboard's people side: finding people, and who may act on whom.

mod finding;
mod ranks;
