//! Queuing notifications (docs/notifications.md). Callers queue inside the
//! transaction of the change that causes the message, so a change that
//! rolls back says nothing and a committed one is never silent; the worker
//! delivers ([`super::deliver`]). Each message's dedupe key names its event
//! and recipient: the same event announced twice is one message.

use deadpool_postgres::GenericClient;
use shared_types::AdminEvent;
use uuid::Uuid;

use crate::{db::outbox::NewMessage, settings::Settings};

/// What a message is about. Urgent kinds answer something the person just
/// did (or cannot wait), and ignore quiet hours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    RegistrationApproved,
    RegistrationRejected,
    PaymentReceived,
    QuotaLow,
    ValidityEnding,
    Blocked,
    Unblocked,
    RequestAnswered,
    Admin(AdminEvent),
    /// A router admins were told was down answers again (the `router_down` subscription).
    RouterBack,
}

impl Kind {
    /// The spelling stored with the message.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::RegistrationApproved => "registration.approved",
            Self::RegistrationRejected => "registration.rejected",
            Self::PaymentReceived => "payment.received",
            Self::QuotaLow => "quota.low",
            Self::ValidityEnding => "validity.ending",
            Self::Blocked => "user.blocked",
            Self::Unblocked => "user.unblocked",
            Self::RequestAnswered => "quota_request.answered",
            Self::Admin(AdminEvent::NewRegistration) => "admin.new_registration",
            Self::Admin(AdminEvent::NewQuotaRequest) => "admin.new_quota_request",
            Self::Admin(AdminEvent::RouterDown) => "admin.router_down",
            Self::Admin(AdminEvent::PaidLate) => "admin.paid_late",
            Self::Admin(AdminEvent::BudgetNearlyUsed) => "admin.budget_nearly_used",
            Self::RouterBack => "admin.router_back",
        }
    }

    /// Whether it goes out during quiet hours.
    pub fn urgent(self) -> bool {
        matches!(
            self,
            Self::RegistrationApproved
                | Self::RegistrationRejected
                | Self::PaymentReceived
                | Self::Unblocked
                | Self::RequestAnswered
                | Self::Admin(AdminEvent::RouterDown)
                | Self::RouterBack
        )
    }
}

/// Queues `body` for one person. `event` names the event (with the kind
/// and recipient it makes the dedupe key). Returns whether it is new.
pub async fn to_person(
    db: &impl GenericClient,
    settings: &Settings,
    kind: Kind,
    event: &str,
    recipient: Uuid,
    phone: &str,
    body: &str,
) -> Result<bool, tokio_postgres::Error> {
    let key = format!("{}:{event}:{recipient}", kind.as_str());
    crate::db::outbox::enqueue(
        db,
        &NewMessage {
            dedupe_key: &key,
            kind: kind.as_str(),
            target: phone,
            recipient_id: Some(recipient),
            body,
            urgent: kind.urgent(),
            expire_hours: settings.notifications.expire_hours,
        },
    )
    .await
}

/// Queues `body` for every admin who hears about `event` (and has a
/// number). Returns how many messages are new.
pub async fn to_admins(
    db: &impl GenericClient,
    settings: &Settings,
    event: AdminEvent,
    key: &str,
    body: &str,
) -> Result<usize, tokio_postgres::Error> {
    to_admins_as(db, settings, event, Kind::Admin(event), key, body).await
}

/// Like [`to_admins`], as a message of `kind` (a follow-up such as
/// [`Kind::RouterBack`] reaches those who hear about `event`).
pub async fn to_admins_as(
    db: &impl GenericClient,
    settings: &Settings,
    event: AdminEvent,
    kind: Kind,
    key: &str,
    body: &str,
) -> Result<usize, tokio_postgres::Error> {
    let mut queued = 0;
    for (admin, phone) in crate::db::outbox::subscribers(db, event).await? {
        if to_person(db, settings, kind, key, admin, &phone, body).await? {
            queued += 1;
        }
    }
    Ok(queued)
}
