//! Delivery: a gateway outage, a worker killed mid-send, a number not on
//! WhatsApp, quiet hours and the daily budget.

use serde_json::json;
use time::{Duration, OffsetDateTime};

use super::{message_id, outbox_of};
use crate::helpers::*;

/// `POST /admin/whatsapp/messages/{id}/retry` as `admin`.
async fn retry(w: &World, admin: &Admin<'_>, id: uuid::Uuid) -> (u16, serde_json::Value) {
    let path = format!("/api/v1/admin/whatsapp/messages/{id}/retry");
    admin_call(w, reqwest::Method::POST, &path, &admin.cookies, None).await
}

/// A resident blocked by the admin: one non-urgent message waits.
async fn blocked_resident(w: &World) -> Admin<'_> {
    let admin = w.admin().await;
    let id = w.resident(PHONE).await;
    admin.block(id, "berbagi akun").await;
    admin
}

#[tokio::test]
async fn messages_wait_while_fonnte_is_disconnected_and_go_out_once_when_it_is_back() {
    let w = World::start(|_| {}).await;
    blocked_resident(&w).await;
    w.fonnte_mode(json!({"disconnected": true})).await;
    let now = OffsetDateTime::now_utc();
    let pass = w.deliver_at(now).await;
    assert_eq!((pass.sent, pass.retrying), (0, 1));
    assert!(w.inbox(PHONE).await.is_empty());
    let rows = outbox_of(&w, "user.blocked").await;
    assert_eq!(rows[0].0, "waiting");
    assert_eq!(rows[0].1, 1);
    assert!(rows[0]
        .2
        .as_deref()
        .unwrap()
        .contains("disconnected device"));
    // Backing off: not tried again before its time.
    assert_eq!(w.deliver_at(now + Duration::seconds(10)).await.retrying, 0);
    assert_eq!(outbox_of(&w, "user.blocked").await[0].1, 1);
    let pass = w.deliver_at(now + Duration::seconds(31)).await;
    assert_eq!((pass.sent, pass.retrying), (0, 1));
    assert_eq!(outbox_of(&w, "user.blocked").await[0].1, 2);

    // Back: delivered once, and never again.
    w.fonnte_mode(json!({})).await;
    assert_eq!(w.deliver_at(now + Duration::minutes(2)).await.sent, 1);
    assert_eq!(w.deliver_at(now + Duration::minutes(10)).await.sent, 0);
    let inbox = w.inbox(PHONE).await;
    assert_eq!(inbox.len(), 1, "{inbox:?}");
    assert!(inbox[0].starts_with("Akses internet Anda diblokir."));
    assert_eq!(outbox_of(&w, "user.blocked").await[0].0, "sent");
    w.stop().await;
}

/// `gerbang worker` as its own process, on the test's database, Redis keys
/// and sandbox.
fn worker_process(w: &World) -> std::process::Child {
    let s = &w.app.state.settings;
    std::process::Command::new(env!("CARGO_BIN_EXE_gerbang"))
        .arg("worker")
        .env("GERBANG__DATABASE__URL", s.database.url.expose())
        .env("GERBANG__REDIS__URL", s.redis.url.expose())
        .env("GERBANG__REDIS__KEY_PREFIX", &s.redis.key_prefix)
        .env("GERBANG__FONNTE__BASE_URL", &s.fonnte.base_url)
        .env("GERBANG__FONNTE__TOKEN", s.fonnte.token.expose())
        .env("GERBANG__NOTIFICATIONS__QUIET_START_HOUR", "0")
        .env("GERBANG__NOTIFICATIONS__QUIET_END_HOUR", "0")
        .env("GERBANG__LOG__FILTER", "warn")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("gerbang worker starts")
}

#[tokio::test]
async fn a_worker_killed_between_sending_and_recording_never_sends_twice() {
    let w = World::start(|_| {}).await;
    let admin = blocked_resident(&w).await;
    // Fonnte takes the message but its answer never reaches the worker…
    w.fonnte_mode(json!({"hold_replies": true})).await;
    let mut worker = worker_process(&w);
    let target = PHONE.trim_start_matches('+');
    let taken =
        w.sb.fakes
            .fonnte
            .messages_to(Some(target), std::time::Duration::from_secs(30))
            .await;
    // …because the worker process is killed (SIGKILL) right then.
    worker.kill().unwrap();
    worker.wait().unwrap();
    assert_eq!(taken.len(), 1);
    assert_eq!(outbox_of(&w, "user.blocked").await[0].0, "sending");
    w.fonnte_mode(json!({})).await;

    // The next worker finds it mid-send once the send could no longer be in
    // flight: failed, not re-sent (Fonnte may well have delivered it).
    let soon = w.deliver_at(OffsetDateTime::now_utc()).await;
    assert_eq!(
        (soon.sent, soon.interrupted),
        (0, 0),
        "still within the send timeout"
    );
    let later = w
        .deliver_at(OffsetDateTime::now_utc() + Duration::minutes(5))
        .await;
    assert_eq!((later.sent, later.interrupted), (0, 1));
    let rows = outbox_of(&w, "user.blocked").await;
    assert_eq!(rows[0].0, "failed");
    assert!(rows[0].2.as_deref().unwrap().starts_with("interrupted"));
    assert_eq!(w.inbox(PHONE).await.len(), 1, "no duplicate");

    // An admin who decides it should go again sends it from the messages screen.
    let id = message_id(&w, "user.blocked").await;
    let (status, view) = retry(&w, &admin, id).await;
    assert_eq!(status, 200, "{view}");
    assert_eq!(view["status"], "waiting");
    assert_eq!(w.audit_count("whatsapp.retry").await, 1);
    assert_eq!(w.deliver().await.sent, 1);
    assert_eq!(w.inbox(PHONE).await.len(), 2);
    // Only a failed message can be sent again.
    let (status, env) = retry(&w, &admin, id).await;
    assert_eq!(status, 409);
    assert_eq!(env["details"]["reason"], "not_failed");
    assert_eq!(env["details"]["status"], "sent");
    w.stop().await;
}

#[tokio::test]
async fn a_number_not_on_whatsapp_fails_at_once_and_is_not_retried() {
    let w = World::start(|_| {}).await;
    w.fonnte_mode(json!({"unregistered": [PHONE.trim_start_matches('+')]}))
        .await;
    blocked_resident(&w).await;
    let pass = w.deliver().await;
    assert_eq!((pass.sent, pass.failed, pass.retrying), (0, 1, 0));
    let rows = outbox_of(&w, "user.blocked").await;
    assert_eq!(rows[0].0, "failed");
    assert!(rows[0].2.as_deref().unwrap().starts_with("target invalid"));
    let pass = w
        .deliver_at(OffsetDateTime::now_utc() + Duration::hours(1))
        .await;
    assert_eq!((pass.sent, pass.failed), (0, 0));
    w.stop().await;
}

/// The next instant at `hour`:00 in the facility's time zone (UTC+8).
fn next_local_hour(after: OffsetDateTime, hour: u8) -> OffsetDateTime {
    let utc_hour = (i32::from(hour) - 8).rem_euclid(24) as u8;
    let mut t = after.replace_time(time::Time::from_hms(utc_hour, 0, 0).unwrap());
    while t <= after {
        t += Duration::days(1);
    }
    t
}

#[tokio::test]
async fn in_quiet_hours_only_urgent_messages_go_out() {
    let w = World::start(|s| {
        s.notifications.quiet_start_hour = 21;
        s.notifications.quiet_end_hour = 6;
        s.notifications.expire_hours = 72;
    })
    .await;
    let admin = w.admin().await;
    let blocked = w.resident(PHONE).await;
    admin.block(blocked, "berbagi akun").await;
    let other = "+6281234567891";
    let unblocked = w.resident(other).await;
    admin.block(unblocked, "salah blokir").await;
    // Unblocking is urgent: the person waits to go online again.
    admin.unblock(unblocked).await;
    let night = next_local_hour(OffsetDateTime::now_utc(), 23);
    let pass = w.deliver_at(night).await;
    assert!(pass.quiet);
    assert_eq!(pass.sent, 1);
    assert_eq!(w.inbox_with(other, "sudah dibuka").await.len(), 1);
    // B's "blocked" that never went out was superseded by "unblocked".
    let blocked_rows = outbox_of(&w, "user.blocked").await;
    let states: Vec<&str> = blocked_rows.iter().map(|r| r.0.as_str()).collect();
    assert_eq!(states, ["waiting", "failed"], "{blocked_rows:?}");
    assert!(blocked_rows[1]
        .2
        .as_deref()
        .unwrap()
        .starts_with("superseded"));
    let morning = next_local_hour(night, 7);
    let pass = w.deliver_at(morning).await;
    assert!(!pass.quiet);
    assert_eq!(pass.sent, 1);
    assert_eq!(w.inbox_with(PHONE, "diblokir").await.len(), 1);
    assert!(w.inbox_with(other, "diblokir").await.is_empty());
    w.stop().await;
}

#[tokio::test]
async fn over_the_daily_budget_messages_wait_for_the_next_day() {
    let w = World::start(|s| s.notifications.per_day = 1).await;
    let admin = w.admin().await;
    for (phone, reason) in [(PHONE, "satu"), ("+6281234567891", "dua")] {
        let id = w.resident(phone).await;
        admin.block(id, reason).await;
    }
    let pass = w.deliver().await;
    assert_eq!(pass.sent, 1);
    assert!(pass.budget_used);
    let rows = outbox_of(&w, "user.blocked").await;
    assert_eq!(rows.iter().filter(|r| r.0 == "waiting").count(), 1);
    // Login codes have their own budget and never wait behind notifications.
    let code = w.code_for("+6281234567891").await;
    assert_eq!(code.len(), 6);
    assert_eq!(
        w.deliver().await.sent,
        0,
        "still over the notification budget"
    );
    let tomorrow = OffsetDateTime::now_utc() + Duration::hours(24);
    w.app
        .db()
        .await
        .execute(
            "update whatsapp_outbox set expires_at = now() + interval '2 days'",
            &[],
        )
        .await
        .unwrap();
    assert_eq!(w.deliver_at(tomorrow).await.sent, 1);
    w.stop().await;
}

#[tokio::test]
async fn nothing_waiting_goes_out_to_a_person_who_was_deleted() {
    let w = World::start(|_| {}).await;
    let admin = w.admin().await;
    let id = w.resident(PHONE).await;
    admin.block(id, "berbagi akun").await;
    let (status, _) = admin_call(
        &w,
        reqwest::Method::DELETE,
        &format!("/api/v1/admin/users/{id}"),
        &admin.cookies,
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(w.deliver().await.sent, 0);
    assert!(w.inbox(PHONE).await.is_empty());
    let rows = outbox_of(&w, "user.blocked").await;
    assert_eq!(rows[0].0, "failed");
    assert_eq!(rows[0].2.as_deref(), Some("recipient deleted"));
    w.stop().await;
}
