//! Facility settings at run time (docs/operations.md, "Settings in the
//! database"). The configuration file and environment give the defaults;
//! `facility_settings` holds the values a super admin changed. Every process
//! (API replicas, the worker) re-reads the row at most once a second, so a
//! change applies everywhere within a second and without a restart; the
//! process that saved it applies it at once. A database that cannot be read
//! leaves the last values (or the defaults) in force.

use std::{
    net::IpAddr,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use serde_json::{Map, Value};
use shared_types::{FacilitySettings, FacilitySettingsChange, FacilitySettingsView};
use validator::Validate;

use crate::{
    db::{self, audit::Entry, users::rfc3339},
    identity::Auth,
    services::StoreError,
    state::AppState,
};

/// How long a process trusts its copy.
const FRESH: Duration = Duration::from_secs(1);

/// When a copy was read, and the copy.
type Held = Option<(Instant, Arc<FacilitySettings>)>;

/// This process's copy of the settings.
#[derive(Clone, Default)]
pub struct FacilityCache {
    held: Arc<Mutex<Held>>,
}

impl FacilityCache {
    fn fresh(&self) -> Option<Arc<FacilitySettings>> {
        let held = self.held.lock().unwrap_or_else(|p| p.into_inner());
        held.as_ref()
            .filter(|(at, _)| at.elapsed() < FRESH)
            .map(|(_, s)| s.clone())
    }

    fn last(&self) -> Option<Arc<FacilitySettings>> {
        let held = self.held.lock().unwrap_or_else(|p| p.into_inner());
        held.as_ref().map(|(_, s)| s.clone())
    }

    fn put(&self, s: FacilitySettings) -> Arc<FacilitySettings> {
        let s = Arc::new(s);
        let mut held = self.held.lock().unwrap_or_else(|p| p.into_inner());
        *held = Some((Instant::now(), s.clone()));
        s
    }
}

/// The defaults with the stored values laid over them, one field at a time:
/// a stored value that no longer fits (a field renamed, a rule tightened) is
/// skipped with a warning instead of taking the others down with it.
pub fn merge(defaults: &FacilitySettings, overrides: &Map<String, Value>) -> FacilitySettings {
    let mut merged = defaults.clone();
    for (key, value) in overrides {
        let Ok(Value::Object(mut candidate)) = serde_json::to_value(&merged) else {
            break;
        };
        if !candidate.contains_key(key) {
            tracing::warn!(setting = %key, "stored setting is unknown: ignored");
            continue;
        }
        candidate.insert(key.clone(), value.clone());
        match serde_json::from_value::<FacilitySettings>(Value::Object(candidate)) {
            Ok(next) if next.validate().is_ok() => merged = next,
            _ => tracing::warn!(setting = %key, "stored setting is invalid: default used"),
        }
    }
    merged
}

/// The fields of `values` that differ from `defaults`.
pub fn changed_fields(
    defaults: &FacilitySettings,
    values: &FacilitySettings,
) -> Map<String, Value> {
    let (Ok(Value::Object(d)), Ok(Value::Object(v))) =
        (serde_json::to_value(defaults), serde_json::to_value(values))
    else {
        return Map::new();
    };
    v.into_iter()
        .filter(|(k, val)| d.get(k) != Some(val))
        .collect()
}

/// The settings in force, at most a second old.
pub async fn current(state: &AppState) -> Arc<FacilitySettings> {
    if let Some(s) = state.facility.fresh() {
        return s;
    }
    let defaults = state.settings.facility_defaults();
    let stored = match state.db.get().await {
        Ok(db) => db::facility::load(&db, false)
            .await
            .map_err(StoreError::from),
        Err(e) => Err(StoreError::from(e)),
    };
    match stored {
        Ok(row) => state.facility.put(match row {
            Some(row) => merge(&defaults, &row.overrides),
            None => defaults,
        }),
        Err(e) => {
            tracing::warn!(error = %e, "settings not readable: the last ones stay in force");
            state
                .facility
                .last()
                .unwrap_or_else(|| state.facility.put(defaults))
        }
    }
}

fn view_of(
    defaults: FacilitySettings,
    stored: Option<db::facility::Stored>,
) -> FacilitySettingsView {
    let (values, updated_at, updated_by) = match stored {
        Some(s) => (
            merge(&defaults, &s.overrides),
            Some(rfc3339(s.updated_at).into()),
            s.updated_by,
        ),
        None => (defaults.clone(), None, None),
    };
    let mut changed: Vec<String> = changed_fields(&defaults, &values).keys().cloned().collect();
    changed.sort();
    FacilitySettingsView {
        values,
        defaults,
        changed,
        updated_at,
        updated_by,
    }
}

/// `GET /admin/settings`.
pub async fn view(state: &AppState) -> Result<FacilitySettingsView, StoreError> {
    let db = state.db.get().await?;
    let stored = db::facility::load(&db, false).await?;
    Ok(view_of(state.settings.facility_defaults(), stored))
}

/// `PUT /admin/settings` (super admins): stores what differs from the
/// defaults, audited with the values before and after and the reason, and
/// applies it in this process at once (in the others within a second).
pub async fn change(
    state: &AppState,
    actor: &Auth,
    change: &FacilitySettingsChange,
    ip: IpAddr,
) -> Result<FacilitySettingsView, StoreError> {
    let defaults = state.settings.facility_defaults();
    let mut db = state.db.get().await?;
    let tx = db.transaction().await?;
    let before = db::facility::load(&tx, true).await?;
    let before_values = match &before {
        Some(s) => merge(&defaults, &s.overrides),
        None => defaults.clone(),
    };
    let stored = changed_fields(&defaults, &change.values);
    db::facility::save(&tx, &stored, Some(actor.user_id)).await?;
    let mut fields: Vec<String> = changed_fields(&before_values, &change.values)
        .keys()
        .cloned()
        .collect();
    fields.sort();
    let entry = Entry::admin(actor.user_id, "settings.change")
        .target("settings", "facility")
        .detail("fields", fields)
        .detail(
            "before",
            serde_json::to_value(&before_values).unwrap_or_default(),
        )
        .detail(
            "after",
            serde_json::to_value(&change.values).unwrap_or_default(),
        )
        .detail("reason", change.reason.clone())
        .ip(ip);
    db::audit::record(&tx, &entry).await?;
    let after = db::facility::load(&tx, false).await?;
    tx.commit().await?;
    state.facility.put(change.values.clone());
    Ok(view_of(defaults, after))
}
