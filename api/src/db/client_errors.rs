//! `client_errors`: error reports sent by the SPA.

use std::net::IpAddr;

use deadpool_postgres::GenericClient;
use shared_types::NewClientError;
use uuid::Uuid;

/// Stores one report and returns its id.
pub async fn insert(
    db: &impl GenericClient,
    report: &NewClientError,
    ip: IpAddr,
    user_agent: Option<&str>,
    request_id: &str,
) -> Result<Uuid, tokio_postgres::Error> {
    let id = Uuid::now_v7();
    let stmt = db
        .prepare_cached(
            "insert into client_errors (id, page, message, build, ip, user_agent, request_id)
             values ($1, $2, $3, $4, $5, $6, $7)",
        )
        .await?;
    db.execute(
        &stmt,
        &[
            &id,
            &report.page,
            &report.message,
            &report.build,
            &ip,
            &user_agent,
            &request_id,
        ],
    )
    .await?;
    Ok(id)
}

/// Deletes reports older than `days`; returns how many went.
pub async fn delete_older_than(
    db: &impl GenericClient,
    days: u32,
) -> Result<u64, tokio_postgres::Error> {
    let stmt = db
        .prepare_cached("delete from client_errors where at < now() - make_interval(days => $1)")
        .await?;
    db.execute(&stmt, &[&(days as i32)]).await
}
