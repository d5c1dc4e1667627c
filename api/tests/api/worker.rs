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
