//! Buying: packages on sale, the payment page, the gateway being down.

use std::time::Duration;

use sandbox::midtrans::MidtransMode;
use serde_json::Value;

use super::*;
use crate::helpers::get_json;

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
