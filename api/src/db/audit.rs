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

/// Which entries an admin asks for (dates are days in `time_zone`, inclusive).
#[derive(Debug, Default, Clone)]
pub struct Filter {
    pub actor_id: Option<Uuid>,
    /// Entries whose target is this user.
    pub user_id: Option<Uuid>,
    /// An exact action (`user.block`) or, without a dot, a family (`user`).
    pub action: Option<String>,
    pub from: Option<time::Date>,
    pub to: Option<time::Date>,
}

/// The columns of an [`AuditEntry`], with the actor's and target's names.
const VIEW: &str = "select l.id, l.at, l.actor_kind, l.actor_id, a.name, l.action, l.target_kind,
            l.target_id, t.name, l.details
     from audit_log l
     left join users a on a.id = l.actor_id
     left join users t on l.target_kind = 'user'
          and t.id = case when l.target_id ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
                          then l.target_id::uuid end";

fn entry(r: &tokio_postgres::Row) -> shared_types::AuditEntry {
    shared_types::AuditEntry {
        id: r.get::<_, Uuid>(0).to_string().into(),
        at: super::users::rfc3339(r.get(1)).into(),
        actor_kind: r.get(2),
        actor_id: r.get::<_, Option<Uuid>>(3).map(|i| i.to_string().into()),
        actor_name: r.get(4),
        action: r.get(5),
        target_kind: r.get(6),
        target_id: r.get(7),
        target_name: r.get(8),
        details: r.get(9),
    }
}

/// A page of entries matching `f`, newest first, older than the entry `after`.
pub async fn list(
    db: &impl GenericClient,
    f: &Filter,
    time_zone: &str,
    after: Option<Uuid>,
    limit: i64,
) -> Result<Vec<shared_types::AuditEntry>, tokio_postgres::Error> {
    let (exact, family) = match &f.action {
        Some(a) if a.contains('.') => (Some(a.clone()), None),
        Some(a) => (None, Some(format!("{a}.%"))),
        None => (None, None),
    };
    let sql = format!(
        "{VIEW}
         where ($1::uuid is null or l.actor_id = $1)
           and ($2::text is null or (l.target_kind = 'user' and l.target_id = $2))
           and ($3::text is null or l.action = $3)
           and ($4::text is null or l.action like $4)
           and ($5::date is null or l.at >= ($5::date)::timestamp at time zone $7)
           and ($6::date is null or l.at < ($6::date + 1)::timestamp at time zone $7)
           and ($8::uuid is null or (l.at, l.id) < (select at, id from audit_log where id = $8))
         order by l.at desc, l.id desc
         limit $9"
    );
    let rows = db
        .query(
            &sql,
            &[
                &f.actor_id,
                &f.user_id.map(|u| u.to_string()),
                &exact,
                &family,
                &f.from,
                &f.to,
                &time_zone,
                &after,
                &limit,
            ],
        )
        .await?;
    Ok(rows.iter().map(entry).collect())
}

/// The last `limit` entries about a user or by them, newest first.
pub async fn of_user(
    db: &impl GenericClient,
    user: Uuid,
    limit: i64,
) -> Result<Vec<shared_types::AuditEntry>, tokio_postgres::Error> {
    let sql = format!(
        "{VIEW}
         where (l.target_kind = 'user' and l.target_id = $1) or l.actor_id = $2
         order by l.at desc, l.id desc limit $3"
    );
    let rows = db.query(&sql, &[&user.to_string(), &user, &limit]).await?;
    Ok(rows.iter().map(entry).collect())
}
