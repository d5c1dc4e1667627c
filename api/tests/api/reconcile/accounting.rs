//! Usage accounting and limits: the exact cut, reboots, FUP, top-ups, bypass mode.

use std::collections::HashMap;

use crate::helpers::*;

fn live_bytes(session: &HashMap<String, String>) -> u64 {
    session["bytes-in"].parse::<u64>().unwrap() + session["bytes-out"].parse::<u64>().unwrap()
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
    let (id, _) = online(&w, quota).await;
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
