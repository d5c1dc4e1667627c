//! The transactions CSV: one query streamed row by row from PostgreSQL
//! (`query_raw`), so 100,000 rows take as much memory as one.

use futures_util::{Stream, StreamExt};
use shared_types::PurchaseStatus;
use tokio_postgres::types::ToSql;

use super::payments::{Filter, FILTER};

/// The header row, in column order.
pub const HEADER: [&str; 13] = [
    "order_id",
    "created_at",
    "paid_at",
    "status",
    "package",
    "amount_idr",
    "quota_bytes",
    "validity_days",
    "user_name",
    "customer_phone",
    "payment_type",
    "transaction_id",
    "paid_late",
];

/// Every purchase matching `f`, newest first, as text cells (times in the
/// facility's time zone). The stream holds the pooled connection until it ends.
pub async fn rows(
    db: deadpool_postgres::Object,
    f: &Filter,
    time_zone: &str,
) -> Result<
    impl Stream<Item = Result<Vec<Option<String>>, tokio_postgres::Error>>,
    tokio_postgres::Error,
> {
    let status = f.status.map(PurchaseStatus::as_str);
    let sql = format!(
        "select p.order_id,
                to_char(p.created_at at time zone $6, 'YYYY-MM-DD HH24:MI:SS'),
                to_char(p.paid_at at time zone $6, 'YYYY-MM-DD HH24:MI:SS'),
                p.status, p.package_name, p.amount_idr::text, p.quota_bytes::text,
                p.validity_days::text, u.name, p.customer_phone, p.payment_type,
                p.transaction_id, p.paid_late::text
         from purchases p left join users u on u.id = p.user_id
         where {FILTER} order by p.created_at desc, p.id desc"
    );
    let params: Vec<Box<dyn ToSql + Sync + Send>> = vec![
        Box::new(status),
        Box::new(f.from),
        Box::new(f.to),
        Box::new(f.user_id),
        Box::new(f.package_id),
        Box::new(time_zone.to_owned()),
    ];
    let stream = db
        .query_raw(&sql, params.iter().map(|p| &**p as &(dyn ToSql + Sync)))
        .await?;
    let stream = Box::pin(stream);
    // The connection goes back to the pool only when the stream is dropped.
    Ok(futures_util::stream::unfold(
        (db, stream),
        |(db, mut stream)| async move {
            let next = stream.next().await?;
            let row = next.map(|r| (0..HEADER.len()).map(|i| r.get(i)).collect());
            Some((row, (db, stream)))
        },
    ))
}
