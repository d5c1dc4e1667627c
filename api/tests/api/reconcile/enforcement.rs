//! Admin changes reaching the router at once: approval, block, unblock, delete.

use uuid::Uuid;

use crate::helpers::*;

#[tokio::test]
async fn an_approval_reaches_the_router_at_once_without_waiting_for_a_cycle() {
    let w = World::start(|_| {}).await;
    let listener = api::worker::start_listener(w.app.state.clone())
        .await
        .unwrap();
    w.create_admin(None).await;
    let pending = Uuid::now_v7();
    w.app
        .db()
        .await
        .execute(
            "insert into users (id, phone, name, role, blok, kamar, router_id, quota_bytes, valid_until)
             values ($1, '+6281234567890', 'Budi', 'resident', 'A', '1', $2, 1073741824, now() + interval '7 days')",
            &[&pending, &w.router_id],
        )
        .await
        .unwrap();
    let watcher = w.router_client().await;
    let mut events = watcher
        .listen(
            "/ip/hotspot/user",
            &["name", "limit-bytes-total", "disabled"],
        )
        .unwrap();
    // Commands on one session run in order: once this answers, the listen is in place.
    watcher.identity().await.unwrap();

    let resp = w.admin_login("kepala", "kata-sandi-panjang").await;
    let admin = crate::helpers::Cookies::from(&resp);
    let resp = crate::helpers::authed(
        &w.app,
        reqwest::Method::POST,
        &format!("/api/v1/admin/registrations/{pending}/approve"),
        &admin,
    )
    .send()
    .await
    .unwrap();
    assert_eq!(resp.status(), 200);

    let event = tokio::time::timeout(std::time::Duration::from_secs(5), events.next())
        .await
        .expect("the router changed within 5 s, not at the next cycle");
    let Some(Ok(routeros::Reply::Re(row))) = event else {
        panic!("expected the new hotspot user, got {event:?}")
    };
    assert_eq!(row.get("name"), Some("081234567890"));
    assert_eq!(row.get("limit-bytes-total"), Some("1073741824"));
    assert_eq!(row.get("disabled"), Some("false"));
    listener.abort();
    w.stop().await;
}

#[tokio::test]
async fn a_block_kicks_the_live_session_within_a_second_and_ends_the_api_session() {
    let w = World::start(|_| {}).await;
    let (id, cookies) = online(&w, 1_000_000_000).await;
    let listener = api::worker::start_listener(w.app.state.clone())
        .await
        .unwrap();
    let admin = w.admin().await;
    let watcher = w.router_client().await;
    let mut events = watcher.listen("/ip/hotspot/active", &["user"]).unwrap();
    watcher.identity().await.unwrap();

    let started = std::time::Instant::now();
    let access = admin.block(id, "Pelanggaran tata tertib").await;
    assert_eq!(access.status, shared_types::AccessStatus::Blocked);
    assert_eq!(
        access.blocked_reason.as_deref(),
        Some("Pelanggaran tata tertib")
    );
    let event = tokio::time::timeout(std::time::Duration::from_secs(1), events.next())
        .await
        .expect("the session was kicked within a second");
    let Some(Ok(routeros::Reply::Re(row))) = event else {
        panic!("expected the session's removal, got {event:?}")
    };
    assert_eq!(row.get(".dead"), Some("true"));
    eprintln!("block → kicked in {:?}", started.elapsed());
    assert!(router_rows(&w, "/ip/hotspot/active", &["user"])
        .await
        .is_empty());
    assert_eq!(router_users(&w).await["081234567890"]["disabled"], "true");
    // The resident's API session ended too.
    let resp = authed(&w.app, reqwest::Method::GET, "/api/v1/me", &cookies)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 401);
    listener.abort();
    w.stop().await;
}

#[tokio::test]
async fn a_block_needs_a_reason_repeats_harmlessly_and_unblock_restores_access() {
    let w = World::start(|_| {}).await;
    let (id, _) = online(&w, 1_000_000_000).await;
    let listener = api::worker::start_listener(w.app.state.clone())
        .await
        .unwrap();
    let admin = w.admin().await;
    let (status, body) = admin_call(
        &w,
        reqwest::Method::POST,
        &format!("/api/v1/admin/users/{id}/block"),
        &admin.cookies,
        Some(serde_json::json!({"reason": ""})),
    )
    .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (422, Some("validation_failed"))
    );
    admin.block(id, "Pelanggaran tata tertib").await;
    // Idempotent: the same block again changes nothing but the record.
    let again = admin.block(id, "lagi").await;
    assert_eq!(again.status, shared_types::AccessStatus::Blocked);

    let access = admin.unblock(id).await;
    assert_eq!(access.status, shared_types::AccessStatus::Active);
    let enabled = tokio::time::timeout(std::time::Duration::from_secs(5), async {
        loop {
            if router_users(&w).await["081234567890"]["disabled"] == "false" {
                break;
            }
            tokio::task::yield_now().await;
        }
    })
    .await;
    assert!(enabled.is_ok(), "the account was enabled again");
    let audit: i64 = w
        .app
        .db()
        .await
        .query_one(
            "select count(*) from audit_log where action in ('user.block', 'user.unblock')",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(audit, 3);
    listener.abort();
    w.stop().await;
}

#[tokio::test]
async fn deleting_a_user_leaves_nothing_of_theirs_on_the_router() {
    let w = World::start_mode("bypass", |_| {}).await;
    let id = w.resident(crate::helpers::PHONE).await;
    w.attach(MAC, "10.5.50.10").await;
    w.login(crate::helpers::PHONE, MAC, "10.5.50.10").await;
    w.app
        .db()
        .await
        .execute(
            "update users set quota_bytes = 100000000, used_bytes = 90000000,
                              fup_threshold_bytes = 20000000 where id = $1",
            &[&id],
        )
        .await
        .unwrap();
    let admin = admin(&w).await;
    cycle(&w).await;
    // Someone else's objects on the same router stay.
    let client = w.router_client().await;
    client
        .add(
            "/ip/firewall/address-list",
            [("list", "gerbang-fup"), ("address", "10.5.50.99")],
        )
        .await
        .unwrap();
    let ours = |path: &'static str| {
        let w = &w;
        async move {
            crate::helpers::router_rows(w, path, &["comment"])
                .await
                .into_iter()
                .filter(|r| {
                    r.get("comment")
                        .is_some_and(|c| c.contains(&id.to_string()))
                })
                .count()
        }
    };
    assert_eq!(ours("/ip/hotspot/ip-binding").await, 1);
    assert_eq!(ours("/queue/simple").await, 1, "the FUP queue");
    assert_eq!(ours("/ip/firewall/address-list").await, 1);
    assert_eq!(ours("/ip/hotspot/user").await, 1);

    // The router drops the connection: nothing is deleted.
    w.sb.router()
        .router
        .set_faults(sandbox::routeros_sim::Faults {
            fatal_next: Some("session terminated".into()),
            ..Default::default()
        })
        .await;
    let (status, body) = admin_call(
        &w,
        reqwest::Method::DELETE,
        &format!("/api/v1/admin/users/{id}"),
        &admin,
        None,
    )
    .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (503, Some("service_unavailable"))
    );
    assert_eq!(w.app.count("users").await, 2);

    let (status, body) = admin_call(
        &w,
        reqwest::Method::DELETE,
        &format!("/api/v1/admin/users/{id}"),
        &admin,
        None,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    for path in [
        "/ip/hotspot/ip-binding",
        "/queue/simple",
        "/ip/firewall/address-list",
        "/ip/hotspot/user",
        "/ip/hotspot/cookie",
    ] {
        assert_eq!(ours(path).await, 0, "{path}");
    }
    let hosts = crate::helpers::router_rows(&w, "/ip/hotspot/host", &["mac-address"]).await;
    assert!(hosts.iter().all(|h| h["mac-address"] != MAC), "{hosts:?}");
    let lists = crate::helpers::router_rows(&w, "/ip/firewall/address-list", &["address"]).await;
    assert_eq!(lists.len(), 1, "the foreign entry stays");
    assert_eq!(w.app.count("users").await, 1, "only the admin is left");
    assert_eq!(w.app.count("devices").await, 0);
    assert_eq!(cycle(&w).await.writes, 0, "nothing to recreate");
    w.stop().await;
}
