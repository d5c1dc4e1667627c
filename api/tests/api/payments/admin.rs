//! What admins do with packages and transactions.

use reqwest::Method;
use serde_json::{json, Value};

use super::*;
use crate::helpers::{admin_call, authed, get_json, Cookies, World};

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
