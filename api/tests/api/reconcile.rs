//! Reconciliation of hotspot users against the simulated router.

use std::collections::HashMap;

use api::worker::{reconcile_routers, CycleOutcome};
use uuid::Uuid;

use crate::helpers::*;

async fn add_on_router(w: &World, props: &[(&str, &str)]) {
    let client = w.router_client().await;
    client
        .add("/ip/hotspot/user", props.iter().copied())
        .await
        .unwrap();
}

#[tokio::test]
async fn a_cycle_writes_only_the_difference_and_never_touches_foreign_accounts() {
    let w = World::start(|_| {}).await;
    let mut ids = Vec::new();
    for i in 0..50 {
        ids.push(w.resident(&format!("+62812000{i:05}")).await);
    }
    add_on_router(
        &w,
        &[
            ("name", "guest"),
            ("password", "x"),
            ("comment", "made by hand"),
        ],
    )
    .await;
    add_on_router(
        &w,
        &[
            ("name", "081999999999"),
            ("password", "x"),
            ("comment", "gerbang:uid=gone"),
        ],
    )
    .await;

    let first = cycle(&w).await;
    assert_eq!(first.users, 50);
    assert_eq!(
        first.writes, 52,
        "the FUP profile, 50 adds and the orphan removed"
    );
    assert_eq!(first.removed, 1);
    let users = router_users(&w).await;
    assert_eq!(users.len(), 51);
    assert_eq!(
        users["guest"]["comment"], "made by hand",
        "foreign account untouched"
    );
    assert!(!users.contains_key("081999999999"));
    let u = &users["081200000000"];
    assert_eq!(u["limit-bytes-total"], "5368709120");
    assert_eq!(u["disabled"], "false");
    assert_eq!(u["comment"], format!("gerbang:uid={}", ids[0]));

    // Nothing changed: nothing is written.
    assert_eq!(cycle(&w).await.writes, 0);

    // One user blocked, one topped up: exactly those two are written.
    let db = w.app.db().await;
    db.execute(
        "update users set blocked = true, blocked_reason = 'x' where id = $1",
        &[&ids[1]],
    )
    .await
    .unwrap();
    db.execute(
        "update users set quota_bytes = quota_bytes + 1073741824 where id = $1",
        &[&ids[2]],
    )
    .await
    .unwrap();
    assert_eq!(cycle(&w).await.writes, 2);
    let users = router_users(&w).await;
    assert_eq!(users["081200000001"]["disabled"], "true");
    assert_eq!(users["081200000002"]["limit-bytes-total"], "6442450944");
    assert_eq!(cycle(&w).await.writes, 0);
    w.stop().await;
}

#[tokio::test]
async fn a_router_owned_by_another_worker_is_skipped_and_a_dead_router_does_not_stop_others() {
    let w = World::start(|_| {}).await;
    w.resident("+6281234567890").await;
    // A second router that cannot be reached.
    let dead = Uuid::now_v7();
    let sealed = w.app.state.sealer.seal(
        "x",
        &api::crypto::aad("routers", "api_password_sealed", &dead),
    );
    let closed_port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    w.app
        .db()
        .await
        .execute(
            "insert into routers (id, name, host, port, api_username, api_password_sealed, login_url)
             values ($1, 'r0-dead', '127.0.0.1', $2, 'admin', $3, 'http://x/login')",
            &[&dead, &i32::from(closed_port), &sealed],
        )
        .await
        .unwrap();
    let outcomes = reconcile_routers(&w.app.state).await.unwrap();
    assert!(matches!(outcomes[0], (ref n, CycleOutcome::Failed(_)) if n == "r0-dead"));
    assert!(matches!(outcomes[1], (ref n, CycleOutcome::Done(s)) if n == "r1" && s.writes == 2));

    // Another worker holds r1's lock: this one skips it.
    let mut other = w.app.state.db.get().await.unwrap();
    let tx = other.transaction().await.unwrap();
    let key = api::db::routers::lock_key(&w.router_id);
    tx.execute("select pg_advisory_xact_lock($1)", &[&key])
        .await
        .unwrap();
    let outcomes = reconcile_routers(&w.app.state).await.unwrap();
    assert!(
        matches!(outcomes[1], (_, CycleOutcome::Skipped)),
        "{outcomes:?}"
    );
    tx.rollback().await.unwrap();
    let outcomes = reconcile_routers(&w.app.state).await.unwrap();
    assert!(matches!(outcomes[1], (_, CycleOutcome::Done(_))));
    w.stop().await;
}

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
async fn a_50_mbit_download_is_cut_at_exactly_the_quota_and_the_portal_says_exhausted() {
    let w = World::start(|_| {}).await;
    let quota = 100_000_000;
    let (id, cookies) = online(&w, quota).await;
    let provisioning = cycle(&w).await;
    assert_eq!(
        provisioning.writes, 2,
        "the FUP profile and the device in the active address list"
    );
    let router = &w.sb.router().router;
    assert!(router.set_traffic(MAC, 0, 50_000_000).await);

    router.advance(std::time::Duration::from_secs(10)).await;
    let stats = cycle(&w).await;
    assert_eq!(used(&w, id).await, 62_500_000, "live bytes counted");
    assert_eq!(
        stats.writes, 0,
        "the limit stays put while the session runs"
    );

    router.advance(std::time::Duration::from_secs(60)).await;
    let stats = cycle(&w).await;
    assert_eq!(
        used(&w, id).await,
        quota,
        "cut at the exact byte, counted once"
    );
    assert_eq!(
        stats.writes, 2,
        "the account is disabled, the device moves to the exhausted list"
    );
    assert_eq!(router_users(&w).await["081234567890"]["disabled"], "true");
    let lists = crate::helpers::router_rows(
        &w,
        "/ip/firewall/address-list",
        &["list", "address", "comment"],
    )
    .await;
    assert_eq!(lists.len(), 1, "{lists:?}");
    assert_eq!(lists[0]["list"], "gerbang-exhausted");
    assert_eq!(lists[0]["address"], "10.5.50.10");
    assert_eq!(lists[0]["comment"], format!("gerbang:uid={id}"));
    let status: serde_json::Value =
        crate::helpers::get_json(&w.app, "/api/v1/me/status", &cookies).await;
    assert_eq!(status["status"], "exhausted");
    assert_eq!(status["remaining_bytes"], 0);
    let ledger: i64 = w
        .app
        .db()
        .await
        .query_one(
            "select sum(bytes)::bigint from usage_ledger where user_id = $1",
            &[&id],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(ledger, quota);
    let daily: i64 = w
        .app
        .db()
        .await
        .query_one("select bytes from usage_daily where user_id = $1", &[&id])
        .await
        .unwrap()
        .get(0);
    assert_eq!(daily, quota);
    // Nothing new: nothing charged, nothing written.
    assert_eq!(cycle(&w).await.writes, 0);
    assert_eq!(used(&w, id).await, quota);
    w.stop().await;
}

#[tokio::test]
async fn a_reboot_never_double_counts_and_the_next_login_gets_exactly_what_is_left() {
    let w = World::start(|_| {}).await;
    let (id, cookies) = online(&w, 100_000_000).await;
    let router = &w.sb.router().router;
    router.set_traffic(MAC, 0, 50_000_000).await;
    router.advance(std::time::Duration::from_secs(4)).await;
    cycle(&w).await;
    assert_eq!(used(&w, id).await, 25_000_000);
    router.advance(std::time::Duration::from_secs(4)).await;
    // The router reboots before the next cycle: the live session and its
    // unreported 25 MB are gone.
    router.reboot().await;
    cycle(&w).await;
    assert_eq!(used(&w, id).await, 25_000_000);
    assert_eq!(cycle(&w).await.writes, 0);

    // Back online: the session may use exactly the 75 MB left.
    let resp = w.connect_current(&cookies).await;
    assert_eq!(resp.status(), 200);
    router.advance(std::time::Duration::from_secs(60)).await;
    cycle(&w).await;
    assert_eq!(used(&w, id).await, 100_000_000);
    w.stop().await;
}

fn live_bytes(session: &HashMap<String, String>) -> u64 {
    session["bytes-in"].parse::<u64>().unwrap() + session["bytes-out"].parse::<u64>().unwrap()
}

#[tokio::test]
async fn crossing_the_fup_threshold_drops_the_live_session_to_the_fup_rate() {
    let w = World::start(|s| {
        s.quota.fup_rate_up_bps = 256_000;
        s.quota.fup_rate_down_bps = 1_000_000;
    })
    .await;
    let (id, cookies) = online(&w, 100_000_000).await;
    w.app
        .db()
        .await
        .execute(
            "update users set fup_threshold_bytes = 20000000 where id = $1",
            &[&id],
        )
        .await
        .unwrap();
    cycle(&w).await;
    let router = &w.sb.router().router;
    router.set_traffic(MAC, 0, 50_000_000).await;
    // 14 s at 50 Mbit/s: 87.5 MB used, 12.5 MB left — below the 20 MB threshold.
    router.advance(std::time::Duration::from_secs(14)).await;
    let before = live_bytes(&live_session(&w).await);
    assert_eq!(before, 87_500_000, "full speed before FUP");
    let stats = cycle(&w).await;
    assert_eq!(used(&w, id).await, 87_500_000);
    assert_eq!(
        stats.refreshed, 1,
        "the live session picks up the FUP profile"
    );
    let users = router_users(&w).await;
    assert_eq!(users["081234567890"]["profile"], "gerbang-fup");
    let status: serde_json::Value =
        crate::helpers::get_json(&w.app, "/api/v1/me/status", &cookies).await;
    assert_eq!(status["status"], "fup");
    let lists =
        crate::helpers::router_rows(&w, "/ip/firewall/address-list", &["list", "address"]).await;
    assert_eq!(lists.len(), 1);
    assert_eq!(lists[0]["list"], "gerbang-fup");

    // The new session runs at the FUP rate: 10 s at 1 Mbit/s down = 1.25 MB.
    let session = live_session(&w).await;
    assert_eq!(live_bytes(&session), 0, "a fresh session");
    assert_eq!(session["limit-bytes-total"], "12500000", "what is left");
    router.advance(std::time::Duration::from_secs(10)).await;
    assert_eq!(live_bytes(&live_session(&w).await), 1_250_000);
    let stats = cycle(&w).await;
    assert_eq!(stats.writes, 0, "steady in FUP");
    // A targeted reaction agrees with the cycle (no flip back to the regular profile).
    assert_eq!(
        api::worker::reconcile_user_now(&w.app.state, id)
            .await
            .unwrap(),
        0
    );
    assert_eq!(used(&w, id).await, 88_750_000);
    w.stop().await;
}

#[tokio::test]
async fn a_top_up_while_online_raises_the_live_limit_without_the_user_doing_anything() {
    let w = World::start(|_| {}).await;
    let (id, _cookies) = online(&w, 100_000_000).await;
    cycle(&w).await;
    let router = &w.sb.router().router;
    router.set_traffic(MAC, 0, 50_000_000).await;
    router.advance(std::time::Duration::from_secs(10)).await;
    assert_eq!(cycle(&w).await.writes, 0);
    assert_eq!(
        live_session(&w).await["limit-bytes-total"],
        "100000000",
        "fixed at login"
    );

    // A 100 MB package is credited (the payments issue does this in a transaction).
    let db = w.app.db().await;
    db.execute(
        "update users set quota_bytes = quota_bytes + 100000000 where id = $1",
        &[&id],
    )
    .await
    .unwrap();
    let stats = cycle(&w).await;
    assert_eq!(stats.refreshed, 1);
    assert_eq!(
        stats.writes, 3,
        "new account limit, the old session ended, logged in again"
    );
    let session = live_session(&w).await;
    assert_eq!(
        session["limit-bytes-total"], "137500000",
        "the live session may use all that is left"
    );

    // Cut at exactly the new total, counted once across both sessions.
    router.advance(std::time::Duration::from_secs(60)).await;
    cycle(&w).await;
    assert_eq!(used(&w, id).await, 200_000_000);
    let ledger: i64 = db
        .query_one(
            "select sum(bytes)::bigint from usage_ledger where user_id = $1",
            &[&id],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(ledger, 200_000_000);
    w.stop().await;
}

#[tokio::test]
async fn bypass_mode_counts_host_bytes_and_cycles_faster_near_the_limit() {
    let w = World::start_mode("bypass", |s| s.worker.min_interval_seconds = 1).await;
    let quota: i64 = 100_000_000;
    let (id, body, _) = logged_in(&w, quota).await;
    assert_eq!(body["hotspot"]["mode"], "bypass");
    let first = cycle(&w).await;
    assert_eq!(first.reads, 7, "every menu read once");
    let bindings = crate::helpers::router_rows(
        &w,
        "/ip/hotspot/ip-binding",
        &["mac-address", "type", "comment"],
    )
    .await;
    assert_eq!(
        bindings.len(),
        1,
        "the login's binding is kept, not doubled"
    );
    assert_eq!(cycle(&w).await.writes, 0);

    // 50 Mbit/s = 6.25 MB/s. The worker runs the next cycle when it says.
    let router = &w.sb.router().router;
    router.set_traffic(MAC, 0, 50_000_000).await;
    let tick = std::time::Duration::from_secs(w.app.state.settings.worker.tick_seconds);
    let mut next = std::time::Duration::from_secs(4);
    let mut cycles = 0;
    let mut intervals = Vec::new();
    loop {
        router.advance(next).await;
        let stats = cycle(&w).await;
        cycles += 1;
        let status = w
            .app
            .db()
            .await
            .query_one("select used_bytes from users where id = $1", &[&id])
            .await
            .unwrap()
            .get::<_, i64>(0);
        if status >= quota {
            break;
        }
        next = api::worker::next_cycle_in(&w.app.state.settings, &stats).min(tick);
        intervals.push(next.as_secs_f64());
        assert!(cycles < 20, "never converged: {intervals:?}");
    }
    let overshoot = used(&w, id).await - quota;
    // At most one minimum interval at full speed: 1 s × 6.25 MB/s.
    assert!(
        (0..=6_250_000).contains(&overshoot),
        "overshoot {overshoot} after intervals {intervals:?}"
    );
    assert!(
        intervals.windows(2).all(|p| p[1] <= p[0]),
        "intervals shrink near the limit: {intervals:?}"
    );
    // Exhausted: the binding is gone, the device is in the exhausted list.
    let bindings =
        crate::helpers::router_rows(&w, "/ip/hotspot/ip-binding", &["mac-address"]).await;
    assert!(bindings.is_empty(), "{bindings:?}");
    let lists = crate::helpers::router_rows(&w, "/ip/firewall/address-list", &["list"]).await;
    assert_eq!(lists.len(), 1);
    assert_eq!(lists[0]["list"], "gerbang-exhausted");
    assert_eq!(cycle(&w).await.writes, 0);
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
    let script = api::services::provision::script(settings, &router);
    for expected in [
        "rate-limit=\"1000000/1000000\"",
        "dst-host=\"portal.test\"",
        "dst-host=\"challenges.cloudflare.com\"",
        "dst-host=\"app.midtrans.com\"",
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
    let before = api::services::provision::check_router(settings, &client, &router)
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
    for host in api::services::provision::walled_garden_hosts(settings) {
        client
            .api()
            .add(
                "/ip/hotspot/walled-garden/ip",
                [("action", "accept"), ("dst-host", host.as_str())],
            )
            .await
            .unwrap();
    }
    let after = api::services::provision::check_router(settings, &client, &router)
        .await
        .unwrap();
    let after = missing(&after);
    // The simulator has no /file or DHCP option menus: reported, not hidden.
    assert_eq!(after, ["login.html", "DHCP option 114"], "{after:?}");
    w.stop().await;
}

#[tokio::test]
async fn a_worker_killed_mid_cycle_leaves_a_state_the_next_cycle_converges_from() {
    let w = World::start(|_| {}).await;
    let (id, _) = online(&w, 100_000_000).await;
    for i in 0..200 {
        w.resident(&format!("+62813000{i:05}")).await;
    }
    let router = &w.sb.router().router;
    router.set_traffic(MAC, 0, 8_000_000).await;
    router.advance(std::time::Duration::from_secs(5)).await;
    // Slow router: the cycle is still writing when the worker dies.
    router
        .set_faults(sandbox::routeros_sim::Faults {
            latency_ms: 2,
            ..Default::default()
        })
        .await;
    let watcher = w.router_client().await;
    let mut events = watcher.listen("/ip/hotspot/user", &["name"]).unwrap();
    watcher.identity().await.unwrap();
    let state = w.app.state.clone();
    let worker = tokio::spawn(async move { reconcile_routers(&state).await });
    let first_write = tokio::time::timeout(std::time::Duration::from_secs(30), events.next())
        .await
        .expect("the cycle started writing");
    assert!(matches!(first_write, Some(Ok(routeros::Reply::Re(_)))));
    worker.abort();
    assert!(worker.await.unwrap_err().is_cancelled(), "killed mid-cycle");
    let partial = crate::helpers::router_rows(&w, "/ip/hotspot/user", &["name"]).await;
    assert!(
        partial.len() < 201,
        "the cycle did not finish: {}",
        partial.len()
    );
    router.set_faults(Default::default()).await;

    // The restarted worker converges: every account, usage counted once.
    // (Commands already sent before the kill may still land: that is fine.)
    cycle(&w).await;
    assert_eq!(router_users(&w).await.len(), 201);
    assert_eq!(cycle(&w).await.writes, 0, "converged");
    assert_eq!(used(&w, id).await, 5_000_000, "5 s at 8 Mbit/s, once");
    w.stop().await;
}
