//! The world a test runs in: the app wired to a sandbox (fake Fonnte,
//! Turnstile and Midtrans, one simulated router), the people in it, and
//! cookie sessions as the SPA holds them.

use std::{collections::HashMap, time::Duration};

use api::{
    crypto::aad,
    settings::{Secret, Settings},
};
use fred::interfaces::KeysInterface;
use sandbox::{fakes, Sandbox, SandboxConfig};
use serde_json::{json, Value};
use uuid::Uuid;

use super::app::{spawn_app_with, TestApp};

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

    /// How many audit entries have this action.
    pub async fn audit_count(&self, action: &str) -> i64 {
        self.app
            .db()
            .await
            .query_one(
                "select count(*) from audit_log where action = $1",
                &[&action],
            )
            .await
            .unwrap()
            .get(0)
    }

    /// Delivers the due notifications as the worker would (as of `now`).
    pub async fn deliver_at(
        &self,
        now: time::OffsetDateTime,
    ) -> api::services::whatsapp::deliver::Pass {
        api::services::whatsapp::deliver::deliver_due(&self.app.state, now, 100)
            .await
            .unwrap()
    }

    /// Delivers the notifications due now.
    pub async fn deliver(&self) -> api::services::whatsapp::deliver::Pass {
        self.deliver_at(time::OffsetDateTime::now_utc()).await
    }

    /// The texts the fake WhatsApp inbox holds for `phone` (`+62…`), oldest first.
    pub async fn inbox(&self, phone: &str) -> Vec<String> {
        self.sb
            .fakes
            .fonnte
            .messages_to(Some(phone.trim_start_matches('+')), Duration::ZERO)
            .await
            .into_iter()
            .map(|m| m.message)
            .collect()
    }

    /// The inbox texts for `phone` that contain `needle`.
    pub async fn inbox_with(&self, phone: &str, needle: &str) -> Vec<String> {
        let mut all = self.inbox(phone).await;
        all.retain(|m| m.contains(needle));
        all
    }

    /// Switches the fake Fonnte's failure modes (`PUT /_sandbox/fonnte/mode`).
    pub async fn fonnte_mode(&self, mode: Value) {
        let resp = reqwest::Client::new()
            .put(format!("http://{}/_sandbox/fonnte/mode", self.sb.http_addr))
            .json(&mode)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 204);
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
            .fetch(reqwest::Method::POST, "/api/v1/auth/otp/verify")
            .json(&body)
            .send()
            .await
            .unwrap()
    }

    /// OTP login from a device on the hotspot, up to the code: the router
    /// placed the device at `ip`, nothing is bound yet. Returns the body and
    /// the cookies.
    pub async fn verify_at(&self, phone: &str, mac: &str, ip: &str) -> (Value, Cookies) {
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

    /// The device `mac` posts the login form it was given to the router's
    /// login page, as the portal's hidden form does; returns the router's answer.
    pub async fn post_login_form(&self, mac: &str, form: &Value) -> reqwest::Response {
        let fields: Vec<(String, String)> = ["username", "password", "dst", "popup"]
            .iter()
            .map(|k| {
                let v = form["fields"][k].as_str().expect("a form field");
                (k.to_string(), v.to_owned())
            })
            .collect();
        reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap()
            .post(form["action"].as_str().expect("a form action"))
            .header("X-Sim-Client-Mac", mac)
            .form(&fields)
            .send()
            .await
            .unwrap()
    }

    /// `POST /me/devices/current/confirm` for the session in `c`.
    pub async fn confirm_current(&self, c: &Cookies) -> reqwest::Response {
        authed(
            &self.app,
            reqwest::Method::POST,
            "/api/v1/me/devices/current/confirm",
            c,
        )
        .send()
        .await
        .unwrap()
    }

    /// The whole OTP login from a device on the hotspot: the code, the form
    /// posted by the device itself, and the portal's confirmation. Returns the
    /// login body, the cookies and the device the session is now tied to.
    pub async fn login(&self, phone: &str, mac: &str, ip: &str) -> (Value, Cookies, Value) {
        let (body, cookies) = self.verify_at(phone, mac, ip).await;
        let resp = self.post_login_form(mac, &body["hotspot"]).await;
        assert_eq!(resp.status(), 302, "{:?}", resp.text().await);
        let resp = self.confirm_current(&cookies).await;
        assert_eq!(resp.status(), 200);
        (body, cookies, resp.json().await.unwrap())
    }

    /// Creates `petugas` (password `kata-sandi-petugas`), an admin who is not a super admin.
    pub async fn create_plain_admin(&self) {
        api::services::accounts::create_admin(
            &self.app.state,
            "petugas",
            "Petugas Jaga",
            None,
            zeroize::Zeroizing::new("kata-sandi-petugas".into()),
            shared_types::Role::Admin,
        )
        .await
        .unwrap();
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
            .fetch(reqwest::Method::POST, "/api/v1/admin/auth/login")
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
    app.fetch(method, path).header("Cookie", c.header())
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
