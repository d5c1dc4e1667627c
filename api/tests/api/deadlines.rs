//! A database that stops answering (the path black-holed: connections stay
//! open, nothing comes back) must not hang requests or stall the worker.

use std::time::{Duration, Instant};

use api::worker::{reconcile_each, CycleOutcome};

use crate::helpers::*;

/// The app (and its world) reaching PostgreSQL through a proxy the test can silence.
async fn world_behind(proxy: &TcpProxy) -> World {
    let addr = proxy.addr;
    World::start(move |s| {
        let direct = s.database.url.expose().to_string();
        s.database.url = api::settings::Secret::new(url_via(&direct, addr));
        s.database.connect_timeout_ms = 1000;
        s.database.statement_timeout_ms = 1000;
        s.http.request_timeout_ms = 1500;
        s.worker.cycle_timeout_seconds = 2;
    })
    .await
}

#[tokio::test]
async fn a_silent_database_gets_a_503_in_bounded_time_and_requests_work_again_after() {
    let proxy = TcpProxy::start(socket_of(&admin_database_url(), 5432)).await;
    let w = world_behind(&proxy).await;
    assert_eq!(w.app.get("/api/v1/packages").await.status(), 200);

    proxy.stall();
    let started = Instant::now();
    let resp = tokio::time::timeout(Duration::from_secs(10), w.app.get("/api/v1/packages"))
        .await
        .expect("an answer while the database is silent");
    let (status, body) = envelope(resp).await;
    let took = started.elapsed();
    assert_eq!(
        (status, body["code"].as_str()),
        (503, Some("service_unavailable")),
        "{body}"
    );
    assert!(took < Duration::from_secs(5), "answered after {took:?}");
    eprintln!("silent database → 503 after {took:?}");

    proxy.resume();
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let packages = w.app.get("/api/v1/packages").await.status();
        let ready = w.app.get("/readyz").await.status();
        if packages == 200 && ready == 200 {
            break;
        }
        assert!(Instant::now() < deadline, "not back: {packages} {ready}");
    }
    w.stop().await;
}

#[tokio::test]
async fn a_worker_cycle_on_a_silent_database_fails_in_time_and_the_next_one_succeeds() {
    let proxy = TcpProxy::start(socket_of(&admin_database_url(), 5432)).await;
    let w = world_behind(&proxy).await;
    w.resident(PHONE).await;
    let routers = {
        let db = w.app.state.db.get().await.unwrap();
        api::db::routers::all(&db).await.unwrap()
    };

    proxy.stall();
    let started = Instant::now();
    let outcomes = tokio::time::timeout(
        Duration::from_secs(15),
        reconcile_each(&w.app.state, routers.clone()),
    )
    .await
    .expect("the cycle ends while the database is silent");
    let took = started.elapsed();
    match &outcomes[..] {
        [(_, CycleOutcome::Failed(e))] => assert!(e.contains("no end within 2 s"), "{e}"),
        other => panic!("expected a failed cycle, got {other:?}"),
    }
    assert!(
        took < Duration::from_secs(6),
        "the cycle ended after {took:?}"
    );

    proxy.resume();
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let outcomes = reconcile_each(&w.app.state, routers.clone()).await;
        if matches!(&outcomes[..], [(_, CycleOutcome::Done(_))]) {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "no cycle after the database came back: {outcomes:?}"
        );
    }
    w.stop().await;
}
