//! The SPA in headless Chromium against the whole stack: the built bundles
//! (`dist/`, built by scripts/test.sh before the tests), the API, the worker,
//! the simulated router with its hotspot login page, and the fake WhatsApp,
//! Turnstile and Midtrans — all over real HTTP.

use std::path::PathBuf;

use sandbox::midtrans::MidtransMode;
use serde_json::{json, Value};
use tokio::sync::oneshot;

use crate::helpers::{
    active_users,
    webdriver::{Browser, PHONE as VIEWPORT},
    World, LOCAL, PHONE,
};

const MAC: &str = "00:1A:2B:3C:4D:01";
const GIB: i64 = 1_073_741_824;

mod admin;
mod dashboard;
mod messages;
mod requests;
mod staff;

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The built SPA; `GERBANG_SPA_DIR` points elsewhere.
fn dist() -> PathBuf {
    let dir = std::env::var_os("GERBANG_SPA_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("dist"));
    assert!(
        dir.join("index.html").is_file()
            && dir.join("captive/index.html").is_file()
            && dir.join("admin/index.html").is_file(),
        "the SPA is not built in {}: run scripts/test.sh (or build_wasm from scripts/lib.sh) first",
        dir.display()
    );
    dir
}

pub(super) struct Stack {
    pub(super) w: World,
    pub(super) base: String,
    stop_worker: oneshot::Sender<()>,
    worker: tokio::task::JoinHandle<()>,
}

impl Stack {
    /// API (serving the SPA) on a known port, the worker, the sandbox.
    pub(super) async fn start() -> Stack {
        let spa = dist();
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let base = format!("http://127.0.0.1:{port}");
        let public = base.clone();
        let w = World::start(move |s| {
            s.http.bind = format!("127.0.0.1:{port}").parse().unwrap();
            s.http.public_url = public;
            s.http.spa_dir = Some(spa);
            s.turnstile.hostnames = vec!["127.0.0.1".into()];
            s.portal.facility_name = "Lapas Contoh".into();
        })
        .await;
        w.sb.fakes
            .midtrans
            .set_mode(MidtransMode {
                notification_url: Some(w.app.url("/api/v1/payments/midtrans/notification")),
                ..MidtransMode::default()
            })
            .await;
        let (stop_worker, stopped) = oneshot::channel::<()>();
        let worker = tokio::spawn(api::worker::run(w.app.state.clone(), async move {
            let _ = stopped.await;
        }));
        Stack {
            w,
            base,
            stop_worker,
            worker,
        }
    }

    pub(super) fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// The address the router's login.html sends a phone to.
    pub(super) fn captive_url(&self) -> String {
        let login = format!("http://{}/login", self.w.sb.http_addr);
        format!(
            "{}/captive?ip=127.0.0.1&mac={MAC}&link-login-only={}&dst={}",
            self.base,
            urlencode(&login),
            urlencode("http://example.com/")
        )
    }

    /// A package on sale, created by an admin through the API.
    async fn package(&self, name: &str, price: i64, bytes: i64) {
        let admin = self.w.admin().await;
        let package = admin.create_package(name, price, bytes).await;
        assert!(package.active);
    }

    /// Phone number in, code from the fake WhatsApp inbox in.
    pub(super) async fn log_in(&self, b: &Browser) {
        // Codes sent before this one may still be in the inbox.
        let fonnte = &self.w.sb.fakes.fonnte;
        let earlier = fonnte
            .at_least(Some(PHONE), 0, std::time::Duration::ZERO)
            .await
            .len();
        b.type_into("#phone", "0812-3456-7890").await;
        // The Turnstile stand-in solves itself; the button waits for its token.
        b.click("#send-code").await;
        b.wait_for("#otp").await;
        assert_eq!(
            b.js("const i = document.getElementById('otp'); return [i.autocomplete, i.inputMode, i.maxLength]").await,
            json!(["one-time-code", "numeric", 6])
        );
        // The worker may deliver a notification to the same number meanwhile:
        // wait for a new login code, not just a new message.
        let is_code = |m: &&sandbox::fakes::Message| m.message.starts_with("Kode masuk gerbang");
        let mut wanted = earlier + 1;
        let code_message = loop {
            let inbox = fonnte
                .at_least(
                    Some(PHONE.trim_start_matches('+')),
                    wanted,
                    std::time::Duration::from_secs(10),
                )
                .await;
            assert!(inbox.len() >= wanted, "no login code arrived");
            if let Some(m) = inbox[earlier..].iter().rev().find(is_code) {
                break m.message.clone();
            }
            wanted = inbox.len() + 1;
        };
        let code: String = code_message
            .split(|c: char| !c.is_ascii_digit())
            .find(|w| w.len() == 6)
            .expect("a code")
            .to_owned();
        // Six digits submit by themselves.
        b.type_into("#otp", &code).await;
    }

    /// Opens `path` and signs in there as the super admin `kepala`.
    pub(super) async fn admin_signs_in(&self, b: &Browser, path: &str) {
        b.goto(&self.url(path)).await;
        b.type_into("#username", "kepala").await;
        b.type_into("#password", "kata-sandi-panjang").await;
        b.click("#admin-login button[type=submit]").await;
    }

    pub(super) async fn stop(self) {
        let _ = self.stop_worker.send(());
        self.worker.await.unwrap();
        self.w.stop().await;
    }
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Width and height from a PNG's IHDR.
pub(super) fn png_size(png: &[u8]) -> (u32, u32) {
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "not a PNG");
    let be = |i: usize| u32::from_be_bytes(png[i..i + 4].try_into().unwrap());
    (be(16), be(20))
}

/// Nothing on the page is wider than the window.
pub(super) async fn assert_fits_the_screen(b: &Browser) {
    assert_eq!(
        b.js("return document.documentElement.scrollWidth <= window.innerWidth")
            .await,
        true
    );
}

/// Keeps a screenshot under `.local/artifacts/`.
pub(super) fn save_artifact(png: &[u8], name: &str) {
    let dir = repo_root().join(".local").join("artifacts");
    std::fs::create_dir_all(&dir).unwrap();
    let shot = dir.join(name);
    std::fs::write(&shot, png).unwrap();
    eprintln!("screenshot: {}", shot.display());
}

#[tokio::test]
async fn captive_login_posts_the_hidden_form_to_the_router_and_the_dashboard_shows_the_quota() {
    let s = Stack::start().await;
    s.w.resident(PHONE).await;
    s.w.attach(MAC, "127.0.0.1").await;
    let b = Browser::start().await;
    b.goto(&s.captive_url()).await;

    // The router context is in memory only: the MAC left the address bar.
    b.wait_for("#phone").await;
    let url = b.url().await;
    assert!(url.ends_with("/captive"), "{url}");
    b.wait_text("header h1", "Lapas Contoh").await;
    // An ordinary MAC: no random-MAC instructions.
    assert_eq!(
        b.js("return !!document.getElementById('random-mac')").await,
        false
    );
    assert_eq!(
        b.js("const i = document.getElementById('phone'); return [i.type, i.inputMode, i.labels.length]").await,
        json!(["tel", "numeric", 1])
    );

    // Artifact: the captive page at phone size, Turnstile solved.
    b.until("the Turnstile token", 20, || async {
        (b.js("return !document.getElementById('send-code').disabled")
            .await
            == true)
            .then_some(())
    })
    .await;
    let png = b.screenshot().await;
    assert_eq!(png_size(&png), (VIEWPORT.0 * 2, VIEWPORT.1 * 2));
    save_artifact(&png, "captive-phone-360x740.png");
    // Nothing is wider than the phone.
    assert_fits_the_screen(&b).await;

    assert!(active_users(&s.w).await.is_empty());
    s.log_in(&b).await;
    let otp = b
        .js("return document.getElementById('otp').autocomplete")
        .await;
    assert!(otp.is_null() || otp == "one-time-code", "{otp}");

    // The hidden form went to the router, which logged the phone in and sent it on to the dashboard.
    let url = b
        .wait_url("the dashboard after the router login", |u| {
            u.contains("/?terhubung=1")
        })
        .await;
    assert!(url.starts_with(&s.base), "{url}");
    assert_eq!(
        active_users(&s.w).await,
        vec![(LOCAL.to_owned(), MAC.to_owned())]
    );
    b.wait_for("#connected").await;
    b.wait_text("#quota-left", "5 GB").await;
    b.wait_text("#quota-of", "5 GB dari 5 GB").await;
    b.wait_text("#valid-until", "Berlaku sampai").await;
    b.wait_text("#devices", MAC).await;
    b.wait_text("#usage-total", "Total").await;
    // The password never reached browser storage.
    assert_eq!(
        b.js("return localStorage.length + sessionStorage.length")
            .await,
        0
    );

    // A fresh one-time link for the main browser.
    b.click("#browser-link").await;
    let link = b
        .until("the browser link", 20, || async {
            b.js("const a = document.getElementById('browser-link-url'); return a ? a.href : null")
                .await
                .as_str()
                .map(str::to_owned)
        })
        .await;
    assert!(
        link.starts_with(&format!("{}/buka#token=", s.base)),
        "{link}"
    );
    s.stop().await;
}

#[tokio::test]
async fn buying_a_package_on_the_fake_midtrans_page_credits_it_and_the_dashboard_updates() {
    let s = Stack::start().await;
    s.w.resident(PHONE).await;
    s.package("Paket 1 GB", 10_000, GIB).await;
    let b = Browser::start().await;
    // Outside the hotspot: the main browser at `/`.
    b.goto(&s.url("/")).await;
    s.log_in(&b).await;
    b.wait_text("#quota-left", "5 GB").await;

    b.click("a[href='/paket']").await;
    b.wait_text("#packages", "Rp 10.000").await;
    b.click("button[data-package='Paket 1 GB']").await;

    // Midtrans' page (the sandbox fake, another origin).
    b.wait_url("the Midtrans page", |u| u.contains("/midtrans/snap/"))
        .await;
    b.wait_text("#amount", "Rp 10.000").await;
    b.click("#m-bca_va").await;
    b.click("#pay").await;
    b.wait_text("#result", "Pembayaran berhasil").await;
    b.click("#back").await;

    // Back on the result page, which asks until the order is paid.
    b.wait_url("the result page", |u| u.contains("/bayar/"))
        .await;
    b.wait_text("#payment-status", "Lunas").await;
    b.click("#to-dashboard").await;
    b.wait_text("#quota-left", "6 GB").await;
    b.wait_text("#purchases", "Paket 1 GB").await;
    b.wait_text("#purchases", "Lunas").await;

    let row =
        s.w.app
            .db()
            .await
            .query_one("select quota_bytes from users where phone = $1", &[&PHONE])
            .await
            .unwrap();
    assert_eq!(row.get::<_, i64>(0), 6 * GIB);
    s.stop().await;
}

#[tokio::test]
async fn an_exhausted_resident_lands_on_the_buy_a_package_page() {
    let s = Stack::start().await;
    let id = s.w.resident(PHONE).await;
    s.w.app
        .db()
        .await
        .execute(
            "update users set used_bytes = quota_bytes where id = $1",
            &[&id],
        )
        .await
        .unwrap();
    s.package("Paket 1 GB", 10_000, GIB).await;
    // This phone uses a private (randomized) MAC: the portal explains it before the code.
    let mac = "DA:A1:19:00:00:01";
    s.w.attach(mac, "127.0.0.1").await;
    let b = Browser::start().await;
    b.goto(&s.captive_url().replace(MAC, mac)).await;
    b.wait_text("#random-mac", "MAC acak").await;
    b.wait_text("#random-mac", "Alamat Wi-Fi Privat").await;
    s.log_in(&b).await;

    let url = b
        .wait_url("the packages page", |u| u.ends_with("/paket"))
        .await;
    assert!(url.starts_with(&s.base), "{url}");
    b.wait_text("#notice-exhausted", "Kuota habis").await;
    b.wait_text("#packages", "Paket 1 GB").await;
    let enabled: Value = b
        .js("const x = document.querySelector(\"button[data-package='Paket 1 GB']\"); return !!x && !x.disabled")
        .await;
    assert_eq!(enabled, true);
    // No hotspot session for a user without quota.
    assert!(active_users(&s.w).await.is_empty());
    s.stop().await;
}

/// Makes every live access token of `user_id` expired, as 15 minutes in a
/// banking app would (the refresh token stays valid).
async fn expire_access_tokens(s: &Stack, user_id: uuid::Uuid) -> u64 {
    s.w.app
        .db()
        .await
        .execute(
            "update sessions set access_expires_at = now() - interval '1 second'
             where user_id = $1 and revoked_at is null",
            &[&user_id],
        )
        .await
        .unwrap()
}

/// Refresh tokens issued to `user_id` so far (each rotation adds one).
async fn refresh_tokens(s: &Stack, user_id: uuid::Uuid) -> i64 {
    s.w.app
        .db()
        .await
        .query_one(
            "select count(*) from refresh_tokens r join sessions s on s.id = r.session_id
             where s.user_id = $1",
            &[&user_id],
        )
        .await
        .unwrap()
        .get(0)
}

#[tokio::test]
async fn an_expired_access_token_is_refreshed_and_an_ended_session_goes_back_to_the_login() {
    let s = Stack::start().await;
    let id = s.w.resident(PHONE).await;
    s.package("Paket 1 GB", 10_000, GIB).await;
    let b = Browser::start().await;
    b.goto(&s.url("/")).await;
    s.log_in(&b).await;
    b.wait_text("#quota-left", "5 GB").await;

    // A payment left open on Midtrans' page (the person went to their bank app).
    b.click("a[href='/paket']").await;
    b.click("button[data-package='Paket 1 GB']").await;
    b.wait_url("the Midtrans page", |u| u.contains("/midtrans/snap/"))
        .await;
    let order_id: String =
        s.w.app
            .db()
            .await
            .query_one("select order_id from purchases where user_id = $1", &[&id])
            .await
            .unwrap()
            .get(0);

    // Back after the access token expired: the dashboard loads as before.
    assert!(expire_access_tokens(&s, id).await >= 1);
    let issued = refresh_tokens(&s, id).await;
    b.goto(&s.url("/")).await;
    b.wait_text("#quota-left", "5 GB").await;
    b.wait_text("#devices", "Belum ada perangkat").await;
    b.wait_text("#purchases", "Paket 1 GB").await;
    // Several calls hit the expired token at once; one refresh served them all
    // (a second use of the same refresh token would have ended the session).
    assert_eq!(refresh_tokens(&s, id).await, issued + 1);

    // The payment result page too.
    expire_access_tokens(&s, id).await;
    b.goto(&s.url(&format!("/bayar/{order_id}"))).await;
    b.wait_text("#payment-status", "Menunggu").await;
    assert_eq!(refresh_tokens(&s, id).await, issued + 2);

    // An admin ended the session meanwhile: the page sends the person to the login.
    s.w.app
        .db()
        .await
        .execute(
            "update sessions set revoked_at = now(), access_expires_at = now() - interval '1 second'
             where user_id = $1",
            &[&id],
        )
        .await
        .unwrap();
    b.goto(&s.url(&format!("/bayar/{order_id}"))).await;
    let url = b
        .wait_url("the login page", |u| u.trim_end_matches('/') == s.base)
        .await;
    assert!(url.starts_with(&s.base), "{url}");
    b.wait_for("#phone").await;
    s.stop().await;
}
