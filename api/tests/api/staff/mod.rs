//! Staff and teachers: accounts created by admins, the web password stored
//! as a hash and a sealed copy, reveal after re-confirming, staff login,
//! and the self-service hotspot password on the simulated router.

use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::*;

mod edit;

const SARI_MAC: &str = "00:1A:2B:3C:4D:77";

async fn create(w: &World, c: &Cookies, body: Value) -> (u16, Value) {
    admin_call(w, Method::POST, "/api/v1/admin/staff", c, Some(body)).await
}

async fn staff_login(w: &World, username: &str, password: &str) -> reqwest::Response {
    w.app
        .fetch(Method::POST, "/api/v1/auth/staff/login")
        .header("X-Requested-With", "fetch")
        .json(&json!({ "username": username, "password": password }))
        .send()
        .await
        .unwrap()
}

/// `bu.sari` (NIP-1987, web password `kata sandi guru`) with her hotspot
/// account `sari` / `lama-sekali` on the router, online from [`SARI_MAC`].
async fn sari_online(w: &World, admin: &Cookies) -> Value {
    let (s, created) = create(
        w,
        admin,
        json!({"username": "bu.sari", "name": "Sari", "operator_key": "NIP-1987",
               "password": "kata sandi guru"}),
    )
    .await;
    assert_eq!(s, 200, "{created}");
    add_on_router(
        w,
        &[
            ("name", "sari"),
            ("password", "lama-sekali"),
            ("comment", "NIP-1987"),
        ],
    )
    .await;
    w.attach(SARI_MAC, "10.5.50.77").await;
    assert_eq!(
        router_page_login(w, SARI_MAC, "sari", "lama-sekali").await,
        302
    );
    created
}

#[tokio::test]
async fn an_admin_creates_staff_who_log_in_with_a_password_and_reveal_needs_a_fresh_confirmation() {
    let w = World::start(|_| {}).await;
    let admin = w.admin().await;
    let c = &admin.cookies;

    // Generated password: returned once; stored as a hash and a sealed copy.
    let (s, created) = create(
        &w,
        c,
        json!({"username": "bu.sari", "name": "Sari Wulandari", "operator_key": "NIP-1987"}),
    )
    .await;
    assert_eq!(s, 200, "{created}");
    let password = created["password"].as_str().unwrap().to_owned();
    assert_eq!(password.len(), 14, "{password}");
    let id = created["staff"]["id"].as_str().unwrap().to_owned();
    assert_eq!(created["staff"]["router_name"], "r1");
    let row = w
        .app
        .db()
        .await
        .query_one(
            "select password_hash, web_password_sealed from users where username = 'bu.sari'",
            &[],
        )
        .await
        .unwrap();
    let (hash, sealed): (String, String) = (row.get(0), row.get(1));
    assert!(hash.starts_with("$argon2id$"));
    assert!(!sealed.contains(&password) && sealed.starts_with("v1."));
    let (_, list) = admin_call(&w, Method::GET, "/api/v1/admin/staff", c, None).await;
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert!(!list.to_string().contains(&password));

    // Duplicates: 409 naming the field.
    for (body, field) in [
        (
            json!({"username": "bu.sari", "name": "X", "operator_key": "NIP-2"}),
            "username",
        ),
        (
            json!({"username": "pak.budi", "name": "X", "operator_key": "NIP-1987"}),
            "operator_key",
        ),
    ] {
        let (s, e) = create(&w, c, body).await;
        assert_eq!(
            (s, e["details"]["fields"][field][0].as_str()),
            (409, Some("taken")),
            "{e}"
        );
    }
    // Weak or too long: 422 with the rule.
    for (pw, code) in [("pendek", "too_short"), ("aaaaaaaaaaaa", "too_simple")] {
        let (s, e) = create(
            &w,
            c,
            json!({"username": "pak.budi", "name": "Budi", "operator_key": "NIP-2", "password": pw}),
        )
        .await;
        assert_eq!(
            (s, e["details"]["fields"]["password"][0].as_str()),
            (422, Some(code)),
            "{e}"
        );
    }

    // Reveal: refused until the admin confirms their own password.
    let reveal = format!("/api/v1/admin/staff/{id}/reveal");
    let (s, e) = admin_call(&w, Method::POST, &reveal, c, None).await;
    assert_eq!(
        (s, e["details"]["reason"].as_str()),
        (403, Some("confirm_password"))
    );
    let (s, e) = admin_call(
        &w,
        Method::POST,
        "/api/v1/admin/auth/confirm",
        c,
        Some(json!({"password": "salah-sekali"})),
    )
    .await;
    assert_eq!(
        (s, e["details"]["fields"]["password"][0].as_str()),
        (422, Some("wrong"))
    );
    let (s, ok) = admin_call(
        &w,
        Method::POST,
        "/api/v1/admin/auth/confirm",
        c,
        Some(json!({"password": "kata-sandi-panjang"})),
    )
    .await;
    assert_eq!((s, ok["valid_for_seconds"].as_u64()), (200, Some(300)));
    let resp = authed(&w.app, Method::POST, &reveal, c)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.headers()["cache-control"], "no-store");
    let shown: Value = resp.json().await.unwrap();
    assert_eq!(shown["password"], password);
    assert_eq!(w.audit_count("staff.reveal").await, 1);

    // Staff log in with it; residents' and admins' doors stay shut to them.
    let resp = staff_login(&w, "bu.sari", &password).await;
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.json::<Value>().await.unwrap()["user"]["role"], "staff");
    let resp = w.admin_login("bu.sari", &password).await;
    assert_eq!(resp.status(), 403);
    let resp = staff_login(&w, "kepala", "kata-sandi-panjang").await;
    assert_eq!(resp.status(), 403, "an admin is not staff");
    // Unknown username and wrong password: the same answer.
    let unknown = staff_login(&w, "tidak.ada", "kata-sandi-apa").await;
    let wrong = staff_login(&w, "bu.sari", "kata-sandi-apa").await;
    assert_eq!(unknown.status(), wrong.status());
    let (u, v): (Value, Value) = (unknown.json().await.unwrap(), wrong.json().await.unwrap());
    assert_eq!(u["code"], v["code"]);
    assert_eq!(u["message"], v["message"]);

    // An admin without the setting cannot reveal, even confirmed.
    w.create_plain_admin().await;
    let petugas = Cookies::from(&w.admin_login("petugas", "kata-sandi-petugas").await);
    let (s, _) = admin_call(
        &w,
        Method::POST,
        "/api/v1/admin/auth/confirm",
        &petugas,
        Some(json!({"password": "kata-sandi-petugas"})),
    )
    .await;
    assert_eq!(s, 200);
    let (s, e) = admin_call(&w, Method::POST, &reveal, &petugas, None).await;
    assert_eq!((s, e["code"].as_str()), (403, Some("forbidden")));
    assert!(e["details"]["reason"].is_null());

    // Reveals are capped: 10 per admin per hour, then 429 with the wait.
    for _ in 1..10 {
        let (s, _) = admin_call(&w, Method::POST, &reveal, c, None).await;
        assert_eq!(s, 200);
    }
    let (s, e) = admin_call(&w, Method::POST, &reveal, c, None).await;
    assert_eq!((s, e["code"].as_str()), (429, Some("rate_limited")), "{e}");
    assert_eq!(w.audit_count("staff.reveal").await, 10);

    // A staff member with a number still cannot sign in with a WhatsApp code.
    w.app
        .db()
        .await
        .execute(
            "update users set phone = '+6281277770001' where username = 'bu.sari'",
            &[],
        )
        .await
        .unwrap();
    let code = w.code_for("+6281277770001").await;
    let resp = w
        .app
        .post_json(
            "/api/v1/auth/otp/verify",
            &json!({"phone": "+6281277770001", "code": code}),
        )
        .await;
    assert_eq!(resp.status(), 403);

    // A reset: a new password, shown once; the old one stops working.
    let (s, reset) = admin_call(
        &w,
        Method::POST,
        &format!("/api/v1/admin/staff/{id}/password"),
        c,
        None,
    )
    .await;
    assert_eq!(s, 200);
    let new = reset["password"].as_str().unwrap();
    assert_ne!(new, password);
    assert_eq!(staff_login(&w, "bu.sari", &password).await.status(), 401);
    assert_eq!(staff_login(&w, "bu.sari", new).await.status(), 200);
    w.stop().await;
}

#[tokio::test]
async fn a_staff_member_changes_their_hotspot_password_and_the_old_one_stops_working() {
    let w = World::start(|_| {}).await;
    let admin = w.admin().await;
    sari_online(&w, &admin.cookies).await;
    assert_eq!(active_users(&w).await.len(), 1);

    let login = staff_login(&w, "bu.sari", "kata sandi guru").await;
    let me = Cookies::from(&login);
    let page = get_json(&w.app, "/api/v1/me/staff", &me).await;
    assert_eq!(page["router_reachable"], true, "{page}");
    assert_eq!(page["hotspot"]["username"], "sari");
    assert_eq!(page["hotspot"]["enabled"], true);
    assert_eq!(page["hotspot"]["sessions"].as_array().unwrap().len(), 1);

    // Bad input: nothing changes on the router.
    for (body, field, code) in [
        (
            json!({"password": "baru-2026!", "confirm": "baru-2027!"}),
            "__all__",
            "confirm_differs",
        ),
        (
            json!({"password": "ada spasi", "confirm": "ada spasi"}),
            "password",
            "characters",
        ),
        (
            json!({"password": "pendek", "confirm": "pendek"}),
            "password",
            "too_short",
        ),
    ] {
        let (s, e) = admin_call(
            &w,
            Method::PUT,
            "/api/v1/me/hotspot-password",
            &me,
            Some(body),
        )
        .await;
        assert_eq!(
            (s, e["details"]["fields"][field][0].as_str()),
            (422, Some(code)),
            "{e}"
        );
    }
    assert_eq!(active_users(&w).await.len(), 1);

    let (s, done) = admin_call(
        &w,
        Method::PUT,
        "/api/v1/me/hotspot-password",
        &me,
        Some(json!({"password": "Baru-2026!", "confirm": "Baru-2026!"})),
    )
    .await;
    assert_eq!(
        (s, done["sessions_ended"].as_u64()),
        (200, Some(1)),
        "{done}"
    );
    assert!(active_users(&w).await.is_empty(), "her session is gone");
    assert_ne!(
        router_page_login(&w, SARI_MAC, "sari", "lama-sekali").await,
        302
    );
    assert_eq!(
        router_page_login(&w, SARI_MAC, "sari", "Baru-2026!").await,
        302
    );
    assert_eq!(w.audit_count("staff.hotspot_password").await, 1);

    // Her web password: the current one first; the hash and the sealed copy change.
    let (s, e) = admin_call(
        &w,
        Method::PUT,
        "/api/v1/me/password",
        &me,
        Some(json!({"current": "bukan ini", "new": "kata sandi baru"})),
    )
    .await;
    assert_eq!(
        (s, e["details"]["fields"]["password"][0].as_str()),
        (422, Some("wrong"))
    );
    let sealed_before: String = w
        .app
        .db()
        .await
        .query_one(
            "select web_password_sealed from users where username = 'bu.sari'",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    let (s, _) = admin_call(
        &w,
        Method::PUT,
        "/api/v1/me/password",
        &me,
        Some(json!({"current": "kata sandi guru", "new": "kata sandi baru"})),
    )
    .await;
    assert_eq!(s, 200);
    let sealed_after: String = w
        .app
        .db()
        .await
        .query_one(
            "select web_password_sealed from users where username = 'bu.sari'",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert_ne!(sealed_before, sealed_after);
    assert_eq!(
        staff_login(&w, "bu.sari", "kata sandi baru").await.status(),
        200
    );
    w.stop().await;
}

#[tokio::test]
async fn staff_see_only_their_own_page_and_a_router_down_changes_nothing() {
    let w = World::start(|_| {}).await;
    let admin = w.admin().await;
    create(
        &w,
        &admin.cookies,
        json!({"username": "pak.eko", "name": "Eko", "operator_key": "NIP-3",
               "password": "kata sandi eko"}),
    )
    .await;
    let eko = Cookies::from(&staff_login(&w, "pak.eko", "kata sandi eko").await);
    // No account on the router: a polite null, and a clear 404 on change.
    let page = get_json(&w.app, "/api/v1/me/staff", &eko).await;
    assert!(page["hotspot"].is_null(), "{page}");
    assert_eq!(page["router_reachable"], true);
    let (s, e) = admin_call(
        &w,
        Method::PUT,
        "/api/v1/me/hotspot-password",
        &eko,
        Some(json!({"password": "Baru-2026!", "confirm": "Baru-2026!"})),
    )
    .await;
    assert_eq!(
        (s, e["details"]["reason"].as_str()),
        (404, Some("no_hotspot_account"))
    );

    // A staff member cannot reach anyone else's: the admin operations with
    // another staff member's id answer 403.
    let (_, sari) = create(
        &w,
        &admin.cookies,
        json!({"username": "bu.sari", "name": "Sari", "operator_key": "NIP-1987"}),
    )
    .await;
    let sari_id = sari["staff"]["id"].as_str().unwrap();
    for path in [
        format!("/api/v1/admin/staff/{sari_id}/reveal"),
        format!("/api/v1/admin/staff/{sari_id}/password"),
    ] {
        let (s, _) = admin_call(&w, Method::POST, &path, &eko, None).await;
        assert_eq!(s, 403, "{path}");
    }
    // Residents and admins are not staff: 403 on the staff page.
    let resident = w.logged_in_resident(1 << 30).await;
    let (s, _) = admin_call(&w, Method::GET, "/api/v1/me/staff", &resident.cookies, None).await;
    assert_eq!(s, 403);
    let (s, _) = admin_call(&w, Method::GET, "/api/v1/me/staff", &admin.cookies, None).await;
    assert_eq!(s, 403);

    // The router stops answering: 503, and nothing changed.
    add_on_router(
        &w,
        &[
            ("name", "eko"),
            ("password", "lama-sekali"),
            ("comment", "NIP-3"),
        ],
    )
    .await;
    w.app
        .db()
        .await
        .execute(
            "update routers set port = $1 where id = $2",
            &[&i32::from(closed_port()), &w.router_id],
        )
        .await
        .unwrap();
    let (s, e) = admin_call(
        &w,
        Method::PUT,
        "/api/v1/me/hotspot-password",
        &eko,
        Some(json!({"password": "Baru-2026!", "confirm": "Baru-2026!"})),
    )
    .await;
    assert_eq!((s, e["code"].as_str()), (503, Some("service_unavailable")));
    let page = get_json(&w.app, "/api/v1/me/staff", &eko).await;
    assert_eq!(page["router_reachable"], false);
    assert_eq!(w.audit_count("staff.hotspot_password").await, 0);
    w.stop().await;
}

#[tokio::test]
async fn sync_lists_accounts_by_comment_and_an_outside_account_can_be_adopted_or_created() {
    let w = World::start(|_| {}).await;
    let admin = w.admin().await;
    let c = &admin.cookies;
    // A resident's account (gerbang's comment), one without a comment, and
    // one a network admin made for a teacher with comment NIP-2001.
    w.resident(PHONE).await;
    cycle(&w).await;
    add_on_router(&w, &[("name", "tamu"), ("password", "tamu-tamu")]).await;
    add_on_router(
        &w,
        &[
            ("name", "pak.joko"),
            ("password", "rahasia-joko"),
            ("comment", "NIP-2001"),
        ],
    )
    .await;
    let (_, joko) = create(
        &w,
        c,
        json!({"username": "joko", "name": "Joko", "operator_key": "NIP-JOKO"}),
    )
    .await;
    let (_, sari) = create(
        &w,
        c,
        json!({"username": "bu.sari", "name": "Sari", "operator_key": "NIP-1987"}),
    )
    .await;
    // The worker's cycle leaves staff alone: no gerbang account for them,
    // and the hand-made one keeps its comment.
    let before = router_users(&w).await;
    cycle(&w).await;
    let after = router_users(&w).await;
    assert_eq!(before, after);
    assert!(!after.contains_key("joko") && !after.contains_key("bu.sari"));
    let (s, sync) = admin_call(&w, Method::GET, "/api/v1/admin/staff/sync", c, None).await;
    assert_eq!(s, 200, "{sync}");
    assert_eq!(sync["linked"].as_array().unwrap().len(), 0);
    assert_eq!(sync["missing"].as_array().unwrap().len(), 2);
    assert_eq!(sync["unmatched"][0]["name"], "pak.joko");
    assert_eq!(sync["unmatched"][0]["comment"], "NIP-2001");
    // Left alone: what the router holds without a comment or with gerbang's
    // (the resident's, the guest account, and any the router came with).
    let alone = router_users(&w)
        .await
        .values()
        .filter(|u| {
            u.get("comment")
                .is_none_or(|c| c.is_empty() || c.starts_with("gerbang:"))
        })
        .count();
    assert!(alone >= 2);
    assert_eq!(sync["left_alone"], alone as u64);

    // Adopt pak.joko into Joko: the comment changes, the password stays.
    let joko_id = joko["staff"]["id"].as_str().unwrap();
    let (s, link) = admin_call(
        &w,
        Method::POST,
        &format!("/api/v1/admin/staff/{joko_id}/adopt"),
        c,
        Some(json!({"account": "pak.joko"})),
    )
    .await;
    assert_eq!(
        (s, link["account"]["comment"].as_str()),
        (200, Some("NIP-JOKO")),
        "{link}"
    );
    let users = router_users(&w).await;
    assert_eq!(users["pak.joko"]["comment"], "NIP-JOKO");
    // Its password still logs in on the router's page.
    w.attach(SARI_MAC, "10.5.50.77").await;
    assert_eq!(
        router_page_login(&w, SARI_MAC, "pak.joko", "rahasia-joko").await,
        302
    );
    assert_eq!(w.audit_count("staff.adopt").await, 1);
    // A resident's account is never adopted; nor a second account for Joko.
    let resident_account = users
        .iter()
        .find(|(_, u)| u.get("comment").is_some_and(|c| c.starts_with("gerbang:")))
        .map(|(name, _)| name.clone())
        .unwrap();
    let sari_id = sari["staff"]["id"].as_str().unwrap();
    let (s, e) = admin_call(
        &w,
        Method::POST,
        &format!("/api/v1/admin/staff/{sari_id}/adopt"),
        c,
        Some(json!({"account": resident_account})),
    )
    .await;
    assert_eq!(
        (s, e["details"]["reason"].as_str()),
        (409, Some("resident_account"))
    );
    let (s, _) = admin_call(
        &w,
        Method::POST,
        &format!("/api/v1/admin/staff/{joko_id}/adopt"),
        c,
        Some(json!({"account": "tamu"})),
    )
    .await;
    assert_eq!(s, 409, "Joko already has an account");

    // Sari's account is created: her username, her key, a password shown once.
    let (s, made) = admin_call(
        &w,
        Method::POST,
        &format!("/api/v1/admin/staff/{sari_id}/hotspot-account"),
        c,
        None,
    )
    .await;
    assert_eq!(s, 200, "{made}");
    let users = router_users(&w).await;
    assert_eq!(users["bu.sari"]["comment"], "NIP-1987");
    let password = made["password"].as_str().unwrap();
    w.attach("00:1A:2B:3C:4D:79", "10.5.50.79").await;
    assert_eq!(
        router_page_login(&w, "00:1A:2B:3C:4D:79", "bu.sari", password).await,
        302
    );
    let (_, sync) = admin_call(&w, Method::GET, "/api/v1/admin/staff/sync", c, None).await;
    assert_eq!(sync["linked"].as_array().unwrap().len(), 2, "{sync}");
    assert!(sync["missing"].as_array().unwrap().is_empty());
    assert!(sync["unmatched"].as_array().unwrap().is_empty());
    w.stop().await;
}

#[tokio::test]
async fn blocking_a_staff_member_disables_their_account_and_ends_the_session_unblocking_enables_it()
{
    let w = World::start(|_| {}).await;
    let admin = w.admin().await;
    let created = sari_online(&w, &admin.cookies).await;
    let id: uuid::Uuid = created["staff"]["id"].as_str().unwrap().parse().unwrap();

    admin.block(id, "pindah tugas").await;
    // The worker's reaction to the change, run here as it runs there.
    assert_eq!(
        api::worker::reconcile_user_now(&w.app.state, id)
            .await
            .unwrap(),
        2
    );
    assert_eq!(router_users(&w).await["sari"]["disabled"], "true");
    assert!(active_users(&w).await.is_empty());
    assert_ne!(
        router_page_login(&w, SARI_MAC, "sari", "lama-sekali").await,
        302
    );
    // Nothing more to do the second time.
    assert_eq!(
        api::worker::reconcile_user_now(&w.app.state, id)
            .await
            .unwrap(),
        0
    );

    admin.unblock(id).await;
    assert_eq!(
        api::worker::reconcile_user_now(&w.app.state, id)
            .await
            .unwrap(),
        1
    );
    assert_eq!(router_users(&w).await["sari"]["disabled"], "false");
    assert_eq!(
        router_page_login(&w, SARI_MAC, "sari", "lama-sekali").await,
        302
    );
    w.stop().await;
}

#[tokio::test]
async fn the_demo_teacher_that_the_dev_script_prints_can_sign_in() {
    let w = World::start(|_| {}).await;
    // On a fresh database the demo's router is the default one.
    w.app
        .db()
        .await
        .execute("update routers set is_default = false", &[])
        .await
        .unwrap();
    let demo = api::services::accounts::DemoRouter {
        host: "127.0.0.1",
        port: w.sb.router().api_addr.port(),
        username: "admin",
        password: "sandbox",
        login_url: "http://127.0.0.1:18080/login",
    };
    api::services::accounts::seed_demo(&w.app.state, &demo)
        .await
        .unwrap();
    // Twice: the demo data is loaded on every start.
    api::services::accounts::seed_demo(&w.app.state, &demo)
        .await
        .unwrap();
    let resp = staff_login(&w, "guru", "guru-demo-2026").await;
    assert_eq!(resp.status(), 200);
    let me = Cookies::from(&resp);
    let page = get_json(&w.app, "/api/v1/me/staff", &me).await;
    assert_eq!(page["operator_key"], "NIP-DEMO");
    assert_eq!(w.admin_login("admin", "gerbang-demo").await.status(), 200);
    w.stop().await;
}
