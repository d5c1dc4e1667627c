//! The simulated router as a test reads it, and residents put online on it.

use std::collections::HashMap;

use api::worker::{reconcile_routers, CycleOutcome};
use uuid::Uuid;

use super::world::{Cookies, World, PHONE};

/// The MAC of the resident device most tests put on the hotspot.
pub const MAC: &str = "3C:5A:B4:00:00:01";

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

pub async fn active_users(w: &World) -> Vec<(String, String)> {
    router_rows(w, "/ip/hotspot/active", &["user", "mac-address"])
        .await
        .into_iter()
        .map(|r| (r["user"].clone(), r["mac-address"].clone()))
        .collect()
}

pub async fn router_users(w: &World) -> HashMap<String, HashMap<String, String>> {
    let props = [
        "name",
        "limit-bytes-total",
        "disabled",
        "comment",
        "profile",
    ];
    router_rows(w, "/ip/hotspot/user", &props)
        .await
        .into_iter()
        .map(|m| (m["name"].clone(), m))
        .collect()
}

pub async fn cycle(w: &World) -> api::services::reconcile::CycleStats {
    let outcomes = reconcile_routers(&w.app.state).await.unwrap();
    match &outcomes[..] {
        [(_, CycleOutcome::Done(stats))] => *stats,
        other => panic!("{other:?}"),
    }
}

/// A resident with `quota` bytes who entered the code on a device attached to
/// the router (the login form not posted yet).
pub async fn logged_in(w: &World, quota: i64) -> (Uuid, serde_json::Value, Cookies) {
    let id = w.resident(PHONE).await;
    w.app
        .db()
        .await
        .execute(
            "update users set quota_bytes = $2 where id = $1",
            &[&id, &quota],
        )
        .await
        .unwrap();
    w.attach(MAC, "10.5.50.10").await;
    let (body, cookies) = w.verify_at(PHONE, MAC, "10.5.50.10").await;
    (id, body, cookies)
}

/// A resident with `quota` bytes whose device is online: it posted the login
/// form to the router and the portal confirmed it.
pub async fn online(w: &World, quota: i64) -> (Uuid, Cookies) {
    let (id, body, cookies) = logged_in(w, quota).await;
    let resp = w.post_login_form(MAC, &body["hotspot"]).await;
    assert_eq!(resp.status(), 302, "{:?}", resp.text().await);
    let resp = w.confirm_current(&cookies).await;
    assert_eq!(resp.status(), 200);
    (id, cookies)
}

pub async fn used(w: &World, id: Uuid) -> i64 {
    w.app
        .db()
        .await
        .query_one("select used_bytes from users where id = $1", &[&id])
        .await
        .unwrap()
        .get(0)
}

pub async fn live_session(w: &World) -> HashMap<String, String> {
    let rows = router_rows(
        w,
        "/ip/hotspot/active",
        &["user", "bytes-in", "bytes-out", "limit-bytes-total"],
    )
    .await;
    assert_eq!(rows.len(), 1, "{rows:?}");
    rows.into_iter().next().unwrap()
}

/// Adds a hotspot user on the router by hand, as an operator in Winbox would.
pub async fn add_on_router(w: &World, props: &[(&str, &str)]) {
    let client = w.router_client().await;
    client
        .add("/ip/hotspot/user", props.iter().copied())
        .await
        .unwrap();
}

/// A local TCP port nothing listens on (bound, then released).
pub fn closed_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

/// The router's own login page, as a phone on the hotspot posts it: 302
/// when the router logged the device `mac` in.
pub async fn router_page_login(w: &World, mac: &str, user: &str, password: &str) -> u16 {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .post(format!("http://{}/login", w.sb.http_addr))
        .header("X-Sim-Client-Mac", mac)
        .form(&[("username", user), ("password", password), ("dst", "")])
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}
