//! The reconcile cycle: only differences written, router ownership, a killed worker.

use api::worker::{reconcile_routers, CycleOutcome};
use uuid::Uuid;

use crate::helpers::*;

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
    let closed_port = closed_port();
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

#[tokio::test]
async fn a_slow_router_that_answers_still_converges_and_is_not_backed_off() {
    // One command may take 0.5 s; the router answers each after 0.2 s, one
    // at a time, so a pipelined batch of five or more needs longer than one
    // command's limit.
    let w = World::start(|s| s.routers.command_timeout_ms = 500).await;
    for i in 0..4 {
        w.resident(&format!("+62812777000{i:02}")).await;
    }
    w.sb.router()
        .router
        .set_faults(sandbox::routeros_sim::Faults {
            latency_ms: 200,
            ..Default::default()
        })
        .await;
    let started = std::time::Instant::now();
    let stats = cycle(&w).await;
    let took = started.elapsed();
    assert!(stats.writes >= 5, "{stats:?}");
    assert!(
        took >= std::time::Duration::from_millis(1000),
        "the router really was slow: {took:?}"
    );
    assert_eq!(router_users(&w).await.len(), 4);
    // A slow success schedules the next cycle at the regular tick, not a backoff.
    let mut schedule = api::worker::Schedule::default();
    let wait = schedule.record(
        &w.app.state.settings,
        w.router_id,
        &CycleOutcome::Done(stats),
        tokio::time::Instant::now(),
    );
    assert_eq!(wait.as_secs(), w.app.state.settings.worker.tick_seconds);
    w.stop().await;
}
