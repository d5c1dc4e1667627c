//! Typed client over shared-types for the gerbang API, one module per
//! audience: the portal (strangers and logging in), `me` (the logged-in
//! person) and `admin` (the dashboard). [`transport`] is the only code that
//! speaks HTTP.

pub mod admin;
pub mod me;
pub mod messages;
pub mod portal;
pub mod requests;
pub mod staff;
pub mod transport;

pub use admin::*;
pub use me::*;
pub use messages::*;
pub use portal::*;
pub use requests::*;
pub use staff::*;
pub use transport::{on_session_ended, ApiError, BASE};
