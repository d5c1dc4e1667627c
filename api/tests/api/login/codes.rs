//! WhatsApp codes: tries, caps, single use, and what a proven number learns.

use crate::helpers::*;

#[tokio::test]
async fn five_wrong_codes_void_the_challenge_and_the_sixth_try_is_refused() {
    let w = World::start(|_| {}).await;
    w.resident(PHONE).await;
    let code = w.code_for(PHONE).await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for left in (0..5).rev() {
        let (status, env) = envelope(w.verify(PHONE, wrong, None).await).await;
        assert_eq!(status, 401);
        assert_eq!(env["code"], "otp_invalid");
        assert_eq!(env["details"]["attempts_left"], left, "{env}");
    }
    // Even the right code no longer works: the challenge is gone.
    let (status, env) = envelope(w.verify(PHONE, &code, None).await).await;
    assert_eq!(
        (status, env["code"].as_str().unwrap()),
        (401, "otp_invalid")
    );
    // A new code works.
    let code = w.code_for(PHONE).await;
    assert_eq!(w.verify(PHONE, &code, None).await.status(), 200);
    w.stop().await;
}

#[tokio::test]
async fn wrong_codes_per_number_are_capped_across_challenges() {
    let w = World::start(|s| {
        s.otp.max_wrong_per_phone_hour = 3;
        s.otp.max_per_phone_15min = 10;
    })
    .await;
    w.resident(PHONE).await;
    for _ in 0..3 {
        let code = w.code_for(PHONE).await;
        let wrong = if code == "000000" { "111111" } else { "000000" };
        assert_eq!(w.verify(PHONE, wrong, None).await.status(), 401);
    }
    let code = w.code_for(PHONE).await;
    let resp = w.verify(PHONE, &code, None).await;
    assert!(resp.headers().contains_key("retry-after"));
    let (status, env) = envelope(resp).await;
    assert_eq!(
        (status, env["code"].as_str().unwrap()),
        (429, "rate_limited")
    );
    w.stop().await;
}

#[tokio::test]
async fn the_same_code_sent_twice_at_once_logs_in_only_once() {
    let w = World::start(|_| {}).await;
    w.resident(PHONE).await;
    let code = w.code_for(PHONE).await;
    let (a, b) = tokio::join!(w.verify(PHONE, &code, None), w.verify(PHONE, &code, None));
    let mut statuses = [a.status().as_u16(), b.status().as_u16()];
    statuses.sort();
    assert_eq!(statuses, [200, 401]);
    assert_eq!(w.app.count("sessions").await, 1);
    w.stop().await;
}

#[tokio::test]
async fn blocked_pending_and_deactivated_accounts_learn_why_once_the_code_proves_the_number() {
    let w = World::start(|s| s.portal.contact = "petugas blok A".into()).await;
    let cases = [
        (
            "+6281311110001",
            "update users set blocked = true, blocked_reason = 'Pelanggaran tata tertib' where id = $1",
            "account_blocked",
            Some("Pelanggaran tata tertib"),
        ),
        (
            "+6281311110002",
            "update users set approval = 'pending' where id = $1",
            "account_pending",
            None,
        ),
        (
            "+6281311110003",
            "update users set active = false where id = $1",
            "account_inactive",
            None,
        ),
    ];
    for (phone, sql, expected, reason) in cases {
        let id = w.resident(phone).await;
        w.app.db().await.execute(sql, &[&id]).await.unwrap();
        let code = w.code_for(phone).await;
        let resp = w.verify(phone, &code, None).await;
        assert!(
            resp.headers().get("set-cookie").is_none(),
            "{phone}: no session"
        );
        let (status, env) = envelope(resp).await;
        assert_eq!((status, env["code"].as_str().unwrap()), (403, expected));
        assert_eq!(env["details"]["reason"].as_str(), reason, "{phone}");
        if expected != "account_pending" {
            assert_eq!(env["details"]["contact"], "petugas blok A");
        }
        // The code was spent: a second try is a wrong code, not the account's state.
        let (status, env) = envelope(w.verify(phone, &code, None).await).await;
        assert_eq!(
            (status, env["code"].as_str().unwrap()),
            (401, "otp_invalid")
        );
    }
    assert_eq!(
        w.app
            .db()
            .await
            .query_one("select count(*) from sessions", &[])
            .await
            .unwrap()
            .get::<_, i64>(0),
        0
    );
    w.stop().await;
}
