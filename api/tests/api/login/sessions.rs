//! Sessions: refresh rotation and reuse, revocation, the one-time link, CSRF, client IPs, admin password login.

use std::time::Duration;

use serde_json::{json, Value};

use crate::helpers::*;

/// `POST /auth/refresh` with the session in `c`.
async fn refresh(w: &World, c: &Cookies) -> reqwest::Response {
    authed(&w.app, reqwest::Method::POST, "/api/v1/auth/refresh", c)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_reused_refresh_token_revokes_the_session() {
    let w = World::start(|_| {}).await;
    w.resident(PHONE).await;
    let code = w.code_for(PHONE).await;
    let resp = w.verify(PHONE, &code, None).await;
    assert_eq!(resp.status(), 200);
    let first = Cookies::from(&resp);
    let me = |c: Cookies| {
        let app = &w.app;
        async move {
            authed(app, reqwest::Method::GET, "/api/v1/me", &c)
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    assert_eq!(me(first.clone()).await, 200);

    let resp = refresh(&w, &first).await;
    assert_eq!(resp.status(), 204);
    let second = Cookies::from(&resp);
    assert_ne!(second.get("gerbang_rt"), first.get("gerbang_rt"));
    assert_ne!(second.get("gerbang_at"), first.get("gerbang_at"));
    assert_eq!(me(first.clone()).await, 401, "the old access token ended");
    assert_eq!(me(second.clone()).await, 200);

    // Someone replays the first refresh token: the whole session ends.
    let (status, env) = envelope(refresh(&w, &first).await).await;
    assert_eq!(status, 401);
    assert_eq!(env["details"]["reason"], "refresh_token_reused");
    assert_eq!(me(second.clone()).await, 401);
    assert_eq!(refresh(&w, &second).await.status(), 401);
    let audited: i64 = w
        .app
        .db()
        .await
        .query_one(
            "select count(*) from audit_log where action = 'session.refresh_reuse'",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(audited, 1);
    w.stop().await;
}

#[tokio::test]
async fn a_blocked_users_cookie_is_rejected_on_the_next_request_and_logout_ends_sessions() {
    let w = World::start(|_| {}).await;
    let id = w.resident(PHONE).await;
    let code = w.code_for(PHONE).await;
    let resp = w.verify(PHONE, &code, None).await;
    let c = Cookies::from(&resp);
    let status: Value = get_json(&w.app, "/api/v1/me/status", &c).await;
    assert_eq!(status["status"], "active");
    assert_eq!(status["remaining_bytes"], 5_368_709_120i64);
    w.app
        .db()
        .await
        .execute(
            "update users set blocked = true, blocked_reason = 'pelanggaran' where id = $1",
            &[&id],
        )
        .await
        .unwrap();
    let (code, env) = envelope(
        authed(&w.app, reqwest::Method::GET, "/api/v1/me", &c)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!((code, env["code"].as_str().unwrap()), (401, "unauthorized"));
    let resp = authed(&w.app, reqwest::Method::POST, "/api/v1/auth/refresh", &c)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 401);

    // Logout of another user's session: revoked and cookies cleared.
    let other = "+6281311112222";
    w.resident(other).await;
    let code = w.code_for(other).await;
    let c = Cookies::from(&w.verify(other, &code, None).await);
    let resp = authed(&w.app, reqwest::Method::POST, "/api/v1/auth/logout", &c)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 204);
    assert!(resp
        .headers()
        .get_all("set-cookie")
        .iter()
        .all(|v| v.to_str().unwrap().contains("Max-Age=0")));
    assert_eq!(
        authed(&w.app, reqwest::Method::GET, "/api/v1/me", &c)
            .send()
            .await
            .unwrap()
            .status(),
        401
    );
    w.stop().await;
}

#[tokio::test]
async fn the_open_in_browser_link_is_single_use() {
    let w = World::start(|_| {}).await;
    w.resident(PHONE).await;
    let code = w.code_for(PHONE).await;
    let body: Value = w.verify(PHONE, &code, None).await.json().await.unwrap();
    let url = body["open_in_browser_url"].as_str().unwrap();
    let token = url.split("#token=").nth(1).unwrap();
    let consume = || {
        w.app
            .fetch(reqwest::Method::POST, "/api/v1/auth/session/consume")
            .json(&json!({"token": token}))
            .send()
    };
    let resp = consume().await.unwrap();
    assert_eq!(resp.status(), 200);
    let c = Cookies::from(&resp);
    assert_eq!(resp.json::<Value>().await.unwrap()["user"]["phone"], PHONE);
    assert_eq!(
        authed(&w.app, reqwest::Method::GET, "/api/v1/me", &c)
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    let (status, _) = envelope(consume().await.unwrap()).await;
    assert_eq!(status, 401);
    w.stop().await;
}

#[tokio::test]
async fn cookie_changes_need_the_csrf_header_and_a_same_site_origin() {
    let w = World::start(|_| {}).await;
    w.resident(PHONE).await;
    let code = w.code_for(PHONE).await;
    let body = json!({"phone": PHONE, "code": code});
    let resp = w.app.post_json("/api/v1/auth/otp/verify", &body).await;
    let (status, env) = envelope(resp).await;
    assert_eq!(
        (status, env["code"].as_str().unwrap()),
        (403, "csrf_failed")
    );
    let resp = w
        .app
        .fetch(reqwest::Method::POST, "/api/v1/auth/otp/verify")
        .header("Origin", "https://evil.example")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(envelope(resp).await.1["code"], "csrf_failed");
    let resp = w
        .app
        .fetch(reqwest::Method::POST, "/api/v1/auth/otp/verify")
        .header("Sec-Fetch-Site", "cross-site")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(envelope(resp).await.1["code"], "csrf_failed");
    // Same origin passes.
    let resp = w
        .app
        .fetch(reqwest::Method::POST, "/api/v1/auth/otp/verify")
        .header("Origin", format!("http://{}", w.app.addr))
        .header("Sec-Fetch-Site", "same-origin")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let c = Cookies::from(&resp);
    // A cookie-authenticated change without the header is refused too.
    let resp = w
        .app
        .http
        .post(w.app.url("/api/v1/auth/logout"))
        .header("Cookie", c.header())
        .send()
        .await
        .unwrap();
    assert_eq!(envelope(resp).await.1["code"], "csrf_failed");
    w.stop().await;
}

#[tokio::test]
async fn a_spoofed_forwarded_for_from_an_untrusted_peer_is_ignored() {
    let w = World::start(|_| {}).await;
    w.resident(PHONE).await;
    let code = w.code_for(PHONE).await;
    let resp = w
        .app
        .fetch(reqwest::Method::POST, "/api/v1/auth/otp/verify")
        .header("X-Forwarded-For", "203.0.113.7")
        .json(&json!({"phone": PHONE, "code": code}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let row = w
        .app
        .db()
        .await
        .query_one("select host(ip) from sessions", &[])
        .await
        .unwrap();
    assert_eq!(row.get::<_, String>(0), "127.0.0.1");
    w.stop().await;
}

#[tokio::test]
async fn admin_login_locks_after_wrong_passwords_and_residents_cannot_use_admin_routes() {
    let w = World::start(|s| s.session.max_password_failures = 3).await;
    w.create_admin(None).await;

    for _ in 0..3 {
        let (s, env) = envelope(w.admin_login("kepala", "salah").await).await;
        assert_eq!((s, env["code"].as_str().unwrap()), (401, "unauthorized"));
    }
    let (s, _) = envelope(w.admin_login("kepala", "kata-sandi-panjang").await).await;
    assert_eq!(s, 429, "locked even with the right password");

    // An unknown user is told the same as a wrong password.
    let resp = w.admin_login("siapa", "x").await;
    assert_eq!(envelope(resp).await.1["code"], "unauthorized");

    w.resident(PHONE).await;
    let code = w.code_for(PHONE).await;
    let c = Cookies::from(&w.verify(PHONE, &code, None).await);
    let (s, env) = envelope(
        authed(
            &w.app,
            reqwest::Method::GET,
            "/api/v1/admin/registrations",
            &c,
        )
        .send()
        .await
        .unwrap(),
    )
    .await;
    assert_eq!((s, env["code"].as_str().unwrap()), (403, "forbidden"));
    let (s, _) = envelope(w.app.get("/api/v1/admin/registrations").await).await;
    assert_eq!(s, 401);
    w.stop().await;
}

#[tokio::test]
async fn wrong_passwords_from_one_address_do_not_lock_the_admin_out_elsewhere() {
    let w = World::start(|s| {
        s.session.max_password_failures = 3;
        // The app sits behind a proxy that reports the client address.
        s.http.trusted_proxies = vec!["127.0.0.1/32".parse().unwrap()];
    })
    .await;
    w.create_admin(None).await;
    let login = |from: &'static str, password: &'static str| {
        let w = &w;
        async move {
            let resp = w
                .app
                .fetch(reqwest::Method::POST, "/api/v1/admin/auth/login")
                .header("X-Forwarded-For", from)
                .json(&json!({"username": "kepala", "password": password}))
                .send()
                .await
                .unwrap();
            resp.status().as_u16()
        }
    };
    // A stranger guesses from one address until it is locked…
    for _ in 0..3 {
        assert_eq!(login("203.0.113.7", "tebakan").await, 401);
    }
    assert_eq!(login("203.0.113.7", "kata-sandi-panjang").await, 429);
    // …while the operator at their own desk still signs in.
    assert_eq!(login("198.51.100.9", "kata-sandi-panjang").await, 200);
    w.stop().await;
}

#[tokio::test]
async fn guessing_from_many_addresses_locks_the_username_and_a_whatsapp_code_lifts_it() {
    let w = World::start(|s| {
        s.session.max_password_failures = 3;
        s.session.max_password_failures_per_username = 4;
        s.http.trusted_proxies = vec!["127.0.0.1/32".parse().unwrap()];
    })
    .await;
    let admin_phone = "+6281355550001";
    w.create_admin(Some(admin_phone)).await;
    let login = |from: &'static str, password: &'static str, code: Option<String>| {
        let w = &w;
        async move {
            let mut body = json!({"username": "kepala", "password": password});
            if let Some(c) = code {
                body["unlock_code"] = c.into();
            }
            let resp = w
                .app
                .fetch(reqwest::Method::POST, "/api/v1/admin/auth/login")
                .header("X-Forwarded-For", from)
                .json(&body)
                .send()
                .await
                .unwrap();
            let status = resp.status().as_u16();
            (status, resp.json::<Value>().await.unwrap())
        }
    };
    let unlock = |from: &'static str| {
        let w = &w;
        async move {
            w.app
                .fetch(reqwest::Method::POST, "/api/v1/admin/auth/unlock")
                .header("X-Forwarded-For", from)
                .json(&json!({"username": "kepala"}))
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    let inbox = || {
        w.sb.fakes
            .fonnte
            .messages_to(Some("6281355550001"), Duration::ZERO)
    };

    // Not locked: asking for a code sends nothing (and says the same).
    assert_eq!(unlock("198.51.100.9").await, 202);
    // One guess from each of four addresses: no address reaches its own limit…
    for from in ["203.0.113.1", "203.0.113.2", "203.0.113.3", "203.0.113.4"] {
        assert_eq!(login(from, "tebakan", None).await.0, 401);
    }
    // …but the username is now locked everywhere, the operator's desk included,
    // and a password without the code is not even checked.
    let (s, env) = login("198.51.100.9", "kata-sandi-panjang", None).await;
    assert_eq!(
        (s, env["details"]["unlock"].as_str()),
        (429, Some("whatsapp_code"))
    );
    assert!(
        inbox().await.is_empty(),
        "nothing was sent before anyone asked"
    );
    // A made-up code does not help a guesser.
    let (s, env) = login("203.0.113.5", "tebakan", Some("123456".into())).await;
    assert_eq!((s, env["code"].as_str()), (401, Some("otp_invalid")));

    // The operator asks for a code; it arrives on the admin's WhatsApp only.
    assert_eq!(unlock("198.51.100.9").await, 202);
    let sent =
        w.sb.fakes
            .fonnte
            .at_least(Some("6281355550001"), 1, Duration::from_secs(10))
            .await;
    let text = &sent.last().unwrap().message;
    assert!(
        text.starts_with("Kode buka kunci dasbor gerbang: "),
        "{text}"
    );
    let code: String = text
        .split(|c: char| !c.is_ascii_digit())
        .find(|w| w.len() == 6)
        .unwrap()
        .to_owned();
    // Asking again at once sends no second message.
    assert_eq!(unlock("198.51.100.9").await, 202);
    // The code is not a portal login code.
    assert_eq!(w.verify(admin_phone, &code, None).await.status(), 401);
    // Password + code: in, and the lock is lifted for everyone.
    let (s, _) = login("198.51.100.9", "kata-sandi-panjang", Some(code.clone())).await;
    assert_eq!(s, 200);
    assert_eq!(inbox().await.len(), 1);
    let (s, _) = login("192.0.2.44", "kata-sandi-panjang", None).await;
    assert_eq!(s, 200);
    // The code worked once.
    for from in ["203.0.113.1", "203.0.113.2", "203.0.113.3", "203.0.113.4"] {
        assert_eq!(login(from, "tebakan", None).await.0, 401);
    }
    let (s, _) = login("198.51.100.9", "kata-sandi-panjang", Some(code)).await;
    assert_eq!(s, 401);
    let audit: i64 = w
        .app
        .db()
        .await
        .query_one(
            "select count(*) from audit_log where action = 'admin.unlock'",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(audit, 1);
    w.stop().await;
}
