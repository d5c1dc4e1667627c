//! The admin home (`GET /admin/overview`): routers up or down with the age
//! of their last cycle and who is online there (as the worker last saw it,
//! so the page reads no router), people by access status, registrations
//! waiting, usage and revenue per day for 30 days with today / 7 / 30 day
//! totals, and WhatsApp messages sent today against the budget.

use shared_types::{
    AccessStatus, DayAmount, Overview, PeriodTotals, RouterGlance, StatusCount, WhatsAppToday,
};
use time::OffsetDateTime;

use crate::{
    db::{self, users::rfc3339},
    services::StoreError,
    state::AppState,
};

/// Days the charts cover.
pub const DAYS: i32 = 30;

/// A router is up when its last cycle succeeded less than three ticks ago.
pub fn up_within_seconds(state: &AppState) -> i64 {
    i64::try_from(state.settings.worker.tick_seconds.max(1) * 3).unwrap_or(i64::MAX)
}

fn days(rows: Vec<(String, i64)>) -> Vec<DayAmount> {
    rows.into_iter()
        .map(|(day, amount)| DayAmount {
            day: day.into(),
            amount,
        })
        .collect()
}

pub async fn overview(state: &AppState) -> Result<Overview, StoreError> {
    let tz = &state.settings.worker.time_zone;
    let facility = state.facility().await;
    let budget = facility
        .otp_global_per_day
        .saturating_add(facility.notify_per_day);
    let db = state.db.get().await?;
    let routers = db::routers::all(&db).await?;
    let cycles = db::cycles::all(&db).await?;
    let counted = db::overview::users_by_status(&db).await?;
    let waiting = db::overview::registrations_waiting(&db).await?;
    let usage_days = days(db::overview::usage_days(&db, DAYS, tz).await?);
    let revenue_days = days(db::overview::revenue_days(&db, DAYS, tz).await?);
    let (sent, failed) = db::whatsapp::today(&db, tz).await?;
    drop(db);

    let now = OffsetDateTime::now_utc();
    let within = up_within_seconds(state);
    let routers: Vec<RouterGlance> = routers
        .into_iter()
        .map(|r| {
            let last = cycles.iter().find(|c| c.router_id == r.id);
            let age = last.map(|c| (now - c.at).whole_seconds().max(0));
            RouterGlance {
                router_id: r.id.to_string().into(),
                name: r.name,
                up: last.is_some_and(|c| c.ok) && age.is_some_and(|a| a < within),
                last_cycle_at: last.map(|c| rfc3339(c.at).into()),
                last_cycle_age_seconds: age,
                online: last.and_then(|c| c.online),
                last_error: last.and_then(|c| c.error.clone()),
                consecutive_failures: last.map_or(0, |c| c.consecutive_failures),
            }
        })
        .collect();
    let users_by_status = AccessStatus::ALL
        .iter()
        .map(|s| StatusCount {
            status: *s,
            count: counted
                .iter()
                .filter(|(name, _)| name == s.as_str())
                .map(|(_, n)| n)
                .sum(),
        })
        .collect();
    Ok(Overview {
        online_total: routers.iter().filter_map(|r| r.online).map(i64::from).sum(),
        routers,
        up_within_seconds: within,
        users_by_status,
        registrations_waiting: waiting,
        usage: PeriodTotals::of(&usage_days),
        usage_days,
        revenue: PeriodTotals::of(&revenue_days),
        revenue_days,
        whatsapp: WhatsAppToday {
            sent,
            failed,
            budget,
        },
        time_zone: tz.clone(),
    })
}
