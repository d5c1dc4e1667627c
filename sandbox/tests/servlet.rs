//! The hotspot login servlet and the HTTP control of the simulated router.

use md5::{Digest, Md5};
use sandbox::{Sandbox, SandboxConfig};

fn unescape_octal(s: &str) -> Vec<u8> {
    s.split('\\')
        .filter(|p| !p.is_empty())
        .map(|p| u8::from_str_radix(p, 8).unwrap())
        .collect()
}

fn between<'a>(page: &'a str, start: &str, end: &str) -> &'a str {
    let from = page.find(start).unwrap() + start.len();
    let to = from + page[from..].find(end).unwrap();
    &page[from..to]
}

fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

async fn setup() -> (Sandbox, String) {
    let sb = Sandbox::start(SandboxConfig::ephemeral(1)).await.unwrap();
    let base = format!("http://{}", sb.http_addr);
    // Attach a phone and create its hotspot user through the public surfaces.
    let resp = http()
        .post(format!("{base}/_sandbox/routeros/router1/devices"))
        .json(&serde_json::json!({"mac": "02:11:22:33:44:55", "ip": "10.5.50.7", "host_name": "android"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 204);
    sb.router()
        .router
        .execute(
            &routeros::Sentence::new("/ip/hotspot/user/add")
                .attr("name", "08123")
                .attr("password", "secret"),
        )
        .await;
    (sb, base)
}

#[tokio::test]
async fn chap_login_computes_the_real_md5_and_redirects_to_dst() {
    let (sb, base) = setup().await;
    let client = http();
    let page = client
        .get(format!("{base}/login"))
        .header("x-sim-client-mac", "02:11:22:33:44:55")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let id = unescape_octal(between(&page, "var chapId = '", "'"));
    let challenge = unescape_octal(between(&page, "var chapChallenge = '", "'"));
    assert_eq!((id.len(), challenge.len()), (1, 16));
    assert!(page.contains("10.5.50.7"));

    let mut md5 = Md5::new();
    md5.update(&id);
    md5.update(b"secret");
    md5.update(&challenge);
    let response: String = md5.finalize().iter().map(|b| format!("{b:02x}")).collect();
    let resp = client
        .post(format!("{base}/login"))
        .header("x-sim-client-mac", "02:11:22:33:44:55")
        .form(&[
            ("username", "08123"),
            ("password", response.as_str()),
            ("dst", "http://example.com/"),
            ("popup", "true"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 302);
    assert_eq!(resp.headers()["location"], "http://example.com/");

    let active = sb.router().router.rows("/ip/hotspot/active").await.unwrap();
    assert_eq!(active.len(), 1);
    assert_eq!(active[0].1["login-by"], "http-chap");
    assert_eq!(active[0].1["mac-address"], "02:11:22:33:44:55");
    sb.shutdown().await;
}

#[tokio::test]
async fn wrong_password_shows_the_router_error_text() {
    let (sb, base) = setup().await;
    let resp = http()
        .post(format!("{base}/login"))
        .header("x-sim-client-mac", "02:11:22:33:44:55")
        .form(&[
            ("username", "08123"),
            ("password", "nope"),
            ("dst", "http://example.com/"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert!(resp
        .text()
        .await
        .unwrap()
        .contains("<p id=\"error\">invalid username or password</p>"));
    assert!(sb
        .router()
        .router
        .rows("/ip/hotspot/active")
        .await
        .unwrap()
        .is_empty());

    // PAP with the right password works.
    let resp = http()
        .post(format!("{base}/login"))
        .header("x-sim-client-mac", "02:11:22:33:44:55")
        .form(&[("username", "08123"), ("password", "secret")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 302);
    // A second device with the same user: shared-users=1 refuses it.
    http()
        .post(format!("{base}/_sandbox/routeros/router1/devices"))
        .json(&serde_json::json!({"mac": "02:11:22:33:44:66", "ip": "10.5.50.8"}))
        .send()
        .await
        .unwrap();
    let page = http()
        .post(format!("{base}/login"))
        .header("x-sim-client-mac", "02:11:22:33:44:66")
        .form(&[("username", "08123"), ("password", "secret")])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("no more sessions are allowed for user 08123"));
    sb.shutdown().await;
}

#[tokio::test]
async fn control_api_moves_the_clock_and_reads_state() {
    let (sb, base) = setup().await;
    let c = http();
    c.post(format!("{base}/login"))
        .header("x-sim-client-mac", "02:11:22:33:44:55")
        .form(&[("username", "08123"), ("password", "secret")])
        .send()
        .await
        .unwrap();
    let r = c
        .post(format!("{base}/_sandbox/routeros/router1/traffic"))
        .json(&serde_json::json!({"mac": "02:11:22:33:44:55", "up_bps": 0, "down_bps": 800_000}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    let clock: serde_json::Value = c
        .post(format!("{base}/_sandbox/routeros/router1/clock"))
        .json(&serde_json::json!({"seconds": 10}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(clock["clock_seconds"], 10);
    let active: serde_json::Value = c
        .get(format!(
            "{base}/_sandbox/routeros/router1/state?path=/ip/hotspot/active"
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(active[0]["bytes-out"], "1000000");
    let bad = c
        .post(format!("{base}/_sandbox/routeros/router1/devices"))
        .json(&serde_json::json!({"mac": "nope", "ip": "10.5.50.9"}))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 422);
    assert_eq!(
        c.get(format!("{base}/_sandbox/routeros/nope/state"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    sb.shutdown().await;
}
