//! "Online now" (one router read per interval however many admins watch) and
//! the audit log's filters and pages.

use reqwest::Method;
use serde_json::json;
use uuid::Uuid;

use crate::helpers::*;

#[tokio::test]
async fn many_admins_watching_read_the_router_once_per_interval() {
    // A long interval, so "once" cannot depend on how fast the test runs.
    let w = World::start(|s| s.routers.live_read_seconds = 600).await;
    let (id, _) = online(&w, 1_000_000_000).await;
    let admin = w.admin().await;
    let reads = || {
        w.sb.router()
            .router
            .command_count("/ip/hotspot/active/print")
    };
    let before = reads().await;
    let calls = (0..10).map(|_| {
        admin_call(
            &w,
            Method::GET,
            "/api/v1/admin/online",
            &admin.cookies,
            None,
        )
    });
    let answers = futures_util::future::join_all(calls).await;
    for (s, body) in &answers {
        assert_eq!(*s, 200, "{body}");
        let live = &body["routers"][0]["live"];
        assert_eq!(live["router_reachable"], true);
        assert_eq!(live["sessions"][0]["user_id"], id.to_string());
        assert_eq!(live["sessions"][0]["user_name"], "Budi");
        assert_eq!(body["refresh_seconds"], 600);
    }
    assert_eq!(reads().await - before, 1, "ten views, one router read");

    // The people list filters by "online now" from the same shared read.
    let other = w.resident("+6281299998888").await;
    let ids = |body: &serde_json::Value| -> Vec<String> {
        body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["id"].as_str().unwrap().to_owned())
            .collect()
    };
    let (s, on) = admin_call(
        &w,
        Method::GET,
        "/api/v1/admin/users?online=true",
        &admin.cookies,
        None,
    )
    .await;
    assert_eq!((s, ids(&on)), (200, vec![id.to_string()]), "{on}");
    let (_, off) = admin_call(
        &w,
        Method::GET,
        "/api/v1/admin/users?online=false&role=resident",
        &admin.cookies,
        None,
    )
    .await;
    assert_eq!(ids(&off), vec![other.to_string()], "{off}");
    assert_eq!(reads().await - before, 1, "still the one read");

    // A kick forgets the read: the next view reads the router again.
    let session = answers[0].1["routers"][0]["live"]["sessions"][0]["session_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let kick = format!("/api/v1/admin/users/{id}/sessions/kick");
    let (s, _) = admin_call(
        &w,
        Method::POST,
        &kick,
        &admin.cookies,
        Some(json!({"session_id": session})),
    )
    .await;
    assert_eq!(s, 200);
    let (_, body) = admin_call(
        &w,
        Method::GET,
        "/api/v1/admin/online",
        &admin.cookies,
        None,
    )
    .await;
    assert!(
        body["routers"][0]["live"]["sessions"]
            .as_array()
            .unwrap()
            .is_empty(),
        "{body}"
    );
    let (s, _) = admin_call(
        &w,
        Method::GET,
        &format!("/api/v1/admin/online?router_id={}", Uuid::now_v7()),
        &admin.cookies,
        None,
    )
    .await;
    assert_eq!(s, 404);
    w.stop().await;
}

#[tokio::test]
async fn the_audit_log_filters_by_actor_person_action_and_day_and_pages() {
    let w = World::start(|_| {}).await;
    let a = w.resident(PHONE).await;
    let b = w.resident("+6281299998888").await;
    let admin = w.admin().await;
    for id in [a, b] {
        admin.block(id, "Pelanggaran").await;
        admin.unblock(id).await;
    }
    let get = |q: String| {
        let cookies = admin.cookies.clone();
        let w = &w;
        async move {
            let (s, body) = admin_call(
                w,
                Method::GET,
                &format!("/api/v1/admin/audit{q}"),
                &cookies,
                None,
            )
            .await;
            assert_eq!(s, 200, "{q}: {body}");
            body
        }
    };
    let about_a = get(format!("?user_id={a}")).await;
    let actions: Vec<&str> = about_a["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        ["user.unblock", "user.block"],
        "newest first, only about A"
    );
    assert_eq!(about_a["items"][1]["details"]["reason"], "Pelanggaran");
    assert_eq!(about_a["items"][1]["actor_name"], "Kepala Admin");
    assert_eq!(about_a["items"][1]["target_name"], "Budi");

    let blocks = get("?action=user.block".into()).await;
    assert_eq!(blocks["items"].as_array().unwrap().len(), 2);
    let kepala: Uuid = w
        .app
        .db()
        .await
        .query_one("select id from users where username = 'kepala'", &[])
        .await
        .unwrap()
        .get(0);
    // The admin's `user.…` actions (creating the admin was the command line's).
    let family = get(format!("?action=user&actor_id={kepala}")).await;
    assert_eq!(family["items"].as_array().unwrap().len(), 4, "{family}");
    let nobody = get(format!("?actor_id={}", Uuid::now_v7())).await;
    assert!(nobody["items"].as_array().unwrap().is_empty());
    let past = get("?action=user&to=2020-01-01".into()).await;
    assert!(
        past["items"].as_array().unwrap().is_empty(),
        "nothing before 2020"
    );

    // Pages of one: every entry once, in order.
    let mut seen = Vec::new();
    let mut q = format!("?action=user&actor_id={kepala}&limit=1");
    loop {
        let page = get(q.clone()).await;
        seen.extend(
            page["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["id"].as_str().unwrap().to_owned()),
        );
        match page["next"].as_str() {
            Some(next) => q = format!("?action=user&actor_id={kepala}&limit=1&after={next}"),
            None => break,
        }
    }
    let all: Vec<String> = family["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(seen, all);

    for bad in [
        "?limit=0",
        "?action=DROP%20TABLE",
        "?from=0001-01-01",
        "?after=nope",
    ] {
        let (s, env) = admin_call(
            &w,
            Method::GET,
            &format!("/api/v1/admin/audit{bad}"),
            &admin.cookies,
            None,
        )
        .await;
        assert_eq!(
            (s, env["code"].as_str()),
            (400, Some("invalid_parameter")),
            "{bad}"
        );
    }
    w.stop().await;
}

#[tokio::test]
async fn online_now_names_the_owners_of_bypassed_devices() {
    let w = World::start_mode("bypass", |_| {}).await;
    let (id, _) = online(&w, 1_000_000_000).await;
    cycle(&w).await;
    let admin = w.admin().await;
    let (s, body) = admin_call(
        &w,
        Method::GET,
        "/api/v1/admin/online",
        &admin.cookies,
        None,
    )
    .await;
    assert_eq!(s, 200, "{body}");
    let sessions = body["routers"][0]["live"]["sessions"].as_array().unwrap();
    let bypassed = sessions
        .iter()
        .find(|s| s["kind"] == "bypass")
        .unwrap_or_else(|| panic!("no bypassed device: {body}"));
    assert_eq!(bypassed["user_id"], id.to_string());
    assert_eq!(bypassed["user_name"], "Budi");
    assert_eq!(bypassed["mac"], MAC);
    assert_eq!(bypassed["hotspot_username"], LOCAL);
    w.stop().await;
}
