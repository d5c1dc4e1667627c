//! Error reports from the SPA.

use std::net::IpAddr;

use deadpool_postgres::Pool;
use shared_types::NewClientError;
use uuid::Uuid;

/// Longest user agent kept, in bytes (longer ones are cut, not refused).
const MAX_USER_AGENT: usize = 300;

#[derive(Debug, thiserror::Error)]
pub enum ClientErrorsError {
    #[error("database unavailable")]
    Pool(#[from] deadpool_postgres::PoolError),
    #[error("storing the report")]
    Db(#[from] tokio_postgres::Error),
}

/// Who sent a report, as seen at the edge.
pub struct Reporter<'a> {
    pub ip: IpAddr,
    pub user_agent: Option<&'a str>,
    pub request_id: &'a str,
}

/// Stores one report (validated at the edge).
#[tracing::instrument(skip_all, fields(client.ip = %from.ip, report.page = %report.page))]
pub async fn record(
    db: &Pool,
    report: &NewClientError,
    from: Reporter<'_>,
) -> Result<Uuid, ClientErrorsError> {
    let user_agent = from.user_agent.map(|ua| truncate(ua, MAX_USER_AGENT));
    let client = db.get().await?;
    let id =
        crate::db::client_errors::insert(&client, report, from.ip, user_agent, from.request_id)
            .await?;
    tracing::info!(report.id = %id, "client error reported");
    Ok(id)
}

fn truncate(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

#[cfg(test)]
mod tests {
    use super::truncate;

    #[test]
    fn truncation_respects_utf8_boundaries() {
        assert_eq!(truncate("abc", 10), "abc");
        assert_eq!(truncate("héllo", 2), "h");
        assert_eq!(truncate("héllo", 3), "hé");
    }
}
