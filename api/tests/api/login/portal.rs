//! The captive-portal API and the portal settings.

use serde_json::{json, Value};

use crate::helpers::*;

#[tokio::test]
async fn an_unknown_client_is_captive() {
    let w = World::start(|_| {}).await;
    let info: Value = w.app.get("/api/v1/captive").await.json().await.unwrap();
    assert_eq!(
        info,
        json!({"captive": true, "user-portal-url": "http://portal.test/", "can-extend-session": false})
    );
    w.stop().await;
}

#[tokio::test]
async fn the_portal_settings_name_the_facility_and_tell_a_randomized_mac() {
    let w = World::start(|s| {
        s.portal.facility_name = "Lapas Contoh".into();
        s.turnstile.script_url = "https://challenges.example/turnstile/v0/api.js".into();
    })
    .await;
    let portal: Value = w
        .app
        .get("/api/v1/portal?mac=DA:A1:19:00:00:01")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(portal["facility_name"], "Lapas Contoh");
    assert_eq!(portal["randomized_mac"], true);
    assert_eq!(portal["turnstile_action_otp"], "otp_request");
    assert_eq!(portal["turnstile_action_register"], "register");
    assert_eq!(
        portal["turnstile_script_url"],
        "https://challenges.example/turnstile/v0/api.js"
    );
    assert_eq!(portal["packages_on_sale"], false);
    let plain: Value = w
        .app
        .get("/api/v1/portal?mac=00:1A:2B:3C:4D:5E")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(plain["randomized_mac"], false);
    let none: Value = w
        .app
        .get("/api/v1/portal?mac=nonsense")
        .await
        .json()
        .await
        .unwrap();
    assert!(none["randomized_mac"].is_null());
    w.stop().await;
}

#[tokio::test]
async fn usage_history_has_every_day_in_the_facility_time_zone() {
    let w = World::start(|_| {}).await;
    let id = w.resident(PHONE).await;
    // Two days of usage in the facility's time zone: today and four days ago.
    w.app
        .db()
        .await
        .execute(
            "insert into usage_daily (user_id, day, bytes) values
               ($1, (now() at time zone 'Asia/Makassar')::date, 1073741824),
               ($1, (now() at time zone 'Asia/Makassar')::date - 4, 536870912),
               ($1, (now() at time zone 'Asia/Makassar')::date - 40, 7)",
            &[&id],
        )
        .await
        .unwrap();
    let code = w.code_for(PHONE).await;
    let c = Cookies::from(&w.verify(PHONE, &code, None).await);
    let week: Value = get_json(&w.app, "/api/v1/me/usage", &c).await;
    let days = week["days"].as_array().unwrap();
    assert_eq!(days.len(), 7);
    let bytes: Vec<i64> = days.iter().map(|d| d["bytes"].as_i64().unwrap()).collect();
    assert_eq!(bytes, [0, 0, 536_870_912, 0, 0, 0, 1_073_741_824]);
    assert_eq!(week["total_bytes"], 1_610_612_736i64);
    assert_eq!(week["total_text"], "1,5 GB");
    assert!(days[0]["day"].as_str().unwrap() < days[6]["day"].as_str().unwrap());
    let month: Value = get_json(&w.app, "/api/v1/me/usage?days=30", &c).await;
    assert_eq!(month["days"].as_array().unwrap().len(), 30);
    assert_eq!(month["total_bytes"], 1_610_612_736i64);
    let (status, env) = envelope(
        authed(&w.app, reqwest::Method::GET, "/api/v1/me/usage?days=91", &c)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        (status, env["code"].as_str().unwrap()),
        (400, "invalid_parameter")
    );
    w.stop().await;
}

/// `POST /me/browser-link` for the session in `c`.
async fn browser_link(w: &World, c: &Cookies) -> Value {
    authed(&w.app, reqwest::Method::POST, "/api/v1/me/browser-link", c)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_fresh_browser_link_opens_the_same_account_once() {
    let w = World::start(|_| {}).await;
    let resident = w.logged_in_resident(5_368_709_120).await;
    let c = &resident.cookies;
    let link = browser_link(&w, c).await;
    let url = link["url"].as_str().unwrap();
    let token = url.split("#token=").nth(1).expect("a token fragment");
    assert!(url.starts_with("http://portal.test/buka#token="), "{url}");
    assert_eq!(link["expires_in_seconds"], 120);
    let consume = |t: String| {
        let w = &w;
        async move {
            w.app
                .fetch(reqwest::Method::POST, "/api/v1/auth/session/consume")
                .json(&json!({ "token": t }))
                .send()
                .await
                .unwrap()
        }
    };
    let first = consume(token.to_owned()).await;
    assert_eq!(first.status(), 200);
    let main = Cookies::from(&first);
    let body: Value = first.json().await.unwrap();
    assert_eq!(body["user"]["phone"], PHONE);
    assert_eq!(body["user"]["id"], resident.id.to_string());
    // The link carries the device the login came from; not seen logging in
    // yet, so the new session gets the form to post from the main browser.
    assert_eq!(body["device"], Value::Null);
    assert_eq!(consume(token.to_owned()).await.status(), 401);
    let connect: Value = w.connect_current(&main).await.json().await.unwrap();
    assert_eq!(connect["login_form"]["fields"]["username"], LOCAL);
    // Once the router has seen it log in, a link carries the proven device.
    assert_eq!(
        w.post_login_form(MAC, &resident.login["hotspot"])
            .await
            .status(),
        302
    );
    assert_eq!(w.confirm_current(c).await.status(), 200);
    let link = browser_link(&w, c).await;
    let token = link["url"]
        .as_str()
        .unwrap()
        .split("#token=")
        .nth(1)
        .unwrap();
    let body: Value = consume(token.to_owned()).await.json().await.unwrap();
    assert_eq!(body["device"]["mac"], MAC);
    // Without a session there is no link.
    let resp = w
        .app
        .fetch(reqwest::Method::POST, "/api/v1/me/browser-link")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 401);
    w.stop().await;
}
