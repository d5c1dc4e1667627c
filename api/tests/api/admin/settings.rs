//! Facility settings in the database: super admins only, validated per
//! field, audited with before/after and the reason, applied without a
//! restart (in this process at once, in a fresh process from the first
//! read), and the configuration stays the default underneath.

use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::*;

async fn settings(w: &World, c: &Cookies) -> Value {
    let (s, v) = admin_call(w, Method::GET, "/api/v1/admin/settings", c, None).await;
    assert_eq!(s, 200, "{v}");
    v
}

async fn put(w: &World, c: &Cookies, values: &Value, reason: &str) -> (u16, Value) {
    admin_call(
        w,
        Method::PUT,
        "/api/v1/admin/settings",
        c,
        Some(json!({ "values": values, "reason": reason })),
    )
    .await
}

#[tokio::test]
async fn a_change_applies_at_once_everywhere_is_audited_and_can_go_back_to_the_default() {
    let w = World::start(|_| {}).await;
    let admin = w.admin().await;
    let c = &admin.cookies;
    let before = settings(&w, c).await;
    assert_eq!(before["values"], before["defaults"]);
    assert_eq!(before["changed"], json!([]));
    assert!(before["values"]["payment_walled_garden"]
        .as_array()
        .unwrap()
        .contains(&json!("app.midtrans.com")));

    let mut values = before["values"].clone();
    values["facility_name"] = json!("Lapas Kelas IIA Uji");
    values["devices_per_user"] = json!(1);
    values["fup_rate_up_bps"] = json!(512_000);
    values["fup_rate_down_bps"] = json!(768_000);
    values["payment_walled_garden"]
        .as_array_mut()
        .unwrap()
        .push(json!("bank-daerah.co.id"));
    let (s, after) = put(&w, c, &values, "nama resmi dan bank daerah").await;
    assert_eq!(s, 200, "{after}");
    assert_eq!(after["values"], values);
    assert_eq!(
        after["changed"],
        json!([
            "devices_per_user",
            "facility_name",
            "fup_rate_down_bps",
            "fup_rate_up_bps",
            "payment_walled_garden"
        ])
    );
    assert_eq!(after["updated_by"], "Kepala Admin");

    // This process: the portal shows the new name at once.
    let portal: Value = w.app.get("/api/v1/portal").await.json().await.unwrap();
    assert_eq!(portal["facility_name"], "Lapas Kelas IIA Uji");
    // Another process (a worker, a second API) reads it on its first look.
    let other = api::state::AppState::connect((*w.app.state.settings).clone())
        .await
        .unwrap();
    let seen = other.facility().await;
    assert_eq!(seen.devices_per_user, 1);
    assert_eq!(seen.fup_rate(), "512000/768000");
    // The worker puts the new FUP speed on the router.
    cycle(&w).await;
    let rate = w
        .router_client()
        .await
        .print("/ip/hotspot/user/profile")
        .query(routeros::Query::Eq("name".into(), "gerbang-fup".into()))
        .rows()
        .await
        .unwrap()[0]
        .text("rate-limit")
        .map(|r| r.into_owned());
    assert_eq!(rate.as_deref(), Some("512000/768000"));
    // The router's setup names the new payment host, with the line to add it.
    let (_, setup) = admin_call(
        &w,
        Method::GET,
        &format!("/api/v1/admin/routers/{}/setup", w.router_id),
        c,
        None,
    )
    .await;
    assert!(setup["script"]
        .as_str()
        .unwrap()
        .contains("dst-host=\"bank-daerah.co.id\""));
    let check = setup["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["item"] == "walled garden bank-daerah.co.id")
        .unwrap_or_else(|| panic!("{setup}"));
    assert_eq!(check["ok"], false);
    assert!(check["fix"].as_str().unwrap().contains("bank-daerah.co.id"));

    // Audited: who, the fields, before and after, why.
    let row = w
        .app
        .db()
        .await
        .query_one(
            "select details from audit_log where action = 'settings.change'",
            &[],
        )
        .await
        .unwrap();
    let detail: Value = row.get(0);
    assert_eq!(detail["reason"], "nama resmi dan bank daerah");
    assert_eq!(detail["before"]["devices_per_user"], 3);
    assert_eq!(detail["after"]["devices_per_user"], 1);
    assert_eq!(detail["fields"].as_array().unwrap().len(), 5);

    // The default again: only what still differs stays stored.
    values["devices_per_user"] = before["defaults"]["devices_per_user"].clone();
    let (s, back) = put(&w, c, &values, "kembali ke bawaan").await;
    assert_eq!(s, 200);
    assert!(!back["changed"]
        .as_array()
        .unwrap()
        .contains(&json!("devices_per_user")));
    let stored: Value = w
        .app
        .db()
        .await
        .query_one("select overrides from facility_settings", &[])
        .await
        .unwrap()
        .get(0);
    assert!(stored.get("devices_per_user").is_none(), "{stored}");
    assert_eq!(w.audit_count("settings.change").await, 2);
    w.stop().await;
}

#[tokio::test]
async fn bad_settings_are_refused_per_field_and_change_nothing() {
    let w = World::start(|_| {}).await;
    let admin = w.admin().await;
    let c = &admin.cookies;
    let good = settings(&w, c).await["values"].clone();
    let cases: [(&str, Value, &str, &str); 6] = [
        ("fup_percent", json!(0), "fup_percent", "range"),
        ("devices_per_user", json!(11), "devices_per_user", "range"),
        (
            "facility_name",
            json!("Lapas\nklik http://x.y"),
            "facility_name",
            "one_line",
        ),
        (
            "otp_global_per_day",
            json!(-5),
            "otp_global_per_day",
            "range",
        ),
        (
            "payment_walled_garden",
            json!(["app.midtrans.com", "connectivitycheck.gstatic.com"]),
            "payment_walled_garden",
            "captive_probe",
        ),
        (
            "payment_walled_garden",
            json!(["https://gopay.co.id/pay"]),
            "payment_walled_garden",
            "host",
        ),
    ];
    for (key, value, field, code) in cases {
        let mut values = good.clone();
        values[key] = value;
        let (s, e) = put(&w, c, &values, "mencoba").await;
        assert_eq!(
            (s, e["code"].as_str()),
            (422, Some("validation_failed")),
            "{key}: {e}"
        );
        assert_eq!(e["details"]["fields"][field][0], code, "{key}: {e}");
    }
    let (s, e) = put(&w, c, &good, "").await;
    assert_eq!(s, 422);
    assert!(e["details"]["fields"]["reason"].is_array(), "{e}");
    let (s, _) = admin_call(
        &w,
        Method::PUT,
        "/api/v1/admin/settings",
        c,
        Some(json!({ "values": { "facility_name": "x" }, "reason": "tanpa isian lain" })),
    )
    .await;
    assert_eq!(s, 400, "a body without every setting is malformed");
    assert_eq!(w.app.count("facility_settings").await, 0);
    assert_eq!(w.audit_count("settings.change").await, 0);
    w.stop().await;
}

#[tokio::test]
async fn only_super_admins_read_or_change_settings() {
    let w = World::start(|_| {}).await;
    w.create_plain_admin().await;
    let resp = w.admin_login("petugas", "kata-sandi-petugas").await;
    let c = Cookies::from(&resp);
    let (s, e) = admin_call(&w, Method::GET, "/api/v1/admin/settings", &c, None).await;
    assert_eq!((s, e["code"].as_str()), (403, Some("forbidden")));
    let values = w.app.state.facility().await;
    let (s, _) = put(
        &w,
        &c,
        &serde_json::to_value(&*values).unwrap(),
        "bukan hak saya",
    )
    .await;
    assert_eq!(s, 403);
    assert_eq!(w.app.count("facility_settings").await, 0);
    w.stop().await;
}
