//! Staff in a real browser: a super admin creates `bu.sari` (NIP-1987) and
//! reveals her password after confirming their own; she signs in at
//! `/staf`, sees her live hotspot session and changes the hotspot password:
//! the session ends, the old password fails on the router's login page and
//! the new one works. An admin corrects a NIP (the router account follows),
//! deactivates and deletes a teacher from the same screen.

use super::{assert_fits_the_screen, save_artifact, Stack};
use crate::helpers::{webdriver::Browser, *};

const SARI_MAC: &str = "00:1A:2B:3C:4D:78";

#[tokio::test]
async fn a_super_admin_creates_bu_sari_who_changes_her_hotspot_password() {
    let s = Stack::start().await;
    s.w.create_admin(None).await;
    // A network admin made her hotspot account by hand, under another code.
    add_on_router(
        &s.w,
        &[
            ("name", "sari"),
            ("password", "lama-sekali"),
            ("comment", "NIP-2001"),
        ],
    )
    .await;
    let admin = Browser::start().await;
    s.admin_signs_in(&admin, "/admin/staf").await;
    admin.wait_for("#staff-form").await;
    admin.type_into("#staff-username", "bu.sari").await;
    admin.type_into("#staff-name", "Sari Wulandari").await;
    admin.type_into("#staff-key", "NIP-1987").await;
    admin.click("#staff-save").await;
    let created = admin.wait_text("#staff-created", "bu.sari").await;
    let generated = admin
        .js("return document.querySelector('#staff-created .password').textContent")
        .await
        .as_str()
        .unwrap()
        .to_owned();
    assert!(created.contains(&generated));
    admin.wait_text("#staff-list", "NIP-1987").await;
    // The eye: the admin's own password first, then the password shows.
    admin.click("li[data-staff='bu.sari'] button.reveal").await;
    admin.wait_for("#confirm-own").await;
    admin
        .type_into("#confirm-password", "kata-sandi-panjang")
        .await;
    admin.click("#confirm-own button[type=submit]").await;
    let shown = admin
        .wait_text("li[data-staff='bu.sari'] .shown-password", &generated)
        .await;
    assert!(shown.contains(&generated));
    assert_fits_the_screen(&admin).await;
    save_artifact(&admin.screenshot().await, "admin-staff-360x740.png");
    assert_eq!(s.w.audit_count("staff.reveal").await, 1);
    // Sync: the hand-made account is listed by its comment and adopted.
    admin.click("#staff-sync").await;
    admin.wait_text("#sync-unmatched", "NIP-2001").await;
    admin.wait_text("#sync-missing", "NIP-1987").await;
    let sari_id = admin
        .js("return document.querySelector(\"li[data-account='sari'] select.adopt-into option:nth-child(2)\").value")
        .await;
    let sari_id = sari_id.as_str().unwrap().to_owned();
    admin
        .js(&format!(
            "const s = document.querySelector(\"li[data-account='sari'] select.adopt-into\"); \
             s.value = '{sari_id}'; s.dispatchEvent(new Event('change')); return null"
        ))
        .await;
    admin.click("li[data-account='sari'] button.adopt").await;
    admin.wait_text("#sync-linked", "sari").await;
    assert_eq!(router_users(&s.w).await["sari"]["comment"], "NIP-1987");
    save_artifact(&admin.screenshot().await, "admin-staff-sync-360x740.png");
    drop(admin);

    // Her phone online with that account (its password did not change).
    s.w.attach(SARI_MAC, "10.5.50.78").await;
    assert_eq!(
        router_page_login(&s.w, SARI_MAC, "sari", "lama-sekali").await,
        302
    );

    let b = Browser::start().await;
    b.goto(&s.url("/staf")).await;
    b.type_into("#username", "bu.sari").await;
    b.type_into("#password", &generated).await;
    b.click("#staff-login button[type=submit]").await;
    b.wait_text("#hotspot-username", "sari").await;
    b.wait_for("#staff-sessions li").await;
    b.type_into("#hotspot-password", "Baru-2026!").await;
    b.type_into("#hotspot-confirm", "Baru-2026!").await;
    b.click("#hotspot-password-save").await;
    b.wait_text("#hotspot-password-done", "1").await;
    b.wait_text("#staff-sessions", "Tidak ada").await;
    assert_fits_the_screen(&b).await;
    save_artifact(&b.screenshot().await, "staff-page-360x740.png");
    assert!(active_users(&s.w).await.is_empty());
    assert_ne!(
        router_page_login(&s.w, SARI_MAC, "sari", "lama-sekali").await,
        302
    );
    assert_eq!(
        router_page_login(&s.w, SARI_MAC, "sari", "Baru-2026!").await,
        302
    );
    s.stop().await;
}

#[tokio::test]
async fn an_admin_corrects_a_teachers_nip_and_deletes_her_from_the_staff_screen() {
    let s = Stack::start().await;
    s.w.create_admin(None).await;
    let admin = Browser::start_laptop().await;
    s.admin_signs_in(&admin, "/admin/staf").await;
    admin.wait_for("#staff-form").await;
    admin.type_into("#staff-username", "bu.sari").await;
    admin.type_into("#staff-name", "Sari").await;
    admin.type_into("#staff-key", "NIP-1987").await;
    admin.click("#staff-save").await;
    admin.wait_text("#staff-list", "NIP-1987").await;
    add_on_router(
        &s.w,
        &[
            ("name", "sari"),
            ("password", "lama-sekali"),
            ("comment", "NIP-1987"),
        ],
    )
    .await;

    // Ubah: a mistyped NIP corrected; the router account's comment follows.
    admin
        .click("li[data-staff='bu.sari'] button.edit-staff")
        .await;
    admin.wait_for("#staff-edit").await;
    admin
        .js(
            "const k = document.querySelector('#edit-staff-key'); k.value = ''; \
             k.dispatchEvent(new Event('input')); return null",
        )
        .await;
    admin.type_into("#edit-staff-key", "NIP-1988").await;
    save_artifact(&admin.screenshot().await, "admin-staff-edit-1280x800.png");
    admin.click("#staff-edit-save").await;
    admin.wait_text("#staff-list", "NIP-1988").await;
    assert_eq!(router_users(&s.w).await["sari"]["comment"], "NIP-1988");

    // Nonaktifkan: the line says so.
    admin
        .click("li[data-staff='bu.sari'] button.toggle-access")
        .await;
    admin
        .wait_text("li[data-staff='bu.sari']", "Tidak aktif")
        .await;

    // Hapus asks first, then the row and the router account go.
    admin
        .click("li[data-staff='bu.sari'] button.delete-staff")
        .await;
    admin.wait_text(".delete-confirm", "Sari").await;
    admin.click(".delete-confirm button.confirm-delete").await;
    admin.wait_for("#staff-list.empty").await;
    assert!(!router_users(&s.w).await.contains_key("sari"));
    s.stop().await;
}
