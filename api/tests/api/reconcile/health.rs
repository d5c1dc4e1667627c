//! What operators read about a router: drift, metrics, provisioning and the live check.

use api::worker::{reconcile_routers, CycleOutcome};
use uuid::Uuid;

use crate::helpers::*;

#[tokio::test]
async fn the_drift_report_shows_what_differs_and_writes_nothing() {
    let w = World::start(|_| {}).await;
    let (id, _) = online(&w, 100_000_000).await;
    let admin = admin(&w).await;
    let outcomes = reconcile_routers(&w.app.state).await.unwrap();
    assert!(matches!(outcomes[0].1, CycleOutcome::Done(_)));
    let path = format!("/api/v1/admin/routers/{}/drift", w.router_id);
    let (status, body) = admin_call(&w, reqwest::Method::GET, &path, &admin, None).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["health"]["reachable"], true);
    assert_eq!(body["health"]["last_cycle"]["ok"], true);
    assert_eq!(body["users"], serde_json::json!([]), "in sync: {body}");
    assert_eq!(body["users_checked"], 2, "the resident and the admin");

    // Someone edits the router by hand, the user downloads, and an orphan appears.
    let client = w.router_client().await;
    let row = client
        .print("/ip/hotspot/user")
        .query(routeros::Query::Eq("name".into(), "081234567890".into()))
        .rows()
        .await
        .unwrap();
    client
        .set(
            "/ip/hotspot/user",
            row[0].id().unwrap(),
            [("limit-bytes-total", "5"), ("password", "hand-made")],
        )
        .await
        .unwrap();
    add_on_router(
        &w,
        &[
            ("name", "0899"),
            ("password", "x"),
            ("comment", "gerbang:uid=gone"),
        ],
    )
    .await;
    let router = &w.sb.router().router;
    router.set_traffic(MAC, 0, 8_000_000).await;
    router.advance(std::time::Duration::from_secs(1)).await;
    let (_, body) = admin_call(&w, reqwest::Method::GET, &path, &admin, None).await;
    let users = body["users"].as_array().unwrap();
    assert_eq!(users.len(), 2, "{body}");
    let resident = users
        .iter()
        .find(|u| u["user_id"] == id.to_string())
        .unwrap();
    assert_eq!(resident["status"], "active");
    assert_eq!(resident["unaccounted_bytes"], 1_000_000);
    let diffs = resident["differences"].as_array().unwrap();
    let field = |f: &str| diffs.iter().find(|d| d["field"] == f).cloned();
    let limit = field("limit-bytes-total").expect("limit differs");
    assert_eq!(limit["database"], "100000000");
    assert_eq!(limit["router"], "5");
    let password = field("password").expect("password differs");
    assert_eq!(password["router"], "(differs)", "never shown");
    assert!(!body.to_string().contains("hand-made"));
    let orphan = users.iter().find(|u| u["name"] == "0899").unwrap();
    assert_eq!(orphan["user_id"], serde_json::Value::Null);
    // The report wrote nothing: the next cycle still finds the drift and fixes it.
    let stats = cycle(&w).await;
    assert_eq!(stats.removed, 1);
    assert!(stats.writes >= 2, "{stats:?}");

    w.stop().await;
}

#[tokio::test]
async fn metrics_show_the_last_cycle_of_each_router() {
    let w = World::start(|_| {}).await;
    online(&w, 100_000_000).await;
    let stats = cycle(&w).await;
    let metrics = w
        .app
        .http
        .get(w.app.url("/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        metrics.contains("gerbang_router_cycle_up{router=\"r1\"} 1"),
        "{metrics}"
    );
    let writes_line = metrics
        .lines()
        .find(|l| l.starts_with("gerbang_router_cycle_writes{router=\"r1\"}"))
        .unwrap();
    assert_eq!(
        writes_line,
        format!(
            "gerbang_router_cycle_writes{{router=\"r1\"}} {}",
            stats.writes
        )
    );

    w.stop().await;
}

#[tokio::test]
async fn an_unreachable_router_is_reported_as_such_and_an_unknown_one_is_not_found() {
    let w = World::start(|_| {}).await;
    let admin = admin(&w).await;
    let path = format!("/api/v1/admin/routers/{}/drift", w.router_id);
    // Unreachable router: the report says so instead of failing.
    w.sb.router()
        .router
        .set_faults(sandbox::routeros_sim::Faults {
            fatal_next: Some("gone".into()),
            ..Default::default()
        })
        .await;
    let (status, body) = admin_call(&w, reqwest::Method::GET, &path, &admin, None).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["health"]["reachable"], false);
    assert!(body["health"]["error"].is_string());
    let (status, body) = admin_call(
        &w,
        reqwest::Method::GET,
        &format!("/api/v1/admin/routers/{}/drift", Uuid::now_v7()),
        &admin,
        None,
    )
    .await;
    assert_eq!((status, body["code"].as_str()), (404, Some("not_found")));
    w.stop().await;
}

#[tokio::test]
async fn provisioning_script_and_live_check_agree() {
    let w = World::start(|_| {}).await;
    let router = {
        let db = w.app.state.db.get().await.unwrap();
        api::db::routers::by_id(&db, w.router_id)
            .await
            .unwrap()
            .unwrap()
    };
    let settings = &w.app.state.settings;
    let facility = w.app.state.facility().await;
    let script = api::services::provision::script(settings, &facility, &router);
    for expected in [
        "rate-limit=\"1000000/1000000\"",
        "dst-host=\"portal.test\"",
        "dst-host=\"challenges.cloudflare.com\"",
        "dst-host=\"app.midtrans.com\"",
        "dst-host=\"gopay.co.id\"",
        "dst-host=\"bri.co.id\"",
        "code=114 value=\"'http://portal.test/api/v1/captive'\"",
        "src-address-list=\"gerbang-blocked\" action=drop",
        "http://portal.test/captive?ip=\\$(ip)&amp;mac=\\$(mac)&amp;link-login-only=\\$(link-login-only-esc)",
        "policy=api,read,write,",
    ] {
        assert!(script.contains(expected), "{expected} missing in\n{script}");
    }

    let client = w.app.state.routers.client(&router).await.unwrap();
    let missing = |checks: &[api::services::provision::Check]| -> Vec<String> {
        checks
            .iter()
            .filter(|c| !c.ok)
            .map(|c| c.item.clone())
            .collect()
    };
    let before = api::services::provision::check_router(settings, &facility, &client, &router)
        .await
        .unwrap();
    let before = missing(&before);
    assert!(
        before.contains(&"user profile gerbang-fup".to_owned()),
        "{before:?}"
    );
    assert!(
        before.contains(&"walled garden portal.test".to_owned()),
        "{before:?}"
    );

    // What the script's walled-garden lines and the worker do, over the API.
    cycle(&w).await;
    for host in api::services::provision::walled_garden_hosts(settings, &facility) {
        client
            .api()
            .add(
                "/ip/hotspot/walled-garden/ip",
                [("action", "accept"), ("dst-host", host.as_str())],
            )
            .await
            .unwrap();
    }
    let after = api::services::provision::check_router(settings, &facility, &client, &router)
        .await
        .unwrap();
    let after = missing(&after);
    // The simulator has no /file or DHCP option menus: reported, not hidden.
    assert_eq!(after, ["login.html", "DHCP option 114"], "{after:?}");
    w.stop().await;
}
