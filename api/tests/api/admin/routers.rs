//! Setting routers up: a connection test before every save (a failed one
//! saves nothing and names the field), the password written but never read
//! back, least-privilege warnings, editing and disabling.

use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::*;

/// Settings for the simulated router, as a super admin types them.
fn input(w: &World, name: &str, password: Option<&str>) -> Value {
    json!({
        "name": name,
        "host": "127.0.0.1",
        "port": w.sb.router().api_addr.port(),
        "api_username": "admin",
        "api_password": password,
        "login_mode": "hotspot_login",
        "hotspot_server": "hotspot1",
        "login_url": "http://10.5.50.1/login",
        "hotspot_profile": "default",
        "fup_profile": "gerbang-fup",
        "address_list_prefix": "gerbang-",
    })
}

async fn router_count(w: &World) -> i64 {
    w.app.count("routers").await
}

#[tokio::test]
async fn a_router_is_saved_only_after_a_passing_test_and_its_password_never_comes_back() {
    let w = World::start(|_| {}).await;
    let admin = w.admin().await;
    let c = &admin.cookies;

    let (s, test) = admin_call(
        &w,
        Method::POST,
        "/api/v1/admin/routers/test",
        c,
        Some(input(&w, "Blok B", Some("sandbox"))),
    )
    .await;
    assert_eq!((s, test["ok"].as_bool()), (200, Some(true)), "{test}");
    assert!(
        test["identity"].is_string() && test["version"].is_string(),
        "{test}"
    );
    assert_eq!(test["group"], "full");
    let excess: Vec<&str> = test["excess_policies"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p.as_str())
        .collect();
    assert!(
        excess.contains(&"policy") && excess.contains(&"sensitive"),
        "{excess:?}"
    );
    assert!(
        !excess.contains(&"write") && !excess.contains(&"api"),
        "gerbang needs those: {excess:?}"
    );
    assert_eq!(router_count(&w).await, 1, "a test saves nothing");

    let (s, saved) = admin_call(
        &w,
        Method::POST,
        "/api/v1/admin/routers",
        c,
        Some(input(&w, "Blok B", Some("sandbox"))),
    )
    .await;
    assert_eq!(s, 200, "{saved}");
    assert_eq!(saved["test"]["ok"], true);
    assert_eq!(router_count(&w).await, 2);
    let (_, list) = admin_call(&w, Method::GET, "/api/v1/admin/routers", c, None).await;
    let text = list.to_string();
    assert!(
        text.contains("Blok B") && !text.contains("sandbox") && !text.contains("api_password"),
        "{text}"
    );
    // Sealed with its own id: the worker can use it.
    let id: uuid::Uuid = saved["router"]["id"].as_str().unwrap().parse().unwrap();
    let row = api::db::routers::by_id(&w.app.db().await, id)
        .await
        .unwrap()
        .unwrap();
    assert!(row.api_password_sealed.starts_with("v1."));
    let client = w.app.state.routers.client(&row).await.unwrap();
    assert!(client.api().identity().await.is_ok());
    // The audit entry has the settings, never the password.
    let details: Value = w
        .app
        .db()
        .await
        .query_one(
            "select details from audit_log where action = 'router.create'",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(details["after"]["name"], "Blok B");
    assert!(!details.to_string().contains("sandbox"), "{details}");
    // Its setup: the script to paste and what the live router still lacks.
    let (s, setup) = admin_call(
        &w,
        Method::GET,
        &format!("/api/v1/admin/routers/{id}/setup"),
        c,
        None,
    )
    .await;
    assert_eq!(
        (s, setup["reachable"].as_bool()),
        (200, Some(true)),
        "{setup}"
    );
    assert!(
        setup["script"]
            .as_str()
            .unwrap()
            .contains("/ip hotspot user profile"),
        "{setup}"
    );
    let checks = setup["checks"].as_array().unwrap();
    assert!(
        checks
            .iter()
            .any(|c| c["item"] == "API login" && c["ok"] == true),
        "{setup}"
    );
    let missing: Vec<&Value> = checks.iter().filter(|c| c["ok"] == false).collect();
    assert!(
        !missing.is_empty(),
        "a fresh router lacks the walled garden: {setup}"
    );
    // Each missing item comes with the script line that fixes it, and the
    // line is one the script holds.
    for c in &missing {
        let fix = c["fix"]
            .as_str()
            .unwrap_or_else(|| panic!("no fix for {c}"));
        if !fix.starts_with('#') {
            assert!(setup["script"].as_str().unwrap().contains(fix), "{fix}");
        }
    }
    assert!(checks
        .iter()
        .filter(|c| c["ok"] == true)
        .all(|c| c["fix"].is_null()));
    // Another router with the same name: 409.
    let (s, env) = admin_call(
        &w,
        Method::POST,
        "/api/v1/admin/routers",
        c,
        Some(input(&w, "Blok B", Some("sandbox"))),
    )
    .await;
    assert_eq!((s, env["code"].as_str()), (409, Some("conflict")));

    // A least-privilege account: no warning.
    let api = w.router_client().await;
    api.add(
        "/user/group",
        [
            ("name", "gerbang"),
            ("policy", "api,read,write,!ftp,!policy,!sensitive,!password"),
        ],
    )
    .await
    .unwrap();
    api.add(
        "/user",
        [("name", "gerbang"), ("group", "gerbang"), ("password", "x")],
    )
    .await
    .unwrap();
    let mut least = input(&w, "Blok C", Some("x"));
    least["api_username"] = json!("gerbang");
    let (s, test) = admin_call(
        &w,
        Method::POST,
        "/api/v1/admin/routers/test",
        c,
        Some(least),
    )
    .await;
    assert_eq!(
        (s, test["group"].as_str()),
        (200, Some("gerbang")),
        "{test}"
    );
    assert_eq!(test["excess_policies"], json!([]));
    w.stop().await;
}

#[tokio::test]
async fn a_wrong_password_port_or_fingerprint_names_the_field_and_saves_nothing() {
    let w = World::start(|_| {}).await;
    let admin = w.admin().await;
    let c = &admin.cookies;
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let ssl = w.sb.router().api_ssl_addr.expect("api-ssl").port();
    let wrong_password = input(&w, "X", Some("salah"));
    let mut unreachable = input(&w, "X", Some("sandbox"));
    unreachable["port"] = json!(closed);
    let mut wrong_pin = input(&w, "X", Some("sandbox"));
    wrong_pin["port"] = json!(ssl);
    wrong_pin["tls"] = json!(true);
    wrong_pin["tls_fingerprint"] = json!("AB".repeat(32));
    let mut no_pin = wrong_pin.clone();
    no_pin["tls_fingerprint"] = Value::Null;
    for (body, field, problem) in [
        (wrong_password, "api_password", "login_refused"),
        (unreachable, "port", "unreachable"),
        (wrong_pin, "tls_fingerprint", "tls_failed"),
        (no_pin, "tls_fingerprint", "bad_fingerprint"),
    ] {
        let (s, env) = admin_call(
            &w,
            Method::POST,
            "/api/v1/admin/routers",
            c,
            Some(body.clone()),
        )
        .await;
        assert_eq!(
            (s, env["code"].as_str()),
            (422, Some("validation_failed")),
            "{body}"
        );
        assert_eq!(env["details"]["fields"][field][0], problem, "{env}");
        assert_eq!(env["details"]["test"]["ok"], false);
        assert!(
            !env.to_string().contains("sandbox"),
            "no password in the answer: {env}"
        );
    }
    assert_eq!(router_count(&w).await, 1, "nothing was saved");
    // A new router needs a password; bad fields are 422 before any connection.
    let (s, env) = admin_call(
        &w,
        Method::POST,
        "/api/v1/admin/routers",
        c,
        Some(input(&w, "X", None)),
    )
    .await;
    assert_eq!(
        (s, env["details"]["fields"]["api_password"][0].as_str()),
        (422, Some("required"))
    );
    let mut bad = input(&w, "X", Some("sandbox"));
    bad["port"] = json!(70000);
    bad["hotspot_profile"] = json!("no spaces");
    let (s, env) = admin_call(&w, Method::POST, "/api/v1/admin/routers", c, Some(bad)).await;
    assert_eq!(s, 422, "{env}");
    assert!(
        env["details"]["fields"].get("port").is_some()
            && env["details"]["fields"].get("hotspot_profile").is_some(),
        "{env}"
    );
    w.stop().await;
}

#[tokio::test]
async fn editing_keeps_the_stored_password_and_a_disabled_router_is_left_alone() {
    let w = World::start(|_| {}).await;
    let admin = w.admin().await;
    let c = &admin.cookies;
    let path = format!("/api/v1/admin/routers/{}", w.router_id);
    let mut edit = input(&w, "Blok A", None);
    edit["is_default"] = json!(true);
    let (s, saved) = admin_call(&w, Method::PUT, &path, c, Some(edit)).await;
    assert_eq!(
        (s, saved["router"]["name"].as_str()),
        (200, Some("Blok A")),
        "{saved}"
    );
    assert!(
        cycle(&w).await.reads > 0,
        "the stored password still logs in"
    );
    let details: Value = w
        .app
        .db()
        .await
        .query_one(
            "select details from audit_log where action = 'router.update'",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(
        (
            details["before"]["name"].as_str(),
            details["after"]["name"].as_str()
        ),
        (Some("r1"), Some("Blok A"))
    );
    assert_eq!(details["password_changed"], false);

    // Reconcile now: a resident added behind the worker's back reaches the router at once.
    let resident = w.resident(PHONE).await;
    let (s, now) = admin_call(&w, Method::POST, &format!("{path}/reconcile"), c, None).await;
    assert_eq!((s, now["outcome"].as_str()), (200, Some("done")), "{now}");
    assert!(now["writes"].as_i64().unwrap() > 0, "{now}");
    assert!(router_users(&w).await.contains_key(LOCAL), "{resident}");
    assert_eq!(w.audit_count("router.reconcile").await, 1);

    let (s, r) = admin_call(&w, Method::POST, &format!("{path}/disable"), c, None).await;
    assert_eq!((s, r["disabled"].as_bool()), (200, Some(true)));
    let outcomes = api::worker::reconcile_routers(&w.app.state).await.unwrap();
    assert!(
        outcomes.is_empty(),
        "the worker leaves a disabled router alone"
    );
    let (s, r) = admin_call(&w, Method::POST, &format!("{path}/enable"), c, None).await;
    assert_eq!((s, r["disabled"].as_bool()), (200, Some(false)));
    assert_eq!(
        api::worker::reconcile_routers(&w.app.state)
            .await
            .unwrap()
            .len(),
        1
    );

    // An admin who is not a super admin: 403 before anything is read.
    w.create_plain_admin().await;
    let petugas = Cookies::from(&w.admin_login("petugas", "kata-sandi-petugas").await);
    let (s, env) = admin_call(&w, Method::POST, &format!("{path}/disable"), &petugas, None).await;
    assert_eq!((s, env["code"].as_str()), (403, Some("forbidden")));
    let (s, _) = admin_call(&w, Method::GET, "/api/v1/admin/routers", &petugas, None).await;
    assert_eq!(s, 403);
    w.stop().await;
}

/// `gerbang router …` against this world's database, the password on stdin
/// (awaited, so the simulated router in this process keeps answering).
async fn cli(w: &World, args: &[&str], stdin: &str) -> std::process::Output {
    use tokio::io::AsyncWriteExt;
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_gerbang"))
        .args(args)
        .env(
            "GERBANG__DATABASE__URL",
            w.app.state.settings.database.url.expose(),
        )
        .env("GERBANG__REDIS__URL", redis_url())
        .env_remove("GERBANG_ROUTER_PASSWORD")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    input.write_all(stdin.as_bytes()).await.unwrap();
    drop(input);
    child.wait_with_output().await.unwrap()
}

#[tokio::test]
async fn the_command_line_adds_lists_and_edits_routers_after_the_same_test() {
    let w = World::start(|_| {}).await;
    let port = w.sb.router().api_addr.port().to_string();
    let base = [
        "router",
        "add",
        "Blok D",
        "--host",
        "127.0.0.1",
        "--port",
        &port,
        "--user",
        "admin",
    ];
    // A wrong password: the test says why, nothing is saved, exit status 1.
    let out = cli(&w, &base, "salah\n").await;
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("LoginRefused"), "{stdout}");
    assert_eq!(router_count(&w).await, 1);

    let out = cli(&w, &base, "sandbox\n").await;
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout} {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("connected: identity")
            && stdout.contains("warning: the API account's group"),
        "{stdout}"
    );
    assert_eq!(router_count(&w).await, 2);
    let id = api::db::routers::id_by_name(&w.app.db().await, "Blok D")
        .await
        .unwrap()
        .unwrap();
    let row = api::db::routers::by_id(&w.app.db().await, id)
        .await
        .unwrap()
        .unwrap();
    assert!(
        w.app.state.routers.client(&row).await.is_ok(),
        "sealed with the shared key"
    );

    let out = cli(
        &w,
        &[
            "router",
            "edit",
            "Blok D",
            "--rename",
            "Blok E",
            "--default",
        ],
        "",
    )
    .await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let out = cli(&w, &["router", "list"], "").await;
    let list = String::from_utf8_lossy(&out.stdout);
    assert!(
        list.contains("Blok E") && list.contains("default") && !list.contains("Blok D"),
        "{list}"
    );
    assert_eq!(w.audit_count("router.update").await, 1);
    w.stop().await;
}
