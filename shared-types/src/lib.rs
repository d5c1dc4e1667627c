//! Types shared by the gerbang API (`api`) and the SPA (`web`).
//!
//! By default this crate depends on serde only (plus validator rules the SPA
//! checks too), so it builds for `wasm32-unknown-unknown`. The `openapi`
//! feature adds poem-openapi derives with the same field names, so the JSON
//! the server documents is the JSON the SPA decodes.

pub mod access;
pub mod admin_actions;
pub mod audit;
pub mod captive;
pub mod client_errors;
pub mod devices;
pub mod drift;
pub mod error;
pub mod facility;
pub mod formats;
pub mod health;
pub mod login;
pub mod notifications;
pub mod overview;
pub mod payments;
pub mod phone;
pub mod portal;
pub mod quota_requests;
pub mod registration;
pub mod routers;
pub mod staff;
pub mod user_detail;
pub mod user_list;
pub mod users;

pub use access::{AccessFacts, AccessRule, AccessStatus};
pub use admin_actions::{
    Adjusted, KickSession, Kicked, PasswordReset, ProfileEdit, QuotaAdjustment,
};
pub use audit::{AuditEntry, AuditPage};
pub use captive::CaptiveInfo;
pub use client_errors::{ClientErrorReceipt, NewClientError};
pub use devices::*;
pub use drift::{CycleView, DriftItem, ReconcileNow, RouterDrift, RouterHealth, UserDrift};
pub use error::{ErrorCode, ErrorEnvelope};
pub use facility::{FacilitySettings, FacilitySettingsChange, FacilitySettingsView};
pub use formats::{Day, Id, Timestamp};
pub use health::{CheckStatus, DependencyCheck, Readiness};
pub use login::*;
pub use notifications::{
    AdminEvent, MessageCounts, MessagePage, MessageStatus, MessageView, Subscription,
    Subscriptions, SubscriptionsChange,
};
pub use overview::{
    DayAmount, Overview, PeriodTotals, RecentCycle, RouterCycles, RouterGlance, StatusCount,
    WhatsAppToday,
};
pub use payments::{
    format_rupiah, CreditView, NewPurchase, NotificationAck, PackageInput, PackageRemoved,
    PackageView, PaymentEventView, PurchaseCreated, PurchaseStatus, PurchaseView,
    TransactionDetail, TransactionList, TransactionTotals, TransactionView,
};
pub use portal::{BrowserLink, PortalConfig, UsageDay, UsageHistory};
pub use quota_requests::{
    NewQuotaRequest, QuotaApproval, QuotaRejection, QuotaRequestStatus, QuotaRequestView,
    MAX_PENDING_PER_OFFICER, MAX_REQUEST_BYTES,
};
pub use registration::*;
pub use routers::{
    ConnectionProblem, ConnectionTest, RouterInput, RouterSaved, RouterSetup, RouterView,
    SetupCheck,
};
pub use staff::{
    AdoptAccount, ConfirmPassword, Confirmed, HotspotAccount, HotspotAccountCreated,
    HotspotPasswordChange, HotspotPasswordChanged, NewStaff, PasswordChanged, RouterAccount,
    ShownPassword, StaffCreated, StaffEdit, StaffLink, StaffPage, StaffSession, StaffSync,
    StaffView, WebPasswordChange,
};
pub use user_detail::{
    LedgerEntry, LiveSession, LiveSessions, OnlineNow, OnlineRouter, UserDetail,
};
pub use user_list::{UserPage, UserRow, UserSort};
pub use users::*;
