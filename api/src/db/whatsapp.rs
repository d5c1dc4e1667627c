//! `whatsapp_daily`: messages sent and failed per day (facility time zone).

use deadpool_postgres::GenericClient;

/// Counts one message as sent or failed today.
pub async fn count(
    db: &impl GenericClient,
    sent: bool,
    time_zone: &str,
) -> Result<(), tokio_postgres::Error> {
    let stmt = db
        .prepare_cached(
            "insert into whatsapp_daily (day, sent, failed)
             values ((now() at time zone $1)::date, $2::int, 1 - $2::int)
             on conflict (day) do update set sent = whatsapp_daily.sent + excluded.sent,
                                             failed = whatsapp_daily.failed + excluded.failed",
        )
        .await?;
    db.execute(&stmt, &[&time_zone, &i32::from(sent)]).await?;
    Ok(())
}

/// Today's (sent, failed).
pub async fn today(
    db: &impl GenericClient,
    time_zone: &str,
) -> Result<(i64, i64), tokio_postgres::Error> {
    let stmt = db
        .prepare_cached(
            "select sent::bigint, failed::bigint from whatsapp_daily
             where day = (now() at time zone $1)::date",
        )
        .await?;
    Ok(db
        .query_opt(&stmt, &[&time_zone])
        .await?
        .map(|r| (r.get(0), r.get(1)))
        .unwrap_or((0, 0)))
}
