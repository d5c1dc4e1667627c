//! A person's devices on the hotspot.

use serde::{Deserialize, Serialize};

use crate::formats::{Id, Timestamp};
use validator::Validate;

use crate::login::{HotspotLoginHandoff, LoginMode};

/// A device of the logged-in user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct DeviceView {
    /// The device's id.
    pub id: Id,
    /// MAC address as the router saw it (`AA:BB:CC:DD:EE:FF`).
    pub mac: String,
    /// The name the person gave it, if any.
    pub label: Option<String>,
    /// A randomised ("private") MAC: it may change, and then the device must log in again.
    pub randomized: bool,
    /// Its last address on the hotspot network.
    pub last_ip: Option<String>,
    /// When it was first confirmed by the router.
    pub first_seen: Timestamp,
    /// When it last had traffic or logged in.
    pub last_seen: Timestamp,
    /// This session's device.
    pub current: bool,
}

/// Rename a device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct DevicePatch {
    /// 1–40 characters, e.g. "HP Budi".
    #[validate(length(min = 1, max = 40))]
    #[cfg_attr(feature = "openapi", oai(validator(min_length = 1, max_length = 40)))]
    pub label: String,
}

/// What "connect this device" did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct Connected {
    /// How the router was told (hotspot login or bypass binding).
    pub mode: LoginMode,
    /// The device that is now online; absent when `login_form` is given.
    pub mac: Option<String>,
    /// Its address on the hotspot network.
    pub ip: Option<String>,
    /// The session's device was never seen logging in, so the server may not
    /// log it in: submit this form from this browser instead (the router then
    /// sees the device itself, and `confirm_current_device` records it).
    pub login_form: Option<HotspotLoginHandoff>,
}
