//! Officers' quota requests: an officer asks, an admin approves (as asked
//! or partly) or rejects; the grant is one credit-ledger row keyed by the
//! request, whoever approves and however often.

use reqwest::Method;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::helpers::*;

const OFFICER: &str = "+6281311110000";
const GB: i64 = 1 << 30;

/// An approved officer with 1 GB valid for 2 more days, signed in by code.
async fn officer(w: &World) -> (Uuid, Cookies) {
    let id = Uuid::now_v7();
    w.app
        .db()
        .await
        .execute(
            "insert into users (id, phone, name, role, approval, router_id, quota_bytes, valid_until)
             values ($1, $2, 'Komandan Joko', 'komandan', 'approved', $3, $4,
                     now() + interval '2 days')",
            &[&id, &OFFICER, &w.router_id, &GB],
        )
        .await
        .unwrap();
    let code = w.code_for(OFFICER).await;
    let resp = w.verify(OFFICER, &code, None).await;
    assert_eq!(resp.status(), 200);
    (id, Cookies::from(&resp))
}

async fn file(w: &World, c: &Cookies, body: Value) -> (u16, Value) {
    admin_call(w, Method::POST, "/api/v1/me/quota-requests", c, Some(body)).await
}

async fn quota_and_validity(w: &World, id: Uuid) -> (i64, i64) {
    let row = w
        .app
        .db()
        .await
        .query_one(
            "select quota_bytes, extract(epoch from valid_until)::bigint from users where id = $1",
            &[&id],
        )
        .await
        .unwrap();
    (row.get(0), row.get(1))
}

async fn ledger_rows(w: &World, request: &str) -> i64 {
    w.app
        .db()
        .await
        .query_one(
            "select count(*) from credit_ledger where idempotency_key = $1",
            &[&format!("adjustment:quota-request-{request}")],
        )
        .await
        .unwrap()
        .get(0)
}

#[tokio::test]
async fn an_officer_asks_and_an_admin_approves_in_full_partly_or_rejects() {
    let w = World::start(|_| {}).await;
    let admin = w.admin().await;
    let (officer_id, oc) = officer(&w).await;

    // Bad requests change nothing.
    for (body, field) in [
        (json!({"days": 7, "note": "regu jaga"}), "__all__"),
        (
            json!({"unlimited": true, "quota_bytes": GB, "days": 7, "note": "regu jaga"}),
            "__all__",
        ),
        (
            json!({"quota_bytes": GB, "days": 0, "note": "regu jaga"}),
            "days",
        ),
        (json!({"quota_bytes": GB, "days": 7, "note": "x"}), "note"),
    ] {
        let (s, e) = file(&w, &oc, body.clone()).await;
        assert_eq!(s, 422, "{body} → {e}");
        assert!(e["details"]["fields"][field].is_array(), "{body} → {e}");
    }
    assert_eq!(w.app.count("quota_requests").await, 0);

    // 5 GB for 7 days; listed for the officer and in the admins' queue.
    let (s, asked) = file(
        &w,
        &oc,
        json!({"quota_bytes": 5 * GB, "days": 7, "note": "Regu jaga malam"}),
    )
    .await;
    assert_eq!(s, 200, "{asked}");
    assert_eq!(
        (asked["status"].as_str(), asked["quota_text"].as_str()),
        (Some("pending"), Some("5 GB"))
    );
    let id = asked["id"].as_str().unwrap().to_owned();
    let mine = get_json(&w.app, "/api/v1/me/quota-requests", &oc).await;
    assert_eq!(mine[0]["id"], id.as_str());
    let queue = get_json(&w.app, "/api/v1/admin/quota-requests", &admin.cookies).await;
    assert_eq!(queue.as_array().unwrap().len(), 1);
    assert_eq!(queue[0]["requester_name"], "Komandan Joko");

    // Approved as asked: 5 GB more, 7 more days, through the ledger.
    let (quota_before, until_before) = quota_and_validity(&w, officer_id).await;
    let approve = format!("/api/v1/admin/quota-requests/{id}/approve");
    let (s, done) = admin_call(&w, Method::POST, &approve, &admin.cookies, Some(json!({}))).await;
    assert_eq!(s, 200, "{done}");
    assert_eq!(
        (
            done["status"].as_str(),
            done["partly"].as_bool(),
            done["granted_days"].as_i64()
        ),
        (Some("approved"), Some(false), Some(7))
    );
    let (quota_after, until_after) = quota_and_validity(&w, officer_id).await;
    assert_eq!(quota_after - quota_before, 5 * GB);
    assert_eq!(until_after - until_before, 7 * 86_400);
    assert_eq!(ledger_rows(&w, &id).await, 1);
    // Again: already decided, nothing more credited.
    let (s, e) = admin_call(&w, Method::POST, &approve, &admin.cookies, Some(json!({}))).await;
    assert_eq!(
        (
            s,
            e["details"]["reason"].as_str(),
            e["details"]["status"].as_str()
        ),
        (409, Some("already_decided"), Some("approved"))
    );
    assert_eq!(quota_and_validity(&w, officer_id).await.0, quota_after);

    // Partly: asked 10 GB for 30 days, granted 2 GB for 3 days.
    let (_, asked) = file(
        &w,
        &oc,
        json!({"quota_bytes": 10 * GB, "days": 30, "note": "Pelatihan"}),
    )
    .await;
    let id2 = asked["id"].as_str().unwrap();
    let (s, done) = admin_call(
        &w,
        Method::POST,
        &format!("/api/v1/admin/quota-requests/{id2}/approve"),
        &admin.cookies,
        Some(json!({"quota_bytes": 2 * GB, "days": 3})),
    )
    .await;
    assert_eq!(s, 200, "{done}");
    assert_eq!(
        (done["partly"].as_bool(), done["granted_text"].as_str()),
        (Some(true), Some("2 GB"))
    );
    assert_eq!(
        quota_and_validity(&w, officer_id).await.0,
        quota_after + 2 * GB
    );

    // Unlimited for 3 days: bytes cannot be granted; rejected with a reason.
    let (_, asked) = file(
        &w,
        &oc,
        json!({"unlimited": true, "days": 3, "note": "Operasi khusus"}),
    )
    .await;
    let id3 = asked["id"].as_str().unwrap();
    let (s, e) = admin_call(
        &w,
        Method::POST,
        &format!("/api/v1/admin/quota-requests/{id3}/approve"),
        &admin.cookies,
        Some(json!({"quota_bytes": GB})),
    )
    .await;
    assert_eq!(
        (s, e["details"]["fields"]["quota_bytes"][0].as_str()),
        (422, Some("unlimited_has_no_quota"))
    );
    let (s, done) = admin_call(
        &w,
        Method::POST,
        &format!("/api/v1/admin/quota-requests/{id3}/reject"),
        &admin.cookies,
        Some(json!({"reason": "Tidak ada operasi minggu ini"})),
    )
    .await;
    assert_eq!(
        (s, done["status"].as_str(), done["reason"].as_str()),
        (200, Some("rejected"), Some("Tidak ada operasi minggu ini"))
    );
    assert_eq!(ledger_rows(&w, id3).await, 0);
    let mine = get_json(&w.app, "/api/v1/me/quota-requests", &oc).await;
    assert_eq!(mine[0]["status"], "rejected", "newest first");
    assert_eq!(w.audit_count("quota_request.approve").await, 2);
    assert_eq!(w.audit_count("quota_request.reject").await, 1);

    // At most 3 waiting at once.
    for n in 0..3 {
        let (s, e) = file(
            &w,
            &oc,
            json!({"quota_bytes": GB, "days": 1, "note": format!("ke-{n}")}),
        )
        .await;
        assert_eq!(s, 200, "{e}");
    }
    let (s, e) = file(
        &w,
        &oc,
        json!({"quota_bytes": GB, "days": 1, "note": "keempat"}),
    )
    .await;
    assert_eq!(
        (s, e["details"]["reason"].as_str()),
        (409, Some("pending_limit"))
    );
    // Residents do not file requests.
    let resident = w.logged_in_resident(GB).await;
    let (s, _) = file(
        &w,
        &resident.cookies,
        json!({"quota_bytes": GB, "days": 1, "note": "boleh?"}),
    )
    .await;
    assert_eq!(s, 403);
    w.stop().await;
}

#[tokio::test]
async fn two_admins_approving_at_once_grant_once() {
    let w = World::start(|_| {}).await;
    let admin = w.admin().await;
    w.create_plain_admin().await;
    let petugas = Cookies::from(&w.admin_login("petugas", "kata-sandi-petugas").await);
    let (officer_id, oc) = officer(&w).await;
    let (quota_before, _) = quota_and_validity(&w, officer_id).await;
    let (_, asked) = file(
        &w,
        &oc,
        json!({"quota_bytes": 3 * GB, "days": 5, "note": "Piket"}),
    )
    .await;
    let id = asked["id"].as_str().unwrap().to_owned();
    let approve = format!("/api/v1/admin/quota-requests/{id}/approve");
    let ((s1, a1), (s2, a2)) = tokio::join!(
        admin_call(&w, Method::POST, &approve, &admin.cookies, Some(json!({}))),
        admin_call(
            &w,
            Method::POST,
            &approve,
            &petugas,
            Some(json!({"days": 2}))
        ),
    );
    let mut statuses = [s1, s2];
    statuses.sort();
    assert_eq!(statuses, [200, 409], "{a1} {a2}");
    let loser = if s1 == 409 { &a1 } else { &a2 };
    assert_eq!(loser["details"]["reason"], "already_decided");
    assert_eq!(ledger_rows(&w, &id).await, 1);
    assert_eq!(
        quota_and_validity(&w, officer_id).await.0,
        quota_before + 3 * GB
    );
    w.stop().await;
}
