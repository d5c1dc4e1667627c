//! Fake upstreams on the sandbox HTTP port, speaking the vendors' real shapes
//! (docs/integrations.md): Fonnte `/fonnte/send` with a WhatsApp inbox,
//! and Cloudflare Turnstile `/turnstile/v0/siteverify` with the official test
//! secrets and single-use tokens minted by the sandbox.

use std::{
    collections::HashMap,
    sync::{
        atomic::{AtomicU64, Ordering},
        Arc,
    },
    time::{Duration, Instant, SystemTime, UNIX_EPOCH},
};

use poem::{
    handler,
    http::StatusCode,
    web::{Data, Json, Multipart, Query},
    FromRequest, IntoResponse, Request, RequestBody, Response,
};
use serde::{Deserialize, Serialize};
use tokio::sync::Mutex;

/// The device token the fake Fonnte accepts.
pub const FONNTE_TOKEN: &str = "sandbox-fonnte-token";
/// A "production" Turnstile secret: only tokens minted by the sandbox pass.
pub const TURNSTILE_SECRET: &str = "sandbox-turnstile-secret";
/// The official test secrets (docs/integrations.md, Turnstile).
pub const TEST_SECRET_PASS: &str = "1x0000000000000000000000000000000AA";
pub const TEST_SECRET_FAIL: &str = "2x0000000000000000000000000000000AA";
pub const TEST_SECRET_SPENT: &str = "3x0000000000000000000000000000000AA";
/// The token test site keys emit.
pub const DUMMY_TOKEN: &str = "XXXX.DUMMY.TOKEN.XXXX";

/// One WhatsApp message the fake Fonnte accepted.
#[derive(Debug, Clone, Serialize)]
pub struct Message {
    pub id: u64,
    pub target: String,
    pub message: String,
    pub sent_at_unix: u64,
}

/// Switches for failure tests.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct FonnteMode {
    pub disconnected: bool,
    /// Messages left before `insufficient quota` (`None` = unlimited).
    pub quota: Option<u64>,
    /// Numbers (`62…`) that are not on WhatsApp: `target invalid`.
    pub unregistered: Vec<String>,
    /// Accept messages (they reach the inbox) but hold the reply until this
    /// is switched off: a sender that dies meanwhile never learns the outcome.
    pub hold_replies: bool,
}

#[derive(Default)]
pub struct Fonnte {
    next_id: AtomicU64,
    messages: Mutex<Vec<Message>>,
    mode: Mutex<FonnteMode>,
    arrived: tokio::sync::Notify,
    /// Woken when the mode changes (held replies are released).
    mode_changed: tokio::sync::Notify,
}

impl Fonnte {
    /// Messages to `target` (`62…`), waiting up to `wait` for at least one.
    pub async fn messages_to(&self, target: Option<&str>, wait: Duration) -> Vec<Message> {
        self.at_least(target, 1, wait).await
    }

    /// Like [`messages_to`](Self::messages_to), waiting until at least `count` messages are there.
    pub async fn at_least(
        &self,
        target: Option<&str>,
        count: usize,
        wait: Duration,
    ) -> Vec<Message> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            // Register interest before looking, so a message arriving in between is not missed.
            let arrived = self.arrived.notified();
            let found: Vec<Message> = self
                .messages
                .lock()
                .await
                .iter()
                .filter(|m| target.is_none_or(|t| m.target == t.trim_start_matches('+')))
                .cloned()
                .collect();
            if found.len() >= count || wait.is_zero() {
                return found;
            }
            if tokio::time::timeout_at(deadline, arrived).await.is_err() {
                return found;
            }
        }
    }
}

struct MintedToken {
    issued: Instant,
    hostname: String,
    action: String,
    cdata: String,
    redeemed: Option<serde_json::Value>,
    idempotency_key: Option<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TurnstileMode {
    #[default]
    Normal,
    InternalError,
    NonJson,
    Slow,
}

#[derive(Default)]
pub struct Turnstile {
    tokens: Mutex<HashMap<String, MintedToken>>,
    mode: Mutex<TurnstileMode>,
    counter: AtomicU64,
}

/// Shared state of the fakes.
#[derive(Clone, Default)]
pub struct Fakes {
    pub fonnte: Arc<Fonnte>,
    pub turnstile: Arc<Turnstile>,
    pub midtrans: crate::midtrans::Midtrans,
}

fn now_unix() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// Reads form fields from urlencoded, multipart or JSON bodies.
async fn fields(req: &Request, body: &mut RequestBody) -> Result<HashMap<String, String>, ()> {
    let ct = req.content_type().unwrap_or_default().to_ascii_lowercase();
    if ct.starts_with("multipart/form-data") {
        let mut mp = Multipart::from_request(req, body).await.map_err(drop)?;
        let mut out = HashMap::new();
        while let Ok(Some(field)) = mp.next_field().await {
            let name = field.name().unwrap_or_default().to_owned();
            out.insert(name, field.text().await.map_err(drop)?);
        }
        return Ok(out);
    }
    let bytes = body
        .take()
        .map_err(drop)?
        .into_bytes()
        .await
        .map_err(drop)?;
    if ct.starts_with("application/json") {
        let v: serde_json::Map<String, serde_json::Value> =
            serde_json::from_slice(&bytes).map_err(drop)?;
        return Ok(v
            .into_iter()
            .map(|(k, v)| {
                (
                    k,
                    v.as_str()
                        .map(str::to_owned)
                        .unwrap_or_else(|| v.to_string()),
                )
            })
            .collect());
    }
    serde_urlencoded::from_bytes(&bytes).map_err(drop)
}

/// Fonnte takes the raw device token in `Authorization` (no `Bearer`).
fn fonnte_authorized(req: &Request) -> bool {
    req.headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        == Some(FONNTE_TOKEN)
}

fn fonnte_fail(reason: &str, requestid: u64) -> Json<serde_json::Value> {
    Json(serde_json::json!({ "reason": reason, "requestid": requestid, "status": false }))
}

/// `POST /fonnte/send`: always HTTP 200; success only as `"status": true`.
#[handler]
pub async fn fonnte_send(
    req: &Request,
    body: poem::Body,
    Data(fakes): Data<&Fakes>,
) -> Json<serde_json::Value> {
    let mut body = RequestBody::new(body);
    let f = &fakes.fonnte;
    let requestid = 300_000_000 + f.next_id.fetch_add(1, Ordering::SeqCst);
    if !fonnte_authorized(req) {
        return fonnte_fail("invalid token", requestid);
    }
    let Ok(form) = fields(req, &mut body).await else {
        return fonnte_fail("input invalid", requestid);
    };
    {
        let mode = f.mode.lock().await;
        if mode.disconnected {
            return fonnte_fail("request invalid on disconnected device", requestid);
        }
        if mode.quota == Some(0) {
            return fonnte_fail("insufficient quota", requestid);
        }
    }
    let country = form.get("countryCode").map(String::as_str).unwrap_or("62");
    let mut targets = Vec::new();
    for raw in form
        .get("target")
        .map(String::as_str)
        .unwrap_or_default()
        .split(',')
    {
        let number = raw.split('|').next().unwrap_or_default().trim();
        let number = match number.strip_prefix('0') {
            Some(rest) if country != "0" => format!("{country}{rest}"),
            _ => number.to_owned(),
        };
        let valid = number.len() >= 11
            && number.len() <= 15
            && number.starts_with("62")
            && number.bytes().all(|b| b.is_ascii_digit());
        if !valid || f.mode.lock().await.unregistered.contains(&number) {
            return fonnte_fail("target invalid", requestid);
        }
        targets.push(number);
    }
    let message = form.get("message").cloned().unwrap_or_default();
    if targets.is_empty() || message.chars().count() > 60_000 {
        return fonnte_fail("input invalid", requestid);
    }
    let mut ids = Vec::new();
    {
        let mut messages = f.messages.lock().await;
        let mut mode = f.mode.lock().await;
        for t in &targets {
            let id = 80_000_000 + f.next_id.fetch_add(1, Ordering::SeqCst);
            ids.push(id);
            messages.push(Message {
                id,
                target: t.clone(),
                message: message.clone(),
                sent_at_unix: now_unix(),
            });
            if let Some(q) = mode.quota.as_mut() {
                *q = q.saturating_sub(1);
            }
        }
    }
    f.arrived.notify_waiters();
    loop {
        let changed = f.mode_changed.notified();
        if !f.mode.lock().await.hold_replies {
            break;
        }
        changed.await;
    }
    Json(serde_json::json!({
        "detail": "success! message in queue",
        "id": ids,
        "process": "pending",
        "requestid": requestid,
        "status": true,
        "target": targets,
    }))
}

/// `POST /fonnte/device`: the health check.
#[handler]
pub async fn fonnte_device(req: &Request, Data(fakes): Data<&Fakes>) -> Json<serde_json::Value> {
    if !fonnte_authorized(req) {
        return fonnte_fail("invalid token", 0);
    }
    let mode = fakes.fonnte.mode.lock().await;
    Json(serde_json::json!({
        "device": "6281200000000",
        "device_status": if mode.disconnected { "disconnect" } else { "connect" },
        "name": "gerbang-sandbox",
        "quota": mode.quota.map(|q| q.to_string()).unwrap_or_else(|| "unlimited".into()),
        "status": true,
    }))
}

#[derive(Deserialize)]
pub struct InboxQuery {
    target: Option<String>,
}

/// `GET /_sandbox/whatsapp/messages[?target=62…]`: what was "delivered".
#[handler]
pub async fn inbox(Data(fakes): Data<&Fakes>, Query(q): Query<InboxQuery>) -> Json<Vec<Message>> {
    let messages = fakes.fonnte.messages.lock().await;
    Json(
        messages
            .iter()
            .filter(|m| {
                q.target
                    .as_deref()
                    .is_none_or(|t| m.target == t.trim_start_matches('+'))
            })
            .cloned()
            .collect(),
    )
}

/// `PUT /_sandbox/fonnte/mode`.
#[handler]
pub async fn fonnte_mode(Data(fakes): Data<&Fakes>, Json(mode): Json<FonnteMode>) -> StatusCode {
    *fakes.fonnte.mode.lock().await = mode;
    fakes.fonnte.mode_changed.notify_waiters();
    StatusCode::NO_CONTENT
}

fn ts_fail(codes: &[&str], testing: bool) -> Response {
    let mut v = serde_json::json!({ "success": false, "error-codes": codes, "messages": [] });
    if testing {
        v["metadata"] = serde_json::json!({ "result_with_testing_key": true });
    }
    Json(v).into_response()
}

/// `POST /turnstile/v0/siteverify` (form or JSON; always JSON back).
#[handler]
pub async fn siteverify(req: &Request, body: poem::Body, Data(fakes): Data<&Fakes>) -> Response {
    let mut body = RequestBody::new(body);
    let ts = &fakes.turnstile;
    match *ts.mode.lock().await {
        TurnstileMode::InternalError => return ts_fail(&["internal-error"], false),
        TurnstileMode::NonJson => {
            return Response::builder()
                .status(StatusCode::BAD_GATEWAY)
                .content_type("text/html")
                .body("<html>502 Bad Gateway</html>")
        }
        TurnstileMode::Slow => tokio::time::sleep(Duration::from_secs(30)).await,
        TurnstileMode::Normal => {}
    }
    let Ok(form) = fields(req, &mut body).await else {
        return ts_fail(&["bad-request"], false);
    };
    let secret = form.get("secret").map(String::as_str).unwrap_or_default();
    let token = form.get("response").map(String::as_str).unwrap_or_default();
    if secret.is_empty() {
        return ts_fail(&["missing-input-secret"], false);
    }
    if token.is_empty() {
        return ts_fail(&["missing-input-response"], false);
    }
    if token.len() > 2048 {
        return ts_fail(&["invalid-input-response"], false);
    }
    match secret {
        TEST_SECRET_PASS if token == DUMMY_TOKEN => {
            return Json(serde_json::json!({
                "success": true, "error-codes": [], "challenge_ts": now_rfc3339(), "hostname": "example.com",
                "action": "", "cdata": "", "metadata": { "result_with_testing_key": true }
            }))
            .into_response()
        }
        TEST_SECRET_PASS | TEST_SECRET_FAIL => return ts_fail(&["invalid-input-response"], true),
        TEST_SECRET_SPENT => return ts_fail(&["timeout-or-duplicate"], true),
        TURNSTILE_SECRET => {}
        _ => return ts_fail(&["invalid-input-secret"], false),
    }
    let key = form.get("idempotency_key").cloned();
    let mut tokens = ts.tokens.lock().await;
    let Some(t) = tokens.get_mut(token) else {
        return ts_fail(&["invalid-input-response"], false);
    };
    if let Some(previous) = &t.redeemed {
        if key.is_some() && key == t.idempotency_key {
            return Json(previous.clone()).into_response();
        }
        return ts_fail(&["timeout-or-duplicate"], false);
    }
    if t.issued.elapsed() > Duration::from_secs(300) {
        return ts_fail(&["timeout-or-duplicate"], false);
    }
    let result = serde_json::json!({
        "success": true, "error-codes": [], "challenge_ts": now_rfc3339(), "hostname": t.hostname,
        "action": t.action, "cdata": t.cdata, "metadata": { "interactive": false }
    });
    t.redeemed = Some(result.clone());
    t.idempotency_key = key;
    Json(result).into_response()
}

fn now_rfc3339() -> String {
    let secs = now_unix();
    // Good enough for a fake: seconds precision, UTC.
    let days = secs / 86_400;
    let (y, m, d) = civil_from_days(days as i64);
    let t = secs % 86_400;
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.000Z",
        t / 3600,
        t % 3600 / 60,
        t % 60
    )
}

fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

#[derive(Deserialize)]
pub struct MintRequest {
    #[serde(default = "default_host")]
    hostname: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    cdata: String,
}

fn default_host() -> String {
    "localhost".into()
}

/// `POST /_sandbox/turnstile/token`: what a solved widget hands the page.
#[handler]
pub async fn mint_token(
    Data(fakes): Data<&Fakes>,
    Json(m): Json<MintRequest>,
) -> Json<serde_json::Value> {
    let n = fakes.turnstile.counter.fetch_add(1, Ordering::SeqCst);
    let token = format!("0.sbx{n:08}.{}", now_unix());
    fakes.turnstile.tokens.lock().await.insert(
        token.clone(),
        MintedToken {
            issued: Instant::now(),
            hostname: m.hostname,
            action: m.action,
            cdata: m.cdata,
            redeemed: None,
            idempotency_key: None,
        },
    );
    Json(serde_json::json!({ "token": token }))
}

/// `PUT /_sandbox/turnstile/mode` `{"mode": "normal"|"internal_error"|"non_json"|"slow"}`.
#[handler]
pub async fn turnstile_mode(
    Data(fakes): Data<&Fakes>,
    Json(v): Json<serde_json::Value>,
) -> poem::Result<StatusCode> {
    let mode: TurnstileMode = serde_json::from_value(v["mode"].clone())
        .map_err(|_| poem::Error::from_string("unknown mode", StatusCode::UNPROCESSABLE_ENTITY))?;
    *fakes.turnstile.mode.lock().await = mode;
    Ok(StatusCode::NO_CONTENT)
}

#[cfg(test)]
mod tests {
    #[test]
    fn civil_dates() {
        assert_eq!(super::civil_from_days(0), (1970, 1, 1));
        assert_eq!(super::civil_from_days(20_773), (2026, 11, 16));
        assert_eq!(super::civil_from_days(11_016), (2000, 2, 29));
    }
}
