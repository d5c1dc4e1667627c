//! Who may act on whom: an admin never acts on a super admin, and deleting
//! people is a super admin's.

use reqwest::Method;
use serde_json::json;
use uuid::Uuid;

use crate::helpers::*;

#[tokio::test]
async fn an_admin_cannot_touch_a_super_admin_and_cannot_delete_anyone() {
    let w = World::start(|_| {}).await;
    w.create_admin(None).await; // kepala, super admin
    w.create_plain_admin().await;
    let id_of = |username: &'static str| {
        let w = &w;
        async move {
            let id: Uuid = w
                .app
                .db()
                .await
                .query_one("select id from users where username = $1", &[&username])
                .await
                .unwrap()
                .get(0);
            id
        }
    };
    let kepala = id_of("kepala").await;
    let petugas = id_of("petugas").await;
    let resident = w.resident(PHONE).await;
    let admin = Cookies::from(&w.admin_login("petugas", "kata-sandi-petugas").await);
    let sup = Cookies::from(&w.admin_login("kepala", "kata-sandi-panjang").await);

    // The admin tries to lock the super admin out: refused, nothing changed.
    let block = json!({"reason": "coba"});
    for (path, body) in [
        (
            format!("/api/v1/admin/users/{kepala}/block"),
            Some(block.clone()),
        ),
        (format!("/api/v1/admin/users/{kepala}/deactivate"), None),
    ] {
        let (s, env) = admin_call(&w, Method::POST, &path, &admin, body).await;
        assert_eq!(
            (s, env["code"].as_str()),
            (403, Some("forbidden")),
            "{path}"
        );
    }
    let (blocked, active): (bool, bool) = {
        let r = w
            .app
            .db()
            .await
            .query_one(
                "select blocked, active from users where id = $1",
                &[&kepala],
            )
            .await
            .unwrap();
        (r.get(0), r.get(1))
    };
    assert_eq!((blocked, active), (false, true));
    // The super admin signs in as before.
    assert_eq!(
        w.admin_login("kepala", "kata-sandi-panjang").await.status(),
        200
    );

    // Deleting is a super admin's.
    let path = format!("/api/v1/admin/users/{resident}");
    let (s, _) = admin_call(&w, Method::DELETE, &path, &admin, None).await;
    assert_eq!(s, 403);
    assert_eq!(w.app.count("users").await, 3);
    let (s, _) = admin_call(&w, Method::DELETE, &path, &sup, None).await;
    assert_eq!(s, 200);

    // Nor adjust, edit or reset the super admin; nor make anyone an admin.
    let adjust = json!({"idempotency_key": "coba-coba-123", "add_bytes": 1, "reason": "coba"});
    let edit = json!({"name": "Kepala", "role": "staff"});
    for (method, path, body) in [
        (
            Method::POST,
            format!("/api/v1/admin/users/{kepala}/quota"),
            Some(adjust),
        ),
        (
            Method::PUT,
            format!("/api/v1/admin/users/{kepala}/profile"),
            Some(edit),
        ),
        (
            Method::POST,
            format!("/api/v1/admin/users/{kepala}/hotspot-password/reset"),
            None,
        ),
    ] {
        let (s, env) = admin_call(&w, method, &path, &admin, body).await;
        assert_eq!(
            (s, env["code"].as_str()),
            (403, Some("forbidden")),
            "{path}"
        );
    }
    assert_eq!(w.app.count("credit_ledger").await, 0);
    // A super admin changes roles among password accounts: the admin becomes staff.
    let demote = json!({"name": "Petugas Jaga", "role": "staff"});
    let path = format!("/api/v1/admin/users/{petugas}/profile");
    let (s, env) = admin_call(&w, Method::PUT, &path, &admin, Some(demote.clone())).await;
    assert_eq!(
        (s, env["code"].as_str()),
        (403, Some("forbidden")),
        "not by an admin"
    );
    let (s, body) = admin_call(&w, Method::PUT, &path, &sup, Some(demote)).await;
    assert_eq!((s, body["role"].as_str()), (200, Some("staff")), "{body}");
    let (s, _) = admin_call(&w, Method::GET, "/api/v1/admin/users", &admin, None).await;
    assert_eq!(s, 403, "staff do not use the dashboard");
    let back = json!({"name": "Petugas Jaga", "role": "admin"});
    let (s, _) = admin_call(&w, Method::PUT, &path, &sup, Some(back)).await;
    assert_eq!(s, 200);

    // The super admin reaches the admin; the admin reaches residents.
    let path = format!("/api/v1/admin/users/{petugas}/block");
    let (s, _) = admin_call(&w, Method::POST, &path, &sup, Some(block.clone())).await;
    assert_eq!(s, 200);
    w.stop().await;
}
