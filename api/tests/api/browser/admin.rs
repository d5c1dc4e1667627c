//! The admin dashboard in a real browser, full stack: signing in (and a
//! locked account), registrations, finding people, and one person's journey
//! — more quota, a block, both in the audit log.

use serde_json::json;

use super::{assert_fits_the_screen, save_artifact, Stack};
use crate::helpers::{webdriver::Browser, *};

#[tokio::test]
async fn a_locked_admin_signs_in_with_a_code_from_whatsapp() {
    let s = Stack::start().await;
    s.w.create_admin(Some("+6281355550001")).await;
    let b = Browser::start().await;
    b.goto(&s.url("/admin")).await;
    b.type_into("#username", "kepala").await;
    let max = s.w.app.state.settings.session.max_password_failures;
    let failures = s.w.app.state.kv.key("login:fail:kepala");
    for i in 1..=max {
        b.js("document.getElementById('password').value = ''; return null")
            .await;
        b.type_into("#password", "tebakan-salah").await;
        b.click("#admin-login button[type=submit]").await;
        // Each wrong password is counted before the next one is typed.
        b.until("the wrong password counted", 10, || async {
            use fred::interfaces::KeysInterface;
            let n: Option<u64> = s.w.app.state.kv.pool().next().get(&failures).await.unwrap();
            (n == Some(i)).then_some(())
        })
        .await;
    }
    b.wait_text("#admin-login-error", "salah").await;
    // Locked: the right password alone is refused, and the page offers the code.
    b.js("document.getElementById('password').value = ''; return null")
        .await;
    b.type_into("#password", "kata-sandi-panjang").await;
    b.click("#admin-login button[type=submit]").await;
    b.wait_text("#admin-login-error", "dikunci").await;
    b.click("#send-unlock").await;
    b.wait_for("#unlock-code").await;
    let sent =
        s.w.sb
            .fakes
            .fonnte
            .at_least(Some("6281355550001"), 1, std::time::Duration::from_secs(10))
            .await;
    let code: String = sent[0]
        .message
        .split(|c: char| !c.is_ascii_digit())
        .find(|w| w.len() == 6)
        .unwrap()
        .to_owned();
    assert_fits_the_screen(&b).await;
    save_artifact(&b.screenshot().await, "admin-locked-360x740.png");
    b.type_into("#unlock-code", &code).await;
    b.click("#admin-login button[type=submit]").await;
    b.wait_text(".admin-nav", "Kepala Admin").await;
    s.stop().await;
}

#[tokio::test]
async fn an_admin_finds_a_resident_by_typing_part_of_the_number() {
    let s = Stack::start().await;
    s.w.create_admin(None).await;
    s.w.resident(PHONE).await; // +6281234567890, "Budi"
    s.w.resident("+6285799990000").await;
    let b = Browser::start().await;
    b.goto(&s.url("/admin/pengguna")).await;
    b.type_into("#username", "kepala").await;
    b.type_into("#password", "kata-sandi-panjang").await;
    b.click("#admin-login button[type=submit]").await;
    b.wait_text("#people-total", "3 orang").await;
    b.type_into("#people-search", "1234").await;
    b.wait_text("#people-total", "1 orang").await;
    let list = b.wait_text("#people", LOCAL).await;
    assert!(list.contains("Budi") && list.contains("Aktif"), "{list}");
    assert!(!list.contains("085799990000"), "{list}");
    assert_fits_the_screen(&b).await;
    // Artifact: the users list at phone size.
    save_artifact(&b.screenshot().await, "admin-people-360x740.png");
    s.stop().await;
}

#[tokio::test]
async fn an_admin_signs_in_at_admin_and_approves_a_registration() {
    let s = Stack::start().await;
    s.w.create_admin(None).await;
    let waiting = s.w.resident(PHONE).await;
    s.w.app
        .db()
        .await
        .execute(
            "update users set approval = 'pending' where id = $1",
            &[&waiting],
        )
        .await
        .unwrap();
    let b = Browser::start().await;
    b.goto(&s.url("/admin")).await;

    // A wrong password says so and signs nobody in.
    b.type_into("#username", "kepala").await;
    b.type_into("#password", "salah-sekali-ini").await;
    b.click("#admin-login button[type=submit]").await;
    b.wait_text("#admin-login-error", "salah").await;

    b.js("document.getElementById('password').value = ''; return null")
        .await;
    b.type_into("#password", "kata-sandi-panjang").await;
    b.click("#admin-login button[type=submit]").await;
    b.wait_text(".admin-nav", "Kepala Admin").await;
    b.wait_text("#registrations", LOCAL).await;
    b.wait_text("#registrations", "Warga binaan").await;
    assert_fits_the_screen(&b).await;
    b.click(&format!("li[data-registration='{PHONE}'] button.primary"))
        .await;
    b.wait_text("#registrations", "Tidak ada pendaftaran").await;
    let approval: String =
        s.w.app
            .db()
            .await
            .query_one("select approval from users where id = $1", &[&waiting])
            .await
            .unwrap()
            .get(0);
    assert_eq!(approval, "approved");

    // Signing out ends the session: the login form again, and the API refuses the old cookie.
    b.click("#admin-logout").await;
    b.wait_for("#admin-login").await;
    let revoked: i64 =
        s.w.app
            .db()
            .await
            .query_one(
                "select count(*) from sessions s join users u on u.id = s.user_id
                 where u.username = 'kepala' and s.revoked_at is not null",
                &[],
            )
            .await
            .unwrap()
            .get(0);
    assert_eq!(revoked, 1);
    s.stop().await;
}

/// The live session's `limit-bytes-total` on the simulated router.
async fn live_limit(w: &World) -> Option<i64> {
    router_rows(w, "/ip/hotspot/active", &["limit-bytes-total"])
        .await
        .first()
        .and_then(|r| r.get("limit-bytes-total")?.parse().ok())
}

/// The phone opens the captive page and logs in with a new code.
async fn log_in_again(s: &Stack, phone: &Browser) {
    phone.goto(&s.captive_url()).await;
    s.log_in(phone).await;
}

#[tokio::test]
async fn an_admin_adds_quota_then_blocks_a_resident_and_the_audit_page_shows_both() {
    let s = Stack::start().await;
    s.w.create_admin(None).await;
    // Budi (5 GB) logs in from the captive pop-up; the worker puts his limit on the router.
    let id = s.w.resident(PHONE).await;
    s.w.attach(super::MAC, "127.0.0.1").await;
    let phone = Browser::start().await;
    log_in_again(&s, &phone).await;
    phone
        .wait_url("the dashboard after the router login", |u| {
            u.contains("/?terhubung=1")
        })
        .await;
    phone.wait_for("#connected").await;
    api::worker::reconcile_user_now(&s.w.app.state, id)
        .await
        .unwrap();
    let before = live_limit(&s.w).await.expect("a live session with a limit");

    let b = Browser::start().await;
    b.goto(&s.url("/admin/pengguna")).await;
    b.type_into("#username", "kepala").await;
    b.type_into("#password", "kata-sandi-panjang").await;
    b.click("#admin-login button[type=submit]").await;
    b.wait_text("#people-total", "orang").await;
    b.type_into("#people-search", "1234").await;
    b.wait_text("#people-total", "1 orang").await;
    b.click("#people a.person-link").await;
    b.wait_text("#person-name", "Budi").await;
    b.wait_text("#live-sessions", super::MAC).await;
    assert_fits_the_screen(&b).await;
    save_artifact(&b.screenshot().await, "admin-person-360x740.png");

    // + 2 GB, with a reason: the router's live limit rises, by the worker, at once.
    b.click("#open-quota").await;
    b.type_into("#quota-gb", "2").await;
    b.type_into("#quota-reason", "Kompensasi gangguan jaringan")
        .await;
    b.click("#quota-save").await;
    b.wait_text("#action-notice", "Tersimpan").await;
    b.wait_text("#person-quota", "7 GB").await;
    let after = b
        .until("the live limit to rise on the router", 10, || async {
            live_limit(&s.w)
                .await
                .filter(|l| *l >= before + 2 * 1_073_741_824 - 1_048_576)
        })
        .await;
    assert!(after > before, "{before} → {after}");

    // Block with a reason: the live session ends, the person's status says why.
    b.click("#block").await;
    b.type_into("form.confirm input[name=reason]", "Pelanggaran tata tertib")
        .await;
    b.click("form.confirm button[type=submit]").await;
    b.wait_text("#person-status", "Diblokir").await;
    b.wait_text("#person-why", "Pelanggaran tata tertib").await;
    b.until("the live session to end on the router", 10, || async {
        active_users(&s.w).await.is_empty().then_some(())
    })
    .await;

    // The audit page lists both, with the admin's name.
    b.click("#nav-audit").await;
    let log = b.wait_text("#audit-entries", "memblokir").await;
    assert!(log.contains("mengubah kuota"), "{log}");
    assert!(log.contains("Kepala Admin"), "{log}");
    assert!(log.contains("Pelanggaran tata tertib"), "{log}");
    assert_fits_the_screen(&b).await;
    save_artifact(&b.screenshot().await, "admin-audit-360x740.png");

    // The resident's portal shows the reason when they try again (a minute
    // later: the resend cooldown of their first code is over).
    {
        use fred::interfaces::KeysInterface;
        let kv = &s.w.app.state.kv;
        let _: i64 = kv
            .pool()
            .next()
            .del(kv.key(&format!("otp:cooldown:{PHONE}")))
            .await
            .unwrap();
    }
    log_in_again(&s, &phone).await;
    phone
        .wait_text("#blocked-reason", "Pelanggaran tata tertib")
        .await;
    assert_eq!(
        phone
            .js("return document.getElementById('account-blocked') !== null")
            .await,
        json!(true)
    );

    // The same screens at laptop width.
    let l = Browser::start_laptop().await;
    l.goto(&s.url(&format!("/admin/pengguna/{id}"))).await;
    l.type_into("#username", "kepala").await;
    l.type_into("#password", "kata-sandi-panjang").await;
    l.click("#admin-login button[type=submit]").await;
    l.wait_text("#person-status", "Diblokir").await;
    save_artifact(&l.screenshot().await, "admin-person-1280x800.png");
    l.click("#nav-people").await;
    l.wait_text("#people-total", "orang").await;
    save_artifact(&l.screenshot().await, "admin-people-1280x800.png");
    s.stop().await;
}

#[tokio::test]
async fn a_super_admin_adds_the_router_through_the_screen_after_a_green_test() {
    let s = Stack::start().await;
    s.w.create_admin(None).await;
    let b = Browser::start().await;
    b.goto(&s.url("/admin/router")).await;
    b.type_into("#username", "kepala").await;
    b.type_into("#password", "kata-sandi-panjang").await;
    b.click("#admin-login button[type=submit]").await;
    b.wait_text("#routers", "r1").await;

    let port = s.w.sb.router().api_addr.port().to_string();
    b.type_into("#router-name", "Blok B").await;
    b.type_into("#router-host", "127.0.0.1").await;
    b.js("document.getElementById('router-port').value = ''; document.getElementById('router-user').value = ''; return null").await;
    b.type_into("#router-port", &port).await;
    b.type_into("#router-user", "admin").await;
    // A wrong password: the router says no, and nothing is saved.
    b.type_into("#router-password", "salah").await;
    b.click("#router-save").await;
    b.wait_text("#router-test", "ditolak").await;
    assert_eq!(s.w.app.count("routers").await, 1);
    // The right one: the test is green, then saving adds it to the list.
    b.js("document.getElementById('router-password').value = ''; return null")
        .await;
    b.type_into("#router-password", "sandbox").await;
    b.click("#router-test-button").await;
    b.wait_text("#router-test", "Terhubung").await;
    b.click("#router-save").await;
    b.wait_text("#routers", "Blok B").await;
    assert_eq!(s.w.app.count("routers").await, 2);

    // Its setup: the live check as a list, the script to paste.
    b.click("li[data-router='Blok B'] button.check-router")
        .await;
    let checks = b
        .wait_text("li[data-router='Blok B'] .checks-list", "API login")
        .await;
    assert!(checks.contains("walled garden"), "{checks}");
    // Reconcile now.
    // Reconcile now: done, or (when the running worker is on this router at
    // that moment) "busy, try again" — either way the answer is shown.
    b.click("li[data-router='Blok B'] button.reconcile-router")
        .await;
    let said = b
        .until("the reconcile answer", 20, || async {
            let t = b
                .js("return document.querySelector(\"li[data-router='Blok B'] .reconciled\").textContent")
                .await;
            t.as_str().filter(|t| !t.is_empty()).map(str::to_owned)
        })
        .await;
    assert!(
        said.starts_with("Selesai") || said.starts_with("Worker sedang"),
        "{said}"
    );
    assert_fits_the_screen(&b).await;
    save_artifact(&b.screenshot().await, "admin-routers-360x740.png");
    s.stop().await;
}
