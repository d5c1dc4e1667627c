//! An officer asks for quota from their phone (360 px) and an admin
//! approves it partly on a laptop; the officer's quota grows by what was
//! granted.

use super::{assert_fits_the_screen, save_artifact, Stack};
use crate::helpers::{webdriver::Browser, *};

#[tokio::test]
async fn an_officer_asks_for_quota_and_an_admin_approves_it_partly() {
    let s = Stack::start().await;
    s.w.create_admin(None).await;
    let officer = uuid::Uuid::now_v7();
    s.w.app
        .db()
        .await
        .execute(
            "insert into users (id, phone, name, role, approval, router_id, quota_bytes, valid_until)
             values ($1, $2, 'Komandan Joko', 'komandan', 'approved', $3, 1073741824,
                     now() + interval '2 days')",
            &[&officer, &PHONE, &s.w.router_id],
        )
        .await
        .unwrap();
    let phone = Browser::start().await;
    phone.goto(&s.url("/")).await;
    s.log_in(&phone).await;
    phone.wait_for("#request-form").await;
    phone.type_into("#request-gb", "2,5").await;
    phone.type_into("#request-note", "Regu jaga malam").await;
    phone.click("#request-send").await;
    phone.wait_for("#request-sent").await;
    phone.wait_text("#my-requests", "Menunggu jawaban").await;
    assert_fits_the_screen(&phone).await;
    save_artifact(&phone.screenshot().await, "officer-request-360x740.png");

    let admin = Browser::start_laptop().await;
    s.admin_signs_in(&admin, "/admin/permintaan").await;
    admin
        .wait_text("#pending-requests", "Regu jaga malam")
        .await;
    admin.click("#pending-requests button.approve-partly").await;
    admin.type_into("#partly-gb", "1").await;
    save_artifact(&admin.screenshot().await, "admin-requests-1280x800.png");
    admin.click(".partly-form button[type=submit]").await;
    admin
        .wait_text("#decided-requests", "Disetujui sebagian")
        .await;
    admin.wait_for("#pending-requests.empty").await;
    let quota: i64 =
        s.w.app
            .db()
            .await
            .query_one("select quota_bytes from users where id = $1", &[&officer])
            .await
            .unwrap()
            .get(0);
    assert_eq!(quota, 2 << 30, "1 GB before, 1 GB granted");
    s.stop().await;
}
