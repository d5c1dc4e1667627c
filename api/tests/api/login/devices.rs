//! Devices: the router places the device before the code is spent; a device
//! is bound only once the router shows it logged in (never by naming an
//! address); the per-user limit; bypass bindings; the server-side connect.

use serde_json::{json, Value};

use crate::helpers::*;

#[tokio::test]
async fn a_mac_the_router_does_not_confirm_is_refused_and_the_code_stays_usable() {
    let w = World::start(|_| {}).await;
    w.resident(PHONE).await;
    w.attach("3C:5A:B4:00:00:01", "10.5.50.10").await;
    let code = w.code_for(PHONE).await;
    // Unknown address.
    let (status, env) = envelope(
        w.verify(
            PHONE,
            &code,
            Some(json!({"ip": "10.5.50.99", "mac": "3C:5A:B4:00:00:09"})),
        )
        .await,
    )
    .await;
    assert_eq!(
        (status, env["code"].as_str().unwrap()),
        (403, "device_not_confirmed")
    );
    // Known address, but the page claims another MAC.
    let (status, env) = envelope(
        w.verify(
            PHONE,
            &code,
            Some(json!({"ip": "10.5.50.10", "mac": "3C:5A:B4:00:00:09"})),
        )
        .await,
    )
    .await;
    assert_eq!(
        (status, env["code"].as_str().unwrap()),
        (403, "device_not_confirmed")
    );
    // Garbage is a validation error, not a 500.
    let (status, _) = envelope(
        w.verify(PHONE, &code, Some(json!({"ip": "not-an-ip", "mac": "zz"})))
            .await,
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(w.app.count("devices").await, 0);
    // The code was not spent by the refusals.
    let resp = w
        .verify(
            PHONE,
            &code,
            Some(json!({"ip": "10.5.50.10", "mac": "3C:5A:B4:00:00:01"})),
        )
        .await;
    assert_eq!(resp.status(), 200);
    w.stop().await;
}

#[tokio::test]
async fn the_stalest_device_is_replaced_at_the_limit_and_a_mac_of_another_user_is_refused() {
    let w = World::start(|s| {
        s.devices.max_per_user = 2;
        s.otp.max_per_phone_15min = 10;
    })
    .await;
    w.resident(PHONE).await;
    let other = "+6281311112222";
    w.resident(other).await;
    let devices = [
        ("3C:5A:B4:00:00:01", "10.5.50.11"),
        ("DA:A1:19:00:00:02", "10.5.50.12"),
        ("3C:5A:B4:00:00:03", "10.5.50.13"),
    ];
    for (mac, ip) in devices {
        w.attach(mac, ip).await;
    }
    // One phone at a time (the profile allows one session per account): each
    // logs out on the router before the next logs in.
    let (_, _, first) = w.login(PHONE, devices[0].0, devices[0].1).await;
    log_out_on_router(&w).await;
    let (_, cookies, second) = w.login(PHONE, devices[1].0, devices[1].1).await;
    log_out_on_router(&w).await;
    assert_eq!(first["randomized"], false);
    assert_eq!(
        second["randomized"], true,
        "locally administered MAC is flagged"
    );
    assert_eq!(second["current"], true);
    w.login(PHONE, devices[2].0, devices[2].1).await;
    let macs: Vec<String> = w
        .app
        .db()
        .await
        .query("select mac from devices order by mac", &[])
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(macs, vec![devices[2].0.to_owned(), devices[1].0.to_owned()]);

    // Another account cannot take a device that is registered to this one.
    let code = w.code_for(other).await;
    let (status, env) = envelope(
        w.verify(
            other,
            &code,
            Some(json!({"ip": devices[1].1, "mac": devices[1].0})),
        )
        .await,
    )
    .await;
    assert_eq!(
        (status, env["code"].as_str().unwrap()),
        (409, "device_taken")
    );

    // The owner sees its devices and can rename and forget one.
    let list: Value = get_json(&w.app, "/api/v1/me/devices", &cookies).await;
    assert_eq!(list.as_array().unwrap().len(), 2);
    let current = list
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["current"] == true)
        .unwrap();
    assert_eq!(current["mac"], devices[1].0);
    let id = current["id"].as_str().unwrap();
    let resp = authed(
        &w.app,
        reqwest::Method::PATCH,
        &format!("/api/v1/me/devices/{id}"),
        &cookies,
    )
    .json(&json!({"label": "HP Budi"}))
    .send()
    .await
    .unwrap();
    assert_eq!(resp.json::<Value>().await.unwrap()["label"], "HP Budi");
    let resp = authed(
        &w.app,
        reqwest::Method::PATCH,
        &format!("/api/v1/me/devices/{id}"),
        &cookies,
    )
    .json(&json!({"label": ""}))
    .send()
    .await
    .unwrap();
    assert_eq!(resp.status(), 422);
    let resp = authed(
        &w.app,
        reqwest::Method::DELETE,
        &format!("/api/v1/me/devices/{id}"),
        &cookies,
    )
    .send()
    .await
    .unwrap();
    assert_eq!(resp.status(), 204);
    assert_eq!(w.app.count("devices").await, 1);
    w.stop().await;
}

/// Ends every hotspot session on the router (as a logout or a timeout would).
async fn log_out_on_router(w: &World) {
    let client = w.router_client().await;
    let ids: Vec<_> = client
        .print("/ip/hotspot/active")
        .rows()
        .await
        .unwrap()
        .iter()
        .filter_map(|r| r.id())
        .collect();
    client.hotspot_kick(&ids).await.unwrap();
}

#[tokio::test]
async fn a_popup_that_closed_before_the_form_gets_the_form_in_the_browser_then_the_server_reconnects(
) {
    let w = World::start(|_| {}).await;
    w.resident(PHONE).await;
    let (mac, ip) = ("3C:5A:B4:00:00:01", "10.5.50.10");
    w.attach(mac, ip).await;
    let (_, c) = w.verify_at(PHONE, mac, ip).await;
    assert!(
        active_users(&w).await.is_empty(),
        "the form was never posted"
    );
    // Not seen logging in yet: no confirmation, and "connect" hands the form to
    // this browser rather than logging a device in that only an address named.
    let (status, env) = envelope(w.confirm_current(&c).await).await;
    assert_eq!(
        (status, env["code"].as_str()),
        (409, Some("device_not_online"))
    );
    let resp = w.connect_current(&c).await;
    assert_eq!(resp.status(), 200);
    let connect: Value = resp.json().await.unwrap();
    assert_eq!(connect["mac"], Value::Null);
    let form = &connect["login_form"];
    assert_eq!(form["fields"]["username"], LOCAL);
    assert_eq!(form["fields"]["dst"], "http://portal.test/?terhubung=1");
    assert!(
        active_users(&w).await.is_empty(),
        "the server logged nobody in"
    );

    // The browser posts it; the router shows the login; the portal confirms.
    assert_eq!(w.post_login_form(mac, form).await.status(), 302);
    let resp = w.confirm_current(&c).await;
    assert_eq!(resp.status(), 200);
    let device: Value = resp.json().await.unwrap();
    assert_eq!(
        (device["mac"].as_str(), device["current"].as_bool()),
        (Some(mac), Some(true))
    );
    // Again: idempotent.
    let again: Value = w.confirm_current(&c).await.json().await.unwrap();
    assert_eq!(again["id"], device["id"]);

    // Logged out by the router (session ended), the proven device is put back
    // online by the server.
    log_out_on_router(&w).await;
    assert!(active_users(&w).await.is_empty());
    let resp = w.connect_current(&c).await;
    assert_eq!(resp.status(), 200);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(
        body,
        // No `login_form`: the server logged the device in itself (an
        // optional field without a value is left out, never `null`).
        json!({"mode": "hotspot_login", "mac": mac, "ip": ip})
    );
    assert_eq!(
        active_users(&w).await,
        vec![(LOCAL.to_owned(), mac.to_owned())]
    );
    // Again: already online is fine.
    let resp = w.connect_current(&c).await;
    assert_eq!(resp.status(), 200);
    assert_eq!(active_users(&w).await.len(), 1);

    // RFC 8908: this client is no longer captive.
    let resp = authed(&w.app, reqwest::Method::GET, "/api/v1/captive", &c)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.headers()["content-type"], "application/captive+json");
    assert_eq!(resp.headers()["cache-control"], "private, no-store");
    let info: Value = resp.json().await.unwrap();
    assert_eq!(info["captive"], false);
    assert_eq!(info["bytes-remaining"], 5_368_709_120i64);
    assert_eq!(info["user-portal-url"], "http://portal.test/");
    assert!(info["seconds-remaining"].as_i64().unwrap() > 29 * 86_400);
    w.stop().await;
}

#[tokio::test]
async fn bypass_routers_bind_the_device_once_its_own_login_proves_it() {
    let w = World::start_mode("bypass", |_| {}).await;
    w.resident(PHONE).await;
    let (mac, ip) = ("3C:5A:B4:00:00:01", "10.5.50.10");
    w.attach(mac, ip).await;
    let (body, c) = w.verify_at(PHONE, mac, ip).await;
    assert_eq!(body["hotspot"]["fields"]["username"], LOCAL);
    assert!(
        router_rows(&w, "/ip/hotspot/ip-binding", &["mac-address"])
            .await
            .is_empty(),
        "no binding for a device that only an address named"
    );
    assert_eq!(w.post_login_form(mac, &body["hotspot"]).await.status(), 302);
    assert_eq!(w.confirm_current(&c).await.status(), 200);
    let bindings = router_rows(
        &w,
        "/ip/hotspot/ip-binding",
        &["mac-address", "type", "comment"],
    )
    .await;
    assert_eq!(bindings.len(), 1);
    assert_eq!(bindings[0]["mac-address"], mac);
    assert_eq!(bindings[0]["type"], "bypassed");
    assert!(bindings[0]["comment"].starts_with("gerbang:uid="));
    assert!(
        active_users(&w).await.is_empty(),
        "the binding took over from the login that proved the device"
    );
    w.stop().await;
}

#[tokio::test]
async fn an_exhausted_user_logs_in_without_a_handoff_and_the_router_account_is_disabled() {
    let w = World::start(|_| {}).await;
    let id = w.resident(PHONE).await;
    w.app
        .db()
        .await
        .execute(
            "update users set used_bytes = quota_bytes where id = $1",
            &[&id],
        )
        .await
        .unwrap();
    let (mac, ip) = ("3C:5A:B4:00:00:01", "10.5.50.10");
    w.attach(mac, ip).await;
    let (body, _) = w.verify_at(PHONE, mac, ip).await;
    assert_eq!(body["status"]["status"], "exhausted");
    assert_eq!(body["hotspot"], Value::Null);
    let users = router_rows(&w, "/ip/hotspot/user", &["name", "disabled"]).await;
    assert_eq!(users[0]["name"], LOCAL);
    assert_eq!(users[0]["disabled"], "true");
    w.stop().await;
}
