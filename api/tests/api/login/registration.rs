//! Self-registration, its review and the first login it leads to.

use std::time::Duration;

use serde_json::{json, Value};
use uuid::Uuid;

use crate::helpers::*;

#[tokio::test]
async fn a_registration_tells_the_admins_and_waits_for_approval() {
    let w = World::start(|_| {}).await;
    let admin_phone = "+6281200000099";
    w.create_admin(Some(admin_phone)).await;

    // The resident registers from the portal; the admins hear about it on WhatsApp.
    let t = w.token("register").await;
    let resp = w
        .app
        .post_json(
            "/api/v1/auth/register",
            &json!({"name": "Budi Santoso", "phone": "0812-3456-7890", "role": "resident",
                    "blok": "A", "kamar": "12", "turnstile_token": t}),
        )
        .await;
    assert_eq!(resp.status(), 202);
    assert_eq!(resp.json::<Value>().await.unwrap()["status"], "pending");
    // Queued with the registration; the worker delivers it.
    assert_eq!(w.deliver().await.sent, 1);
    let notice =
        w.sb.fakes
            .fonnte
            .messages_to(Some("6281200000099"), Duration::from_secs(10))
            .await;
    assert!(notice[0].message.contains("Budi Santoso"), "{notice:?}");

    // A pending number gets a code; verifying it says the registration waits.
    let code = w.code_for(PHONE).await;
    let (status, env) = envelope(w.verify(PHONE, &code, None).await).await;
    assert_eq!(
        (status, env["code"].as_str().unwrap()),
        (403, "account_pending")
    );

    // The admin approves it; the number can log in from now on.
    let admin = w.admin_session().await;
    let pending = admin.pending_registrations().await;
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].phone, PHONE);
    let approved = admin.approve(&pending[0].id).await;
    assert_eq!(approved.approval, "approved");
    assert!(admin.pending_registrations().await.is_empty());
    let code = w.code_for(PHONE).await;
    assert_eq!(w.verify(PHONE, &code, None).await.status(), 200);
    w.stop().await;
}

#[tokio::test]
async fn verifying_on_the_hotspot_checks_the_device_and_hands_over_sealed_form_fields_binding_nothing(
) {
    let w = World::start(|_| {}).await;
    w.resident(PHONE).await;
    let (mac, ip) = ("3C:5A:B4:00:00:01", "10.5.50.10");
    w.attach(mac, ip).await;
    let code = w.code_for(PHONE).await;
    let resp = w
        .verify(
            "0812 3456 7890",
            &code,
            Some(
                json!({"ip": ip, "mac": mac.to_lowercase(), "dst": "http://example.com/",
                        "link_login_only": format!("http://{}/login", w.sb.http_addr)}),
            ),
        )
        .await;
    assert_eq!(resp.status(), 200);
    let set_cookies: Vec<String> = resp
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect();
    assert!(set_cookies
        .iter()
        .all(|c| c.contains("HttpOnly") && c.contains("SameSite=Strict")));
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["user"]["phone"], PHONE);
    assert_eq!(body["status"]["status"], "active");
    assert_eq!(body["status"]["hotspot_username"], LOCAL);
    // The router placed the device at that address; that proves nothing about
    // the caller, so nothing is bound until the router shows the device's login.
    assert_eq!(body["device"], Value::Null);
    assert_eq!(w.app.count("devices").await, 0);
    assert!(body["open_in_browser_url"]
        .as_str()
        .unwrap()
        .starts_with("http://portal.test/buka#token="));
    let hotspot = &body["hotspot"];
    assert_eq!(
        hotspot["action"],
        format!("http://{}/login", w.sb.http_addr)
    );
    assert_eq!(hotspot["fields"]["username"], LOCAL);
    assert_eq!(hotspot["fields"]["popup"], "true");
    let password = hotspot["fields"]["password"].as_str().unwrap();
    assert_eq!(password.len(), 12);
    assert!(!password.contains("0812"), "never the phone number");
    // The password is sealed at rest, never stored in clear.
    let sealed: String = w
        .app
        .db()
        .await
        .query_one(
            "select hotspot_password_sealed from users where phone = $1",
            &[&PHONE],
        )
        .await
        .unwrap()
        .get(0);
    assert!(sealed.starts_with("v1.dev.") && !sealed.contains(password));

    // The code was single use.
    let (status, env) = envelope(w.verify(PHONE, &code, None).await).await;
    assert_eq!(
        (status, env["code"].as_str().unwrap()),
        (401, "otp_invalid")
    );
    w.stop().await;
}

#[tokio::test]
async fn the_form_post_from_the_phone_to_the_router_puts_it_online() {
    let w = World::start(|_| {}).await;
    let resident = w.logged_in_resident(5_368_709_120).await;
    let hotspot = &resident.login["hotspot"];
    assert!(active_users(&w).await.is_empty());
    let form: Vec<(String, String)> = ["username", "password", "dst", "popup"]
        .iter()
        .map(|k| {
            (
                k.to_string(),
                hotspot["fields"][k].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let resp = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .post(hotspot["action"].as_str().unwrap())
        .header("X-Sim-Client-Mac", MAC)
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 302, "{:?}", resp.text().await);
    assert_eq!(resp.headers()["location"], "http://example.com/");
    assert_eq!(
        active_users(&w).await,
        vec![(LOCAL.to_owned(), MAC.to_owned())]
    );
    // What the person sees now.
    assert_eq!(resident.me().await.phone.as_deref(), Some(PHONE));
    let status = resident.status().await;
    assert_eq!(status.status, shared_types::AccessStatus::Active);
    assert_eq!(status.hotspot_username.as_deref(), Some(LOCAL));
    w.stop().await;
}

#[tokio::test]
async fn registration_rules_and_duplicates() {
    let w = World::start(|_| {}).await;
    let register = |body: Value| async {
        let mut body = body;
        body["turnstile_token"] = w.token("register").await.into();
        w.app.post_json("/api/v1/auth/register", &body).await
    };
    let (s, env) = envelope(
        register(
            json!({"name": "Budi", "phone": "081234567890", "role": "resident",
                        "blok": "A", "kamar": "1", "tamping_type": "dapur"}),
        )
        .await,
    )
    .await;
    assert_eq!(
        (s, env["code"].as_str().unwrap()),
        (422, "validation_failed")
    );
    let (s, _) = envelope(
        register(json!({"name": "Budi", "phone": "081234567890", "role": "komandan", "blok": "A"}))
            .await,
    )
    .await;
    assert_eq!(s, 422);
    let (s, env) = envelope(
        register(json!({"name": "Budi", "phone": "0215551234", "role": "komandan"})).await,
    )
    .await;
    assert_eq!((s, env["code"].as_str().unwrap()), (422, "invalid_phone"));
    // A turnstile token for another action is refused.
    let mut body = json!({"name": "Budi", "phone": "081234567890", "role": "resident", "tamping_type": "dapur"});
    body["turnstile_token"] = w.token("otp_request").await.into();
    let (s, env) = envelope(w.app.post_json("/api/v1/auth/register", &body).await).await;
    assert_eq!(
        (s, env["code"].as_str().unwrap()),
        (403, "turnstile_failed")
    );
    assert_eq!(w.app.count("users").await, 0);

    let ok = register(json!({"name": "Budi", "phone": "081234567890", "role": "resident", "tamping_type": "dapur"})).await;
    assert_eq!(ok.status(), 202);
    let (s, env) = envelope(
        register(json!({"name": "Budi", "phone": "+6281234567890", "role": "komandan"})).await,
    )
    .await;
    assert_eq!(
        (s, env["code"].as_str().unwrap()),
        (409, "already_registered")
    );
    let row = w
        .app
        .db()
        .await
        .query_one("select approval, tamping_type, router_id from users", &[])
        .await
        .unwrap();
    assert_eq!(row.get::<_, String>(0), "pending");
    assert_eq!(row.get::<_, Option<String>>(1).as_deref(), Some("dapur"));
    assert_eq!(row.get::<_, Option<Uuid>>(2), Some(w.router_id));
    w.stop().await;
}
