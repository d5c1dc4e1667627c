//! Who is calling, independent of how they proved it: the services take
//! these types, the HTTP edge (`http::auth`) produces them from cookies.

use shared_types::Role;
use uuid::Uuid;

use crate::db::sessions::Authenticated;

/// The logged-in user of a request. At the HTTP edge it comes from the
/// access-token cookie, and changes also pass the CSRF check.
#[derive(Debug, Clone, Copy)]
pub struct Auth {
    pub session_id: Uuid,
    pub user_id: Uuid,
    pub device_id: Option<Uuid>,
    pub role: Role,
}

impl From<Authenticated> for Auth {
    fn from(a: Authenticated) -> Self {
        Self {
            session_id: a.session_id,
            user_id: a.user_id,
            device_id: a.device_id,
            role: a.role,
        }
    }
}

/// The tokens of a newly issued or rotated session (the HTTP edge sets
/// them as cookies).
pub struct SessionTokens {
    pub access: String,
    pub refresh: String,
}
