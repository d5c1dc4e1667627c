//! Notifications nobody's action causes, found by looking (a worker job,
//! every tick): access ending in 3 days and in 1 day, a router down for
//! longer than the facility allows (and back again), a daily budget 80 % used — and, from
//! the accounting cycle, quota falling to 20 % and 5 % of the last package.
//! Each is queued once through its dedupe key however often it is seen.

use deadpool_postgres::GenericClient;
use fred::interfaces::KeysInterface;
use shared_types::AdminEvent;
use time::OffsetDateTime;
use uuid::Uuid;

use super::{
    outbox::{to_admins, to_admins_as, to_person, Kind},
    templates::{self, Budget},
};
use crate::{db::outbox::local_time, settings::Settings, state::AppState};

/// What one look queued.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Watched {
    pub validity: usize,
    pub router_down: usize,
    pub router_back: usize,
    pub budget: usize,
}

/// Looks once, as of `now`.
pub async fn look(state: &AppState, now: OffsetDateTime) -> anyhow::Result<Watched> {
    let db = state.db.get().await?;
    Ok(Watched {
        validity: validity_ending(state, &db, now).await?,
        router_down: routers_down(state, &db, now).await?,
        router_back: routers_back(state, &db).await?,
        budget: budgets(state, &db, now).await?,
    })
}

/// Residents and officers whose access ends within 3 days: one message at
/// 3 days, one at 1 day, per validity (an extension starts over).
async fn validity_ending(
    state: &AppState,
    db: &impl GenericClient,
    now: OffsetDateTime,
) -> anyhow::Result<usize> {
    let tz = &state.settings.worker.time_zone;
    let rows = db
        .query(
            "select id, phone, valid_until, valid_until at time zone $2,
                    valid_until <= $1::timestamptz + interval '1 day'
             from users
             where role in ('resident', 'komandan') and phone is not null
               and approval = 'approved' and active and not blocked
               and valid_until > $1::timestamptz
               and valid_until <= $1::timestamptz + interval '3 days'",
            &[&now, tz],
        )
        .await?;
    let mut queued = 0;
    for r in rows {
        let (id, phone, until): (Uuid, String, OffsetDateTime) = (r.get(0), r.get(1), r.get(2));
        let stage = if r.get(4) { "1d" } else { "3d" };
        let event = format!("{stage}:{}", until.unix_timestamp());
        let body = templates::validity_ending(until - now, r.get(3));
        if to_person(
            db,
            &state.settings,
            Kind::ValidityEnding,
            &event,
            id,
            &phone,
            &body,
        )
        .await?
        {
            queued += 1;
        }
    }
    Ok(queued)
}

/// Routers whose cycles have failed for longer than `router_down_minutes`:
/// one message per outage (named by when it began).
async fn routers_down(
    state: &AppState,
    db: &impl GenericClient,
    now: OffsetDateTime,
) -> anyhow::Result<usize> {
    let minutes = state.facility().await.router_down_minutes;
    let rows = db
        .query(
            "select r.id, r.name, d.since
             from routers r
             join router_cycles c on c.router_id = r.id
             cross join lateral (
                 select coalesce(
                     (select min(h.at) from router_cycle_history h
                      where h.router_id = r.id and not h.ok
                        and h.at > coalesce(c.last_ok_at, '-infinity')),
                     c.last_ok_at, c.at) as since) d
             where not c.ok and d.since <= $1::timestamptz - make_interval(mins => $2)",
            &[&now, &minutes],
        )
        .await?;
    let mut queued = 0;
    for r in rows {
        let (id, name, since): (Uuid, String, OffsetDateTime) = (r.get(0), r.get(1), r.get(2));
        let down_for = (now - since).whole_minutes();
        let body = templates::admin_router_down(&name, down_for);
        let key = format!("{id}:{}", since.unix_timestamp());
        queued += to_admins(db, &state.settings, AdminEvent::RouterDown, &key, &body).await?;
    }
    Ok(queued)
}

/// Routers whose outage admins were told about (in the last week) and
/// whose last cycle succeeded: one "answers again" per outage.
async fn routers_back(state: &AppState, db: &impl GenericClient) -> anyhow::Result<usize> {
    let rows = db
        .query(
            "select distinct r.id, r.name, split_part(o.dedupe_key, ':', 3)::bigint,
                    extract(epoch from c.last_ok_at)::bigint
             from routers r
             join router_cycles c on c.router_id = r.id and c.ok
             join whatsapp_outbox o on o.kind = 'admin.router_down'
                  and o.dedupe_key like 'admin.router_down:' || r.id::text || ':%'
                  and o.created_at > now() - interval '7 days'",
            &[],
        )
        .await?;
    let mut queued = 0;
    for r in rows {
        let (id, name, since, back): (Uuid, String, i64, i64) =
            (r.get(0), r.get(1), r.get(2), r.get(3));
        let body = templates::admin_router_back(&name, (back - since).max(0) / 60);
        let key = format!("{id}:{since}");
        queued += to_admins_as(
            db,
            &state.settings,
            AdminEvent::RouterDown,
            Kind::RouterBack,
            &key,
            &body,
        )
        .await?;
    }
    Ok(queued)
}

/// Today's budgets of login codes and of notifications: admins hear once a
/// day per budget when 80 % is used.
async fn budgets(
    state: &AppState,
    db: &impl GenericClient,
    now: OffsetDateTime,
) -> anyhow::Result<usize> {
    let facility = state.facility().await;
    let tz = &state.settings.worker.time_zone;
    let codes: Option<i64> = state
        .kv
        .pool()
        .next()
        .get(state.kv.key("otp:global:day"))
        .await?;
    let notices = crate::db::outbox::sent_on_day_of(db, now, tz).await?;
    let day = local_time(db, now, tz).await?.date();
    let mut queued = 0;
    for (which, used, budget) in [
        (
            Budget::Codes,
            codes.unwrap_or(0),
            i64::from(facility.otp_global_per_day),
        ),
        (
            Budget::Notifications,
            notices,
            i64::from(facility.notify_per_day),
        ),
    ] {
        if used * 5 >= budget * 4 {
            let body = templates::admin_budget(which, used, budget);
            let key = format!("{}:{day}", which.as_str());
            queued += to_admins(
                db,
                &state.settings,
                AdminEvent::BudgetNearlyUsed,
                &key,
                &body,
            )
            .await?;
        }
    }
    Ok(queued)
}

/// The level (20 or 5 % of `base`, what was left right after the last
/// credit) that `left_before` → `left_after` fell through, the lower one
/// when both.
pub fn quota_level_crossed(base: i64, left_before: i64, left_after: i64) -> Option<u8> {
    if base <= 0 {
        return None;
    }
    let below =
        |left: i64, level: i64| i128::from(left) * 100 <= i128::from(base) * i128::from(level);
    [5u8, 20]
        .into_iter()
        .find(|&level| below(left_after, level.into()) && !below(left_before, level.into()))
}

/// Queues "quota low" when a charge crossed 20 % or 5 % of the package
/// (inside the cycle's transaction): once per level per package.
pub async fn quota_low(
    db: &impl GenericClient,
    settings: &Settings,
    c: &crate::db::usage::Charged,
) -> Result<bool, tokio_postgres::Error> {
    let Some(phone) = c.phone.as_deref() else {
        return Ok(false);
    };
    let left_after = c.quota_bytes - c.used_bytes;
    let left_before = left_after + c.counted;
    let Some(level) = quota_level_crossed(c.quota_base_bytes, left_before, left_after) else {
        return Ok(false);
    };
    let event = format!("{}:{level}", c.quota_epoch);
    let body = templates::quota_low(level, left_after.max(0));
    to_person(
        db,
        settings,
        Kind::QuotaLow,
        &event,
        c.user_id,
        phone,
        &body,
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quota_levels_fire_when_crossed_and_only_then() {
        let base = 10_000;
        assert_eq!(quota_level_crossed(base, 2_500, 2_100), None);
        assert_eq!(quota_level_crossed(base, 2_100, 2_000), Some(20));
        assert_eq!(quota_level_crossed(base, 2_000, 1_000), None);
        assert_eq!(quota_level_crossed(base, 1_000, 400), Some(5));
        // Both in one cycle: the lower level only.
        assert_eq!(quota_level_crossed(base, 9_000, 100), Some(5));
        assert_eq!(quota_level_crossed(0, 10, 0), None);
    }
}
