//! The admin home: every number agrees with the list it links to, and comes
//! from what the worker and the payments recorded (not from the routers).

use reqwest::Method;
use serde_json::Value;
use uuid::Uuid;

use crate::helpers::*;

async fn overview(w: &World, c: &Cookies) -> Value {
    let (s, o) = admin_call(w, Method::GET, "/api/v1/admin/overview", c, None).await;
    assert_eq!(s, 200, "{o}");
    o
}

fn count_of(o: &Value, status: &str) -> i64 {
    o["users_by_status"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["status"] == status)
        .unwrap()["count"]
        .as_i64()
        .unwrap()
}

#[tokio::test]
async fn the_overview_shows_the_router_up_the_resident_online_and_todays_usage_and_revenue() {
    let w = World::start(|_| {}).await;
    let admin = w.admin().await;
    let c = &admin.cookies;

    // Before any cycle: the router is known but not up, nobody online.
    let o = overview(&w, c).await;
    assert_eq!(o["routers"].as_array().unwrap().len(), 1, "{o}");
    assert_eq!(o["routers"][0]["up"], false);
    assert!(o["routers"][0]["last_cycle_at"].is_null());
    assert_eq!(o["online_total"], 0);
    assert_eq!(o["usage_days"].as_array().unwrap().len(), 30);
    assert_eq!(o["usage"]["days_30"], 0);

    // A resident online with traffic, counted by two cycles.
    let (id, _) = online(&w, 100_000_000).await;
    cycle(&w).await;
    let router = &w.sb.router().router;
    assert!(router.set_traffic(MAC, 0, 8_000_000).await);
    router.advance(std::time::Duration::from_secs(10)).await;
    cycle(&w).await;
    let used = used(&w, id).await;
    assert!(used > 0);

    // A registration waiting, and two payments today (one paid, one pending).
    let pending = Uuid::now_v7();
    let db = w.app.db().await;
    db.execute(
        "insert into users (id, phone, name, role, blok, kamar, approval)
         values ($1, '+6281299990001', 'Calon', 'resident', 'A', '1', 'pending')",
        &[&pending],
    )
    .await
    .unwrap();
    let package = admin.create_package("Paket 5 GB", 25_000, 5 << 30).await;
    let package_id: Uuid = package.id.parse().unwrap();
    for (order, status, paid) in [("OV-1", "paid", true), ("OV-2", "pending", false)] {
        db.execute(
            "insert into purchases (id, order_id, user_id, package_id, package_name, amount_idr,
                                    quota_bytes, validity_days, status, snap_token, redirect_url,
                                    expires_at, next_check_at, paid_at)
             values (gen_random_uuid(), $1, $2, $3, 'Paket 5 GB', 25000, 5368709120, 30, $4,
                     't', 'https://pay.test/x', now(), now(), case when $5 then now() end)",
            &[&order, &id, &package_id, &status, &paid],
        )
        .await
        .unwrap();
    }

    let o = overview(&w, c).await;
    let r = &o["routers"][0];
    assert_eq!(r["up"], true, "{o}");
    assert_eq!(r["online"], 1);
    assert!(r["last_cycle_age_seconds"].as_i64().unwrap() < 60);
    assert!(r["last_error"].is_null());
    assert_eq!(o["online_total"], 1);
    assert_eq!(o["registrations_waiting"], 1);
    assert_eq!(count_of(&o, "active"), 1, "{o}");
    assert_eq!(count_of(&o, "inactive"), 1, "the pending registration");
    assert_eq!(o["usage"]["today"], used, "{o}");
    assert_eq!(o["usage"]["days_7"], used);
    assert_eq!(o["usage_days"][29]["amount"], used);
    assert_eq!(o["revenue"]["today"], 25_000);
    assert_eq!(o["revenue"]["days_30"], 25_000);
    assert_eq!(o["revenue_days"][29]["amount"], 25_000);

    // The numbers agree with the lists they link to.
    let (_, people) = admin_call(
        &w,
        Method::GET,
        "/api/v1/admin/users?status=active",
        c,
        None,
    )
    .await;
    assert_eq!(people["total"], count_of(&o, "active"));
    let (_, paid) = admin_call(
        &w,
        Method::GET,
        "/api/v1/admin/purchases?status=paid",
        c,
        None,
    )
    .await;
    assert_eq!(paid["totals"]["paid_amount_idr"], o["revenue"]["days_30"]);
    assert_eq!(paid["paid_per_day"].as_array().unwrap().len(), 1);
    assert_eq!(paid["paid_per_day"][0]["amount"], 25_000);
    let (_, online_now) = admin_call(&w, Method::GET, "/api/v1/admin/online", c, None).await;
    assert_eq!(
        online_now["routers"][0]["live"]["sessions"]
            .as_array()
            .unwrap()
            .len() as i64,
        o["online_total"].as_i64().unwrap()
    );

    // The router's chart: the two cycles, oldest first.
    let router_id = w.router_id;
    let (s, cycles) = admin_call(
        &w,
        Method::GET,
        &format!("/api/v1/admin/routers/{router_id}/cycles"),
        c,
        None,
    )
    .await;
    assert_eq!(s, 200, "{cycles}");
    let cycles = cycles["cycles"].as_array().unwrap();
    assert_eq!(cycles.len(), 2);
    assert!(cycles[0]["at"].as_str() < cycles[1]["at"].as_str());
    assert_eq!(cycles[1]["online"], 1);
    assert_eq!(cycles[1]["ok"], true);
    w.stop().await;
}

#[tokio::test]
async fn a_failing_router_is_down_with_its_error_and_whatsapp_sends_are_counted() {
    let w = World::start(|_| {}).await;
    let admin = w.admin().await;
    let c = &admin.cookies;
    cycle(&w).await;
    // The router's API port stops answering: the next cycle fails.
    let closed_port = closed_port();
    w.app
        .db()
        .await
        .execute(
            "update routers set port = $1 where id = $2",
            &[&i32::from(closed_port), &w.router_id],
        )
        .await
        .unwrap();
    let outcomes = api::worker::reconcile_routers(&w.app.state).await.unwrap();
    assert!(matches!(
        outcomes[0].1,
        api::worker::CycleOutcome::Failed(_)
    ));
    let o = overview(&w, c).await;
    let r = &o["routers"][0];
    assert_eq!(r["up"], false, "{o}");
    assert!(r["online"].is_null());
    assert!(
        r["last_error"].as_str().is_some_and(|e| !e.is_empty()),
        "{o}"
    );
    assert_eq!(r["consecutive_failures"], 1);

    // Every WhatsApp message goes through one function, which counts it
    // against today's budget: one sent, then one the gateway refuses.
    assert_eq!(o["whatsapp"]["sent"], 0);
    assert_eq!(
        o["whatsapp"]["budget"],
        5000 + 500,
        "codes and notifications"
    );
    let state = &w.app.state;
    api::services::whatsapp::send(state, "6281234567890", "Tes")
        .await
        .unwrap();
    let resp = reqwest::Client::new()
        .put(format!("http://{}/_sandbox/fonnte/mode", w.sb.http_addr))
        .json(&serde_json::json!({ "disconnected": true, "quota": null }))
        .send()
        .await
        .unwrap();
    assert!(resp.status().is_success());
    assert!(api::services::whatsapp::send(state, "6281234567890", "Tes")
        .await
        .is_err());
    let o = overview(&w, c).await;
    assert_eq!(
        (
            o["whatsapp"]["sent"].as_i64(),
            o["whatsapp"]["failed"].as_i64()
        ),
        (Some(1), Some(1)),
        "{o}"
    );
    w.stop().await;
}

#[tokio::test]
async fn only_admins_see_the_overview() {
    let w = World::start(|_| {}).await;
    let resident = w.logged_in_resident(1 << 30).await;
    let (s, body) = admin_call(
        &w,
        Method::GET,
        "/api/v1/admin/overview",
        &resident.cookies,
        None,
    )
    .await;
    assert_eq!((s, body["code"].as_str()), (403, Some("forbidden")));
    let resp = w.app.get("/api/v1/admin/overview").await;
    assert_eq!(resp.status(), 401);
    w.stop().await;
}
