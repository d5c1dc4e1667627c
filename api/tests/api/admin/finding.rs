//! `GET /admin/users`: search by any form of a number or a name, filters,
//! keyset pages with a total, and the access status filter agreeing with the
//! one status rule.

use reqwest::Method;
use serde_json::Value;
use uuid::Uuid;

use crate::helpers::*;

/// Inserts a person; returns the id.
async fn person(w: &World, name: &str, phone: &str, role: &str, extra: &str) -> Uuid {
    let id = Uuid::now_v7();
    let (blok, kamar) = if role == "resident" {
        ("'A'", "'12'")
    } else {
        ("null", "null")
    };
    w.app
        .db()
        .await
        .execute(
            &format!(
                "insert into users (id, phone, name, role, blok, kamar, approval, router_id,
                                    quota_bytes, valid_until)
                 values ($1, $2, $3, $4, {blok}, {kamar}, 'approved', $5, 1000000,
                         now() + interval '30 days')"
            ),
            &[&id, &phone, &name, &role, &w.router_id],
        )
        .await
        .unwrap();
    if !extra.is_empty() {
        w.app
            .db()
            .await
            .execute(&format!("update users set {extra} where id = $1"), &[&id])
            .await
            .unwrap();
    }
    id
}

async fn list(w: &World, admin: &Cookies, query: &str) -> (u16, Value) {
    admin_call(
        w,
        Method::GET,
        &format!("/api/v1/admin/users?{query}"),
        admin,
        None,
    )
    .await
}

fn names(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["name"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn admins_find_people_by_any_form_of_their_number_or_name_and_filter_them() {
    let w = World::start(|_| {}).await;
    let admin = w.admin().await;
    person(&w, "Budi Santoso", "+6281234567890", "resident", "").await;
    person(
        &w,
        "Siti Aminah",
        "+6285712349999",
        "resident",
        "used_bytes = 1000000",
    )
    .await;
    person(&w, "Joko", "+6281399990000", "komandan", "").await;
    person(
        &w,
        "Agus 50%",
        "+6281300001111",
        "resident",
        "approval = 'pending'",
    )
    .await;
    person(
        &w,
        "budiman",
        "+6287800002222",
        "resident",
        "blocked = true, blocked_reason = 'x'",
    )
    .await;

    for (q, expected) in [
        ("1234", vec!["Budi Santoso", "Siti Aminah"]),
        ("0812 3456", vec!["Budi Santoso"]),
        ("62812345", vec!["Budi Santoso"]),
        ("%2B6281234567890", vec!["Budi Santoso"]),
        ("BUDI", vec!["Budi Santoso", "budiman"]),
        ("50%25", vec!["Agus 50%"]),
        ("_", vec![]),
    ] {
        let (s, page) = list(&w, &admin.cookies, &format!("q={q}")).await;
        assert_eq!(s, 200, "{q}: {page}");
        assert_eq!(names(&page), expected, "q={q}");
        assert_eq!(page["total"], expected.len(), "q={q}");
    }
    for (filter, expected) in [
        ("role=komandan", vec!["Joko"]),
        // The admin has no quota: exhausted too, as the one rule says.
        ("status=exhausted", vec!["Kepala Admin", "Siti Aminah"]),
        ("role=resident&status=exhausted", vec!["Siti Aminah"]),
        ("status=blocked", vec!["budiman"]),
        ("approval=pending", vec!["Agus 50%"]),
        (
            "role=resident&blok=a&kamar=12&status=active",
            vec!["Budi Santoso"],
        ),
    ] {
        let (_, page) = list(&w, &admin.cookies, filter).await;
        assert_eq!(names(&page), expected, "{filter}");
    }
    // One row says what the dashboard needs.
    let (_, page) = list(&w, &admin.cookies, "q=siti").await;
    let row = &page["items"][0];
    assert_eq!(
        (
            row["status"].as_str(),
            row["remaining_bytes"].as_i64(),
            row["phone"].as_str()
        ),
        (Some("exhausted"), Some(0), Some("+6285712349999"))
    );

    // Bad parameters are named, never a 500.
    for bad in [
        "limit=0",
        "limit=101",
        "after=bm90LWEtY3Vyc29y",
        "status=asleep",
        "sort=age",
    ] {
        let (s, env) = list(&w, &admin.cookies, bad).await;
        assert_eq!(
            (s, env["code"].as_str()),
            (400, Some("invalid_parameter")),
            "{bad}"
        );
    }
    let long = "x".repeat(65);
    assert_eq!(list(&w, &admin.cookies, &format!("q={long}")).await.0, 400);
    w.stop().await;
}

#[tokio::test]
async fn pages_follow_each_order_without_skipping_or_repeating_anyone() {
    let w = World::start(|_| {}).await;
    let admin = w.admin().await;
    // Same names and same usage on purpose: ties are broken by id.
    for i in 0..23 {
        let name = ["Ani", "Budi", "Citra"][i % 3];
        let phone = format!("+62813{:08}", 10_000_000 + i);
        person(
            &w,
            name,
            &phone,
            "resident",
            &format!("used_bytes = {}", (i % 4) * 1000),
        )
        .await;
    }
    for sort in ["name", "newest", "most_used"] {
        let mut seen: Vec<Value> = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let mut query = format!("role=resident&sort={sort}&limit=5");
            if let Some(a) = &after {
                query.push_str(&format!("&after={a}"));
            }
            let (s, page) = list(&w, &admin.cookies, &query).await;
            assert_eq!(s, 200, "{page}");
            assert_eq!(page["total"], 23);
            seen.extend(page["items"].as_array().unwrap().iter().cloned());
            match page["next"].as_str() {
                Some(n) => after = Some(n.to_owned()),
                None => break,
            }
        }
        let ids: std::collections::HashSet<&str> =
            seen.iter().map(|u| u["id"].as_str().unwrap()).collect();
        assert_eq!((seen.len(), ids.len()), (23, 23), "{sort}: everyone once");
        let keys: Vec<(String, i64, String)> = seen
            .iter()
            .map(|u| {
                (
                    u["name"].as_str().unwrap().to_lowercase(),
                    u["used_bytes"].as_i64().unwrap(),
                    u["created_at"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        let ordered = keys.windows(2).all(|p| match sort {
            "name" => p[0].0 <= p[1].0,
            "newest" => p[0].2 >= p[1].2,
            _ => p[0].1 >= p[1].1,
        });
        assert!(ordered, "{sort}: {keys:?}");
    }
    w.stop().await;
}

#[tokio::test]
async fn the_status_filter_agrees_with_the_one_status_rule() {
    let w = World::start(|_| {}).await;
    let db = w.app.db().await;
    // Every combination of the facts that decide the status, a day away
    // from any boundary.
    let mut n = 0;
    for blocked in [false, true] {
        for (active, approval) in [(true, "approved"), (false, "approved"), (true, "pending")] {
            for valid in [
                "null",
                "now() + interval '1 day'",
                "now() - interval '1 day'",
            ] {
                for unlimited in ["false", "true"] {
                    for until in [
                        "null",
                        "now() + interval '1 day'",
                        "now() - interval '1 day'",
                    ] {
                        for (quota, used, fup) in [
                            (1000, 0, "null"),
                            (1000, 1000, "null"),
                            (1000, 900, "200"),
                            (1000, 100, "200"),
                        ] {
                            n += 1;
                            let phone = format!("+62819{:08}", n);
                            db.execute(
                                &format!(
                                    "insert into users (id, phone, name, role, blok, kamar, approval,
                                        active, blocked, blocked_reason, quota_bytes, used_bytes,
                                        unlimited, valid_until, unlimited_until, fup_threshold_bytes)
                                     values ($1, $2, 'X', 'resident', 'A', '1', '{approval}', {active},
                                        {blocked}, case when {blocked} then 'r' end, {quota}, {used},
                                        {unlimited}, {valid}, {until}, {fup})"
                                ),
                                &[&Uuid::now_v7(), &phone],
                            )
                            .await
                            .unwrap();
                        }
                    }
                }
            }
        }
    }
    let rows = db
        .query(
            &format!("select access_status(users, now()), {} from users", "id"),
            &[],
        )
        .await
        .unwrap();
    let now = time::OffsetDateTime::now_utc();
    let mut compared = 0;
    for r in rows {
        let sql: String = r.get(0);
        let id: Uuid = r.get(1);
        let user = api::db::users::by_id(&db, id).await.unwrap().unwrap();
        let rust = user.facts().status(now.unix_timestamp());
        assert_eq!(sql, rust.as_str(), "{:?}", user.facts());
        compared += 1;
    }
    assert_eq!(compared, n);
    // All seven statuses occur, so the comparison covered each branch.
    let distinct: i64 = db
        .query_one(
            "select count(distinct access_status(users, now())) from users",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(distinct, 7);
    w.stop().await;
}
