//! An admin on a phone (360 px) finds a WhatsApp message that failed,
//! sends it again once the number works, and on a laptop turns off an
//! event they do not want to hear about.

use serde_json::json;

use super::{assert_fits_the_screen, save_artifact, Stack};
use crate::helpers::{webdriver::Browser, *};

const ADMIN_PHONE: &str = "+6281200000099";

async fn outbox_status(s: &Stack) -> Option<String> {
    s.w.app
        .db()
        .await
        .query_opt(
            "select status from whatsapp_outbox where kind = 'user.blocked'",
            &[],
        )
        .await
        .unwrap()
        .map(|r| r.get(0))
}

#[tokio::test]
async fn an_admin_sends_a_failed_message_again_and_chooses_what_to_hear_about() {
    let s = Stack::start().await;
    s.w.create_admin(Some(ADMIN_PHONE)).await;
    let resident = s.w.resident(PHONE).await;
    s.w.fonnte_mode(json!({"unregistered": [PHONE.trim_start_matches('+')]}))
        .await;
    let admin = s.w.admin_session().await;
    admin.block(resident, "berbagi akun").await;

    let b = Browser::start().await;
    // The worker tries it and fails: the number is not on WhatsApp.
    b.until("the message to fail", 20, || async {
        (outbox_status(&s).await.as_deref() == Some("failed")).then_some(())
    })
    .await;
    s.admin_signs_in(&b, "/admin/pesan").await;
    b.wait_text("#messages", "Diblokir").await;
    b.wait_text("#messages", "Gagal").await;
    b.wait_text("#messages .message-error", "tidak terdaftar di WhatsApp")
        .await;
    b.wait_text("#message-counts", "Gagal: 1").await;
    assert_fits_the_screen(&b).await;
    save_artifact(&b.screenshot().await, "admin-messages-360x740.png");

    // The resident's number works again; the admin sends it again.
    s.w.fonnte_mode(json!({})).await;
    b.click("#messages-failed").await;
    b.wait_for("#messages li[data-status=failed] button.retry")
        .await;
    b.click("#messages li[data-status=failed] button.retry")
        .await;
    let delivered =
        s.w.sb
            .fakes
            .fonnte
            .at_least(
                Some(PHONE.trim_start_matches('+')),
                1,
                std::time::Duration::from_secs(20),
            )
            .await;
    assert_eq!(delivered.len(), 1);
    assert!(delivered[0]
        .message
        .starts_with("Akses internet Anda diblokir."));
    b.click("#messages-sent").await;
    b.wait_text("#messages", "Terkirim").await;
    b.wait_text("#subscriptions", "Router mati terlalu lama")
        .await;
    b.js("document.getElementById('subscriptions').scrollIntoView(); return null")
        .await;
    assert_fits_the_screen(&b).await;
    save_artifact(&b.screenshot().await, "admin-subscriptions-360x740.png");
    assert_eq!(s.w.audit_count("whatsapp.retry").await, 1);

    let laptop = Browser::start_laptop().await;
    s.admin_signs_in(&laptop, "/admin/pesan").await;
    laptop.wait_text("#subscriptions", "0812").await;
    laptop
        .click("#subscriptions input[data-event=router_down]")
        .await;
    laptop.click("#subscriptions-save").await;
    laptop.wait_text("#subscriptions-saved", "Tersimpan").await;
    save_artifact(&laptop.screenshot().await, "admin-messages-1280x800.png");
    let off: Vec<String> =
        s.w.app
            .db()
            .await
            .query("select event from notification_optouts", &[])
            .await
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect();
    assert_eq!(off, ["router_down"]);
    s.stop().await;
}
