//! Packages and Midtrans purchases against the sandbox's fake Midtrans
//! (Snap, payment page, signed notifications, status API), real PostgreSQL,
//! Redis, HTTP and the simulated router. Every test ends by checking the
//! books: money and quota credited equal what the ledger says, once.

mod admin;
mod buying;
mod export;
mod notifications;

use std::time::Duration;

use reqwest::Method;
use sandbox::midtrans::{Delivery, MidtransMode};
use serde_json::{json, Value};
use uuid::Uuid;

use crate::helpers::{admin, admin_call, authed, cycle, get_json, online, Cookies, World, MAC};

pub(super) const GB: i64 = 1_000_000_000;

/// A world whose fake Midtrans notifies this app, with retries 2 000× faster.
pub(super) async fn shop(configure: impl FnOnce(&mut api::settings::Settings)) -> (World, Cookies) {
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

pub(super) async fn create_package(w: &World, admin: &Cookies, body: Value) -> Value {
    let (status, pkg) =
        admin_call(w, Method::POST, "/api/v1/admin/packages", admin, Some(body)).await;
    assert_eq!(status, 200, "{pkg}");
    pkg
}

pub(super) async fn one_gb_package(w: &World, admin: &Cookies) -> String {
    let pkg = create_package(
        w,
        admin,
        json!({"name": "Paket 1 GB", "price_idr": 10000, "quota_bytes": GB, "validity_days": 30}),
    )
    .await;
    pkg["id"].as_str().unwrap().to_owned()
}

pub(super) async fn buy(w: &World, c: &Cookies, package_id: &str) -> (u16, Value) {
    let resp = authed(&w.app, Method::POST, "/api/v1/purchases", c)
        .json(&json!({ "package_id": package_id }))
        .send()
        .await
        .unwrap();
    (resp.status().as_u16(), resp.json().await.unwrap())
}

/// Waits until the fake delivered `count` notifications of `order` with `status` and got a 2xx.
pub(super) async fn delivered(w: &World, order: &str, status: &str, count: usize) -> Vec<Delivery> {
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

pub(super) async fn purchase_row(w: &World, order: &str) -> (String, bool, i32) {
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

pub(super) async fn quota_of(w: &World, id: Uuid) -> (i64, Option<time::OffsetDateTime>) {
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
pub(super) async fn assert_books(w: &World, user: Uuid, start_quota: i64, paid: i64) {
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

pub(super) fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// A resident with 100 MB who used it all on the hotspot: the router cut the
/// session and the cycle disabled the account.
pub(super) async fn cut_off_resident(w: &World) -> (Uuid, Cookies, i64) {
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
