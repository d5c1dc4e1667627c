//! The admin home: the facility at a glance (`GET /admin/overview`), and a
//! router's recent cycles for its chart.

use serde::{Deserialize, Serialize};

use crate::{
    formats::{Day, Id, Timestamp},
    AccessStatus,
};

/// One router at a glance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct RouterGlance {
    pub router_id: Id,
    pub name: String,
    /// Up: its last cycle succeeded and ended less than `up_within_seconds` ago.
    pub up: bool,
    /// When the worker last finished a cycle on it (none yet: `null`).
    pub last_cycle_at: Option<Timestamp>,
    /// Seconds since then.
    pub last_cycle_age_seconds: Option<i64>,
    /// Sessions its last successful cycle saw (`null` when it failed).
    pub online: Option<i32>,
    /// The last cycle's error, when it failed.
    pub last_error: Option<String>,
    /// Failed cycles in a row.
    pub consecutive_failures: i32,
}

/// How many people have one access status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct StatusCount {
    pub status: AccessStatus,
    pub count: i64,
}

/// An amount on one day of the facility's calendar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct DayAmount {
    /// `YYYY-MM-DD`, facility time zone.
    pub day: Day,
    /// Bytes (usage) or rupiah (revenue).
    pub amount: i64,
}

/// Sums over today, the last 7 and the last 30 days (today included).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct PeriodTotals {
    pub today: i64,
    pub days_7: i64,
    pub days_30: i64,
}

impl PeriodTotals {
    /// Totals of 30 days of amounts, oldest first.
    pub fn of(days: &[DayAmount]) -> Self {
        let last = |n: usize| days.iter().rev().take(n).map(|d| d.amount).sum();
        Self {
            today: last(1),
            days_7: last(7),
            days_30: last(30),
        }
    }
}

/// WhatsApp messages gerbang sent today against the daily budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct WhatsAppToday {
    /// Messages Fonnte accepted today (login codes and notifications), facility time zone.
    pub sent: i64,
    /// Messages it refused or that failed.
    pub failed: i64,
    /// The day's two budgets together: login codes (`otp_global_per_day`)
    /// and notifications (`notify_per_day`).
    pub budget: i32,
}

/// `GET /admin/overview`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct Overview {
    /// Enabled routers by name.
    pub routers: Vec<RouterGlance>,
    /// A router is up when its last cycle succeeded within this many seconds.
    pub up_within_seconds: i64,
    /// Sum of the routers' `online`.
    pub online_total: i64,
    /// Residents, komandan and staff by access status (every status listed).
    pub users_by_status: Vec<StatusCount>,
    /// Self-registrations waiting for review.
    pub registrations_waiting: i64,
    /// Bytes used per day, the last 30 days, oldest first.
    pub usage_days: Vec<DayAmount>,
    pub usage: PeriodTotals,
    /// Rupiah paid per day (by payment time), the last 30 days, oldest first.
    pub revenue_days: Vec<DayAmount>,
    pub revenue: PeriodTotals,
    pub whatsapp: WhatsAppToday,
    /// The facility's time zone (IANA), which "today" is in.
    pub time_zone: String,
}

/// One past cycle of a router (the routers screen's chart).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct RecentCycle {
    pub at: Timestamp,
    pub ok: bool,
    pub duration_ms: i32,
    pub reads: i32,
    pub writes: i32,
    /// Sessions seen (`null` when the cycle failed).
    pub online: Option<i32>,
    pub error: Option<String>,
}

/// `GET /admin/routers/{id}/cycles`: the last cycles, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct RouterCycles {
    pub router_id: Id,
    pub cycles: Vec<RecentCycle>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn totals_count_back_from_today() {
        let days: Vec<DayAmount> = (1..=30)
            .map(|n| DayAmount {
                day: Day(format!("2026-11-{n:02}")),
                amount: n,
            })
            .collect();
        let t = PeriodTotals::of(&days);
        assert_eq!(t.today, 30);
        assert_eq!(t.days_7, (24..=30).sum::<i64>());
        assert_eq!(t.days_30, (1..=30).sum::<i64>());
    }
}
