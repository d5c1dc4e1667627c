//! WhatsApp notifications as admins see them: the outbox (what was sent,
//! what failed, what waits) and which events each admin hears about.

use serde::{Deserialize, Serialize};

use crate::formats::{Id, Timestamp};

/// Where a message stands in the outbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Enum))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", oai(rename_all = "snake_case"))]
pub enum MessageStatus {
    /// Not sent yet: due, retrying after a failure, or held by quiet hours or the budget.
    Waiting,
    /// Being handed to the gateway right now.
    Sending,
    Sent,
    /// Given up: an invalid number, a refused request, too old, or an
    /// interrupted send whose outcome is unknown (never sent twice on its own).
    Failed,
}

impl MessageStatus {
    pub const ALL: [Self; 4] = [Self::Waiting, Self::Sending, Self::Sent, Self::Failed];

    /// The wire and database spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Waiting => "waiting",
            Self::Sending => "sending",
            Self::Sent => "sent",
            Self::Failed => "failed",
        }
    }

    /// From the database spelling.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

/// Events an admin may hear about on WhatsApp (each admin chooses).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Enum))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", oai(rename_all = "snake_case"))]
pub enum AdminEvent {
    /// Someone registered and waits for approval.
    NewRegistration,
    /// A komandan asked for quota.
    NewQuotaRequest,
    /// A router has not answered for longer than the facility's limit.
    RouterDown,
    /// A payment settled after its order was closed (credited late).
    PaidLate,
    /// Today's WhatsApp budget (codes or notifications) is 80 % used.
    BudgetNearlyUsed,
}

impl AdminEvent {
    pub const ALL: [Self; 5] = [
        Self::NewRegistration,
        Self::NewQuotaRequest,
        Self::RouterDown,
        Self::PaidLate,
        Self::BudgetNearlyUsed,
    ];

    /// The wire and database spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NewRegistration => "new_registration",
            Self::NewQuotaRequest => "new_quota_request",
            Self::RouterDown => "router_down",
            Self::PaidLate => "paid_late",
            Self::BudgetNearlyUsed => "budget_nearly_used",
        }
    }

    /// From the database spelling.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

/// One message of the outbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct MessageView {
    pub id: Id,
    /// What caused it, e.g. `payment.received`, `quota.low`, `admin.new_registration`.
    pub kind: String,
    /// The WhatsApp number (`62…`).
    pub target: String,
    /// The person it is for, when they still exist.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", oai(default))]
    pub recipient_name: Option<String>,
    pub body: String,
    pub status: MessageStatus,
    /// Sends tried so far.
    pub attempts: i32,
    /// Why the last try failed.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", oai(default))]
    pub error: Option<String>,
    pub created_at: Timestamp,
    /// When a waiting message is tried next.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", oai(default))]
    pub next_attempt_at: Option<Timestamp>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", oai(default))]
    pub sent_at: Option<Timestamp>,
}

/// How many messages stand where.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct MessageCounts {
    pub waiting: i64,
    pub sending: i64,
    pub sent: i64,
    pub failed: i64,
}

/// A page of the outbox, newest first, with the counts and today's budget.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct MessagePage {
    pub items: Vec<MessageView>,
    /// Messages matching the filter.
    pub total: i64,
    /// Every message of the outbox by status.
    pub counts: MessageCounts,
    /// Notifications sent today (facility time zone)…
    pub sent_today: i64,
    /// …against their own daily budget (login codes have theirs).
    pub budget: i32,
    /// Quiet hours are on now: only urgent messages go out.
    pub quiet_now: bool,
}

/// One event and whether the admin hears about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct Subscription {
    pub event: AdminEvent,
    pub subscribed: bool,
}

/// The events an admin hears about, and where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct Subscriptions {
    /// The admin's WhatsApp number; without one nothing reaches them.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", oai(default))]
    pub phone: Option<String>,
    pub events: Vec<Subscription>,
}

/// The events an admin wants to hear about (the rest are turned off).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct SubscriptionsChange {
    #[cfg_attr(feature = "openapi", oai(validator(max_items = 5)))]
    pub subscribed: Vec<AdminEvent>,
}
