//! The operator's screens in a real browser: the overview (admin home) with
//! the router up and a resident online, the settings screen, packages, and
//! the transactions screen whose CSV download parses to the totals shown.

use super::{assert_fits_the_screen, save_artifact, Stack};
use crate::helpers::{webdriver::Browser, *};

async fn sign_in(s: &Stack, b: &Browser, path: &str) {
    b.goto(&s.url(path)).await;
    b.type_into("#username", "kepala").await;
    b.type_into("#password", "kata-sandi-panjang").await;
    b.click("#admin-login button[type=submit]").await;
}

#[tokio::test]
async fn the_overview_shows_the_router_up_and_the_resident_online_and_links_to_the_lists() {
    let s = Stack::start().await;
    s.w.create_admin(None).await;
    // The resident logs in from the captive pop-up: online on the simulated
    // router, which the cycles then see.
    s.w.resident(PHONE).await;
    s.w.attach(super::MAC, "127.0.0.1").await;
    let phone = Browser::start().await;
    phone.goto(&s.captive_url()).await;
    s.log_in(&phone).await;
    phone
        .wait_url("the dashboard after the router login", |u| {
            u.contains("/?terhubung=1")
        })
        .await;
    drop(phone);
    assert_eq!(active_users(&s.w).await.len(), 1);
    // One cycle of ours after the login (the running worker may hold the
    // router at that moment: then ask again once it is done).
    let mut cycled = false;
    for _ in 0..200 {
        let outcomes = api::worker::reconcile_routers(&s.w.app.state)
            .await
            .unwrap();
        if matches!(outcomes[..], [(_, api::worker::CycleOutcome::Done(_))]) {
            cycled = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(cycled, "no cycle finished");
    for (b, name) in [
        (Browser::start().await, "admin-overview-360x740.png"),
        (Browser::start_laptop().await, "admin-overview-1280x800.png"),
    ] {
        sign_in(&s, &b, "/admin").await;
        b.wait_for("#router-glance li[data-up='true']").await;
        b.wait_text("#router-glance", "r1").await;
        b.wait_text("#stat-online .big", "1").await;
        b.wait_for("#status-counts a[data-status='active'] .big")
            .await;
        let n = b
            .js("return document.querySelector(\"#status-counts a[data-status='active'] .big\").textContent")
            .await;
        assert_eq!(n, "1");
        b.wait_for("#usage-chart svg").await;
        assert_fits_the_screen(&b).await;
        save_artifact(&b.screenshot().await, name);
        // A number leads to the list behind it.
        b.click("#status-counts a[data-status='active']").await;
        b.wait_url("the people list", |u| {
            u.ends_with("/admin/pengguna?status=active")
        })
        .await;
        b.wait_text("#people", "Budi").await;
    }
    s.stop().await;
}

#[tokio::test]
async fn a_super_admin_changes_a_setting_on_the_screen_and_the_portal_shows_it() {
    let s = Stack::start().await;
    s.w.create_admin(None).await;
    let b = Browser::start().await;
    sign_in(&s, &b, "/admin/pengaturan").await;
    b.wait_for("#settings-form").await;
    // A captive-portal probe host is refused under the field, nothing saved.
    b.js(
        "document.getElementById('set-garden').value += '\\nconnectivitycheck.gstatic.com'; \
          document.getElementById('set-garden').dispatchEvent(new Event('input')); return null",
    )
    .await;
    b.type_into("#set-reason", "tambah situs").await;
    b.click("#settings-save").await;
    b.wait_text(
        "[data-setting='payment_walled_garden'] .field-error",
        "captive",
    )
    .await;
    assert_eq!(s.w.app.count("facility_settings").await, 0);
    // A new name, saved with a reason, shows in the portal at once.
    b.js("const g = document.getElementById('set-garden'); \
          g.value = g.value.replace('\\nconnectivitycheck.gstatic.com', ''); \
          g.dispatchEvent(new Event('input')); \
          const n = document.getElementById('set-name'); n.value = ''; \
          n.dispatchEvent(new Event('input')); return null")
        .await;
    b.type_into("#set-name", "Lapas Kelas IIA").await;
    b.click("#settings-save").await;
    b.wait_text("#settings-saved", "Tersimpan").await;
    b.wait_text("[data-setting='facility_name']", "bawaan")
        .await;
    assert_fits_the_screen(&b).await;
    save_artifact(&b.screenshot().await, "admin-settings-360x740.png");
    b.js(
        "document.querySelector(\"[data-setting='notify_per_day']\").scrollIntoView(); return null",
    )
    .await;
    b.wait_text("[data-setting='quiet_start_hour']", "Jam tenang mulai")
        .await;
    save_artifact(
        &b.screenshot().await,
        "admin-settings-notifications-360x740.png",
    );
    let portal: serde_json::Value = s.w.app.get("/api/v1/portal").await.json().await.unwrap();
    assert_eq!(portal["facility_name"], "Lapas Kelas IIA");
    assert_eq!(s.w.audit_count("settings.change").await, 1);
    s.stop().await;
}

#[tokio::test]
async fn transactions_download_as_csv_with_the_totals_on_the_screen() {
    let s = Stack::start().await;
    s.w.create_admin(None).await;
    let admin = s.w.admin_session().await;
    let package = admin.create_package("Paket 5 GB", 25_000, 5 << 30).await;
    let package_id: uuid::Uuid = package.id.parse().unwrap();
    let user = s.w.resident(PHONE).await;
    s.w.app
        .db()
        .await
        .execute(
            "insert into purchases (id, order_id, user_id, customer_phone, package_id, package_name,
                                    amount_idr, quota_bytes, validity_days, status, snap_token,
                                    redirect_url, expires_at, next_check_at, paid_at, paid_late)
             select gen_random_uuid(), 'GB-UI-' || n, $1, '+6281234567890', $2, 'Paket 5 GB',
                    25000, 5368709120, 30,
                    (array['paid', 'pending', 'expired'])[1 + n % 3], 't', 'https://pay.test/x',
                    now(), now(), case when n % 3 = 0 then now() end, n = 3
             from generate_series(1, 30) as n",
            &[&user, &package_id],
        )
        .await
        .unwrap();
    let b = Browser::start_laptop().await;
    sign_in(&s, &b, "/admin/transaksi").await;
    let total = b.wait_text("#total-paid", "Rp").await;
    assert_eq!(total, "Rp 250.000", "10 paid of 25.000");
    b.wait_for("#paid-chart svg").await;
    b.wait_for("#transactions li.late").await;
    // Only paid ones: the list, the totals and the download follow the filter.
    b.js(
        "const s = document.getElementById('filter-status'); s.value = 'paid'; \
          s.dispatchEvent(new Event('change')); return null",
    )
    .await;
    b.click("#filter-apply").await;
    b.wait_text("#transaction-count", "10").await;
    let href = b
        .js("return document.getElementById('csv-download').href")
        .await;
    assert!(
        href.as_str()
            .unwrap()
            .ends_with("/api/v1/admin/purchases/export.csv?status=paid"),
        "{href}"
    );
    // What the link downloads, fetched by the page with the admin's session.
    let csv = b
        .js_async(
            "const done = arguments[arguments.length - 1]; \
             fetch(document.getElementById('csv-download').href).then(r => r.text()).then(done)",
        )
        .await;
    let csv = csv.as_str().unwrap().trim_start_matches('\u{feff}');
    let rows: Vec<Vec<&str>> = csv
        .split("\r\n")
        .filter(|l| !l.is_empty())
        .map(|l| l.split(',').collect())
        .collect();
    assert_eq!(rows[0][0], "order_id");
    assert_eq!(rows.len(), 11, "the header and 10 paid");
    assert!(rows[1..].iter().all(|r| r[3] == "paid"));
    let sum: i64 = rows[1..].iter().map(|r| r[5].parse::<i64>().unwrap()).sum();
    assert_eq!(sum, 250_000);
    save_artifact(&b.screenshot().await, "admin-transactions-1280x800.png");
    s.stop().await;
}

#[tokio::test]
async fn packages_are_added_checked_per_field_and_reordered_on_the_screen() {
    let s = Stack::start().await;
    s.w.create_admin(None).await;
    let b = Browser::start().await;
    sign_in(&s, &b, "/admin/paket").await;
    b.wait_for("#package-form").await;
    // Nothing typed: each field says what is missing, nothing is sent.
    b.click("#package-save").await;
    b.wait_text("#package-name-error", "Wajib").await;
    b.wait_text("#package-price-error", "batas").await;
    assert_eq!(s.w.app.count("packages").await, 0);
    for (name, price, gb) in [
        ("Paket Hemat", "10000", "2,5"),
        ("Paket Besar", "50000", "20"),
    ] {
        b.js("for (const id of ['package-name','package-price','package-quota']) { \
              const i = document.getElementById(id); i.value = ''; i.dispatchEvent(new Event('input')); } return null")
            .await;
        b.type_into("#package-name", name).await;
        b.type_into("#package-price", price).await;
        b.type_into("#package-quota", gb).await;
        b.click("#package-save").await;
        b.wait_text("#packages", name).await;
    }
    let quota: i64 =
        s.w.app
            .db()
            .await
            .query_one(
                "select quota_bytes from packages where name = 'Paket Hemat'",
                &[],
            )
            .await
            .unwrap()
            .get(0);
    assert_eq!(quota, 5 * 1_073_741_824 / 2);
    // The second one moves up: residents see it first.
    b.click("li[data-package='Paket Besar'] button.move-up")
        .await;
    b.until("the new order", 10, || async {
        let first = b
            .js("return document.querySelector('#packages li').dataset.package")
            .await;
        (first == "Paket Besar").then_some(())
    })
    .await;
    let listed: serde_json::Value = s.w.app.get("/api/v1/packages").await.json().await.unwrap();
    assert_eq!(listed[0]["name"], "Paket Besar", "{listed}");
    assert_fits_the_screen(&b).await;
    save_artifact(&b.screenshot().await, "admin-packages-360x740.png");
    s.stop().await;
}
