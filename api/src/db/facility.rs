//! `facility_settings`: the one row of settings super admins changed.

use deadpool_postgres::GenericClient;
use time::OffsetDateTime;
use uuid::Uuid;

/// What is stored: the changed values and who changed them last.
pub struct Stored {
    pub overrides: serde_json::Map<String, serde_json::Value>,
    pub updated_at: OffsetDateTime,
    pub updated_by: Option<String>,
}

fn overrides(v: serde_json::Value) -> serde_json::Map<String, serde_json::Value> {
    match v {
        serde_json::Value::Object(m) => m,
        _ => Default::default(),
    }
}

/// The stored row, `for update` when `lock` (a change in progress).
pub async fn load(
    db: &impl GenericClient,
    lock: bool,
) -> Result<Option<Stored>, tokio_postgres::Error> {
    let sql = if lock {
        "select f.overrides, f.updated_at, u.name from facility_settings f
         left join users u on u.id = f.updated_by for update of f"
    } else {
        "select f.overrides, f.updated_at, u.name from facility_settings f
         left join users u on u.id = f.updated_by"
    };
    let stmt = db.prepare_cached(sql).await?;
    Ok(db.query_opt(&stmt, &[]).await?.map(|r| Stored {
        overrides: overrides(r.get(0)),
        updated_at: r.get(1),
        updated_by: r.get(2),
    }))
}

/// Replaces the stored values (`by`: None when changed from the command line).
pub async fn save(
    db: &impl GenericClient,
    values: &serde_json::Map<String, serde_json::Value>,
    by: Option<Uuid>,
) -> Result<(), tokio_postgres::Error> {
    let stmt = db
        .prepare_cached(
            "insert into facility_settings (id, overrides, updated_at, updated_by)
             values (true, $1, now(), $2)
             on conflict (id) do update set overrides = $1, updated_at = now(), updated_by = $2",
        )
        .await?;
    let json = serde_json::Value::Object(values.clone());
    db.execute(&stmt, &[&json, &by]).await?;
    Ok(())
}
