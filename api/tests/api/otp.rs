use std::time::Duration;

use fred::interfaces::{HashesInterface, KeysInterface};
use sandbox::{fakes, Sandbox};

use crate::helpers::{envelope, mint_token, TestApp, World};

const KNOWN: &str = "+6281234567890";

async fn setup(configure: impl FnOnce(&mut api::settings::Settings)) -> (TestApp, Sandbox) {
    let World { app, sb, .. } = World::start(configure).await;
    for (phone, approval, blocked) in [
        (KNOWN, "approved", false),
        ("+6281299990000", "rejected", false),
    ] {
        app.db()
            .await
            .execute(
                "insert into users (id, phone, name, role, blok, kamar, approval, blocked, blocked_reason)
                 values ($1, $2, 'Budi', 'resident', 'A', '12', $3, $4, case when $4 then 'test' end)",
                &[&uuid::Uuid::now_v7(), &phone, &approval, &blocked],
            )
            .await
            .unwrap();
    }
    (app, sb)
}

async fn request(app: &TestApp, phone: &str, token: &str) -> reqwest::Response {
    app.post_json(
        "/api/v1/auth/otp/request",
        &serde_json::json!({"phone": phone, "turnstile_token": token}),
    )
    .await
}

fn code_in(message: &str) -> String {
    message
        .split(|c: char| !c.is_ascii_digit())
        .find(|w| w.len() == 6)
        .expect("a 6-digit code")
        .to_owned()
}

#[tokio::test]
async fn a_registered_number_receives_a_code_that_is_stored_only_as_an_hmac() {
    let (app, sb) = setup(|_| {}).await;
    let t = mint_token(&sb, "otp_request").await;
    let resp = request(&app, "0812-3456-7890", &t).await;
    assert_eq!(resp.status(), 202);
    let body: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(body, serde_json::json!({"resend_after_seconds": 60}));

    let inbox = sb
        .fakes
        .fonnte
        .messages_to(Some("6281234567890"), Duration::from_secs(10))
        .await;
    assert_eq!(inbox.len(), 1);
    assert!(inbox[0].message.starts_with("Kode masuk gerbang:"));
    let code = code_in(&inbox[0].message);

    let key = app.state.kv.key(&format!("otp:challenge:{KNOWN}"));
    let pool = app.state.kv.pool().next();
    let stored: std::collections::HashMap<String, String> = pool.hgetall(&key).await.unwrap();
    assert_eq!(stored["attempts"], "0");
    assert_eq!(stored["mac"].len(), 64);
    assert!(
        stored.values().all(|v| !v.contains(&code)),
        "the code itself is never stored"
    );
    let ttl: i64 = pool.ttl(&key).await.unwrap();
    assert!((1..=300).contains(&ttl), "{ttl}");
    app.stop().await;
    sb.shutdown().await;
}

#[tokio::test]
async fn unknown_and_rejected_numbers_get_the_same_answer_and_no_message() {
    let (app, sb) = setup(|_| {}).await;
    for phone in ["081311112222", "+6281299990000"] {
        let t = mint_token(&sb, "otp_request").await;
        let resp = request(&app, phone, &t).await;
        assert_eq!(resp.status(), 202, "{phone}");
        assert_eq!(
            resp.json::<serde_json::Value>().await.unwrap(),
            serde_json::json!({"resend_after_seconds": 60})
        );
    }
    // A known number afterwards: once its message is in, nothing else was sent.
    let t = mint_token(&sb, "otp_request").await;
    assert_eq!(request(&app, KNOWN, &t).await.status(), 202);
    sb.fakes
        .fonnte
        .messages_to(Some("6281234567890"), Duration::from_secs(10))
        .await;
    let all = sb.fakes.fonnte.messages_to(None, Duration::ZERO).await;
    assert_eq!(all.len(), 1, "{all:?}");
    app.stop().await;
    sb.shutdown().await;
}

#[tokio::test]
async fn the_cooldown_refuses_a_second_request_with_retry_after() {
    let (app, sb) = setup(|_| {}).await;
    assert_eq!(
        request(&app, KNOWN, &mint_token(&sb, "otp_request").await)
            .await
            .status(),
        202
    );
    let resp = request(&app, KNOWN, &mint_token(&sb, "otp_request").await).await;
    let retry: u64 = resp.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry), "{retry}");
    let (status, body) = envelope(resp).await;
    assert_eq!((status, body["code"].as_str()), (429, Some("rate_limited")));
    app.stop().await;
    sb.shutdown().await;
}

#[tokio::test]
async fn turnstile_failures_are_refused_before_anything_is_sent() {
    let (app, sb) = setup(|_| {}).await;
    let t = mint_token(&sb, "otp_request").await;
    assert_eq!(request(&app, "081311112222", &t).await.status(), 202);
    // The same token again: spent.
    let (status, body) = envelope(request(&app, KNOWN, &t).await).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (403, Some("turnstile_failed"))
    );
    assert!(body["details"]["reason"]
        .as_str()
        .unwrap()
        .contains("timeout-or-duplicate"));
    // A token for another action, the test dummy token, and garbage.
    let other = mint_token(&sb, "register").await;
    for bad in [other.as_str(), fakes::DUMMY_TOKEN, "nonsense"] {
        let (status, body) = envelope(request(&app, KNOWN, bad).await).await;
        assert_eq!(
            (status, body["code"].as_str()),
            (403, Some("turnstile_failed")),
            "{bad}"
        );
    }
    // Turnstile answering garbage fails closed.
    reqwest::Client::new()
        .put(format!("http://{}/_sandbox/turnstile/mode", sb.http_addr))
        .json(&serde_json::json!({"mode": "non_json"}))
        .send()
        .await
        .unwrap();
    let (status, body) =
        envelope(request(&app, KNOWN, &mint_token(&sb, "otp_request").await).await).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (503, Some("service_unavailable"))
    );
    assert!(sb
        .fakes
        .fonnte
        .messages_to(None, Duration::ZERO)
        .await
        .is_empty());
    app.stop().await;
    sb.shutdown().await;
}

#[tokio::test]
async fn an_invalid_number_is_refused_without_spending_the_token() {
    let (app, sb) = setup(|_| {}).await;
    let t = mint_token(&sb, "otp_request").await;
    for bad in ["08091234567", "+6581234567", "021 5551234"] {
        let (status, body) = envelope(request(&app, bad, &t).await).await;
        assert_eq!(
            (status, body["code"].as_str()),
            (422, Some("invalid_phone")),
            "{bad}"
        );
    }
    assert_eq!(
        request(&app, KNOWN, &t).await.status(),
        202,
        "the token is still good"
    );
    app.stop().await;
    sb.shutdown().await;
}

#[tokio::test]
async fn per_ip_cap_and_global_budget() {
    let (app, sb) = setup(|s| s.otp.max_per_ip_hour = 2).await;
    for phone in ["081311110001", "081311110002"] {
        assert_eq!(
            request(&app, phone, &mint_token(&sb, "otp_request").await)
                .await
                .status(),
            202
        );
    }
    let (status, body) =
        envelope(request(&app, "081311110003", &mint_token(&sb, "otp_request").await).await).await;
    assert_eq!((status, body["code"].as_str()), (429, Some("rate_limited")));
    app.stop().await;

    let (app, sb2) = setup(|s| s.otp.global_per_minute = 1).await;
    assert_eq!(
        request(&app, "081311110004", &mint_token(&sb2, "otp_request").await)
            .await
            .status(),
        202
    );
    let (status, body) =
        envelope(request(&app, "081311110005", &mint_token(&sb2, "otp_request").await).await).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (503, Some("service_unavailable")),
        "the breaker trips"
    );
    app.stop().await;
    sb.shutdown().await;
    sb2.shutdown().await;
}
