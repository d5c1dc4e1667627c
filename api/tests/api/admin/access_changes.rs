//! The admin actions no other test called: rejecting a registration, and
//! deactivating / activating a person — each audited, idempotent, and on the
//! router at the next reaction.

use reqwest::Method;
use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn a_rejected_registration_keeps_its_reason_and_cannot_log_in() {
    let w = World::start(|_| {}).await;
    let id = w.resident(PHONE).await;
    w.app
        .db()
        .await
        .execute(
            "update users set approval = 'pending' where id = $1",
            &[&id],
        )
        .await
        .unwrap();
    let admin = w.admin().await;
    // While pending, the number gets a code (verifying it says "pending").
    use fred::interfaces::KeysInterface;
    let redis = w.app.state.kv.pool().next();
    let challenge = w.app.state.kv.key(&format!("otp:challenge:{PHONE}"));
    w.code_for(PHONE).await;
    assert_eq!(redis.exists::<i64, _>(&challenge).await.unwrap(), 1);
    let path = format!("/api/v1/admin/registrations/{id}/reject");
    // A reason is required.
    let (s, env) = admin_call(
        &w,
        Method::POST,
        &path,
        &admin.cookies,
        Some(json!({"reason": "  "})),
    )
    .await;
    assert_eq!((s, env["code"].as_str()), (422, Some("validation_failed")));
    let (s, _) = admin_call(
        &w,
        Method::POST,
        &path,
        &admin.cookies,
        Some(json!({"reason": "Bukan warga blok ini"})),
    )
    .await;
    assert_eq!(s, 200);
    let row = w
        .app
        .db()
        .await
        .query_one(
            "select approval, reject_reason from users where id = $1",
            &[&id],
        )
        .await
        .unwrap();
    assert_eq!(
        (row.get::<_, String>(0), row.get::<_, Option<String>>(1)),
        ("rejected".into(), Some("Bukan warga blok ini".into()))
    );
    assert!(admin.pending_registrations().await.is_empty());
    assert_eq!(w.audit_count("user.reject").await, 1);
    // A rejected number gets no code and cannot log in.
    let cooldown = w.app.state.kv.key(&format!("otp:cooldown:{PHONE}"));
    let _: i64 = redis.del(vec![challenge.clone(), cooldown]).await.unwrap();
    let t = w.token("otp_request").await;
    let resp = w
        .app
        .post_json(
            "/api/v1/auth/otp/request",
            &json!({"phone": PHONE, "turnstile_token": t}),
        )
        .await;
    assert_eq!(resp.status(), 202, "the same answer as for any number");
    assert_eq!(
        redis.exists::<i64, _>(&challenge).await.unwrap(),
        0,
        "no code was made for a rejected number"
    );
    w.stop().await;
}

#[tokio::test]
async fn deactivating_takes_a_resident_off_the_router_and_activating_brings_them_back() {
    let w = World::start(|_| {}).await;
    let (id, cookies) = online(&w, 1_000_000_000).await;
    let admin = w.admin().await;
    assert_eq!(active_users(&w).await.len(), 1);

    let deactivate = format!("/api/v1/admin/users/{id}/deactivate");
    for _ in 0..2 {
        // Twice: the second changes nothing more.
        let (s, body) = admin_call(&w, Method::POST, &deactivate, &admin.cookies, None).await;
        assert_eq!(
            (s, body["status"].as_str(), body["active"].as_bool()),
            (200, Some("inactive"), Some(false))
        );
    }
    // Their API sessions ended at once; the router follows at the reaction.
    let (s, _) = admin_call(&w, Method::GET, "/api/v1/me", &cookies, None).await;
    assert_eq!(s, 401);
    api::worker::reconcile_user_now(&w.app.state, id)
        .await
        .unwrap();
    assert!(
        active_users(&w).await.is_empty(),
        "the live session was ended"
    );
    assert_eq!(router_users(&w).await[LOCAL]["disabled"], "true");

    let activate = format!("/api/v1/admin/users/{id}/activate");
    let (s, body) = admin_call(&w, Method::POST, &activate, &admin.cookies, None).await;
    assert_eq!(
        (s, body["status"].as_str(), body["active"].as_bool()),
        (200, Some("active"), Some(true))
    );
    api::worker::reconcile_user_now(&w.app.state, id)
        .await
        .unwrap();
    assert_eq!(router_users(&w).await[LOCAL]["disabled"], "false");
    assert_eq!(w.audit_count("user.deactivate").await, 2);
    assert_eq!(w.audit_count("user.activate").await, 1);
    // Nobody deactivates themselves.
    let me: uuid::Uuid = w
        .app
        .db()
        .await
        .query_one("select id from users where username = 'kepala'", &[])
        .await
        .unwrap()
        .get(0);
    let path = format!("/api/v1/admin/users/{me}/deactivate");
    let (s, env) = admin_call(&w, Method::POST, &path, &admin.cookies, None).await;
    assert_eq!((s, env["code"].as_str()), (409, Some("conflict")));
    w.stop().await;
}
