//! The transactions CSV: 100,000 rows streamed, totals that agree with the
//! dashboard's, filters, quoting, and no formulas from people's names.

use reqwest::Method;
use uuid::Uuid;

use crate::helpers::*;

/// A minimal RFC 4180 reader: rows of cells.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let (mut row, mut cell, mut quoted) = (Vec::new(), String::new(), false);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => cell.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut cell)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => cell.push(c),
        }
    }
    rows
}

#[tokio::test]
async fn a_hundred_thousand_transactions_export_with_the_dashboards_totals() {
    let w = World::start(|_| {}).await;
    let admin = w.admin().await;
    let package = admin
        .create_package("Paket 5 GB", 25_000, 5 * 1_073_741_824)
        .await;
    let id = w.resident(PHONE).await;
    let db = w.app.db().await;
    db.execute(
        "update users set name = '=HYPERLINK(\"x\"), \"Budi\"' where id = $1",
        &[&id],
    )
    .await
    .unwrap();
    let package_id: Uuid = package.id.parse().unwrap();
    db.execute(
        "insert into purchases (id, order_id, user_id, customer_phone, package_id, package_name,
                                amount_idr, quota_bytes, validity_days, status, snap_token,
                                redirect_url, expires_at, next_check_at, paid_at, created_at)
         select gen_random_uuid(), 'GB-EXP-' || n, $1, '+6281234567890', $2, 'Paket 5 GB',
                1000 + n % 7, 5368709120, 30,
                (array['paid', 'pending', 'failed', 'expired', 'cancelled'])[1 + n % 5],
                't', 'https://pay.test/x', now(), now(),
                case when n % 5 = 0 then now() end, now() - make_interval(secs => n)
         from generate_series(1, 100000) as n",
        &[&id, &package_id],
    )
    .await
    .unwrap();

    let resp = authed(
        &w.app,
        Method::GET,
        "/api/v1/admin/purchases/export.csv",
        &admin.cookies,
    )
    .send()
    .await
    .unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["content-type"], "text/csv; charset=utf-8");
    let disposition = resp.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        disposition.starts_with("attachment; filename=\"transaksi-"),
        "{disposition}"
    );
    let text = resp.text().await.unwrap();
    let text = text.strip_prefix('\u{feff}').expect("a BOM for Excel");
    let rows = parse_csv(text);
    assert_eq!(rows[0][0], "order_id");
    assert_eq!(rows.len(), 100_001, "the header and every transaction");
    assert!(rows.iter().all(|r| r.len() == 13));
    // The name is one cell, and inert.
    assert_eq!(rows[1][8], "'=HYPERLINK(\"x\"), \"Budi\"");
    assert_eq!(rows[1][9], "'+6281234567890");

    let (_, list) = admin_call(
        &w,
        Method::GET,
        "/api/v1/admin/purchases?limit=1",
        &admin.cookies,
        None,
    )
    .await;
    let totals = &list["totals"];
    let paid: Vec<&Vec<String>> = rows[1..].iter().filter(|r| r[3] == "paid").collect();
    let paid_sum: i64 = paid.iter().map(|r| r[5].parse::<i64>().unwrap()).sum();
    assert_eq!(paid.len() as i64, totals["paid_count"].as_i64().unwrap());
    assert_eq!(paid_sum, totals["paid_amount_idr"].as_i64().unwrap());
    assert!(
        paid.iter().all(|r| !r[2].is_empty()),
        "paid rows have a paid time"
    );

    // Filters as in the list.
    let resp = authed(
        &w.app,
        Method::GET,
        "/api/v1/admin/purchases/export.csv?status=expired",
        &admin.cookies,
    )
    .send()
    .await
    .unwrap();
    let text = resp.text().await.unwrap();
    let expired = parse_csv(text.trim_start_matches('\u{feff}'));
    assert_eq!(expired.len(), 20_001);
    assert!(expired[1..].iter().all(|r| r[3] == "expired"));
    let (s, env) = admin_call(
        &w,
        Method::GET,
        "/api/v1/admin/purchases/export.csv?status=lunas",
        &admin.cookies,
        None,
    )
    .await;
    assert_eq!((s, env["code"].as_str()), (400, Some("invalid_parameter")));
    w.stop().await;
}
