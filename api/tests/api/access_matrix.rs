//! The role and ownership matrix, generated from `openapi.json`: every
//! operation is called anonymously and as each role, and the answer must
//! match what the operation declares below. An operation added to the API
//! without an entry here fails the test.

use std::collections::BTreeMap;

use api::{db::sessions::Kind, services::sessions::Origin};
use shared_types::Role;
use uuid::Uuid;

use crate::helpers::*;

/// Who may call an operation.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Access {
    /// Anyone; never `unauthorized` or `forbidden` for lack of a session.
    Public,
    /// Any signed-in person; anonymous callers get 401.
    Session,
    /// Admins and super admins; anonymous 401, other roles 403 `forbidden`.
    Admin,
    /// Super admins only; anonymous 401, every other role (admins too) 403.
    SuperAdmin,
    /// Staff only (their own page); anonymous 401, every other role 403.
    Staff,
    /// Officers (komandan) only; anonymous 401, every other role 403.
    Officer,
    /// Needs a refresh cookie rather than a session (tested in login::sessions).
    RefreshCookie,
}

const EXPECTED: &[(&str, Access)] = &[
    ("get_health", Access::Public),
    ("request_otp", Access::Public),
    ("verify_otp", Access::Public),
    ("consume_session_link", Access::Public),
    ("refresh_session", Access::RefreshCookie),
    ("logout", Access::Public),
    ("register", Access::Public),
    ("captive_portal_api", Access::Public),
    ("get_portal_config", Access::Public),
    ("report_client_error", Access::Public),
    ("list_packages", Access::Public),
    ("midtrans_notification", Access::Public),
    ("admin_login", Access::Public),
    ("admin_request_unlock", Access::Public),
    ("get_me", Access::Session),
    ("get_my_status", Access::Session),
    ("get_my_usage", Access::Session),
    ("create_browser_link", Access::Session),
    ("list_my_purchases", Access::Session),
    ("list_my_devices", Access::Session),
    ("rename_my_device", Access::Session),
    ("delete_my_device", Access::Session),
    ("connect_current_device", Access::Session),
    ("confirm_current_device", Access::Session),
    ("create_purchase", Access::Session),
    ("get_purchase", Access::Session),
    ("list_pending_registrations", Access::Admin),
    ("approve_registration", Access::Admin),
    ("reject_registration", Access::Admin),
    ("list_users", Access::Admin),
    ("block_user", Access::Admin),
    ("unblock_user", Access::Admin),
    ("deactivate_user", Access::Admin),
    ("activate_user", Access::Admin),
    ("delete_user", Access::SuperAdmin),
    ("get_user", Access::Admin),
    ("edit_user_profile", Access::Admin),
    ("adjust_user_quota", Access::Admin),
    ("reset_user_hotspot_password", Access::Admin),
    ("kick_user_session", Access::Admin),
    ("forget_user_device", Access::Admin),
    ("online_now", Access::Admin),
    ("list_audit", Access::Admin),
    ("router_drift", Access::Admin),
    ("list_routers", Access::SuperAdmin),
    ("create_router", Access::SuperAdmin),
    ("test_router", Access::SuperAdmin),
    ("update_router", Access::SuperAdmin),
    ("test_saved_router", Access::SuperAdmin),
    ("disable_router", Access::SuperAdmin),
    ("enable_router", Access::SuperAdmin),
    ("router_setup", Access::SuperAdmin),
    ("reconcile_router_now", Access::Admin),
    ("router_cycles", Access::Admin),
    ("get_overview", Access::Admin),
    ("get_settings", Access::SuperAdmin),
    ("update_settings", Access::SuperAdmin),
    ("list_staff", Access::Admin),
    ("create_staff", Access::Admin),
    ("file_quota_request", Access::Officer),
    ("my_quota_requests", Access::Officer),
    ("list_quota_requests", Access::Admin),
    ("approve_quota_request", Access::Admin),
    ("reject_quota_request", Access::Admin),
    ("list_whatsapp_messages", Access::Admin),
    ("retry_whatsapp_message", Access::Admin),
    ("my_subscriptions", Access::Admin),
    ("set_my_subscriptions", Access::Admin),
    ("edit_staff", Access::Admin),
    // Admins too when the facility allows it (off by default).
    ("reveal_staff_password", Access::SuperAdmin),
    ("reset_staff_password", Access::Admin),
    ("admin_confirm_password", Access::Admin),
    ("staff_login", Access::Public),
    ("sync_staff", Access::Admin),
    ("adopt_staff_account", Access::Admin),
    ("create_staff_hotspot_account", Access::Admin),
    ("staff_page", Access::Staff),
    ("change_my_password", Access::Staff),
    ("change_my_hotspot_password", Access::Staff),
    ("admin_list_packages", Access::Admin),
    ("create_package", Access::Admin),
    ("update_package", Access::Admin),
    ("delete_package", Access::Admin),
    ("list_transactions", Access::Admin),
    ("export_transactions_csv", Access::Admin),
    ("get_transaction", Access::Admin),
    ("recheck_transaction", Access::Admin),
];

/// Every operation of the contract: operation id → (method, path with sample parameters).
fn operations() -> BTreeMap<String, (reqwest::Method, String)> {
    let spec: serde_json::Value = serde_json::from_str(&api::routes::spec_json()).unwrap();
    let mut out = BTreeMap::new();
    for (path, methods) in spec["paths"].as_object().unwrap() {
        for (method, op) in methods.as_object().unwrap() {
            let concrete = path
                .replace("{order_id}", "GB-20260101-NOPE000000")
                .replace("{id}", &Uuid::now_v7().to_string())
                .replace("{device_id}", &Uuid::now_v7().to_string());
            let method = method.to_uppercase().parse().unwrap();
            let id = op["operationId"].as_str().unwrap().to_owned();
            out.insert(id, (method, format!("/api/v1{concrete}")));
        }
    }
    out
}

/// A person of `role` with a live session (as any login would leave).
async fn session_of(w: &World, role: Role, n: u8) -> Cookies {
    let id = Uuid::now_v7();
    let db = w.app.db().await;
    // Password accounts need a hash; this one is never checked (the session is issued directly).
    let (phone, username, hash) = match role {
        Role::Resident | Role::Komandan => (Some(format!("+62812990000{n:02}")), None, None),
        _ => (None, Some(format!("user{n}")), Some("unused")),
    };
    let (blok, kamar) = match role {
        Role::Resident => (Some("A"), Some("1")),
        _ => (None, None),
    };
    db.execute(
        "insert into users (id, phone, username, password_hash, name, role, blok, kamar, approval,
                            router_id, quota_bytes, valid_until)
         values ($1, $2, $3, $8, 'Orang', $4, $5, $6, 'approved', $7, 1000000000,
                 now() + interval '1 day')",
        &[
            &id,
            &phone,
            &username,
            &role.as_str(),
            &blok,
            &kamar,
            &w.router_id,
            &hash,
        ],
    )
    .await
    .unwrap();
    let origin = Origin {
        ip: "127.0.0.1".parse().unwrap(),
        user_agent: None,
    };
    let version: i32 = db
        .query_one("select session_version from users where id = $1", &[&id])
        .await
        .unwrap()
        .get(0);
    let (_, tokens) = api::services::sessions::issue(
        &w.app.state,
        &db,
        id,
        version,
        api::db::sessions::SessionDevice::None,
        Kind::Password,
        &origin,
    )
    .await
    .unwrap();
    let mut jar = std::collections::HashMap::new();
    jar.insert("gerbang_at".to_owned(), tokens.access);
    Cookies(jar)
}

/// The status and the body (JSON, or null when empty).
async fn answer(req: reqwest::RequestBuilder) -> (u16, serde_json::Value) {
    let resp = req.send().await.unwrap();
    let status = resp.status().as_u16();
    let text = resp.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or_default())
}

#[tokio::test]
async fn every_operation_answers_each_role_as_declared() {
    let w = World::start(|_| {}).await;
    let ops = operations();
    let declared: BTreeMap<&str, Access> = EXPECTED.iter().copied().collect();
    let missing: Vec<&String> = ops
        .keys()
        .filter(|k| !declared.contains_key(k.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "operations without a declared access: {missing:?}"
    );
    let stale: Vec<&&str> = declared.keys().filter(|k| !ops.contains_key(**k)).collect();
    assert!(
        stale.is_empty(),
        "declared but not in the contract: {stale:?}"
    );

    let roles = [
        Role::Resident,
        Role::Komandan,
        Role::Staff,
        Role::Admin,
        Role::SuperAdmin,
    ];
    let mut sessions = Vec::new();
    for (i, role) in roles.iter().enumerate() {
        sessions.push((*role, session_of(&w, *role, i as u8).await));
    }
    let mut checked = 0;
    for (id, (method, path)) in &ops {
        let access = declared[id.as_str()];
        if access == Access::RefreshCookie {
            continue;
        }
        let body =
            matches!(method.as_str(), "POST" | "PUT" | "PATCH").then(|| serde_json::json!({}));
        // Anonymous.
        let mut req = w.app.fetch(method.clone(), path);
        if let Some(b) = &body {
            req = req.json(b);
        }
        let (status, env) = answer(req).await;
        let code = env["code"].as_str().unwrap_or_default().to_owned();
        match access {
            Access::Public => assert!(
                status != 401 && code != "forbidden",
                "{id} anonymous: {status} {env}"
            ),
            _ => assert_eq!(
                (status, code.as_str()),
                (401, "unauthorized"),
                "{id} anonymous"
            ),
        }
        // Each role.
        for (role, cookies) in &sessions {
            if access == Access::Public {
                continue;
            }
            let mut req = authed(&w.app, method.clone(), path, cookies);
            if let Some(b) = &body {
                req = req.json(b);
            }
            let (status, env) = answer(req).await;
            let code = env["code"].as_str().unwrap_or_default();
            let allowed = match access {
                Access::Session => true,
                Access::SuperAdmin => *role == Role::SuperAdmin,
                Access::Staff => *role == Role::Staff,
                Access::Officer => *role == Role::Komandan,
                _ => role.is_admin(),
            };
            if allowed {
                assert!(
                    status != 401 && status != 403,
                    "{id} as {role:?}: {status} {env}"
                );
            } else {
                assert_eq!(
                    (status, code),
                    (403, "forbidden"),
                    "{id} as {role:?}: {env}"
                );
            }
            checked += 1;
        }
    }
    eprintln!("{} operations, {checked} role checks", ops.len());
    assert!(checked > 100);
    w.stop().await;
}
