//! Fake Midtrans (docs/integrations.md, Midtrans) under `/midtrans` on the
//! sandbox HTTP port: Snap transaction creation, a hosted payment page at
//! the returned `redirect_url` where a person picks QRIS or a bank VA and
//! pays or lets it expire, signed HTTP notifications with Midtrans' retry
//! schedule (compressible for tests), and the Core API status check with
//! its odd not-found answers. Test hooks live under `/_sandbox/midtrans`.

use std::{
    collections::HashMap,
    sync::{
        atomic::{AtomicU64, Ordering},
        Arc,
    },
    time::{Duration, SystemTime, UNIX_EPOCH},
};

use base64::Engine;
use poem::{
    handler,
    http::StatusCode,
    web::{Data, Form, Html, Json, Path},
    IntoResponse, Request, Response,
};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use sha2::{Digest, Sha512};
use tokio::sync::Mutex;

use crate::fakes::Fakes;

/// The server key the fake accepts (and signs with).
pub const SERVER_KEY: &str = "SB-Mid-server-gerbang-sandbox";
pub const MERCHANT_ID: &str = "G000000001";
/// Minutes between retries after each failed delivery (docs/integrations.md, Midtrans: retries).
pub const RETRY_MINUTES: [u64; 5] = [2, 10, 30, 90, 210];

/// Switches for failure tests.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct MidtransMode {
    /// Snap and status answer 500 (the gateway is down).
    pub down: bool,
    /// Unknown orders answer HTTP 404 instead of HTTP 200 (both carry body `status_code` 404).
    pub not_found_http_404: bool,
    /// Retry intervals are `RETRY_MINUTES` × 60 s × this (1.0 = real time).
    pub retry_scale: f64,
    /// Send `status_code` and `gross_amount` as JSON numbers (a documented variant).
    pub numeric_fields: bool,
    /// The dashboard's Payment Notification URL (used without `X-Override-Notification`).
    pub notification_url: Option<String>,
}

impl Default for MidtransMode {
    fn default() -> Self {
        Self {
            down: false,
            not_found_http_404: false,
            retry_scale: 1.0,
            numeric_fields: false,
            notification_url: None,
        }
    }
}

/// One order as Midtrans holds it.
#[derive(Debug, Clone, Serialize)]
pub struct Order {
    pub order_id: String,
    pub token: String,
    pub gross_amount: i64,
    pub item_name: String,
    pub created_unix: u64,
    pub expiry_seconds: u64,
    pub finish_url: Option<String>,
    pub notification_url: Option<String>,
    /// Set once the customer chose a method (before that, status says 404).
    pub payment_type: Option<String>,
    pub bank: Option<String>,
    pub transaction_id: Option<String>,
    pub transaction_status: Option<String>,
    pub transaction_unix: Option<u64>,
    pub settlement_unix: Option<u64>,
}

/// One notification delivery attempt.
#[derive(Debug, Clone, Serialize)]
pub struct Delivery {
    pub order_id: String,
    pub transaction_status: String,
    pub attempt: u32,
    /// The HTTP status the merchant answered; `None` for a transport failure.
    pub http_status: Option<u16>,
    pub body: Value,
}

/// The fake's state; cheap to clone (shared).
#[derive(Clone, Default)]
pub struct Midtrans(Arc<Inner>);

impl std::ops::Deref for Midtrans {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

pub struct Inner {
    orders: Mutex<HashMap<String, Order>>,
    mode: Mutex<MidtransMode>,
    deliveries: Mutex<Vec<Delivery>>,
    delivered: tokio::sync::Notify,
    counter: AtomicU64,
    http: reqwest::Client,
}

impl Default for Inner {
    fn default() -> Self {
        // Midtrans follows only 307/308 (keeping POST), at most 5 times.
        let policy = reqwest::redirect::Policy::custom(|attempt| {
            let code = attempt.status().as_u16();
            if (code == 307 || code == 308) && attempt.previous().len() < 5 {
                attempt.follow()
            } else {
                attempt.stop()
            }
        });
        Self {
            orders: Mutex::default(),
            mode: Mutex::default(),
            deliveries: Mutex::default(),
            delivered: tokio::sync::Notify::new(),
            counter: AtomicU64::new(1),
            http: reqwest::Client::builder()
                .redirect(policy)
                .timeout(Duration::from_secs(15))
                .user_agent("Veritrans")
                .build()
                .expect("static client configuration"),
        }
    }
}

fn now_unix() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// `YYYY-MM-DD HH:MM:SS` in GMT+7, as Midtrans writes times.
pub fn wib(unix: u64) -> String {
    let t = unix as i64 + 7 * 3600;
    let (days, secs) = (t.div_euclid(86_400), t.rem_euclid(86_400));
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

/// `hex(SHA512(order_id + status_code + gross_amount + server_key))`.
pub fn signature(order_id: &str, status_code: &str, gross_amount: &str) -> String {
    let mut h = Sha512::new();
    for p in [order_id, status_code, gross_amount, SERVER_KEY] {
        h.update(p.as_bytes());
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

fn status_code_of(transaction_status: &str) -> &'static str {
    match transaction_status {
        "pending" => "201",
        "deny" => "202",
        "expire" => "407",
        _ => "200",
    }
}

fn error(status: StatusCode, messages: &[&str]) -> Response {
    Json(json!({ "error_messages": messages }))
        .with_status(status)
        .into_response()
}

fn authorized(req: &Request) -> bool {
    let expected = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{SERVER_KEY}:"))
    );
    req.headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        == Some(expected.as_str())
}

fn unauthorized() -> Response {
    error(
        StatusCode::UNAUTHORIZED,
        &[
            "Access denied due to unauthorized transaction, please check client or server key",
            "Visit https://snap-docs.midtrans.com/#request-headers for more details",
        ],
    )
}

fn internal_error() -> Response {
    Json(json!({
        "error_messages": ["Sorry, we encountered internal server error. We will fix this soon."],
        "locale": "en",
    }))
    .with_status(StatusCode::INTERNAL_SERVER_ERROR)
    .into_response()
}

/// Basic auth with the server key, then the `down` switch; the mode for the rest.
async fn gate(req: &Request, m: &Midtrans) -> Result<MidtransMode, Response> {
    if !authorized(req) {
        return Err(unauthorized());
    }
    let mode = m.mode().await;
    if mode.down {
        return Err(internal_error());
    }
    Ok(mode)
}

fn order_id_ok(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 50
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'~' | b'.'))
}

fn expiry_seconds(v: &Value) -> Option<u64> {
    let e = v.get("expiry")?;
    let duration = e.get("duration")?.as_u64()?;
    let unit = e.get("unit")?.as_str()?.trim_end_matches('s');
    let per = match unit {
        "minute" => 60,
        "hour" => 3600,
        "day" => 86_400,
        _ => return None,
    };
    Some((duration * per).clamp(20, 7 * 86_400))
}

impl Midtrans {
    pub async fn mode(&self) -> MidtransMode {
        self.mode.lock().await.clone()
    }

    pub async fn set_mode(&self, mode: MidtransMode) {
        *self.mode.lock().await = mode;
    }

    pub async fn order(&self, order_id: &str) -> Option<Order> {
        self.orders.lock().await.get(order_id).cloned()
    }

    async fn order_by_token(&self, token: &str) -> Option<Order> {
        self.orders
            .lock()
            .await
            .values()
            .find(|o| o.token == token)
            .cloned()
    }

    /// Every delivery attempt so far.
    pub async fn deliveries(&self) -> Vec<Delivery> {
        self.deliveries.lock().await.clone()
    }

    /// Waits up to `wait` until at least `count` delivery attempts matching `filter` happened.
    pub async fn wait_deliveries(
        &self,
        filter: impl Fn(&Delivery) -> bool,
        count: usize,
        wait: Duration,
    ) -> Vec<Delivery> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            let notified = self.delivered.notified();
            let found: Vec<Delivery> = self
                .deliveries
                .lock()
                .await
                .iter()
                .filter(|d| filter(d))
                .cloned()
                .collect();
            if found.len() >= count || tokio::time::timeout_at(deadline, notified).await.is_err() {
                return found;
            }
        }
    }

    /// The JSON Midtrans reports for an order that has a transaction
    /// (notification body or status answer), signed.
    pub async fn body_of(
        &self,
        o: &Order,
        transaction_status: &str,
        status_message: &str,
    ) -> Value {
        let numeric = self.mode().await.numeric_fields;
        let code = status_code_of(transaction_status);
        let amount = format!("{}.00", o.gross_amount);
        let payment_type = o.payment_type.clone().unwrap_or_else(|| "qris".into());
        let mut b = json!({
            "transaction_time": wib(o.transaction_unix.unwrap_or(o.created_unix)),
            "transaction_status": transaction_status,
            "transaction_id": o.transaction_id,
            "status_message": status_message,
            "status_code": code,
            "signature_key": signature(&o.order_id, code, &amount),
            "payment_type": payment_type,
            "order_id": o.order_id,
            "merchant_id": MERCHANT_ID,
            "gross_amount": amount,
            "fraud_status": "accept",
            "currency": "IDR",
            "expiry_time": wib(o.transaction_unix.unwrap_or(o.created_unix) + o.expiry_seconds),
        });
        if let Some(s) = o
            .settlement_unix
            .filter(|_| transaction_status == "settlement")
        {
            b["settlement_time"] = wib(s).into();
        }
        let bank = o.bank.clone().unwrap_or_default();
        match payment_type.as_str() {
            "qris" => {
                b["transaction_type"] = "on-us".into();
                b["issuer"] = "gopay".into();
                b["acquirer"] = "gopay".into();
            }
            "bank_transfer" if bank == "permata" => {
                b["permata_va_number"] = va_number(&o.order_id, 8).into();
            }
            "bank_transfer" => {
                b["va_numbers"] =
                    json!([{ "va_number": va_number(&o.order_id, 15), "bank": bank }]);
                b["payment_amounts"] = json!([]);
            }
            "echannel" => {
                b["biller_code"] = "70012".into();
                b["bill_key"] = va_number(&o.order_id, 12).into();
            }
            _ => {}
        }
        if numeric {
            b["status_code"] = json!(code.parse::<u64>().unwrap_or(0));
            b["gross_amount"] = json!(o.gross_amount);
        }
        b
    }

    /// The customer picks a method: the order gets a transaction (pending).
    /// `method`: `qris`, `bca_va`, `bni_va`, `bri_va`, `permata_va`, `echannel`.
    pub async fn choose(&self, order_id: &str, method: &str, notify: bool) -> Option<Order> {
        let (payment_type, bank) = match method {
            "qris" | "other_qris" => ("qris", None),
            "echannel" => ("echannel", Some("mandiri")),
            m if m.ends_with("_va") => ("bank_transfer", Some(m.trim_end_matches("_va"))),
            _ => return None,
        };
        let n = self.counter.fetch_add(1, Ordering::SeqCst);
        let order = {
            let mut orders = self.orders.lock().await;
            let o = orders.get_mut(order_id)?;
            if o.transaction_id.is_none() {
                o.transaction_id = Some(format!(
                    "{:08x}-5b6a-401e-894b-{:012x}",
                    now_unix() as u32,
                    n
                ));
                o.transaction_unix = Some(now_unix());
            }
            o.payment_type = Some(payment_type.into());
            o.bank = bank.map(Into::into);
            o.transaction_status = Some("pending".into());
            o.clone()
        };
        if notify {
            self.notify(&order, "pending").await;
        }
        Some(order)
    }

    /// Moves the order to `transaction_status` (`settlement`, `expire`, `deny`,
    /// `cancel`, `refund`) and, unless `silent`, notifies the merchant. An
    /// order without a method gets QRIS first.
    pub async fn finish(
        &self,
        order_id: &str,
        transaction_status: &str,
        silent: bool,
    ) -> Option<Order> {
        if self.order(order_id).await?.transaction_id.is_none() {
            self.choose(order_id, "qris", false).await?;
        }
        let order = {
            let mut orders = self.orders.lock().await;
            let o = orders.get_mut(order_id)?;
            o.transaction_status = Some(transaction_status.into());
            if transaction_status == "settlement" {
                o.settlement_unix = Some(now_unix());
            }
            o.clone()
        };
        if !silent {
            self.notify(&order, transaction_status).await;
        }
        Some(order)
    }

    /// Sends the notification for `transaction_status` (which may differ from
    /// the order's current one: out-of-order tests) in the background, with
    /// Midtrans' retries.
    pub async fn notify(&self, order: &Order, transaction_status: &str) {
        let Some(url) = order.notification_url.clone() else {
            return;
        };
        let body = self
            .body_of(order, transaction_status, "midtrans payment notification")
            .await;
        let scale = self.mode().await.retry_scale;
        let me = self.clone();
        let status = transaction_status.to_owned();
        let order_id = order.order_id.clone();
        tokio::spawn(async move {
            me.deliver(url, order_id, status, body, scale).await;
        });
    }

    async fn deliver(
        &self,
        url: String,
        order_id: String,
        status: String,
        body: Value,
        scale: f64,
    ) {
        let mut retries_left: Option<u32> = None;
        for attempt in 0.. {
            let answer = self
                .http
                .post(&url)
                .header("Accept", "application/json")
                .json(&body)
                .send()
                .await
                .map(|r| r.status().as_u16())
                .ok();
            self.deliveries.lock().await.push(Delivery {
                order_id: order_id.clone(),
                transaction_status: status.clone(),
                attempt,
                http_status: answer,
                body: body.clone(),
            });
            self.delivered.notify_waiters();
            // How many retries this answer earns (Midtrans' retry table); the first answer decides.
            let allowed = match answer {
                Some(200..=299) | Some(301..=303) => 0,
                Some(500) => 1,
                Some(503) => 4,
                Some(400) | Some(404) => 2,
                _ => 5,
            };
            let left = retries_left.get_or_insert(allowed);
            if matches!(answer, Some(200..=299)) || *left == 0 {
                return;
            }
            *left -= 1;
            let minutes = RETRY_MINUTES[(attempt as usize).min(RETRY_MINUTES.len() - 1)];
            tokio::time::sleep(Duration::from_secs_f64(minutes as f64 * 60.0 * scale)).await;
        }
    }
}

/// A digit string derived from the order id (stable VA numbers).
fn va_number(order_id: &str, len: usize) -> String {
    let mut h = Sha512::new();
    h.update(order_id.as_bytes());
    h.finalize()
        .iter()
        .map(|b| char::from(b'0' + b % 10))
        .take(len)
        .collect()
}

fn new_token(n: u64) -> String {
    let mut h = Sha512::new();
    h.update(n.to_le_bytes());
    h.update(
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0)
            .to_le_bytes(),
    );
    let hex: String = h.finalize().iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-4{}-8{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[13..16],
        &hex[17..20],
        &hex[20..32]
    )
}

fn host_of(req: &Request) -> String {
    req.headers()
        .get("host")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("127.0.0.1:18080")
        .to_owned()
}

/// `POST /midtrans/snap/v1/transactions`.
#[handler]
pub async fn snap_create(req: &Request, body: poem::Body, Data(fakes): Data<&Fakes>) -> Response {
    let m = &fakes.midtrans;
    let mode = match gate(req, m).await {
        Ok(mode) => mode,
        Err(refused) => return refused,
    };
    let bad = |msg: &str| error(StatusCode::BAD_REQUEST, &[msg]);
    let Ok(bytes) = body.into_bytes().await else {
        return bad("Request body is not valid");
    };
    let Ok(v) = serde_json::from_slice::<Value>(&bytes) else {
        return bad("Request body is not valid JSON");
    };
    let td = &v["transaction_details"];
    let Some(order_id) = td["order_id"].as_str() else {
        return bad("transaction_details.order_id is required");
    };
    if !order_id_ok(order_id) {
        return bad("transaction_details.order_id is invalid");
    }
    let Some(gross) = td["gross_amount"].as_i64().filter(|g| *g > 0) else {
        return bad("transaction_details.gross_amount must be a positive integer");
    };
    let mut item_name = String::new();
    if let Some(items) = v["item_details"].as_array() {
        let mut sum = 0i64;
        for it in items {
            let (Some(price), Some(qty), Some(name)) = (
                it["price"].as_i64(),
                it["quantity"].as_i64().filter(|q| *q >= 1),
                it["name"]
                    .as_str()
                    .filter(|n| !n.is_empty() && n.chars().count() <= 50),
            ) else {
                return bad("item_details is invalid");
            };
            sum += price * qty;
            if item_name.is_empty() {
                item_name = name.to_owned();
            }
        }
        if sum != gross {
            return bad("transaction_details.gross_amount is not equal to the sum of item_details");
        }
    }
    let header = |name: &str| {
        req.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
            .map(|v| v.trim().to_owned())
    };
    let token = new_token(m.counter.fetch_add(1, Ordering::SeqCst));
    {
        let mut orders = m.orders.lock().await;
        if orders.contains_key(order_id) {
            return bad("transaction_details.order_id has already been taken");
        }
        orders.insert(
            order_id.to_owned(),
            Order {
                order_id: order_id.to_owned(),
                token: token.clone(),
                gross_amount: gross,
                item_name,
                created_unix: now_unix(),
                expiry_seconds: expiry_seconds(&v).unwrap_or(86_400),
                finish_url: v["callbacks"]["finish"].as_str().map(str::to_owned),
                notification_url: header("x-override-notification")
                    .or_else(|| header("x-append-notification"))
                    .or(mode.notification_url.clone()),
                payment_type: None,
                bank: None,
                transaction_id: None,
                transaction_status: None,
                transaction_unix: None,
                settlement_unix: None,
            },
        );
    }
    let redirect_url = format!(
        "http://{}/midtrans/snap/v3/redirection/{token}",
        host_of(req)
    );
    Json(json!({ "token": token, "redirect_url": redirect_url }))
        .with_status(StatusCode::CREATED)
        .into_response()
}

/// Pending past its expiry turns into `expire` when looked at (no webhook, like a page expiry).
async fn lazily_expired(m: &Midtrans, order_id: &str) -> Option<Order> {
    let mut orders = m.orders.lock().await;
    let o = orders.get_mut(order_id)?;
    if o.transaction_status.as_deref() == Some("pending")
        && o.transaction_unix.unwrap_or(o.created_unix) + o.expiry_seconds <= now_unix()
    {
        o.transaction_status = Some("expire".into());
    }
    Some(o.clone())
}

/// `GET /midtrans/v2/{order_id or transaction_id}/status`.
#[handler]
pub async fn status_check(
    req: &Request,
    Path(id): Path<String>,
    Data(fakes): Data<&Fakes>,
) -> Response {
    let m = &fakes.midtrans;
    let mode = match gate(req, m).await {
        Ok(mode) => mode,
        Err(refused) => return refused,
    };
    let order_id = {
        let orders = m.orders.lock().await;
        orders
            .values()
            .find(|o| o.order_id == id || o.transaction_id.as_deref() == Some(id.as_str()))
            .map(|o| o.order_id.clone())
    };
    let order = match order_id {
        Some(oid) => lazily_expired(m, &oid).await,
        None => None,
    };
    match order.filter(|o| o.transaction_id.is_some()) {
        Some(o) => {
            let st = o
                .transaction_status
                .clone()
                .unwrap_or_else(|| "pending".into());
            Json(m.body_of(&o, &st, "Success, transaction is found").await).into_response()
        }
        None => {
            let n = m.counter.fetch_add(1, Ordering::SeqCst);
            let body = json!({
                "status_code": "404",
                "status_message": "Transaction doesn't exist.",
                "id": new_token(n),
            });
            let http = if mode.not_found_http_404 {
                StatusCode::NOT_FOUND
            } else {
                StatusCode::OK
            };
            Json(body).with_status(http).into_response()
        }
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

const METHODS: [(&str, &str); 6] = [
    ("qris", "QRIS (GoPay, OVO, DANA, m-banking)"),
    ("bca_va", "BCA Virtual Account"),
    ("bni_va", "BNI Virtual Account"),
    ("bri_va", "BRI Virtual Account"),
    ("permata_va", "Permata Virtual Account"),
    ("echannel", "Mandiri Bill Payment"),
];

/// The hosted payment page at `redirect_url`.
#[handler]
pub async fn payment_page(Path(token): Path<String>, Data(fakes): Data<&Fakes>) -> Response {
    let Some(o) = fakes.midtrans.order_by_token(&token).await else {
        return Html("<h1>Transaksi tidak ditemukan</h1>")
            .with_status(StatusCode::NOT_FOUND)
            .into_response();
    };
    let o = lazily_expired(&fakes.midtrans, &o.order_id)
        .await
        .unwrap_or(o);
    let base = format!("/midtrans/snap/v3/redirection/{token}");
    let state = o.transaction_status.as_deref();
    let body = match state {
        None => {
            let buttons: String = METHODS
                .iter()
                .map(|(m, label)| {
                    format!(
                        r#"<form method="post" action="{base}/choose"><input type="hidden" name="method" value="{m}"><button id="m-{m}" type="submit">{label}</button></form>"#
                    )
                })
                .collect();
            format!("<h2>Pilih metode pembayaran</h2>{buttons}")
        }
        Some("pending") => {
            let how = match (o.payment_type.as_deref(), o.bank.as_deref()) {
                (Some("qris"), _) => format!(
                    r#"<p>Pindai kode QRIS ini dari HP lain:</p><pre id="qr">[QRIS {}]</pre>"#,
                    escape(&o.order_id)
                ),
                (Some("echannel"), _) => format!(
                    r#"<p>Kode perusahaan <b>70012</b>, kode bayar <b id="va">{}</b></p>"#,
                    va_number(&o.order_id, 12)
                ),
                (_, Some(bank)) => format!(
                    r#"<p>Transfer ke Virtual Account {} <b id="va">{}</b></p>"#,
                    bank.to_uppercase(),
                    va_number(&o.order_id, if bank == "permata" { 8 } else { 15 })
                ),
                _ => String::new(),
            };
            format!(
                r#"{how}<form method="post" action="{base}/pay"><button id="pay" type="submit">Bayar sekarang (simulasi)</button></form>
<form method="post" action="{base}/expire"><button id="expire" type="submit">Biarkan kedaluwarsa</button></form>"#
            )
        }
        Some("settlement") | Some("capture") => {
            r#"<h2 id="result">Pembayaran berhasil</h2>"#.to_owned()
        }
        Some(other) => format!(r#"<h2 id="result">Transaksi {}</h2>"#, escape(other)),
    };
    let finish = o
        .finish_url
        .as_deref()
        .map(|u| {
            format!(
                r#"<p><a id="back" href="{}?order_id={}&amp;status_code={}&amp;transaction_status={}">Kembali ke toko</a></p>"#,
                escape(u),
                escape(&o.order_id),
                status_code_of(state.unwrap_or("pending")),
                escape(state.unwrap_or("pending"))
            )
        })
        .unwrap_or_default();
    Html(format!(
        r#"<!DOCTYPE html><html lang="id"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Midtrans (sandbox)</title></head><body>
<p>Midtrans sandbox &mdash; {item}</p><h1 id="amount">{amount}</h1><p>Order <code>{order}</code></p>
{body}{finish}</body></html>"#,
        item = escape(&o.item_name),
        amount = shared_types::format_rupiah(o.gross_amount),
        order = escape(&o.order_id),
    ))
    .into_response()
}

#[derive(Deserialize)]
pub struct ChooseForm {
    method: String,
}

fn see_other(to: &str) -> Response {
    Response::builder()
        .status(StatusCode::SEE_OTHER)
        .header("Location", to)
        .finish()
}

#[handler]
pub async fn page_choose(
    Path(token): Path<String>,
    Form(f): Form<ChooseForm>,
    Data(fakes): Data<&Fakes>,
) -> Response {
    let m = &fakes.midtrans;
    let Some(o) = m.order_by_token(&token).await else {
        return StatusCode::NOT_FOUND.into_response();
    };
    if o.transaction_status.is_none() {
        m.choose(&o.order_id, &f.method, true).await;
    }
    see_other(&format!("/midtrans/snap/v3/redirection/{token}"))
}

async fn page_finish(token: &str, status: &str, fakes: &Fakes) -> Response {
    let m = &fakes.midtrans;
    let Some(o) = m.order_by_token(token).await else {
        return StatusCode::NOT_FOUND.into_response();
    };
    if o.transaction_status.as_deref() == Some("pending") {
        m.finish(&o.order_id, status, false).await;
    }
    see_other(&format!("/midtrans/snap/v3/redirection/{token}"))
}

#[handler]
pub async fn page_pay(Path(token): Path<String>, Data(fakes): Data<&Fakes>) -> Response {
    page_finish(&token, "settlement", fakes).await
}

#[handler]
pub async fn page_expire(Path(token): Path<String>, Data(fakes): Data<&Fakes>) -> Response {
    page_finish(&token, "expire", fakes).await
}

// ---- test hooks -----------------------------------------------------------------

#[handler]
pub async fn put_mode(Json(mode): Json<MidtransMode>, Data(fakes): Data<&Fakes>) -> StatusCode {
    fakes.midtrans.set_mode(mode).await;
    StatusCode::NO_CONTENT
}

#[handler]
pub async fn get_order(Path(id): Path<String>, Data(fakes): Data<&Fakes>) -> Response {
    match fakes.midtrans.order(&id).await {
        Some(o) => Json(o).into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

#[handler]
pub async fn get_deliveries(Data(fakes): Data<&Fakes>) -> Json<Vec<Delivery>> {
    Json(fakes.midtrans.deliveries().await)
}

/// Options of an order action.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Action {
    /// `choose`: the method (`qris`, `bca_va`, …).
    pub method: Option<String>,
    /// Change the state without notifying (a lost notification).
    pub silent: bool,
    /// `notify`: which status to send (default: the current one) and how many copies at once.
    pub transaction_status: Option<String>,
    pub copies: Option<u32>,
}

/// `POST /_sandbox/midtrans/orders/{order_id}/{choose|pay|expire|deny|cancel|refund|notify}`.
#[handler]
pub async fn order_action(
    Path((id, action)): Path<(String, String)>,
    body: Option<Json<Action>>,
    Data(fakes): Data<&Fakes>,
) -> Response {
    let m = &fakes.midtrans;
    let a = body.map(|b| b.0).unwrap_or_default();
    let done = match action.as_str() {
        "choose" => {
            m.choose(&id, a.method.as_deref().unwrap_or("qris"), !a.silent)
                .await
        }
        "pay" => m.finish(&id, "settlement", a.silent).await,
        "expire" | "deny" | "cancel" | "refund" => m.finish(&id, &action, a.silent).await,
        "notify" => match m.order(&id).await {
            Some(o) => {
                let st = a
                    .transaction_status
                    .or_else(|| o.transaction_status.clone())
                    .unwrap_or_else(|| "pending".into());
                for _ in 0..a.copies.unwrap_or(1).min(1000) {
                    m.notify(&o, &st).await;
                }
                Some(o)
            }
            None => None,
        },
        _ => return StatusCode::BAD_REQUEST.into_response(),
    };
    match done {
        Some(o) => Json(o).into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_written_in_wib() {
        assert_eq!(wib(0), "1970-01-01 07:00:00");
        // 2026-11-21 12:00:00 UTC
        assert_eq!(wib(1_795_262_400), "2026-11-21 19:00:00");
        assert_eq!(wib(951_782_400), "2000-02-29 07:00:00");
    }

    #[test]
    fn signature_matches_the_documented_vector_shape() {
        let s = signature("HS-20250101-0001", "200", "10000.00");
        assert_eq!(s.len(), 128);
        assert!(s
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
    }
}
