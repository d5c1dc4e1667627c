//! `audit_log`: append-only record of who did what to whom.

use std::net::IpAddr;

use deadpool_postgres::GenericClient;
use uuid::Uuid;

/// One audit entry, built fluently.
pub struct Entry {
    actor_id: Option<Uuid>,
    actor_kind: &'static str,
    action: &'static str,
    target: Option<(&'static str, String)>,
    ip: Option<IpAddr>,
    details: serde_json::Map<String, serde_json::Value>,
}

impl Entry {
    fn new(actor_kind: &'static str, actor_id: Option<Uuid>, action: &'static str) -> Self {
        Self {
            actor_id,
            actor_kind,
            action,
            target: None,
            ip: None,
            details: Default::default(),
        }
    }

    pub fn system(action: &'static str) -> Self {
        Self::new("system", None, action)
    }

    pub fn user(actor: Uuid, action: &'static str) -> Self {
        Self::new("user", Some(actor), action)
    }

    pub fn admin(actor: Uuid, action: &'static str) -> Self {
        Self::new("admin", Some(actor), action)
    }

    pub fn cli(action: &'static str) -> Self {
        Self::new("cli", None, action)
    }

    pub fn target(mut self, kind: &'static str, id: impl ToString) -> Self {
        self.target = Some((kind, id.to_string()));
        self
    }

    pub fn ip(mut self, ip: IpAddr) -> Self {
        self.ip = Some(ip);
        self
    }

    pub fn detail(mut self, key: &str, value: impl Into<serde_json::Value>) -> Self {
        self.details.insert(key.to_owned(), value.into());
        self
    }
}

pub async fn record(db: &impl GenericClient, e: &Entry) -> Result<(), tokio_postgres::Error> {
    let stmt = db
        .prepare_cached(
            "insert into audit_log (id, actor_id, actor_kind, action, target_kind, target_id, ip, details)
             values ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .await?;
    db.execute(
        &stmt,
        &[
            &Uuid::now_v7(),
            &e.actor_id,
            &e.actor_kind,
            &e.action,
            &e.target.as_ref().map(|t| t.0),
            &e.target.as_ref().map(|t| t.1.as_str()),
            &e.ip,
            &serde_json::Value::Object(e.details.clone()),
        ],
    )
    .await?;
    Ok(())
}
