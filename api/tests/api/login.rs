//! Phone login end to end against the sandbox: registration, approval, OTP,
//! sessions, devices and the hotspot handoff to the simulated router.

use std::{collections::HashMap, time::Duration};

use api::{
    crypto::aad,
    settings::{Secret, Settings},
};
use fred::interfaces::KeysInterface;
use sandbox::{fakes, Sandbox, SandboxConfig};
use serde_json::{json, Value};
use uuid::Uuid;

use crate::helpers::{envelope, spawn_app_with, TestApp};

pub const PHONE: &str = "+6281234567890";
pub const LOCAL: &str = "081234567890";

/// The app wired to a sandbox: fake Fonnte and Turnstile, one simulated router.
pub struct World {
    pub app: TestApp,
    pub sb: Sandbox,
    pub router_id: Uuid,
}

impl World {
    pub async fn start(configure: impl FnOnce(&mut Settings)) -> Self {
        Self::start_mode("hotspot_login", configure).await
    }

    pub async fn start_mode(mode: &str, configure: impl FnOnce(&mut Settings)) -> Self {
        let sb = Sandbox::start(SandboxConfig::ephemeral(1)).await.unwrap();
        let base = format!("http://{}", sb.http_addr);
        let app = spawn_app_with(move |s| {
            s.fonnte.base_url = format!("{base}/fonnte");
            s.fonnte.token = Secret::new(fakes::FONNTE_TOKEN);
            s.turnstile.base_url = format!("{base}/turnstile/v0");
            s.turnstile.secret = Secret::new(fakes::TURNSTILE_SECRET);
            s.turnstile.hostnames = vec!["portal.test".into()];
            s.turnstile.script_url = format!("{base}/turnstile/v0/api.js");
            s.session.cookie_secure = false;
            s.http.public_url = "http://portal.test".into();
            s.midtrans.snap_url = format!("{base}/midtrans/snap/v1");
            s.midtrans.api_url = format!("{base}/midtrans/v2");
            s.midtrans.server_key = Secret::new(sandbox::midtrans::SERVER_KEY);
            // The fake's "dashboard" URL is set once the app has its port.
            s.midtrans.notification_url = None;
            configure(s);
        })
        .await;
        let router_id = Uuid::now_v7();
        let sealed = app.state.sealer.seal(
            "sandbox",
            &aad("routers", "api_password_sealed", &router_id),
        );
        let r = sb.router();
        app.db()
            .await
            .execute(
                "insert into routers (id, name, host, port, api_username, api_password_sealed,
                                      login_mode, login_url, is_default)
                 values ($1, 'r1', '127.0.0.1', $2, 'admin', $3, $4, $5, true)",
                &[
                    &router_id,
                    &i32::from(r.api_addr.port()),
                    &sealed,
                    &mode,
                    &format!("http://{}/login", sb.http_addr),
                ],
            )
            .await
            .unwrap();
        World { app, sb, router_id }
    }

    /// An approved resident with 5 GiB for 30 days.
    pub async fn resident(&self, phone: &str) -> Uuid {
        let id = Uuid::now_v7();
        self.app
            .db()
            .await
            .execute(
                "insert into users (id, phone, name, role, blok, kamar, approval, router_id,
                                    quota_bytes, valid_until)
                 values ($1, $2, 'Budi', 'resident', 'A', '12', 'approved', $3, 5368709120,
                         now() + interval '30 days')",
                &[&id, &phone, &self.router_id],
            )
            .await
            .unwrap();
        id
    }

    pub async fn token(&self, action: &str) -> String {
        mint_token(&self.sb, action).await
    }

    /// Requests a code and reads it from the fake WhatsApp inbox. Clears the
    /// resend cooldown first so one test can log in several times.
    pub async fn code_for(&self, phone: &str) -> String {
        let target = phone.trim_start_matches('+');
        let before = self
            .sb
            .fakes
            .fonnte
            .messages_to(Some(target), Duration::ZERO)
            .await
            .len();
        let _: i64 = self
            .app
            .state
            .kv
            .pool()
            .next()
            .del(self.app.state.kv.key(&format!("otp:cooldown:{phone}")))
            .await
            .unwrap();
        let t = self.token("otp_request").await;
        let resp = self
            .app
            .post_json(
                "/api/v1/auth/otp/request",
                &json!({"phone": phone, "turnstile_token": t}),
            )
            .await;
        assert_eq!(resp.status(), 202);
        let inbox = self
            .sb
            .fakes
            .fonnte
            .at_least(Some(target), before + 1, Duration::from_secs(10))
            .await;
        let text = &inbox.last().expect("a WhatsApp message").message;
        text.split(|c: char| !c.is_ascii_digit())
            .find(|w| w.len() == 6)
            .expect("a 6-digit code")
            .to_owned()
    }

    /// Puts a device on the simulated hotspot LAN.
    pub async fn attach(&self, mac: &str, ip: &str) {
        self.sb.router().router.attach_device(mac, ip, "hp").await;
    }

    pub async fn verify(
        &self,
        phone: &str,
        code: &str,
        client: Option<Value>,
    ) -> reqwest::Response {
        let mut body = json!({"phone": phone, "code": code});
        if let Some(c) = client {
            body["client"] = c;
        }
        self.app
            .http
            .post(self.app.url("/api/v1/auth/otp/verify"))
            .header("X-Requested-With", "fetch")
            .json(&body)
            .send()
            .await
            .unwrap()
    }

    /// OTP login from a device on the hotspot; returns the body and the cookies.
    pub async fn login(&self, phone: &str, mac: &str, ip: &str) -> (Value, Cookies) {
        let code = self.code_for(phone).await;
        let resp = self
            .verify(
                phone,
                &code,
                Some(json!({"ip": ip, "mac": mac, "dst": "http://example.com/"})),
            )
            .await;
        assert_eq!(resp.status(), 200);
        let cookies = Cookies::from(&resp);
        (resp.json().await.unwrap(), cookies)
    }

    /// Creates the admin `kepala` (password `kata-sandi-panjang`), with an optional WhatsApp number.
    pub async fn create_admin(&self, phone: Option<&str>) {
        api::services::accounts::create_admin(
            &self.app.state,
            "kepala",
            "Kepala Admin",
            phone,
            zeroize::Zeroizing::new("kata-sandi-panjang".into()),
            shared_types::Role::SuperAdmin,
        )
        .await
        .unwrap();
    }

    /// Logs in as an admin with a password; returns the response.
    pub async fn admin_login(&self, username: &str, password: &str) -> reqwest::Response {
        self.app
            .http
            .post(self.app.url("/api/v1/admin/auth/login"))
            .header("X-Requested-With", "fetch")
            .json(&json!({"username": username, "password": password}))
            .send()
            .await
            .unwrap()
    }

    /// `POST /me/devices/current/connect` for the session in `c`.
    pub async fn connect_current(&self, c: &Cookies) -> reqwest::Response {
        authed(
            &self.app,
            reqwest::Method::POST,
            "/api/v1/me/devices/current/connect",
            c,
        )
        .send()
        .await
        .unwrap()
    }

    /// A RouterOS API session to the simulated router, as any client would open.
    pub async fn router_client(&self) -> routeros::Client {
        routeros::Client::connect(&routeros::Config::new(
            self.sb.router().api_addr.to_string(),
            "admin",
            "sandbox",
        ))
        .await
        .unwrap()
    }

    pub async fn stop(self) {
        self.app.stop().await;
        self.sb.shutdown().await;
    }
}

/// A Turnstile token as a solved widget on the portal (`portal.test`) would hand the page.
pub async fn mint_token(sb: &Sandbox, action: &str) -> String {
    let v: Value = reqwest::Client::new()
        .post(format!("http://{}/_sandbox/turnstile/token", sb.http_addr))
        .json(&json!({"hostname": "portal.test", "action": action}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    v["token"].as_str().unwrap().to_owned()
}

/// The cookies a response set.
#[derive(Debug, Clone, Default)]
pub struct Cookies(pub HashMap<String, String>);

impl Cookies {
    pub fn from(resp: &reqwest::Response) -> Self {
        let mut jar = HashMap::new();
        for v in resp.headers().get_all("set-cookie") {
            let v = v.to_str().unwrap();
            let pair = v.split(';').next().unwrap();
            let (k, val) = pair.split_once('=').unwrap();
            jar.insert(k.to_owned(), val.to_owned());
        }
        Cookies(jar)
    }

    pub fn header(&self) -> String {
        self.0
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    pub fn get(&self, name: &str) -> &str {
        &self.0[name]
    }
}

/// A request with cookies and the CSRF header, as the SPA sends it.
pub fn authed(
    app: &TestApp,
    method: reqwest::Method,
    path: &str,
    c: &Cookies,
) -> reqwest::RequestBuilder {
    app.http
        .request(method, app.url(path))
        .header("Cookie", c.header())
        .header("X-Requested-With", "fetch")
}

/// Rows of a router menu, read over the RouterOS API like any client would.
pub async fn router_rows(w: &World, path: &str, props: &[&str]) -> Vec<HashMap<String, String>> {
    let client = w.router_client().await;
    let rows = client.print(path).proplist(props).rows().await.unwrap();
    rows.iter()
        .map(|r| {
            props
                .iter()
                .filter_map(|p| Some((p.to_string(), r.text(p)?.into_owned())))
                .collect()
        })
        .collect()
}

/// A cookie-authenticated GET, decoded as JSON.
pub async fn get_json(app: &TestApp, path: &str, c: &Cookies) -> Value {
    authed(app, reqwest::Method::GET, path, c)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

pub(crate) async fn active_users(w: &World) -> Vec<(String, String)> {
    router_rows(w, "/ip/hotspot/active", &["user", "mac-address"])
        .await
        .into_iter()
        .map(|r| (r["user"].clone(), r["mac-address"].clone()))
        .collect()
}

#[tokio::test]
async fn register_approve_request_verify_and_the_form_post_puts_the_phone_online() {
    let w = World::start(|_| {}).await;
    let admin_phone = "+6281200000099";
    w.create_admin(Some(admin_phone)).await;

    // 1. The resident registers from the portal.
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

    // 2. The admin approves it.
    let resp = w.admin_login("kepala", "kata-sandi-panjang").await;
    assert_eq!(resp.status(), 200);
    let admin = Cookies::from(&resp);
    let pending: Value = get_json(&w.app, "/api/v1/admin/registrations", &admin).await;
    assert_eq!(pending.as_array().unwrap().len(), 1);
    assert_eq!(pending[0]["phone"], PHONE);
    let id = pending[0]["id"].as_str().unwrap();
    let resp = authed(
        &w.app,
        reqwest::Method::POST,
        &format!("/api/v1/admin/registrations/{id}/approve"),
        &admin,
    )
    .send()
    .await
    .unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.json::<Value>().await.unwrap()["approval"], "approved");
    // Give the new resident a package (the payments issue does this through purchases).
    w.app
        .db()
        .await
        .execute(
            "update users set quota_bytes = 5368709120, valid_until = now() + interval '30 days' where phone = $1",
            &[&PHONE],
        )
        .await
        .unwrap();

    // 3. The phone joins the hotspot, asks for a code and verifies it.
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
    assert_eq!(body["device"]["mac"], mac);
    assert_eq!(body["device"]["randomized"], false);
    assert!(body["open_in_browser_url"]
        .as_str()
        .unwrap()
        .starts_with("http://portal.test/buka#token="));
    let hotspot = &body["hotspot"];
    assert_eq!(hotspot["mode"], "hotspot_login");
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

    // 4. The portal posts the fields to the router's login page from the phone.
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
        .header("X-Sim-Client-Mac", mac)
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 302, "{:?}", resp.text().await);
    assert_eq!(resp.headers()["location"], "http://example.com/");
    assert_eq!(
        active_users(&w).await,
        vec![(LOCAL.to_owned(), mac.to_owned())]
    );

    // The code was single use.
    let again = w.verify(PHONE, &code, None).await;
    let (status, env) = envelope(again).await;
    assert_eq!(
        (status, env["code"].as_str().unwrap()),
        (401, "otp_invalid")
    );
    w.stop().await;
}

#[tokio::test]
async fn five_wrong_codes_void_the_challenge_and_the_sixth_try_is_refused() {
    let w = World::start(|_| {}).await;
    w.resident(PHONE).await;
    let code = w.code_for(PHONE).await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for left in (0..5).rev() {
        let (status, env) = envelope(w.verify(PHONE, wrong, None).await).await;
        assert_eq!(status, 401);
        assert_eq!(env["code"], "otp_invalid");
        assert_eq!(env["details"]["attempts_left"], left, "{env}");
    }
    // Even the right code no longer works: the challenge is gone.
    let (status, env) = envelope(w.verify(PHONE, &code, None).await).await;
    assert_eq!(
        (status, env["code"].as_str().unwrap()),
        (401, "otp_invalid")
    );
    // A new code works.
    let code = w.code_for(PHONE).await;
    assert_eq!(w.verify(PHONE, &code, None).await.status(), 200);
    w.stop().await;
}

#[tokio::test]
async fn wrong_codes_per_number_are_capped_across_challenges() {
    let w = World::start(|s| {
        s.otp.max_wrong_per_phone_hour = 3;
        s.otp.max_per_phone_15min = 10;
    })
    .await;
    w.resident(PHONE).await;
    for _ in 0..3 {
        let code = w.code_for(PHONE).await;
        let wrong = if code == "000000" { "111111" } else { "000000" };
        assert_eq!(w.verify(PHONE, wrong, None).await.status(), 401);
    }
    let code = w.code_for(PHONE).await;
    let resp = w.verify(PHONE, &code, None).await;
    assert!(resp.headers().contains_key("retry-after"));
    let (status, env) = envelope(resp).await;
    assert_eq!(
        (status, env["code"].as_str().unwrap()),
        (429, "rate_limited")
    );
    w.stop().await;
}

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
    assert_eq!(w.app.count("devices").await, 1);
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
    let (first, _) = w.login(PHONE, devices[0].0, devices[0].1).await;
    let (second, cookies) = w.login(PHONE, devices[1].0, devices[1].1).await;
    assert_eq!(first["device"]["randomized"], false);
    assert_eq!(
        second["device"]["randomized"], true,
        "locally administered MAC is flagged"
    );
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

#[tokio::test]
async fn a_reused_refresh_token_revokes_the_session() {
    let w = World::start(|_| {}).await;
    w.resident(PHONE).await;
    let code = w.code_for(PHONE).await;
    let resp = w.verify(PHONE, &code, None).await;
    assert_eq!(resp.status(), 200);
    let first = Cookies::from(&resp);
    let me = |c: Cookies| {
        let app = &w.app;
        async move {
            authed(app, reqwest::Method::GET, "/api/v1/me", &c)
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    assert_eq!(me(first.clone()).await, 200);

    let resp = authed(
        &w.app,
        reqwest::Method::POST,
        "/api/v1/auth/refresh",
        &first,
    )
    .send()
    .await
    .unwrap();
    assert_eq!(resp.status(), 204);
    let second = Cookies::from(&resp);
    assert_ne!(second.get("gerbang_rt"), first.get("gerbang_rt"));
    assert_ne!(second.get("gerbang_at"), first.get("gerbang_at"));
    assert_eq!(me(first.clone()).await, 401, "the old access token ended");
    assert_eq!(me(second.clone()).await, 200);

    // Someone replays the first refresh token: the whole session ends.
    let (status, env) = envelope(
        authed(
            &w.app,
            reqwest::Method::POST,
            "/api/v1/auth/refresh",
            &first,
        )
        .send()
        .await
        .unwrap(),
    )
    .await;
    assert_eq!(status, 401);
    assert_eq!(env["details"]["reason"], "refresh_token_reused");
    assert_eq!(me(second.clone()).await, 401);
    let resp = authed(
        &w.app,
        reqwest::Method::POST,
        "/api/v1/auth/refresh",
        &second,
    )
    .send()
    .await
    .unwrap();
    assert_eq!(resp.status(), 401);
    let audited: i64 = w
        .app
        .db()
        .await
        .query_one(
            "select count(*) from audit_log where action = 'session.refresh_reuse'",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(audited, 1);
    w.stop().await;
}

#[tokio::test]
async fn a_blocked_users_cookie_is_rejected_on_the_next_request_and_logout_ends_sessions() {
    let w = World::start(|_| {}).await;
    let id = w.resident(PHONE).await;
    let code = w.code_for(PHONE).await;
    let resp = w.verify(PHONE, &code, None).await;
    let c = Cookies::from(&resp);
    let status: Value = get_json(&w.app, "/api/v1/me/status", &c).await;
    assert_eq!(status["status"], "active");
    assert_eq!(status["remaining_bytes"], 5_368_709_120i64);
    w.app
        .db()
        .await
        .execute(
            "update users set blocked = true, blocked_reason = 'pelanggaran' where id = $1",
            &[&id],
        )
        .await
        .unwrap();
    let (code, env) = envelope(
        authed(&w.app, reqwest::Method::GET, "/api/v1/me", &c)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!((code, env["code"].as_str().unwrap()), (401, "unauthorized"));
    let resp = authed(&w.app, reqwest::Method::POST, "/api/v1/auth/refresh", &c)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 401);

    // Logout of another user's session: revoked and cookies cleared.
    let other = "+6281311112222";
    w.resident(other).await;
    let code = w.code_for(other).await;
    let c = Cookies::from(&w.verify(other, &code, None).await);
    let resp = authed(&w.app, reqwest::Method::POST, "/api/v1/auth/logout", &c)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 204);
    assert!(resp
        .headers()
        .get_all("set-cookie")
        .iter()
        .all(|v| v.to_str().unwrap().contains("Max-Age=0")));
    assert_eq!(
        authed(&w.app, reqwest::Method::GET, "/api/v1/me", &c)
            .send()
            .await
            .unwrap()
            .status(),
        401
    );
    w.stop().await;
}

#[tokio::test]
async fn the_open_in_browser_link_is_single_use() {
    let w = World::start(|_| {}).await;
    w.resident(PHONE).await;
    let code = w.code_for(PHONE).await;
    let body: Value = w.verify(PHONE, &code, None).await.json().await.unwrap();
    let url = body["open_in_browser_url"].as_str().unwrap();
    let token = url.split("#token=").nth(1).unwrap();
    let consume = || {
        w.app
            .http
            .post(w.app.url("/api/v1/auth/session/consume"))
            .header("X-Requested-With", "fetch")
            .json(&json!({"token": token}))
            .send()
    };
    let resp = consume().await.unwrap();
    assert_eq!(resp.status(), 200);
    let c = Cookies::from(&resp);
    assert_eq!(resp.json::<Value>().await.unwrap()["user"]["phone"], PHONE);
    assert_eq!(
        authed(&w.app, reqwest::Method::GET, "/api/v1/me", &c)
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    let (status, _) = envelope(consume().await.unwrap()).await;
    assert_eq!(status, 401);
    w.stop().await;
}

#[tokio::test]
async fn cookie_changes_need_the_csrf_header_and_a_same_site_origin() {
    let w = World::start(|_| {}).await;
    w.resident(PHONE).await;
    let code = w.code_for(PHONE).await;
    let body = json!({"phone": PHONE, "code": code});
    let resp = w.app.post_json("/api/v1/auth/otp/verify", &body).await;
    let (status, env) = envelope(resp).await;
    assert_eq!(
        (status, env["code"].as_str().unwrap()),
        (403, "csrf_failed")
    );
    let resp = w
        .app
        .http
        .post(w.app.url("/api/v1/auth/otp/verify"))
        .header("X-Requested-With", "fetch")
        .header("Origin", "https://evil.example")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(envelope(resp).await.1["code"], "csrf_failed");
    let resp = w
        .app
        .http
        .post(w.app.url("/api/v1/auth/otp/verify"))
        .header("X-Requested-With", "fetch")
        .header("Sec-Fetch-Site", "cross-site")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(envelope(resp).await.1["code"], "csrf_failed");
    // Same origin passes.
    let resp = w
        .app
        .http
        .post(w.app.url("/api/v1/auth/otp/verify"))
        .header("X-Requested-With", "fetch")
        .header("Origin", format!("http://{}", w.app.addr))
        .header("Sec-Fetch-Site", "same-origin")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let c = Cookies::from(&resp);
    // A cookie-authenticated change without the header is refused too.
    let resp = w
        .app
        .http
        .post(w.app.url("/api/v1/auth/logout"))
        .header("Cookie", c.header())
        .send()
        .await
        .unwrap();
    assert_eq!(envelope(resp).await.1["code"], "csrf_failed");
    w.stop().await;
}

#[tokio::test]
async fn a_spoofed_forwarded_for_from_an_untrusted_peer_is_ignored() {
    let w = World::start(|_| {}).await;
    w.resident(PHONE).await;
    let code = w.code_for(PHONE).await;
    let resp = w
        .app
        .http
        .post(w.app.url("/api/v1/auth/otp/verify"))
        .header("X-Requested-With", "fetch")
        .header("X-Forwarded-For", "203.0.113.7")
        .json(&json!({"phone": PHONE, "code": code}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let row = w
        .app
        .db()
        .await
        .query_one("select host(ip) from sessions", &[])
        .await
        .unwrap();
    assert_eq!(row.get::<_, String>(0), "127.0.0.1");
    w.stop().await;
}

#[tokio::test]
async fn the_server_logs_the_current_device_in_when_the_popup_closed() {
    let w = World::start(|_| {}).await;
    w.resident(PHONE).await;
    let (mac, ip) = ("3C:5A:B4:00:00:01", "10.5.50.10");
    w.attach(mac, ip).await;
    let (_, c) = w.login(PHONE, mac, ip).await;
    assert!(
        active_users(&w).await.is_empty(),
        "the form was never posted"
    );
    let resp = w.connect_current(&c).await;
    assert_eq!(resp.status(), 200);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body, json!({"mode": "hotspot_login", "mac": mac, "ip": ip}));
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
async fn bypass_routers_get_an_ip_binding_instead_of_form_fields() {
    let w = World::start_mode("bypass", |_| {}).await;
    w.resident(PHONE).await;
    let (mac, ip) = ("3C:5A:B4:00:00:01", "10.5.50.10");
    w.attach(mac, ip).await;
    let (body, _) = w.login(PHONE, mac, ip).await;
    assert_eq!(body["hotspot"], json!({"mode": "bypass", "mac": mac}));
    let bindings = router_rows(
        &w,
        "/ip/hotspot/ip-binding",
        &["mac-address", "type", "comment"],
    )
    .await;
    assert_eq!(bindings.len(), 1);
    assert_eq!(bindings[0]["type"], "bypassed");
    assert!(bindings[0]["comment"].starts_with("gerbang:uid="));
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
    let (body, _) = w.login(PHONE, mac, ip).await;
    assert_eq!(body["status"]["status"], "exhausted");
    assert_eq!(body["hotspot"], Value::Null);
    let users = router_rows(&w, "/ip/hotspot/user", &["name", "disabled"]).await;
    assert_eq!(users[0]["name"], LOCAL);
    assert_eq!(users[0]["disabled"], "true");
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

#[tokio::test]
async fn admin_login_locks_after_wrong_passwords_and_residents_cannot_use_admin_routes() {
    let w = World::start(|s| s.session.max_password_failures = 3).await;
    w.create_admin(None).await;

    for _ in 0..3 {
        let (s, env) = envelope(w.admin_login("kepala", "salah").await).await;
        assert_eq!((s, env["code"].as_str().unwrap()), (401, "unauthorized"));
    }
    let (s, _) = envelope(w.admin_login("kepala", "kata-sandi-panjang").await).await;
    assert_eq!(s, 429, "locked even with the right password");

    // An unknown user is told the same as a wrong password.
    let resp = w.admin_login("siapa", "x").await;
    assert_eq!(envelope(resp).await.1["code"], "unauthorized");

    w.resident(PHONE).await;
    let code = w.code_for(PHONE).await;
    let c = Cookies::from(&w.verify(PHONE, &code, None).await);
    let (s, env) = envelope(
        authed(
            &w.app,
            reqwest::Method::GET,
            "/api/v1/admin/registrations",
            &c,
        )
        .send()
        .await
        .unwrap(),
    )
    .await;
    assert_eq!((s, env["code"].as_str().unwrap()), (403, "forbidden"));
    let (s, _) = envelope(w.app.get("/api/v1/admin/registrations").await).await;
    assert_eq!(s, 401);
    w.stop().await;
}

#[tokio::test]
async fn the_same_code_sent_twice_at_once_logs_in_only_once() {
    let w = World::start(|_| {}).await;
    w.resident(PHONE).await;
    let code = w.code_for(PHONE).await;
    let (a, b) = tokio::join!(w.verify(PHONE, &code, None), w.verify(PHONE, &code, None));
    let mut statuses = [a.status().as_u16(), b.status().as_u16()];
    statuses.sort();
    assert_eq!(statuses, [200, 401]);
    assert_eq!(w.app.count("sessions").await, 1);
    w.stop().await;
}

#[tokio::test]
async fn blocked_pending_and_deactivated_accounts_learn_why_once_the_code_proves_the_number() {
    let w = World::start(|s| s.portal.contact = "petugas blok A".into()).await;
    let cases = [
        (
            "+6281311110001",
            "update users set blocked = true, blocked_reason = 'Pelanggaran tata tertib' where id = $1",
            "account_blocked",
            Some("Pelanggaran tata tertib"),
        ),
        (
            "+6281311110002",
            "update users set approval = 'pending' where id = $1",
            "account_pending",
            None,
        ),
        (
            "+6281311110003",
            "update users set active = false where id = $1",
            "account_inactive",
            None,
        ),
    ];
    for (phone, sql, expected, reason) in cases {
        let id = w.resident(phone).await;
        w.app.db().await.execute(sql, &[&id]).await.unwrap();
        let code = w.code_for(phone).await;
        let resp = w.verify(phone, &code, None).await;
        assert!(
            resp.headers().get("set-cookie").is_none(),
            "{phone}: no session"
        );
        let (status, env) = envelope(resp).await;
        assert_eq!((status, env["code"].as_str().unwrap()), (403, expected));
        assert_eq!(env["details"]["reason"].as_str(), reason, "{phone}");
        if expected != "account_pending" {
            assert_eq!(env["details"]["contact"], "petugas blok A");
        }
        // The code was spent: a second try is a wrong code, not the account's state.
        let (status, env) = envelope(w.verify(phone, &code, None).await).await;
        assert_eq!(
            (status, env["code"].as_str().unwrap()),
            (401, "otp_invalid")
        );
    }
    assert_eq!(
        w.app
            .db()
            .await
            .query_one("select count(*) from sessions", &[])
            .await
            .unwrap()
            .get::<_, i64>(0),
        0
    );
    w.stop().await;
}

#[tokio::test]
async fn portal_config_usage_history_and_a_fresh_browser_link() {
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

    // A fresh link opens the same account once.
    let link: Value = authed(&w.app, reqwest::Method::POST, "/api/v1/me/browser-link", &c)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let url = link["url"].as_str().unwrap();
    let token = url.split("#token=").nth(1).expect("a token fragment");
    assert!(url.starts_with("http://portal.test/buka#token="), "{url}");
    assert_eq!(link["expires_in_seconds"], 120);
    let consume = |t: String| {
        let w = &w;
        async move {
            w.app
                .http
                .post(w.app.url("/api/v1/auth/session/consume"))
                .header("X-Requested-With", "fetch")
                .json(&json!({ "token": t }))
                .send()
                .await
                .unwrap()
        }
    };
    let first = consume(token.to_owned()).await;
    assert_eq!(first.status(), 200);
    let body: Value = first.json().await.unwrap();
    assert_eq!(body["user"]["phone"], PHONE);
    assert_eq!(consume(token.to_owned()).await.status(), 401);
    // Without a session there is no link.
    let resp = w
        .app
        .http
        .post(w.app.url("/api/v1/me/browser-link"))
        .header("X-Requested-With", "fetch")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 401);
    w.stop().await;
}
