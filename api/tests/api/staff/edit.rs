//! An admin edits a staff member (username, name, operator key, router) and
//! deletes one: a new key follows on the router's comment, a deleted staff
//! member's hotspot account and its sessions leave the router.

use reqwest::Method;
use serde_json::{json, Value};

use super::{create, sari_online, staff_login, SARI_MAC};
use crate::helpers::*;

async fn edit(w: &World, c: &Cookies, id: &str, body: Value) -> (u16, Value) {
    let path = format!("/api/v1/admin/staff/{id}");
    admin_call(w, Method::PUT, &path, c, Some(body)).await
}

async fn operator_key_of(w: &World, username: &str) -> String {
    w.app
        .db()
        .await
        .query_one(
            "select operator_key from users where username = $1",
            &[&username],
        )
        .await
        .unwrap()
        .get(0)
}

#[tokio::test]
async fn an_edited_operator_key_follows_on_the_router_and_bad_edits_change_nothing() {
    let w = World::start(|_| {}).await;
    let admin = w.admin().await;
    let c = &admin.cookies;
    let sari = sari_online(&w, c).await;
    let id = sari["staff"]["id"].as_str().unwrap().to_owned();
    let router = w.router_id.to_string();

    // New username, name and key: the router account that carried NIP-1987
    // now carries NIP-1988 (same name, same password, session untouched).
    let (s, view) = edit(
        &w,
        c,
        &id,
        json!({"username": "sari.w", "name": "  Sari Wulandari ", "operator_key": "NIP-1988",
               "router_id": router}),
    )
    .await;
    assert_eq!(s, 200, "{view}");
    assert_eq!(
        (
            view["username"].as_str(),
            view["name"].as_str(),
            view["operator_key"].as_str()
        ),
        (Some("sari.w"), Some("Sari Wulandari"), Some("NIP-1988"))
    );
    assert_eq!(
        (view["active"].as_bool(), view["blocked"].as_bool()),
        (Some(true), Some(false))
    );
    let users = router_users(&w).await;
    assert_eq!(users["sari"]["comment"], "NIP-1988");
    assert!(active_users(&w).await.iter().any(|(u, _)| u == "sari"));
    // She signs in with the new username; her page finds the account by the new key.
    assert_eq!(
        staff_login(&w, "bu.sari", "kata sandi guru").await.status(),
        401
    );
    let resp = staff_login(&w, "sari.w", "kata sandi guru").await;
    assert_eq!(resp.status(), 200);
    let sari_c = Cookies::from(&resp);
    let page = get_json(&w.app, "/api/v1/me/staff", &sari_c).await;
    assert_eq!(page["hotspot"]["username"], "sari");
    // Audited with before and after.
    let details: Value = w
        .app
        .db()
        .await
        .query_one(
            "select details from audit_log where action = 'staff.update'",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(details["before"]["operator_key"], "NIP-1987");
    assert_eq!(details["after"]["username"], "sari.w");
    assert_eq!(details["account_relabelled"], "sari");
    // The same edit again changes nothing and records nothing.
    let (s, _) = edit(
        &w,
        c,
        &id,
        json!({"username": "sari.w", "name": "Sari Wulandari", "operator_key": "NIP-1988",
               "router_id": router}),
    )
    .await;
    assert_eq!(s, 200);
    assert_eq!(w.audit_count("staff.update").await, 1);

    // Duplicates are 409 naming the field; bad values 422; nothing changes.
    let (_, budi) = create(
        &w,
        c,
        json!({"username": "pak.budi", "name": "Budi", "operator_key": "NIP-2"}),
    )
    .await;
    let budi_id = budi["staff"]["id"].as_str().unwrap().to_owned();
    let budi_edit = |username: &str, key: &str, router: &str| json!({"username": username, "name": "Budi", "operator_key": key, "router_id": router});
    for (body, status, field, code) in [
        (
            budi_edit("sari.w", "NIP-2", &router),
            409,
            "username",
            "taken",
        ),
        (
            budi_edit("pak.budi", "NIP-1988", &router),
            409,
            "operator_key",
            "taken",
        ),
        (
            budi_edit("Pak Budi", "NIP-2", &router),
            422,
            "username",
            "username",
        ),
        (
            budi_edit("pak.budi", "NIP 2", &router),
            422,
            "operator_key",
            "operator_key",
        ),
        (
            budi_edit("pak.budi", "NIP-2", &uuid::Uuid::now_v7().to_string()),
            422,
            "router_id",
            "unknown",
        ),
    ] {
        let (s, e) = edit(&w, c, &budi_id, body.clone()).await;
        assert_eq!(
            (s, e["details"]["fields"][field][0].as_str()),
            (status, Some(code)),
            "{body} → {e}"
        );
    }
    assert_eq!(operator_key_of(&w, "pak.budi").await, "NIP-2");
    let (s, _) = edit(
        &w,
        c,
        &uuid::Uuid::now_v7().to_string(),
        budi_edit("pak.budi", "NIP-2", &router),
    )
    .await;
    assert_eq!(s, 404);
    // An admin's id is not a staff member's.
    let admin_id: uuid::Uuid = w
        .app
        .db()
        .await
        .query_one("select id from users where username = 'kepala'", &[])
        .await
        .unwrap()
        .get(0);
    let (s, _) = edit(
        &w,
        c,
        &admin_id.to_string(),
        budi_edit("kepala2", "NIP-9", &router),
    )
    .await;
    assert_eq!(s, 404);

    // Budi has no account on the router yet, and one made by hand carries
    // NIP-20: correcting his key to NIP-20 links him to it, router untouched.
    add_on_router(
        &w,
        &[
            ("name", "budi"),
            ("password", "rahasia-budi"),
            ("comment", "NIP-20"),
        ],
    )
    .await;
    let before = router_users(&w).await;
    let (s, e) = edit(&w, c, &budi_id, budi_edit("pak.budi", "NIP-20", &router)).await;
    assert_eq!(s, 200, "{e}");
    assert_eq!(router_users(&w).await, before);
    // Now both have accounts: Sari's key cannot move onto Budi's account.
    let (s, e) = edit(
        &w,
        c,
        &id,
        json!({"username": "sari.w", "name": "Sari", "operator_key": "NIP-21", "router_id": router}),
    )
    .await;
    assert_eq!(s, 200, "{e}");
    let (s, e) = edit(&w, c, &budi_id, budi_edit("pak.budi", "NIP-21", &router)).await;
    assert_eq!((s, e["code"].as_str()), (409, Some("conflict")), "{e}");
    assert_eq!(operator_key_of(&w, "pak.budi").await, "NIP-20");

    // The router stops answering: a key change is 503 and nothing changes;
    // a name change needs no router and goes through.
    w.app
        .db()
        .await
        .execute(
            "update routers set port = $1 where id = $2",
            &[&i32::from(closed_port()), &w.router_id],
        )
        .await
        .unwrap();
    let (s, e) = edit(&w, c, &budi_id, budi_edit("pak.budi", "NIP-22", &router)).await;
    assert_eq!(
        (s, e["code"].as_str()),
        (503, Some("service_unavailable")),
        "{e}"
    );
    assert_eq!(operator_key_of(&w, "pak.budi").await, "NIP-20");
    let (s, e) = edit(
        &w,
        c,
        &budi_id,
        json!({"username": "pak.budi", "name": "Budi Santoso", "operator_key": "NIP-20",
               "router_id": router}),
    )
    .await;
    assert_eq!((s, e["name"].as_str()), (200, Some("Budi Santoso")), "{e}");
    w.stop().await;
}

#[tokio::test]
async fn a_deleted_staff_member_loses_their_router_account_and_sessions() {
    let w = World::start(|_| {}).await;
    let admin = w.admin().await;
    let c = &admin.cookies;
    let (s, sari) = create(
        &w,
        c,
        json!({"username": "bu.sari", "name": "Sari", "operator_key": "NIP-1987",
               "password": "kata sandi guru"}),
    )
    .await;
    assert_eq!(s, 200, "{sari}");
    let id = sari["staff"]["id"].as_str().unwrap().to_owned();
    // Her account is named unlike her username: it is found by its comment.
    add_on_router(
        &w,
        &[
            ("name", "sari2"),
            ("password", "lama-sekali"),
            ("comment", "NIP-1987"),
        ],
    )
    .await;
    w.attach(SARI_MAC, "10.5.50.77").await;
    assert_eq!(
        router_page_login(&w, SARI_MAC, "sari2", "lama-sekali").await,
        302
    );
    let resident = w.resident(PHONE).await;
    cycle(&w).await;
    let others: Vec<String> = router_users(&w)
        .await
        .into_keys()
        .filter(|n| n != "sari2")
        .collect();

    // A plain admin may not delete.
    w.create_plain_admin().await;
    let petugas = Cookies::from(&w.admin_login("petugas", "kata-sandi-petugas").await);
    let path = format!("/api/v1/admin/users/{id}");
    let (s, _) = admin_call(&w, Method::DELETE, &path, &petugas, None).await;
    assert_eq!(s, 403);

    let (s, e) = admin_call(&w, Method::DELETE, &path, c, None).await;
    assert_eq!(s, 200, "{e}");
    let users = router_users(&w).await;
    assert!(!users.contains_key("sari2"));
    let mut left: Vec<String> = users.into_keys().collect();
    let mut others = others;
    left.sort();
    others.sort();
    assert_eq!(left, others, "nobody else's account is touched");
    assert!(!active_users(&w)
        .await
        .iter()
        .any(|(u, _)| u.starts_with("sari")));
    assert_ne!(
        router_page_login(&w, SARI_MAC, "sari2", "lama-sekali").await,
        302
    );
    assert_eq!(
        staff_login(&w, "bu.sari", "kata sandi guru").await.status(),
        401
    );
    assert!(api::db::users::by_id(&w.app.db().await, resident)
        .await
        .unwrap()
        .is_some());
    let details: Value = w
        .app
        .db()
        .await
        .query_one(
            "select details from audit_log where action = 'user.delete'",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    // At least her session and her account.
    assert!(
        details["router_objects_removed"].as_u64() >= Some(2),
        "{details}"
    );
    w.stop().await;
}
