//! Midtrans notifications: signatures, amounts, duplicates, order of arrival, the reconciler.

use reqwest::Method;
use sandbox::midtrans::{self, MidtransMode};
use serde_json::{json, Value};
use uuid::Uuid;

use super::*;
use crate::helpers::{admin_call, get_json, Cookies, World};

/// A resident logged in with a purchase of the 1 GB package waiting for payment.
async fn pending_purchase(w: &World, admin: &Cookies) -> (Uuid, Cookies, String) {
    let (id, _, cookies) = crate::helpers::logged_in(w, GB).await;
    let package = one_gb_package(w, admin).await;
    let (status, created) = buy(w, &cookies, &package).await;
    assert_eq!(status, 200, "{created}");
    (
        id,
        cookies,
        created["order_id"].as_str().unwrap().to_owned(),
    )
}

async fn notify(w: &World, body: &Value) -> (u16, Value) {
    let resp = w
        .app
        .http
        .post(w.app.url("/api/v1/payments/midtrans/notification"))
        .header("User-Agent", "Veritrans")
        .json(body)
        .send()
        .await
        .unwrap();
    (resp.status().as_u16(), resp.json().await.unwrap())
}

/// The body Midtrans would send for `order` now, after it chose QRIS and settled (not sent).
async fn settled_body(w: &World, order: &str) -> Value {
    let m = &w.sb.fakes.midtrans;
    let o = m.finish(order, "settlement", true).await.unwrap();
    m.body_of(&o, "settlement", "midtrans payment notification")
        .await
}

async fn event_outcomes(w: &World, order: &str) -> Vec<String> {
    w.app
        .db()
        .await
        .query(
            "select outcome from payment_events where order_id = $1 order by received_at, id",
            &[&order],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect()
}

#[tokio::test]
async fn a_wrong_signature_is_refused_and_changes_nothing() {
    let (w, admin) = shop(|_| {}).await;
    let (id, _, order) = pending_purchase(&w, &admin).await;
    let mut body = settled_body(&w, &order).await;
    // Signed with another key.
    let forged: String =
        api::integrations::midtrans::signature(&order, "200", "10000.00", "SB-Mid-server-attacker");
    body["signature_key"] = forged.into();
    let (status, err) = notify(&w, &body).await;
    assert_eq!(status, 403, "{err}");
    assert_eq!(err["code"], "forbidden");
    // A correct signature over a different amount string does not carry over.
    let mut reformatted = settled_body(&w, &order).await;
    reformatted["gross_amount"] = "10000".into();
    assert_eq!(notify(&w, &reformatted).await.0, 403);
    let mut missing = settled_body(&w, &order).await;
    missing.as_object_mut().unwrap().remove("signature_key");
    let (status, err) = notify(&w, &missing).await;
    assert_eq!(
        (status, err["code"].as_str()),
        (400, Some("malformed_body"))
    );

    assert_eq!(purchase_row(&w, &order).await.0, "pending");
    assert!(
        event_outcomes(&w, &order).await.is_empty(),
        "nothing stored from strangers"
    );
    assert_books(&w, id, GB, 0).await;
    w.stop().await;
}

#[tokio::test]
async fn a_signed_notification_with_another_amount_is_rejected_and_recorded() {
    let (w, admin) = shop(|_| {}).await;
    let (id, _, order) = pending_purchase(&w, &admin).await;
    let mut body = settled_body(&w, &order).await;
    body["gross_amount"] = "5000.00".into();
    body["signature_key"] = midtrans::signature(&order, "200", "5000.00").into();
    let (status, err) = notify(&w, &body).await;
    assert_eq!(status, 400, "{err}");
    assert_eq!(err["code"], "payment_mismatch");
    let mut body = settled_body(&w, &order).await;
    body["currency"] = "USD".into();
    assert_eq!(notify(&w, &body).await.0, 400);

    assert_eq!(purchase_row(&w, &order).await.0, "pending");
    assert_eq!(
        event_outcomes(&w, &order).await,
        ["amount_mismatch", "amount_mismatch"]
    );
    assert_books(&w, id, GB, 0).await;
    // The genuine settlement still goes through afterwards.
    let body = settled_body(&w, &order).await;
    assert_eq!(
        notify(&w, &body).await,
        (200, json!({"outcome": "credited"}))
    );
    assert_books(&w, id, GB, 1).await;
    w.stop().await;
}

#[tokio::test]
async fn a_hundred_concurrent_copies_of_the_settlement_credit_exactly_once() {
    let (w, admin) = shop(|_| {}).await;
    let (id, _, order) = pending_purchase(&w, &admin).await;
    let m = &w.sb.fakes.midtrans;
    m.finish(&order, "settlement", true).await.unwrap();
    // Through the fake's hook over HTTP: 100 deliveries at once.
    let resp = reqwest::Client::new()
        .post(format!(
            "http://{}/_sandbox/midtrans/orders/{order}/notify",
            w.sb.http_addr
        ))
        .json(&json!({"copies": 100}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    delivered(&w, &order, "settlement", 100).await;

    let outcomes = event_outcomes(&w, &order).await;
    assert_eq!(outcomes.len(), 100, "every copy is in the history");
    assert_eq!(outcomes.iter().filter(|o| *o == "credited").count(), 1);
    assert_eq!(outcomes.iter().filter(|o| *o == "unchanged").count(), 99);
    assert_eq!(purchase_row(&w, &order).await.0, "paid");
    assert_books(&w, id, GB, 1).await;
    w.stop().await;
}

#[tokio::test]
async fn a_late_pending_after_settlement_leaves_it_paid() {
    let (w, admin) = shop(|_| {}).await;
    let (id, _, order) = pending_purchase(&w, &admin).await;
    let m = &w.sb.fakes.midtrans;
    m.choose(&order, "qris", false).await.unwrap();
    m.finish(&order, "settlement", false).await.unwrap();
    delivered(&w, &order, "settlement", 1).await;
    // Out of order: the pending notification arrives after the settlement.
    let o = m.order(&order).await.unwrap();
    m.notify(&o, "pending").await;
    delivered(&w, &order, "pending", 1).await;
    // And an expiry for good measure.
    m.notify(&o, "expire").await;
    delivered(&w, &order, "expire", 1).await;

    assert_eq!(purchase_row(&w, &order).await, ("paid".into(), false, 0));
    assert_eq!(
        event_outcomes(&w, &order).await,
        ["credited", "unchanged", "unchanged"]
    );
    assert_books(&w, id, GB, 1).await;
    w.stop().await;
}

#[tokio::test]
async fn a_settlement_after_expiry_is_credited_and_flagged_late() {
    let (w, admin) = shop(|_| {}).await;
    let (id, cookies, order) = pending_purchase(&w, &admin).await;
    let m = &w.sb.fakes.midtrans;
    m.choose(&order, "bni_va", false).await.unwrap();
    m.finish(&order, "expire", false).await.unwrap();
    delivered(&w, &order, "expire", 1).await;
    assert_eq!(purchase_row(&w, &order).await.0, "expired");
    assert_books(&w, id, GB, 0).await;

    // The bank still settled it: the money was taken, so it is credited.
    m.finish(&order, "settlement", false).await.unwrap();
    delivered(&w, &order, "settlement", 1).await;
    assert_eq!(purchase_row(&w, &order).await, ("paid".into(), true, 0));
    let mine = get_json(&w.app, &format!("/api/v1/purchases/{order}"), &cookies).await;
    assert_eq!(mine["paid_late"], true);
    let late: bool = w
        .app
        .db()
        .await
        .query_one(
            "select (details->>'late')::boolean from audit_log where action = 'purchase.paid'",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert!(late, "the audit log says it was late");
    assert_books(&w, id, GB, 1).await;
    w.stop().await;
}

#[tokio::test]
async fn the_reconciler_recovers_a_missed_notification_and_closes_stale_orders() {
    let (w, admin) = shop(|s| {
        s.midtrans.recheck_after_seconds = 0;
        s.midtrans.expire_grace_seconds = 0;
    })
    .await;
    let (id, cookies, paid_order) = pending_purchase(&w, &admin).await;
    // Before a method is chosen Midtrans says 404 (HTTP 404 this time): still pending.
    w.sb.fakes
        .midtrans
        .set_mode(MidtransMode {
            not_found_http_404: true,
            ..w.sb.fakes.midtrans.mode().await
        })
        .await;
    api::worker::run_jobs(&w.app.state).await;
    assert_eq!(
        purchase_row(&w, &paid_order).await,
        ("pending".into(), false, 1)
    );
    assert_eq!(event_outcomes(&w, &paid_order).await, ["not_found"]);
    // The next check backs off (doubling from the base interval, here 1 s).
    let next_in: f64 = w
        .app
        .db()
        .await
        .query_one(
            "select extract(epoch from next_check_at - now())::float8 from purchases where order_id = $1",
            &[&paid_order],
        )
        .await
        .unwrap()
        .get(0);
    assert!(next_in > 0.0, "{next_in}");

    // Paid, but the notification never came.
    let m = &w.sb.fakes.midtrans;
    m.finish(&paid_order, "settlement", true).await.unwrap();
    w.app
        .db()
        .await
        .execute("update purchases set next_check_at = now()", &[])
        .await
        .unwrap();
    api::worker::run_jobs(&w.app.state).await;
    assert_eq!(purchase_row(&w, &paid_order).await.0, "paid");
    assert!(
        m.deliveries().await.is_empty(),
        "no notification was ever sent"
    );
    assert_books(&w, id, GB, 1).await;

    // Another order is abandoned past its expiry: closed as expired.
    let package = one_gb_package(&w, &admin).await;
    let (_, created) = buy(&w, &cookies, &package).await;
    let stale = created["order_id"].as_str().unwrap().to_owned();
    w.app
        .db()
        .await
        .execute(
            "update purchases set expires_at = now() - interval '1 second' where order_id = $1",
            &[&stale],
        )
        .await
        .unwrap();
    api::worker::run_jobs(&w.app.state).await;
    assert_eq!(purchase_row(&w, &stale).await.0, "expired");
    assert_eq!(event_outcomes(&w, &stale).await, ["expired_locally"]);

    // An admin re-check of the paid order asks Midtrans again and changes nothing.
    let (status, detail) = admin_call(
        &w,
        Method::POST,
        &format!("/api/v1/admin/purchases/{paid_order}/recheck"),
        &admin,
        None,
    )
    .await;
    assert_eq!(status, 200, "{detail}");
    assert_eq!(detail["transaction"]["status"], "paid");
    let sources: Vec<&str> = detail["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["outcome"].as_str().unwrap())
        .collect();
    assert_eq!(sources, ["not_found", "credited", "unchanged"]);
    assert_eq!(detail["credit"]["quota_bytes"], GB);
    assert_books(&w, id, GB, 1).await;
    w.stop().await;
}

#[tokio::test]
async fn a_payment_is_told_to_the_resident_once_and_a_late_one_to_the_admins() {
    let (w, admin) = shop(|_| {}).await;
    crate::notifications::admin_phone(&w).await;
    let (_, _, order) = pending_purchase(&w, &admin).await;
    let m = &w.sb.fakes.midtrans;
    m.choose(&order, "bni_va", false).await.unwrap();
    m.finish(&order, "expire", false).await.unwrap();
    delivered(&w, &order, "expire", 1).await;
    m.finish(&order, "settlement", false).await.unwrap();
    delivered(&w, &order, "settlement", 1).await;
    // Midtrans says it again: credited once, told once.
    let (status, _) = notify(&w, &settled_body(&w, &order).await).await;
    assert_eq!(status, 200);
    w.deliver().await;
    w.deliver().await;
    let told = w.inbox_with(crate::helpers::PHONE, "Pembayaran").await;
    assert_eq!(told.len(), 1, "{told:?}");
    let expected = format!(
        "Pembayaran Rp 10.000 diterima (pesanan {order}). Ditambahkan: 954 MB untuk 30 hari. Berlaku sampai "
    );
    assert!(told[0].starts_with(&expected), "{}", told[0]);
    let admins = w.inbox(crate::notifications::ADMIN_PHONE).await;
    assert_eq!(admins.len(), 1, "{admins:?}");
    assert!(
        admins[0].starts_with(&format!(
            "Pembayaran terlambat: pesanan {order} (Rp 10.000) dari Budi lunas setelah ditutup"
        )),
        "{}",
        admins[0]
    );
    w.stop().await;
}
