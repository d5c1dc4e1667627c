use crate::helpers::spawn_app;

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
    let user = uuid::Uuid::now_v7();
    db.execute(
        "insert into users (id, phone, name, role, blok, kamar, approval)
         values ($1, '+6281234567890', 'B', 'resident', 'A', '1', 'approved')",
        &[&user],
    )
    .await
    .unwrap();
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
