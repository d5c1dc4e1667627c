//! Bad text and dates at the edge: control characters are refused with the
//! field named, text is trimmed before its length rule, dates are
//! range-checked — a 4xx with the envelope, never a 500, nothing stored.

use serde_json::{json, Value};

use crate::helpers::*;

fn fields(body: &Value) -> Vec<(String, Vec<String>)> {
    let mut out: Vec<(String, Vec<String>)> = body["details"]["fields"]
        .as_object()
        .unwrap_or_else(|| panic!("no details.fields: {body}"))
        .iter()
        .map(|(k, v)| {
            let codes = v.as_array().unwrap().iter();
            (
                k.clone(),
                codes.map(|c| c.as_str().unwrap().to_owned()).collect(),
            )
        })
        .collect();
    out.sort();
    out
}

#[tokio::test]
async fn a_nul_character_from_a_stranger_is_refused_with_the_field_named() {
    let app = spawn_app().await;
    let report = json!({"page": "/captive", "message": "a\u{0}b"});
    let (status, body) = envelope(app.post_json("/api/v1/client-errors", &report).await).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (422, Some("validation_failed"))
    );
    assert_eq!(
        fields(&body),
        [("message".into(), vec!["control_characters".into()])]
    );
    assert_eq!(app.count("client_errors").await, 0);

    let login = json!({"username": "ke\u{0}pala", "password": "x"});
    let resp = app
        .fetch(reqwest::Method::POST, "/api/v1/admin/auth/login")
        .json(&login)
        .send()
        .await
        .unwrap();
    let (status, body) = envelope(resp).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(
        fields(&body),
        [("username".into(), vec!["control_characters".into()])]
    );
    app.stop().await;
}

#[tokio::test]
async fn text_of_spaces_fails_its_length_rule_instead_of_reaching_the_database() {
    let w = World::start(|_| {}).await;
    let t = w.token("register").await;
    let register = json!({"name": "   ", "phone": "0812-3456-7890", "role": "resident",
                          "blok": "A", "kamar": "1", "turnstile_token": t});
    let (status, body) = envelope(w.app.post_json("/api/v1/auth/register", &register).await).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(fields(&body), [("name".into(), vec!["length".into()])]);
    assert_eq!(w.app.count("users").await, 0);

    let resident = w.logged_in_resident(1_000_000_000).await;
    let device = resident.go_online().await.id;
    let (status, body) = admin_call(
        &w,
        reqwest::Method::PATCH,
        &format!("/api/v1/me/devices/{device}"),
        &resident.cookies,
        Some(json!({"label": "   "})),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(fields(&body), [("label".into(), vec!["length".into()])]);

    let admin = w.admin().await;
    let (status, body) = admin_call(
        &w,
        reqwest::Method::POST,
        &format!("/api/v1/admin/users/{}/block", resident.id),
        &admin.cookies,
        Some(json!({"reason": " \t "})),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(
        resident.status().await.status,
        shared_types::AccessStatus::Active
    );
    let (status, body) = admin_call(
        &w,
        reqwest::Method::POST,
        "/api/v1/admin/packages",
        &admin.cookies,
        Some(json!({"name": "Paket\u{0}", "price_idr": 1000, "validity_days": 1})),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(
        fields(&body),
        [("name".into(), vec!["control_characters".into()])]
    );
    assert_eq!(w.app.count("packages").await, 0);
    // Trimmed, the same request is fine and stores the trimmed text.
    let (status, body) = admin_call(
        &w,
        reqwest::Method::POST,
        "/api/v1/admin/packages",
        &admin.cookies,
        Some(json!({"name": "  Paket Harian  ", "price_idr": 1000, "validity_days": 1})),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["name"], "Paket Harian");
    w.stop().await;
}

#[tokio::test]
async fn a_day_outside_what_the_database_holds_is_an_invalid_parameter() {
    let w = World::start(|_| {}).await;
    let admin = w.admin().await;
    for query in ["from=-9999-01-01", "to=10000-01-01", "from=1969-12-31"] {
        let (status, body) = admin_call(
            &w,
            reqwest::Method::GET,
            &format!("/api/v1/admin/purchases?{query}"),
            &admin.cookies,
            None,
        )
        .await;
        assert_eq!(
            (status, body["code"].as_str()),
            (400, Some("invalid_parameter")),
            "{query}: {body}"
        );
    }
    let (status, _) = admin_call(
        &w,
        reqwest::Method::GET,
        "/api/v1/admin/purchases?from=2026-01-01&to=2026-12-31",
        &admin.cookies,
        None,
    )
    .await;
    assert_eq!(status, 200);
    w.stop().await;
}
