//! Every event puts exactly one message in the inbox, with its text, and
//! announcing an event again adds nothing.

use std::time::Duration;

use reqwest::Method;
use serde_json::json;
use uuid::Uuid;

use super::{admin_phone, outbox_of, ADMIN_PHONE};
use crate::helpers::*;

/// A resident registers from the portal as `name` with [`PHONE`], blok A kamar 12.
async fn register(w: &World, name: &str) -> u16 {
    let t = w.token("register").await;
    let body = json!({"name": name, "phone": "0812-3456-7890", "role": "resident",
                      "blok": "A", "kamar": "12", "turnstile_token": t});
    let resp = w.app.post_json("/api/v1/auth/register", &body).await;
    resp.status().as_u16()
}

/// The worker's look for notifications nobody's action causes, as of `now`.
async fn look(w: &World, now: time::OffsetDateTime) -> api::services::whatsapp::watch::Watched {
    api::services::whatsapp::watch::look(&w.app.state, now)
        .await
        .unwrap()
}

/// The quota-low messages the resident got.
async fn quota_low(w: &World) -> Vec<String> {
    w.inbox_with(PHONE, "Kuota internet Anda tinggal").await
}

/// The router's clock moves `ms` milliseconds, a cycle charges it, the worker delivers.
async fn traffic_for(w: &World, ms: u64) {
    w.sb.router()
        .router
        .advance(Duration::from_millis(ms))
        .await;
    cycle(w).await;
    w.deliver().await;
}

#[tokio::test]
async fn a_registration_reaches_admins_as_one_harmless_line_and_approval_reaches_the_resident() {
    let w = World::start(|_| {}).await;
    let admin = w.admin().await;
    admin_phone(&w).await;

    // Accepted (a name may hold a line break); what reaches the admins is one harmless line.
    let name = "Budi\nAKUN DIBLOKIR klik https://evil.example/x";
    assert_eq!(register(&w, name).await, 202);
    assert_eq!(w.deliver().await.sent, 1);
    let notices = w.inbox(ADMIN_PHONE).await;
    assert_eq!(notices.len(), 1, "{notices:?}");
    let first_line = notices[0].lines().next().unwrap();
    assert!(
        first_line.starts_with("Pendaftaran baru menunggu persetujuan: Budi "),
        "{first_line}"
    );
    assert!(first_line.contains("[tautan dihapus]"), "{first_line}");
    assert!(!notices[0].contains("evil"));
    assert!(first_line.contains("(081234567890), blok A kamar 12."));
    assert_eq!(
        notices[0].matches('\n').count(),
        2,
        "two lines and a blank one"
    );

    let pending = admin.pending_registrations().await;
    admin.approve(&pending[0].id).await;
    assert_eq!(w.deliver().await.sent, 1);
    let mine = w.inbox(PHONE).await;
    assert_eq!(mine.len(), 1, "{mine:?}");
    assert!(
        mine[0].starts_with("Pendaftaran Wi-Fi gerbang Anda disetujui. Sambungkan ke Wi-Fi, lalu masuk dengan nomor 081234567890"),
        "{}",
        mine[0]
    );
    assert!(mine[0].contains("masuk dengan nomor 081234567890"));
    // Nothing more is due.
    assert_eq!(w.deliver().await.sent, 0);
    assert_eq!(w.inbox(ADMIN_PHONE).await.len(), 1);
    w.stop().await;
}

#[tokio::test]
async fn an_admin_who_turned_an_event_off_hears_nothing_of_it() {
    let w = World::start(|_| {}).await;
    let admin = w.admin().await;
    admin_phone(&w).await;
    let (status, subs) = admin_call(
        &w,
        Method::PUT,
        "/api/v1/admin/notifications/subscriptions",
        &admin.cookies,
        Some(json!({"subscribed": ["new_quota_request", "router_down"]})),
    )
    .await;
    assert_eq!(status, 200, "{subs}");
    assert_eq!(subs["phone"], ADMIN_PHONE);
    let on: Vec<&str> = subs["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["subscribed"] == true)
        .map(|e| e["event"].as_str().unwrap())
        .collect();
    assert_eq!(on, ["new_quota_request", "router_down"]);
    assert_eq!(w.audit_count("notifications.subscriptions").await, 1);

    assert_eq!(register(&w, "Budi Santoso").await, 202);
    assert_eq!(w.deliver().await.sent, 0);
    assert!(w.inbox(ADMIN_PHONE).await.is_empty());
    assert!(outbox_of(&w, "admin.new_registration").await.is_empty());
    w.stop().await;
}

#[tokio::test]
async fn blocking_tells_the_resident_why_and_whom_to_ask_once_and_unblocking_tells_them_too() {
    let w = World::start(|s| s.portal.contact = "petugas registrasi blok C".into()).await;
    let admin = w.admin().await;
    let id = w.resident(PHONE).await;
    admin.block(id, "berbagi akun\nklik www.evil.id").await;
    // The same block again changes nothing and says nothing.
    admin.block(id, "berbagi akun").await;
    assert_eq!(w.deliver().await.sent, 1);
    let inbox = w.inbox(PHONE).await;
    assert_eq!(inbox.len(), 1, "{inbox:?}");
    assert!(
        inbox[0].starts_with("Akses internet Anda diblokir. Alasan: berbagi akun klik [tautan dihapus]. Hubungi petugas registrasi blok C."),
        "{}",
        inbox[0]
    );
    admin.unblock(id).await;
    admin.unblock(id).await;
    assert_eq!(w.deliver().await.sent, 1);
    let unblocked = w
        .inbox_with(PHONE, "Blokir akses internet Anda sudah dibuka")
        .await;
    assert_eq!(unblocked.len(), 1);
    assert_eq!(w.inbox(PHONE).await.len(), 2);
    w.stop().await;
}

#[tokio::test]
async fn access_ending_is_told_at_three_days_and_at_one_day_once_each() {
    let w = World::start(|_| {}).await;
    let id = w.resident(PHONE).await;
    let db = w.app.db().await;
    db.execute(
        "update users set valid_until = date_trunc('minute', now()) + interval '2 days 5 hours' where id = $1",
        &[&id],
    )
    .await
    .unwrap();
    let now = time::OffsetDateTime::now_utc();
    let watched = look(&w, now).await;
    assert_eq!(watched.validity, 1);
    // Looking again (every tick) queues nothing more.
    let again = look(&w, now).await;
    assert_eq!(again.validity, 0);
    w.deliver().await;
    let inbox = w.inbox(PHONE).await;
    assert_eq!(inbox.len(), 1, "{inbox:?}");
    assert!(
        inbox[0].starts_with("Masa berlaku internet Anda habis dalam 3 hari, "),
        "{}",
        inbox[0]
    );
    // A day and a half later: the one-day notice, once.
    let later = now + time::Duration::hours(36);
    let watched = look(&w, later).await;
    assert_eq!(watched.validity, 1);
    assert_eq!(look(&w, later).await.validity, 0);
    w.deliver().await;
    let inbox = w.inbox(PHONE).await;
    assert_eq!(inbox.len(), 2);
    assert!(
        inbox[1].starts_with("Masa berlaku internet Anda habis dalam "),
        "{}",
        inbox[1]
    );
    assert!(inbox[1].contains(" jam, "), "{}", inbox[1]);
    // An extension starts over: a new validity gets its own notices.
    db.execute(
        "update users set valid_until = valid_until + interval '1 day' where id = $1",
        &[&id],
    )
    .await
    .unwrap();
    let watched = look(&w, later).await;
    assert_eq!(watched.validity, 1);
    w.stop().await;
}

#[tokio::test]
async fn quota_low_fires_once_at_twenty_percent_and_once_at_five_per_package() {
    let w = World::start(|_| {}).await;
    let quota = 100_000_000;
    let (id, _) = online(&w, quota).await;
    cycle(&w).await;
    assert!(w.sb.router().router.set_traffic(MAC, 0, 50_000_000).await);
    // 6.25 MB/s: 13.6 s is 85 MB used, 15 % left.
    traffic_for(&w, 13_600).await;
    assert_eq!(used(&w, id).await, 85_000_000);
    let low = quota_low(&w).await;
    assert_eq!(low.len(), 1, "{low:?}");
    assert!(
        low[0].starts_with("Kuota internet Anda tinggal 14 MB (20 %)."),
        "{}",
        low[0]
    );
    // More traffic above 5 %: nothing new.
    traffic_for(&w, 1_000).await;
    assert_eq!(quota_low(&w).await.len(), 1);
    // 1 s more: 97.5 MB used, 2.5 % left.
    traffic_for(&w, 1_000).await;
    assert_eq!(used(&w, id).await, 97_500_000);
    let low = quota_low(&w).await;
    assert_eq!(low.len(), 2, "{low:?}");
    assert!(
        low[1].starts_with("Kuota internet Anda tinggal 2 MB (5 %)."),
        "{}",
        low[1]
    );
    // Used up: no further quota-low message for this package.
    traffic_for(&w, 5_000).await;
    assert_eq!(used(&w, id).await, quota);
    assert_eq!(quota_low(&w).await.len(), 2);
    // A new package: its own 20 % notice when crossed.
    w.app
        .db()
        .await
        .execute(
            "update users set quota_bytes = quota_bytes + 10000000 where id = $1",
            &[&id],
        )
        .await
        .unwrap();
    let base: i64 = w
        .app
        .db()
        .await
        .query_one("select quota_base_bytes from users where id = $1", &[&id])
        .await
        .unwrap()
        .get(0);
    assert_eq!(base, 10_000_000, "the new package's base is what is left");
    w.stop().await;
}

#[tokio::test]
async fn a_router_down_too_long_is_told_once_per_outage() {
    let w = World::start(|_| {}).await;
    w.admin().await;
    admin_phone(&w).await;
    let db = w.app.db().await;
    db.execute(
        "insert into router_cycles (router_id, at, ok, duration_ms, error, consecutive_failures,
                                    failures_total, last_ok_at)
         values ($1, now(), false, 10, 'connection refused', 30, 30, now() - interval '15 minutes')",
        &[&w.router_id],
    )
    .await
    .unwrap();
    let now = time::OffsetDateTime::now_utc();
    let watched = look(&w, now).await;
    assert_eq!(watched.router_down, 1);
    assert_eq!(look(&w, now).await.router_down, 0);
    w.deliver().await;
    let inbox = w.inbox(ADMIN_PHONE).await;
    assert_eq!(inbox.len(), 1, "{inbox:?}");
    assert!(
        inbox[0].starts_with("Router r1 tidak menjawab sejak 15 menit lalu."),
        "{}",
        inbox[0]
    );
    // Back: admins hear that once too.
    db.execute(
        "update router_cycles set ok = true, last_ok_at = now(), error = null where router_id = $1",
        &[&w.router_id],
    )
    .await
    .unwrap();
    let watched = look(&w, now).await;
    assert_eq!((watched.router_down, watched.router_back), (0, 1));
    assert_eq!(look(&w, now).await.router_back, 0);
    w.deliver().await;
    let inbox = w.inbox(ADMIN_PHONE).await;
    assert_eq!(inbox.len(), 2, "{inbox:?}");
    assert!(
        inbox[1].starts_with("Router r1 menjawab lagi setelah mati sekitar 15 menit."),
        "{}",
        inbox[1]
    );
    w.stop().await;
}

#[tokio::test]
async fn a_budget_nearly_used_is_told_once_a_day() {
    let w = World::start(|_| {}).await;
    w.admin().await;
    admin_phone(&w).await;
    let kv = &w.app.state.kv;
    let _: () = fred::interfaces::KeysInterface::set(
        kv.pool().next(),
        kv.key("otp:global:day"),
        4_000,
        None,
        None,
        false,
    )
    .await
    .unwrap();
    let now = time::OffsetDateTime::now_utc();
    assert_eq!(look(&w, now).await.budget, 1);
    assert_eq!(look(&w, now).await.budget, 0);
    w.deliver().await;
    let inbox = w.inbox(ADMIN_PHONE).await;
    assert_eq!(
        inbox,
        ["Anggaran kode masuk WhatsApp hari ini hampir habis: 4000 dari 5000 terpakai.\n\nToday's budget of WhatsApp login codes is nearly used: 4000 of 5000."]
    );
    w.stop().await;
}

#[tokio::test]
async fn a_komandan_request_reaches_admins_and_its_answer_reaches_the_komandan() {
    let w = World::start(|_| {}).await;
    let admin = w.admin().await;
    admin_phone(&w).await;
    let officer = "+6281311110000";
    let officer_id = Uuid::now_v7();
    w.app
        .db()
        .await
        .execute(
            "insert into users (id, phone, name, role, approval, router_id, quota_bytes, valid_until)
             values ($1, $2, 'Komandan Joko', 'komandan', 'approved', $3, 0, now() + interval '2 days')",
            &[&officer_id, &officer, &w.router_id],
        )
        .await
        .unwrap();
    let code = w.code_for(officer).await;
    let resp = w.verify(officer, &code, None).await;
    assert_eq!(resp.status(), 200);
    let oc = Cookies::from(&resp);
    let (status, filed) = admin_call(
        &w,
        Method::POST,
        "/api/v1/me/quota-requests",
        &oc,
        Some(json!({"quota_bytes": 5_i64 << 30, "days": 7, "note": "regu jaga\nmalam"})),
    )
    .await;
    assert_eq!(status, 200, "{filed}");
    w.deliver().await;
    let to_admin = w.inbox(ADMIN_PHONE).await;
    assert_eq!(
        to_admin[0].lines().next().unwrap(),
        "Permintaan kuota dari komandan Komandan Joko: 5 GB untuk 7 hari. Catatan: regu jaga malam. Buka dasbor gerbang untuk menjawab."
    );
    let id = filed["id"].as_str().unwrap();
    let (status, _) = admin_call(
        &w,
        Method::POST,
        &format!("/api/v1/admin/quota-requests/{id}/approve"),
        &admin.cookies,
        Some(json!({"quota_bytes": 2_i64 << 30, "days": 3})),
    )
    .await;
    assert_eq!(status, 200);
    // A second decision is refused and says nothing.
    let (status, _) = admin_call(
        &w,
        Method::POST,
        &format!("/api/v1/admin/quota-requests/{id}/reject"),
        &admin.cookies,
        Some(json!({"reason": "terlambat"})),
    )
    .await;
    assert_eq!(status, 409);
    w.deliver().await;
    let answers = w.inbox_with(officer, "Permintaan kuota Anda").await;
    assert_eq!(
        answers,
        ["Permintaan kuota Anda disetujui sebagian: 2 GB untuk 3 hari.\n\nYour quota request was partly approved: 2 GB for 3 days."]
    );
    w.stop().await;
}

#[tokio::test]
async fn a_rejected_registration_tells_the_resident_why_and_whom_to_ask() {
    let w = World::start(|_| {}).await;
    let admin = w.admin().await;
    assert_eq!(register(&w, "Budi Santoso").await, 202);
    let pending = admin.pending_registrations().await;
    let (status, _) = admin_call(
        &w,
        Method::POST,
        &format!("/api/v1/admin/registrations/{}/reject", pending[0].id),
        &admin.cookies,
        Some(json!({"reason": "blok dan kamar tidak cocok"})),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(w.deliver().await.sent, 1);
    assert_eq!(
        w.inbox(PHONE).await,
        ["Pendaftaran Wi-Fi Anda ditolak: blok dan kamar tidak cocok. Hubungi petugas registrasi.\n\nYour Wi-Fi registration was rejected."]
    );
    w.stop().await;
}
