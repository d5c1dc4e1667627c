use crate::helpers::spawn_app;

/// An approved resident, straight in the database.
async fn resident(db: &deadpool_postgres::Object) -> uuid::Uuid {
    let user = uuid::Uuid::now_v7();
    db.execute(
        "insert into users (id, phone, name, role, blok, kamar, approval)
         values ($1, '+6281234567890', 'B', 'resident', 'A', '1', 'approved')",
        &[&user],
    )
    .await
    .unwrap();
    user
}

#[tokio::test]
async fn retention_job_deletes_only_old_client_error_reports() {
    let app = spawn_app().await;
    let db = app.db().await;
    for days_ago in [1, 29, 31, 90] {
        db.execute(
            "insert into client_errors (id, at, page, message, ip, request_id)
             values ($1, now() - make_interval(days => $2), '/', 'x', '127.0.0.1', 'r')",
            &[&uuid::Uuid::now_v7(), &days_ago],
        )
        .await
        .unwrap();
    }
    api::worker::run_jobs(&app.state).await;
    let left: Vec<i32> = db
        .query(
            "select extract(day from now() - at)::int from client_errors order by at desc",
            &[],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(left, [1, 29]);
    // Running it again changes nothing (idempotent).
    api::worker::run_jobs(&app.state).await;
    assert_eq!(app.count("client_errors").await, 2);
    app.stop().await;
}

#[tokio::test]
async fn ended_sessions_are_pruned_after_a_week_and_live_ones_stay() {
    let app = spawn_app().await;
    let db = app.db().await;
    let user = resident(&db).await;
    // (expires in days, revoked days ago)
    for (expires, revoked) in [
        (20, None),
        (-8, None),
        (-1, None),
        (20, Some(9)),
        (20, Some(2)),
    ] {
        db.execute(
            "insert into sessions (id, user_id, kind, session_version, expires_at, revoked_at)
             values ($1, $2, 'otp', 1, now() + make_interval(days => $3),
                     now() - make_interval(days => $4))",
            &[&uuid::Uuid::now_v7(), &user, &expires, &revoked],
        )
        .await
        .unwrap();
    }
    api::worker::run_jobs(&app.state).await;
    assert_eq!(app.count("sessions").await, 3);
    app.stop().await;
}

#[tokio::test]
async fn idle_devices_and_old_ledger_rows_are_pruned_and_audited() {
    let app = spawn_app().await;
    let db = app.db().await;
    let user = resident(&db).await;
    // Last traffic (days ago) per device; the default keeps 14 days.
    for (i, days) in [1, 13, 15, 40].iter().enumerate() {
        db.execute(
            "insert into devices (id, user_id, mac, randomized, last_seen)
             values ($1, $2, $3, false, now() - make_interval(days => $4))",
            &[
                &uuid::Uuid::now_v7(),
                &user,
                &format!("00:1A:2B:3C:4D:0{i}"),
                days,
            ],
        )
        .await
        .unwrap();
        db.execute(
            "insert into usage_ledger (id, user_id, cycle_id, bytes, at)
             values ($1, $2, $3, 10, now() - make_interval(days => $4 * 12))",
            &[&uuid::Uuid::now_v7(), &user, &uuid::Uuid::now_v7(), days],
        )
        .await
        .unwrap();
    }
    api::worker::run_jobs(&app.state).await;
    let macs: Vec<String> = db
        .query("select mac from devices order by mac", &[])
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(macs, ["00:1A:2B:3C:4D:00", "00:1A:2B:3C:4D:01"]);
    let audited: i64 = db
        .query_one(
            "select count(*) from audit_log where action = 'device.pruned'",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(audited, 2);
    // Ledger rows 12, 156, 180 and 480 days old: 400 days are kept.
    assert_eq!(app.count("usage_ledger").await, 3);
    api::worker::run_jobs(&app.state).await;
    assert_eq!(app.count("devices").await, 2, "idempotent");
    app.stop().await;
}
