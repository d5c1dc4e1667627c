//! One person in the dashboard: the detail, adjusting quota (once per key,
//! under concurrency), editing the profile, resetting the hotspot password,
//! kicking a session and forgetting a device.

use reqwest::Method;
use serde_json::{json, Value};
use shared_types::access::GIB;
use uuid::Uuid;

use crate::helpers::*;

async fn detail(w: &World, admin: &Cookies, id: Uuid) -> Value {
    let (s, body) = admin_call(
        w,
        Method::GET,
        &format!("/api/v1/admin/users/{id}"),
        admin,
        None,
    )
    .await;
    assert_eq!(s, 200, "{body}");
    body
}

fn limit_of(session: &std::collections::HashMap<String, String>) -> i64 {
    session["limit-bytes-total"].parse().unwrap()
}

#[tokio::test]
async fn twenty_identical_adjustments_credit_once_and_the_live_limit_follows() {
    let w = World::start(|_| {}).await;
    let (id, _) = online(&w, GIB).await;
    let admin = w.admin().await;
    api::worker::reconcile_user_now(&w.app.state, id)
        .await
        .unwrap();
    let before = limit_of(&live_session(&w).await);

    let path = format!("/api/v1/admin/users/{id}/quota");
    let body = json!({
        "idempotency_key": "klik-ganda-0001",
        "add_bytes": 2 * GIB,
        "reason": "Kompensasi gangguan jaringan",
    });
    let calls =
        (0..20).map(|_| admin_call(&w, Method::POST, &path, &admin.cookies, Some(body.clone())));
    let answers = futures_util::future::join_all(calls).await;
    let applied = answers
        .iter()
        .filter(|(s, b)| {
            assert_eq!(*s, 200, "{b}");
            b["applied"] == true
        })
        .count();
    assert_eq!(applied, 1, "exactly one of 20 identical requests applies");
    for (_, b) in &answers {
        assert_eq!(
            b["user"]["quota_bytes"],
            3 * GIB,
            "every answer shows the one result"
        );
    }
    let db = w.app.db().await;
    let (quota, rows): (i64, i64) = {
        let r = db
            .query_one(
                "select (select quota_bytes from users where id = $1),
                        (select count(*) from credit_ledger where source = 'adjustment' and user_id = $1)",
                &[&id],
            )
            .await
            .unwrap();
        (r.get(0), r.get(1))
    };
    assert_eq!((quota, rows), (3 * GIB, 1));
    assert_eq!(w.audit_count("quota.adjust").await, 1);

    // The router's live limit follows at the reaction.
    api::worker::reconcile_user_now(&w.app.state, id)
        .await
        .unwrap();
    let after = limit_of(&live_session(&w).await);
    assert!(
        after - before >= 2 * GIB - 1_048_576 && after > before,
        "live limit {before} → {after}"
    );

    // The same key for something else is refused; nothing changes.
    let other =
        json!({"idempotency_key": "klik-ganda-0001", "add_bytes": GIB, "reason": "Lain lagi"});
    let (s, env) = admin_call(&w, Method::POST, &path, &admin.cookies, Some(other)).await;
    assert_eq!((s, env["code"].as_str()), (409, Some("conflict")));
    // Removing more than is left: 422 naming the field.
    let too_much =
        json!({"idempotency_key": "hapus-banyak-01", "add_bytes": -4 * GIB, "reason": "Koreksi"});
    let (s, env) = admin_call(&w, Method::POST, &path, &admin.cookies, Some(too_much)).await;
    assert_eq!((s, env["code"].as_str()), (422, Some("validation_failed")));
    assert_eq!(env["details"]["fields"]["add_bytes"][0], "more_than_left");
    // No reason, or nothing to change: 422.
    for bad in [
        json!({"idempotency_key": "tanpa-alasan-1", "add_bytes": GIB, "reason": ""}),
        json!({"idempotency_key": "tanpa-ubahan-1", "reason": "Tidak ada"}),
        json!({"idempotency_key": "x", "add_bytes": GIB, "reason": "Kunci pendek"}),
    ] {
        let (s, env) = admin_call(&w, Method::POST, &path, &admin.cookies, Some(bad.clone())).await;
        assert_eq!(
            (s, env["code"].as_str()),
            (422, Some("validation_failed")),
            "{bad}"
        );
    }
    // Validity and "unlimited until".
    let longer = json!({"idempotency_key": "perpanjang-7-hari", "extend_days": 7, "unlimited_days": 3, "reason": "Hadiah"});
    let (s, b) = admin_call(&w, Method::POST, &path, &admin.cookies, Some(longer)).await;
    assert_eq!(
        (s, b["user"]["status"].as_str()),
        (200, Some("unlimited")),
        "{b}"
    );
    let d = detail(&w, &admin.cookies, id).await;
    assert_eq!(d["rule"], "unlimited_until");
    assert_eq!(d["credits"][0]["source"], "adjustment");
    assert_eq!(d["credits"][0]["reason"], "Hadiah");
    assert_eq!(d["credits"][0]["actor_name"], "Kepala Admin");
    let end = json!({"idempotency_key": "akhiri-tanpa-batas", "clear_unlimited": true, "reason": "Selesai"});
    let (s, b) = admin_call(&w, Method::POST, &path, &admin.cookies, Some(end)).await;
    assert_eq!(
        (s, b["user"]["status"].as_str()),
        (200, Some("active")),
        "{b}"
    );
    // An unknown person: 404, nothing recorded.
    let nobody = format!("/api/v1/admin/users/{}/quota", Uuid::now_v7());
    let (s, _) = admin_call(&w, Method::POST, &nobody, &admin.cookies, Some(body)).await;
    assert_eq!(s, 404);
    assert_eq!(w.app.count("credit_ledger").await, 3);
    w.stop().await;
}

#[tokio::test]
async fn the_detail_says_why_and_shows_devices_sessions_and_trail() {
    let w = World::start(|_| {}).await;
    let (id, _) = online(&w, 5 * GIB).await;
    let admin = w.admin().await;
    let d = detail(&w, &admin.cookies, id).await;
    assert_eq!(
        (d["user"]["status"].as_str(), d["rule"].as_str()),
        (Some("active"), Some("quota_left"))
    );
    assert_eq!(d["hotspot_username"], LOCAL);
    assert_eq!(d["devices"][0]["mac"], MAC);
    assert_eq!(d["live"]["router_reachable"], true);
    let live = &d["live"]["sessions"][0];
    assert_eq!(
        (live["mac"].as_str(), live["kind"].as_str()),
        (Some(MAC), Some("hotspot"))
    );
    assert_eq!(live["user_id"], id.to_string());
    assert_eq!(d["usage"]["days"].as_array().unwrap().len(), 90);
    let actions: Vec<&str> = d["audit"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["action"].as_str())
        .collect();
    assert!(actions.contains(&"device.proven"), "{actions:?}");

    admin.block(id, "Pelanggaran tata tertib").await;
    let d = detail(&w, &admin.cookies, id).await;
    assert_eq!(d["rule"], "blocked_by_admin");
    assert_eq!(d["blocked_reason"], "Pelanggaran tata tertib");
    assert_eq!(d["audit"][0]["action"], "user.block");
    assert_eq!(d["audit"][0]["actor_name"], "Kepala Admin");
    let (s, _) = admin_call(
        &w,
        Method::GET,
        &format!("/api/v1/admin/users/{}", Uuid::now_v7()),
        &admin.cookies,
        None,
    )
    .await;
    assert_eq!(s, 404);
    w.stop().await;
}

#[tokio::test]
async fn a_profile_edit_normalizes_the_number_and_keeps_every_rule() {
    let w = World::start(|_| {}).await;
    let id = w.resident(PHONE).await;
    let other = w.resident("+6281299998888").await;
    let admin = w.admin().await;
    let path = format!("/api/v1/admin/users/{id}/profile");
    let put = |body: Value| admin_call(&w, Method::PUT, &path, &admin.cookies, Some(body));

    let (s, b) = put(json!({"name": "Budi Santoso", "phone": "0812-1111-2222", "role": "resident", "blok": "C", "kamar": "7"})).await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(
        (b["phone"].as_str(), b["blok"].as_str()),
        (Some("+6281211112222"), Some("C"))
    );
    // The router account follows the new number.
    api::worker::reconcile_user_now(&w.app.state, id)
        .await
        .unwrap();
    let users = router_users(&w).await;
    assert!(users.contains_key("081211112222"), "{users:?}");
    assert!(
        !users.contains_key(LOCAL),
        "the old account is gone: {users:?}"
    );

    // Another person's number: 409, nothing changed.
    let (s, env) = put(json!({"name": "Budi", "phone": "+62 812 9999 8888", "role": "resident", "blok": "C", "kamar": "7"})).await;
    assert_eq!((s, env["code"].as_str()), (409, Some("already_registered")));
    // The hierarchy: blok+kamar or tamping alone for residents; nothing for others.
    for (body, field, code) in [
        (
            json!({"name": "Budi", "phone": "081211112222", "role": "resident", "blok": "C"}),
            "blok",
            "blok_kamar_or_tamping",
        ),
        (
            json!({"name": "Budi", "phone": "081211112222", "role": "komandan", "blok": "C", "kamar": "7"}),
            "blok",
            "residents_only",
        ),
        (
            json!({"name": "Budi", "role": "resident", "tamping_type": "Dapur"}),
            "phone",
            "required",
        ),
        (
            json!({"name": "Budi", "phone": "021555", "role": "resident", "tamping_type": "Dapur"}),
            "phone",
            "invalid_phone",
        ),
        (
            json!({"name": "Budi", "phone": "081211112222", "role": "staff"}),
            "role",
            "other_login",
        ),
    ] {
        let (s, env) = put(body.clone()).await;
        assert_eq!(
            (s, env["details"]["fields"][field][0].as_str()),
            (422, Some(code)),
            "{body} {env}"
        );
    }
    let (name, phone): (String, String) = {
        let r = w
            .app
            .db()
            .await
            .query_one("select name, phone from users where id = $1", &[&id])
            .await
            .unwrap();
        (r.get(0), r.get(1))
    };
    assert_eq!(
        (name.as_str(), phone.as_str()),
        ("Budi Santoso", "+6281211112222")
    );
    // Resident → komandan (an admin's call), tamping → none.
    let (s, b) =
        put(json!({"name": "Budi Santoso", "phone": "081211112222", "role": "komandan"})).await;
    assert_eq!((s, b["role"].as_str()), (200, Some("komandan")), "{b}");
    let entry = w
        .app
        .db()
        .await
        .query_one(
            "select details from audit_log where action = 'user.edit' order by at desc limit 1",
            &[],
        )
        .await
        .unwrap()
        .get::<_, Value>(0);
    assert_eq!(entry["before"]["role"], "resident");
    assert_eq!(entry["after"]["role"], "komandan");
    assert!(
        entry["before"].get("name").is_none(),
        "only what changed: {entry}"
    );
    assert_eq!(w.audit_count("user.edit").await, 2);
    let _ = other;
    w.stop().await;
}

#[tokio::test]
async fn a_password_reset_ends_live_sessions_and_the_router_gets_the_new_one() {
    let w = World::start(|_| {}).await;
    let (id, _) = online(&w, GIB).await;
    let admin = w.admin().await;
    let sealed = || async {
        w.app
            .db()
            .await
            .query_one(
                "select hotspot_password_sealed from users where id = $1",
                &[&id],
            )
            .await
            .unwrap()
            .get::<_, String>(0)
    };
    let old = sealed().await;
    let path = format!("/api/v1/admin/users/{id}/hotspot-password/reset");
    let (s, b) = admin_call(&w, Method::POST, &path, &admin.cookies, None).await;
    assert_eq!((s, b["sessions_ended"].as_u64()), (200, Some(1)), "{b}");
    assert!(active_users(&w).await.is_empty(), "the live session ended");
    assert_ne!(sealed().await, old);
    api::worker::reconcile_user_now(&w.app.state, id)
        .await
        .unwrap();
    let user = api::db::users::by_id(&w.app.db().await, id)
        .await
        .unwrap()
        .unwrap();
    let password = api::services::router_account::password_of(&w.app.state, &user)
        .await
        .unwrap();
    let rows = router_rows(&w, "/ip/hotspot/user", &["name", "password"]).await;
    let row = rows.iter().find(|r| r["name"] == LOCAL).unwrap();
    assert_eq!(
        row["password"],
        password.as_str(),
        "the router has the new password"
    );
    assert_eq!(w.audit_count("user.hotspot_password_reset").await, 1);
    w.stop().await;
}

#[tokio::test]
async fn an_admin_kicks_one_session_and_forgets_a_device() {
    let w = World::start(|_| {}).await;
    let (id, _) = online(&w, GIB).await;
    let admin = w.admin().await;
    let d = detail(&w, &admin.cookies, id).await;
    let session = d["live"]["sessions"][0]["session_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let device = d["devices"][0]["id"].as_str().unwrap().to_owned();
    let kick = format!("/api/v1/admin/users/{id}/sessions/kick");
    // Not this person's session: 404; not a session id: 422.
    let (s, _) = admin_call(
        &w,
        Method::POST,
        &kick,
        &admin.cookies,
        Some(json!({"session_id": "*FFFF"})),
    )
    .await;
    assert_eq!(s, 404);
    let (s, _) = admin_call(
        &w,
        Method::POST,
        &kick,
        &admin.cookies,
        Some(json!({"session_id": "abc"})),
    )
    .await;
    assert_eq!(s, 422);
    assert_eq!(active_users(&w).await.len(), 1);
    let (s, b) = admin_call(
        &w,
        Method::POST,
        &kick,
        &admin.cookies,
        Some(json!({"session_id": session})),
    )
    .await;
    assert_eq!((s, b["session_id"].as_str()), (200, Some(session.as_str())));
    assert!(active_users(&w).await.is_empty());
    assert_eq!(w.audit_count("session.kick").await, 1);

    let forget = format!("/api/v1/admin/users/{id}/devices/{device}");
    let (s, _) = admin_call(&w, Method::DELETE, &forget, &admin.cookies, None).await;
    assert_eq!(s, 200);
    let (s, _) = admin_call(&w, Method::DELETE, &forget, &admin.cookies, None).await;
    assert_eq!(s, 404, "already forgotten");
    let d = detail(&w, &admin.cookies, id).await;
    assert!(d["devices"].as_array().unwrap().is_empty());
    assert_eq!(d["audit"][0]["action"], "device.forget");
    w.stop().await;
}
