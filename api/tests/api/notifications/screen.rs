//! The messages screen's API: the outbox page by page, with counts.

use reqwest::Method;
use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn admins_see_what_was_sent_what_failed_and_what_waits() {
    let w = World::start(|_| {}).await;
    let admin = w.admin().await;
    let a = w.resident(PHONE).await;
    let b = w.resident("+6281234567891").await;
    admin.block(a, "berbagi akun").await;
    w.deliver().await;
    w.fonnte_mode(json!({"disconnected": true})).await;
    admin.block(b, "kartu hilang").await;
    w.deliver().await;

    let (status, page) = admin_call(
        &w,
        Method::GET,
        "/api/v1/admin/whatsapp/messages",
        &admin.cookies,
        None,
    )
    .await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(page["total"], 2);
    assert_eq!(page["counts"]["sent"], 1);
    assert_eq!(page["counts"]["waiting"], 1);
    assert_eq!(page["sent_today"], 1);
    assert_eq!(page["budget"], 500);
    let newest = &page["items"][0];
    assert_eq!(newest["status"], "waiting");
    assert_eq!(newest["kind"], "user.blocked");
    assert_eq!(newest["target"], "6281234567891");
    assert_eq!(newest["recipient_name"], "Budi");
    assert_eq!(newest["attempts"], 1);
    assert!(newest["next_attempt_at"].is_string());
    assert!(newest["error"].as_str().unwrap().contains("disconnected"));
    assert!(newest["body"].as_str().unwrap().contains("kartu hilang"));
    assert_eq!(page["items"][1]["status"], "sent");
    assert!(page["items"][1]["sent_at"].is_string());

    let (_, sent) = admin_call(
        &w,
        Method::GET,
        "/api/v1/admin/whatsapp/messages?status=sent&limit=1",
        &admin.cookies,
        None,
    )
    .await;
    assert_eq!(sent["total"], 1);
    assert_eq!(sent["items"].as_array().unwrap().len(), 1);
    let (status, _) = admin_call(
        &w,
        Method::GET,
        "/api/v1/admin/whatsapp/messages?status=lost",
        &admin.cookies,
        None,
    )
    .await;
    assert_eq!(status, 400);
    w.stop().await;
}
