//! Packages and Midtrans purchases against the sandbox's fake Midtrans
//! (Snap, payment page, signed notifications, status API), real PostgreSQL,
//! Redis, HTTP and the simulated router. Every test ends by checking the
//! books: money and quota credited equal what the ledger says, once.

use std::time::Duration;

use reqwest::Method;
use sandbox::midtrans::{self, Delivery, MidtransMode};
use serde_json::{json, Value};
use uuid::Uuid;

use crate::helpers::{admin, admin_call, authed, cycle, get_json, online, Cookies, World, MAC};

const GB: i64 = 1_000_000_000;

/// A world whose fake Midtrans notifies this app, with retries 2 000× faster.
async fn shop(configure: impl FnOnce(&mut api::settings::Settings)) -> (World, Cookies) {
    let w = World::start(configure).await;
    w.sb.fakes
        .midtrans
        .set_mode(MidtransMode {
            notification_url: Some(w.app.url("/api/v1/payments/midtrans/notification")),
            retry_scale: 0.0005,
            ..MidtransMode::default()
        })
        .await;
    let admin = admin(&w).await;
    (w, admin)
}

async fn create_package(w: &World, admin: &Cookies, body: Value) -> Value {
    let (status, pkg) =
        admin_call(w, Method::POST, "/api/v1/admin/packages", admin, Some(body)).await;
    assert_eq!(status, 200, "{pkg}");
    pkg
}

async fn one_gb_package(w: &World, admin: &Cookies) -> String {
    let pkg = create_package(
        w,
        admin,
        json!({"name": "Paket 1 GB", "price_idr": 10000, "quota_bytes": GB, "validity_days": 30}),
    )
    .await;
    pkg["id"].as_str().unwrap().to_owned()
}

async fn buy(w: &World, c: &Cookies, package_id: &str) -> (u16, Value) {
    let resp = authed(&w.app, Method::POST, "/api/v1/purchases", c)
        .json(&json!({ "package_id": package_id }))
        .send()
        .await
        .unwrap();
    (resp.status().as_u16(), resp.json().await.unwrap())
}

/// Waits until the fake delivered `count` notifications of `order` with `status` and got a 2xx.
async fn delivered(w: &World, order: &str, status: &str, count: usize) -> Vec<Delivery> {
    let (order, st) = (order.to_owned(), status.to_owned());
    let found =
        w.sb.fakes
            .midtrans
            .wait_deliveries(
                move |d| {
                    d.order_id == order
                        && d.transaction_status == st
                        && d.http_status.is_some_and(|s| (200..300).contains(&s))
                },
                count,
                Duration::from_secs(20),
            )
            .await;
    assert_eq!(found.len(), count, "{status} deliveries acknowledged");
    found
}

async fn purchase_row(w: &World, order: &str) -> (String, bool, i32) {
    let r = w
        .app
        .db()
        .await
        .query_one(
            "select status, paid_late, checks from purchases where order_id = $1",
            &[&order],
        )
        .await
        .unwrap();
    (r.get(0), r.get(1), r.get(2))
}

async fn quota_of(w: &World, id: Uuid) -> (i64, Option<time::OffsetDateTime>) {
    let r = w
        .app
        .db()
        .await
        .query_one(
            "select quota_bytes, valid_until from users where id = $1",
            &[&id],
        )
        .await
        .unwrap();
    (r.get(0), r.get(1))
}

/// The books balance: each paid purchase has exactly one credit of its
/// amount and quota, nothing else was credited, and the user's quota is
/// what they started with plus their credits.
async fn assert_books(w: &World, user: Uuid, start_quota: i64, paid: i64) {
    let db = w.app.db().await;
    let r = db
        .query_one(
            "select (select count(*) from purchases where status = 'paid'),
                    (select coalesce(sum(amount_idr), 0)::bigint from purchases where status = 'paid'),
                    (select count(*) from credit_ledger),
                    (select coalesce(sum(amount_idr), 0)::bigint from credit_ledger),
                    (select coalesce(sum(quota_bytes), 0)::bigint from credit_ledger where user_id = $1),
                    (select count(*) from purchases p where status = 'paid' and not exists
                        (select 1 from credit_ledger c where c.purchase_id = p.id
                            and c.amount_idr = p.amount_idr
                            and c.quota_bytes = coalesce(p.quota_bytes, 0)))",
            &[&user],
        )
        .await
        .unwrap();
    let (paid_count, paid_sum, credits, credit_sum, credit_quota, unmatched): (
        i64,
        i64,
        i64,
        i64,
        i64,
        i64,
    ) = (r.get(0), r.get(1), r.get(2), r.get(3), r.get(4), r.get(5));
    assert_eq!(paid_count, paid, "paid purchases");
    assert_eq!(credits, paid, "one credit per paid purchase");
    assert_eq!(credit_sum, paid_sum, "money credited = money paid");
    assert_eq!(unmatched, 0, "every credit matches its purchase");
    assert_eq!(
        quota_of(w, user).await.0,
        start_quota + credit_quota,
        "quota = start + credits"
    );
}

fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// A resident with 100 MB who used it all on the hotspot: the router cut the
/// session and the cycle disabled the account.
async fn cut_off_resident(w: &World) -> (Uuid, Cookies, i64) {
    let quota = 100_000_000;
    let (id, cookies) = online(w, quota).await;
    cycle(w).await;
    // Use it all up: the router cuts the session, the cycle disables the account.
    let router = &w.sb.router().router;
    assert!(router.set_traffic(MAC, 0, 50_000_000).await);
    router.advance(Duration::from_secs(70)).await;
    cycle(w).await;
    assert!(
        crate::helpers::router_rows(w, "/ip/hotspot/active", &["user"])
            .await
            .is_empty()
    );
    let status = get_json(&w.app, "/api/v1/me/status", &cookies).await;
    assert_eq!(status["status"], "exhausted");
    (id, cookies, quota)
}

#[tokio::test]
async fn packages_on_sale_are_listed_and_a_second_tap_hands_back_the_open_payment() {
    let (w, admin) = shop(|_| {}).await;
    let (_, cookies, _) = cut_off_resident(&w).await;
    let package = one_gb_package(&w, &admin).await;
    let listed: Value = w.app.get("/api/v1/packages").await.json().await.unwrap();
    assert_eq!(listed[0]["price_text"], "Rp 10.000");
    assert_eq!(listed[0]["quota_text"], "954 MB");
    let captive = get_json(&w.app, "/api/v1/captive", &cookies).await;
    assert_eq!(captive["can-extend-session"], true);

    let (status, created) = buy(&w, &cookies, &package).await;
    assert_eq!(status, 200, "{created}");
    assert_eq!(created["reused"], false);
    let order = created["order_id"].as_str().unwrap().to_owned();
    // A second tap hands back the same open payment.
    let (_, again) = buy(&w, &cookies, &package).await;
    assert_eq!(again["order_id"], order.as_str());
    assert_eq!(again["reused"], true);
    let sold = w.sb.fakes.midtrans.order(&order).await.unwrap();
    assert_eq!(sold.gross_amount, 10_000);
    assert_eq!(sold.item_name, "Paket 1 GB");

    w.stop().await;
}

#[tokio::test]
async fn paying_on_the_payment_page_credits_once_and_brings_a_cut_off_resident_back_online() {
    let (w, admin) = shop(|_| {}).await;
    let (id, cookies, quota) = cut_off_resident(&w).await;
    let (_, valid_before) = quota_of(&w, id).await;
    let package = one_gb_package(&w, &admin).await;
    let listener = api::worker::start_listener(w.app.state.clone())
        .await
        .unwrap();
    let watcher = w.router_client().await;
    let mut events = watcher
        .listen("/ip/hotspot/active", &["user", "limit-bytes-total"])
        .unwrap();
    watcher.identity().await.unwrap();

    let (status, created) = buy(&w, &cookies, &package).await;
    assert_eq!(status, 200, "{created}");
    let order = created["order_id"].as_str().unwrap().to_owned();
    // The person on Midtrans' page: picks BCA VA, then pays.
    let page_url = created["redirect_url"].as_str().unwrap().to_owned();
    let page = no_redirects()
        .get(&page_url)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Rp 10.000"), "{page}");
    let resp = no_redirects()
        .post(format!("{page_url}/choose"))
        .form(&[("method", "bca_va")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    delivered(&w, &order, "pending", 1).await;
    let mine = get_json(&w.app, &format!("/api/v1/purchases/{order}"), &cookies).await;
    assert_eq!(mine["status"], "pending");
    assert_eq!(mine["payment_type"], "bank_transfer");
    let page = no_redirects()
        .get(&page_url)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Virtual Account BCA"), "{page}");
    let resp = no_redirects()
        .post(format!("{page_url}/pay"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    delivered(&w, &order, "settlement", 1).await;

    // Back online without logging in again: the device got a session with the new allowance.
    let event = tokio::time::timeout(Duration::from_secs(5), events.next())
        .await
        .expect("the device was logged back in at once");
    let Some(Ok(routeros::Reply::Re(row))) = event else {
        panic!("expected a new session, got {event:?}")
    };
    assert_eq!(row.get("user"), Some("081234567890"));
    assert_eq!(row.get("limit-bytes-total"), Some("1000000000"));

    let (quota_after, valid_after) = quota_of(&w, id).await;
    assert_eq!(quota_after, quota + GB);
    assert_eq!(
        valid_after.unwrap(),
        valid_before.unwrap() + time::Duration::days(30),
        "validity extends from the current end, nothing discarded"
    );
    let mine = get_json(&w.app, &format!("/api/v1/purchases/{order}"), &cookies).await;
    assert_eq!(mine["status"], "paid");
    assert_eq!(mine["status_text"], "Lunas");
    assert_eq!(mine["amount_text"], "Rp 10.000");
    assert!(mine["redirect_url"].is_null());
    let status = get_json(&w.app, "/api/v1/me/status", &cookies).await;
    assert_eq!(status["status"], "active");
    assert_eq!(status["remaining_bytes"], GB);
    let history = get_json(&w.app, "/api/v1/me/purchases", &cookies).await;
    assert_eq!(history.as_array().unwrap().len(), 1);
    assert_books(&w, id, quota, 1).await;
    listener.abort();
    w.stop().await;
}

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
async fn the_gateway_being_down_gives_a_clear_error_and_no_purchase() {
    let (w, admin) = shop(|_| {}).await;
    let (id, _, cookies) = crate::helpers::logged_in(&w, GB).await;
    let package = one_gb_package(&w, &admin).await;
    let m = &w.sb.fakes.midtrans;
    m.set_mode(MidtransMode {
        down: true,
        ..m.mode().await
    })
    .await;
    let (status, err) = buy(&w, &cookies, &package).await;
    assert_eq!(status, 503, "{err}");
    assert_eq!(err["code"], "service_unavailable");
    assert_eq!(w.app.count("purchases").await, 0, "no phantom purchase");
    assert_eq!(
        w.app
            .count("audit_log where action = 'purchase.create'")
            .await,
        0
    );

    m.set_mode(MidtransMode {
        down: false,
        ..m.mode().await
    })
    .await;
    let (status, created) = buy(&w, &cookies, &package).await;
    assert_eq!(status, 200, "{created}");
    assert_eq!(created["reused"], false);
    assert_eq!(w.app.count("purchases").await, 1);
    assert_books(&w, id, GB, 0).await;
    w.stop().await;
}

#[tokio::test]
async fn package_input_is_checked_field_by_field_and_residents_cannot_manage_packages() {
    let (w, admin) = shop(|_| {}).await;
    let (_, _, cookies) = crate::helpers::logged_in(&w, GB).await;
    // Validation: clear field errors, nothing stored.
    let (status, err) = admin_call(
        &w,
        Method::POST,
        "/api/v1/admin/packages",
        &admin,
        Some(json!({"name": "", "price_idr": 0, "validity_days": 400, "router_profile": "a b"})),
    )
    .await;
    assert_eq!(status, 422, "{err}");
    for f in ["name", "price_idr", "validity_days", "router_profile"] {
        assert!(err["details"]["fields"][f].is_array(), "{f}: {err}");
    }
    assert_eq!(w.app.count("packages").await, 0);
    // Residents cannot manage packages.
    let resp = authed(&w.app, Method::POST, "/api/v1/admin/packages", &cookies)
        .json(&json!({"name": "x", "price_idr": 1, "validity_days": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 403);

    w.stop().await;
}

/// The 1 GB package and an unlimited one ("Bebas 7 hari", listed first); their ids.
async fn two_packages(w: &World, admin: &Cookies) -> (String, String) {
    let gb = one_gb_package(w, admin).await;
    let unlimited = create_package(
        w,
        admin,
        json!({"name": "Bebas 7 hari", "price_idr": 50000, "validity_days": 7, "sort_order": -1}),
    )
    .await;
    assert_eq!(unlimited["quota_text"], "Tanpa batas");
    (gb, unlimited["id"].as_str().unwrap().to_owned())
}

#[tokio::test]
async fn transactions_filter_and_total_and_each_shows_its_history() {
    let (w, admin) = shop(|_| {}).await;
    let (id, _, cookies) = crate::helpers::logged_in(&w, GB).await;
    let (gb, unlimited) = two_packages(&w, &admin).await;

    // Buy both; pay the unlimited one, let the other expire at Midtrans.
    let (_, a) = buy(&w, &cookies, &gb).await;
    let (_, b) = buy(&w, &cookies, &unlimited).await;
    let (a, b) = (
        a["order_id"].as_str().unwrap(),
        b["order_id"].as_str().unwrap(),
    );
    let m = &w.sb.fakes.midtrans;
    m.finish(b, "settlement", false).await.unwrap();
    delivered(&w, b, "settlement", 1).await;
    m.finish(a, "expire", false).await.unwrap();
    delivered(&w, a, "expire", 1).await;
    let status = get_json(&w.app, "/api/v1/me/status", &cookies).await;
    assert_eq!(status["status"], "unlimited");
    assert_eq!(status["unlimited"], true);

    let (status, list) = admin_call(&w, Method::GET, "/api/v1/admin/purchases", &admin, None).await;
    assert_eq!(status, 200, "{list}");
    assert_eq!(list["items"].as_array().unwrap().len(), 2);
    assert_eq!(list["totals"]["count"], 2);
    assert_eq!(list["totals"]["paid_count"], 1);
    assert_eq!(list["totals"]["paid_amount_idr"], 50000);
    assert_eq!(list["totals"]["paid_amount_text"], "Rp 50.000");
    assert_eq!(list["totals"]["expired_count"], 1);
    assert_eq!(list["items"][0]["user_name"], "Budi");
    let (_, paid) = admin_call(
        &w,
        Method::GET,
        &format!("/api/v1/admin/purchases?status=paid&package_id={unlimited}&user_id={id}"),
        &admin,
        None,
    )
    .await;
    assert_eq!(paid["items"].as_array().unwrap().len(), 1);
    assert_eq!(paid["items"][0]["order_id"], b);
    let today = time::OffsetDateTime::now_utc()
        .to_offset(time::macros::offset!(+8))
        .date();
    let (_, ranged) = admin_call(
        &w,
        Method::GET,
        &format!(
            "/api/v1/admin/purchases?from={}&to={}",
            today - time::Duration::days(1),
            today + time::Duration::days(1)
        ),
        &admin,
        None,
    )
    .await;
    assert_eq!(ranged["totals"]["count"], 2);
    let (_, old) = admin_call(
        &w,
        Method::GET,
        "/api/v1/admin/purchases?to=2020-01-01",
        &admin,
        None,
    )
    .await;
    assert_eq!(old["totals"]["count"], 0);
    assert_eq!(old["totals"]["paid_amount_text"], "Rp 0");
    let (status, _) = admin_call(
        &w,
        Method::GET,
        "/api/v1/admin/purchases?status=lunas",
        &admin,
        None,
    )
    .await;
    assert_eq!(status, 400);
    let (status, _) = admin_call(
        &w,
        Method::GET,
        "/api/v1/admin/purchases?limit=0",
        &admin,
        None,
    )
    .await;
    assert_eq!(status, 400);

    let (_, detail) = admin_call(
        &w,
        Method::GET,
        &format!("/api/v1/admin/purchases/{b}"),
        &admin,
        None,
    )
    .await;
    assert_eq!(detail["events"][0]["outcome"], "credited");
    assert_eq!(
        detail["events"][0]["body"]["transaction_status"],
        "settlement"
    );
    assert_eq!(detail["credit"]["unlimited"], true);
    let (status, _) = admin_call(
        &w,
        Method::GET,
        "/api/v1/admin/purchases/GB-NOPE",
        &admin,
        None,
    )
    .await;
    assert_eq!(status, 404);

    assert_books(&w, id, GB, 1).await;
    w.stop().await;
}

#[tokio::test]
async fn a_sold_package_is_deactivated_on_delete_and_an_unsold_one_is_gone() {
    let (w, admin) = shop(|_| {}).await;
    let (id, _, cookies) = crate::helpers::logged_in(&w, GB).await;
    let (gb, _unlimited) = two_packages(&w, &admin).await;
    let spare = create_package(
        &w,
        &admin,
        json!({"name": "Cadangan", "price_idr": 1000, "quota_bytes": 1048576, "validity_days": 1}),
    )
    .await;
    let spare = spare["id"].as_str().unwrap().to_owned();

    // A purchase of the 1 GB package that expired unpaid.
    let (_, a) = buy(&w, &cookies, &gb).await;
    let a = a["order_id"].as_str().unwrap();
    w.sb.fakes
        .midtrans
        .finish(a, "expire", false)
        .await
        .unwrap();
    delivered(&w, a, "expire", 1).await;
    // Deleting: with purchases → deactivated (off the public list); without → gone.
    let (_, removed) = admin_call(
        &w,
        Method::DELETE,
        &format!("/api/v1/admin/packages/{gb}"),
        &admin,
        None,
    )
    .await;
    assert_eq!(removed["outcome"], "deactivated");
    let (_, removed) = admin_call(
        &w,
        Method::DELETE,
        &format!("/api/v1/admin/packages/{spare}"),
        &admin,
        None,
    )
    .await;
    assert_eq!(removed["outcome"], "deleted");
    let public: Value = w.app.get("/api/v1/packages").await.json().await.unwrap();
    let names: Vec<&str> = public
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Bebas 7 hari"]);
    let (status, _) = buy(&w, &cookies, &gb).await;
    assert_eq!(status, 404, "an inactive package cannot be bought");
    assert_books(&w, id, GB, 0).await;
    w.stop().await;
}
