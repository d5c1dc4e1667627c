//! A resident cannot bind someone else's phone by naming its address
//! (issue 15, defect 2). Resident A enters their code claiming the LAN
//! address of a phone that is not registered yet; before the fix that phone
//! became A's device (its owner later got `device_taken`, and in bypass mode
//! it went online on A's quota). Now a device is bound only when the router
//! shows the account logged in from it (docs/architecture.md, "Binding a device").

use serde_json::Value;

use crate::helpers::*;

/// A's own phone, and the victim's phone that A names.
const A_MAC: &str = "3C:5A:B4:00:00:0A";
const A_IP: &str = "10.5.50.20";
const V_MAC: &str = "3C:5A:B4:00:00:0B";
const V_IP: &str = "10.5.50.30";
const VICTIM: &str = "+6281399998888";

async fn squatting_fails(mode: &str) {
    let w = World::start_mode(mode, |s| s.otp.max_per_phone_15min = 10).await;
    w.resident(PHONE).await;
    w.resident(VICTIM).await;
    w.attach(A_MAC, A_IP).await;
    w.attach(V_MAC, V_IP).await;

    // A enters the code naming the victim's address; the router does place a
    // device there, so the code is accepted — but nothing is bound.
    let (body, a) = w.verify_at(PHONE, V_MAC, V_IP).await;
    assert_eq!(body["device"], Value::Null);
    // A's own phone posts the form: the router shows A logged in from A_MAC.
    assert_eq!(
        w.post_login_form(A_MAC, &body["hotspot"]).await.status(),
        302
    );
    // The session named V_MAC, and the router shows no login of A from it.
    let (status, env) = envelope(w.confirm_current(&a).await).await;
    assert_eq!(
        (status, env["code"].as_str()),
        (409, Some("device_not_online"))
    );
    // "Connect" does not log the named phone in from the server either.
    let connect: Value = w.connect_current(&a).await.json().await.unwrap();
    assert!(connect["login_form"].is_object(), "{connect}");
    // The worker records what the router proves: A's own phone, not the victim's.
    cycle(&w).await;
    let owners: Vec<(String, String)> = w
        .app
        .db()
        .await
        .query(
            "select d.mac, u.phone from devices d join users u on u.id = d.user_id order by d.mac",
            &[],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    assert_eq!(owners, vec![(A_MAC.to_owned(), PHONE.to_owned())]);
    let bound = router_rows(&w, "/ip/hotspot/ip-binding", &["mac-address"]).await;
    assert!(
        bound.iter().all(|b| b["mac-address"] != V_MAC),
        "the victim's phone is never bypassed on A's account: {bound:?}"
    );
    assert!(active_users(&w).await.iter().all(|(_, mac)| mac != V_MAC));

    // The victim logs in from their own phone as if nothing happened.
    let (_, _, device) = w.login(VICTIM, V_MAC, V_IP).await;
    assert_eq!(device["mac"], V_MAC);
    w.stop().await;
}

#[tokio::test]
async fn naming_another_phones_address_binds_nothing_in_hotspot_mode() {
    squatting_fails("hotspot_login").await;
}

#[tokio::test]
async fn naming_another_phones_address_binds_nothing_in_bypass_mode() {
    squatting_fails("bypass").await;
}

#[tokio::test]
async fn the_worker_records_a_device_whose_popup_closed_right_after_the_form() {
    let w = World::start_mode("bypass", |_| {}).await;
    w.resident(PHONE).await;
    w.attach(A_MAC, A_IP).await;
    let (body, _) = w.verify_at(PHONE, A_MAC, A_IP).await;
    // The form went out, the pop-up closed before the portal could confirm.
    assert_eq!(
        w.post_login_form(A_MAC, &body["hotspot"]).await.status(),
        302
    );
    assert_eq!(w.app.count("devices").await, 0);
    cycle(&w).await;
    assert_eq!(w.app.count("devices").await, 1);
    // Bypass: the binding took over from the login that proved the device.
    let bound = router_rows(&w, "/ip/hotspot/ip-binding", &["mac-address"]).await;
    assert_eq!(bound.len(), 1);
    assert_eq!(bound[0]["mac-address"], A_MAC);
    assert!(active_users(&w).await.is_empty());
    assert_eq!(cycle(&w).await.writes, 0, "settled");
    w.stop().await;
}
