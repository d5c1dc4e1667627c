//! Midtrans (docs/integrations.md, Midtrans): Snap transactions, the Core API status
//! check, and the notification signature. The server key is used only for
//! Basic auth and the signature; it is never logged.

use std::time::Duration;

use base64::Engine;
use serde_json::{json, Value};
use sha2::{Digest, Sha512};
use subtle::ConstantTimeEq;

use crate::settings::{MidtransSettings, Secret};

#[derive(Debug, thiserror::Error)]
pub enum MidtransError {
    /// Down, slow, 5xx, or our key is refused (ops must act): retry later.
    #[error("payment gateway unavailable: {0}")]
    Unavailable(String),
    /// Midtrans refused the request (4xx other than auth) with these messages.
    #[error("payment gateway refused the request ({status}): {messages:?}")]
    Rejected { status: u16, messages: Vec<String> },
}

/// A created Snap transaction.
#[derive(Debug, Clone)]
pub struct SnapCreated {
    pub token: String,
    pub redirect_url: String,
}

/// What to sell: one item whose price is the gross amount.
#[derive(Debug, Clone)]
pub struct SnapOrder<'a> {
    pub order_id: &'a str,
    pub amount_idr: i64,
    pub item_id: &'a str,
    pub item_name: &'a str,
    pub customer_name: &'a str,
    pub customer_phone: Option<&'a str>,
    /// `yyyy-MM-dd HH:mm:ss Z`.
    pub start_time: String,
    pub expiry_minutes: u32,
    pub finish_url: String,
    pub custom_field1: String,
}

/// The four signed fields and the ones the state machine reads, as strings
/// exactly as received (numbers are formatted back).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fields {
    pub order_id: String,
    pub status_code: String,
    pub gross_amount: String,
    pub signature_key: String,
    pub transaction_status: Option<String>,
    pub fraud_status: Option<String>,
    pub transaction_id: Option<String>,
    pub payment_type: Option<String>,
    pub currency: Option<String>,
}

/// What a Midtrans state means for a purchase (docs/integrations.md, Midtrans: verdicts).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Paid,
    /// Still waiting (pending, a challenged capture, a pre-auth).
    Pending,
    Failed,
    Expired,
    Cancelled,
    /// Refunds, chargebacks: recorded, nothing changes automatically.
    Other,
}

/// The answer of the status API.
#[derive(Debug, Clone)]
pub enum StatusReply {
    /// Midtrans has no transaction yet (normal before a method is chosen).
    NotFound(Value),
    Found(Box<Fields>, Value),
}

fn text_of(v: &Value, key: &str) -> Option<String> {
    match v.get(key)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

impl Fields {
    /// Reads a notification or status body leniently: only the four signed
    /// fields are required (strings, or numbers formatted back).
    pub fn of(v: &Value) -> Option<Self> {
        Some(Self {
            order_id: text_of(v, "order_id")?,
            status_code: text_of(v, "status_code")?,
            gross_amount: text_of(v, "gross_amount")?,
            signature_key: text_of(v, "signature_key")?,
            transaction_status: text_of(v, "transaction_status"),
            fraud_status: text_of(v, "fraud_status"),
            transaction_id: text_of(v, "transaction_id"),
            payment_type: text_of(v, "payment_type"),
            currency: text_of(v, "currency"),
        })
    }

    /// Whether the signature was made with `server_key` over these exact strings.
    pub fn signed_with(&self, server_key: &Secret) -> bool {
        let expected = signature(
            &self.order_id,
            &self.status_code,
            &self.gross_amount,
            server_key.expose(),
        );
        expected
            .as_bytes()
            .ct_eq(self.signature_key.to_ascii_lowercase().as_bytes())
            .into()
    }

    /// The amount as whole Rupiah: `10000`, `10000.00` (no fractions).
    pub fn amount_idr(&self) -> Option<i64> {
        let (whole, frac) = match self.gross_amount.split_once('.') {
            Some((w, f)) => (w, f),
            None => (self.gross_amount.as_str(), ""),
        };
        if whole.is_empty()
            || !whole.bytes().all(|b| b.is_ascii_digit())
            || !frac.bytes().all(|b| b == b'0')
        {
            return None;
        }
        whole.parse().ok()
    }

    pub fn verdict(&self) -> Verdict {
        let fraud_ok = matches!(self.fraud_status.as_deref(), None | Some("accept"));
        match self.transaction_status.as_deref() {
            Some("settlement") if fraud_ok => Verdict::Paid,
            Some("capture") if fraud_ok => Verdict::Paid,
            Some("capture") if self.fraud_status.as_deref() == Some("challenge") => {
                Verdict::Pending
            }
            Some("capture") | Some("settlement") | Some("deny") | Some("failure") => {
                Verdict::Failed
            }
            Some("pending") | Some("authorize") => Verdict::Pending,
            Some("expire") => Verdict::Expired,
            Some("cancel") => Verdict::Cancelled,
            _ => Verdict::Other,
        }
    }
}

/// `hex(SHA512(order_id + status_code + gross_amount + server_key))`, lower case.
pub fn signature(
    order_id: &str,
    status_code: &str,
    gross_amount: &str,
    server_key: &str,
) -> String {
    let mut h = Sha512::new();
    for part in [order_id, status_code, gross_amount, server_key] {
        h.update(part.as_bytes());
    }
    crate::crypto::hex(&h.finalize())
}

#[derive(Clone)]
pub struct MidtransClient {
    http: reqwest::Client,
    snap_url: String,
    api_url: String,
    server_key: Secret,
    notification_url: Option<String>,
    enabled_payments: Vec<String>,
    timeout: Duration,
}

fn messages_of(body: &Value) -> Vec<String> {
    body.get("error_messages")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|m| m.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

impl MidtransClient {
    pub fn new(http: reqwest::Client, settings: &MidtransSettings) -> Self {
        Self {
            http,
            snap_url: settings.snap_url.trim_end_matches('/').to_owned(),
            api_url: settings.api_url.trim_end_matches('/').to_owned(),
            server_key: settings.server_key.clone(),
            notification_url: settings.notification_url.clone(),
            enabled_payments: settings.enabled_payments.clone(),
            timeout: Duration::from_millis(settings.timeout_ms),
        }
    }

    pub fn server_key(&self) -> &Secret {
        &self.server_key
    }

    fn authorization(&self) -> String {
        let b64 = base64::engine::general_purpose::STANDARD
            .encode(format!("{}:", self.server_key.expose()));
        format!("Basic {b64}")
    }

    fn request(&self, method: reqwest::Method, url: String) -> reqwest::RequestBuilder {
        self.http
            .request(method, url)
            .header(reqwest::header::ACCEPT, "application/json")
            .header(reqwest::header::AUTHORIZATION, self.authorization())
            .timeout(self.timeout)
    }

    async fn send(&self, req: reqwest::RequestBuilder) -> Result<(u16, Value), MidtransError> {
        let resp = req
            .send()
            .await
            .map_err(|e| MidtransError::Unavailable(e.without_url().to_string()))?;
        let status = resp.status().as_u16();
        let body = resp.json::<Value>().await.unwrap_or(Value::Null);
        if status == 401 || status >= 500 {
            return Err(MidtransError::Unavailable(format!(
                "HTTP {status}: {:?}",
                messages_of(&body)
            )));
        }
        Ok((status, body))
    }

    /// Creates a Snap transaction. Not idempotent at Midtrans: call once per order id.
    #[tracing::instrument(skip_all, fields(order_id = order.order_id))]
    pub async fn create(&self, order: &SnapOrder<'_>) -> Result<SnapCreated, MidtransError> {
        let mut customer = json!({ "first_name": order.customer_name });
        if let Some(p) = order.customer_phone {
            customer["phone"] = p.into();
        }
        let body = json!({
            "transaction_details": { "order_id": order.order_id, "gross_amount": order.amount_idr },
            "item_details": [{
                "id": order.item_id, "price": order.amount_idr, "quantity": 1, "name": order.item_name,
            }],
            "customer_details": customer,
            "expiry": {
                "start_time": order.start_time,
                "unit": "minutes",
                "duration": order.expiry_minutes,
            },
            "page_expiry": { "unit": "minutes", "duration": order.expiry_minutes.max(5) },
            "callbacks": { "finish": order.finish_url },
            "custom_field1": order.custom_field1,
        });
        let mut body = body;
        if !self.enabled_payments.is_empty() {
            body["enabled_payments"] = json!(self.enabled_payments);
        }
        let mut req = self
            .request(
                reqwest::Method::POST,
                format!("{}/transactions", self.snap_url),
            )
            .json(&body);
        if let Some(url) = &self.notification_url {
            req = req.header("X-Override-Notification", url);
        }
        let (status, reply) = self.send(req).await?;
        if status != 201 && status != 200 {
            return Err(MidtransError::Rejected {
                status,
                messages: messages_of(&reply),
            });
        }
        let token = reply.get("token").and_then(Value::as_str);
        let url = reply.get("redirect_url").and_then(Value::as_str);
        match (token, url) {
            (Some(t), Some(u)) => Ok(SnapCreated {
                token: t.to_owned(),
                redirect_url: u.to_owned(),
            }),
            _ => Err(MidtransError::Unavailable(
                "Snap answered without token or redirect_url".into(),
            )),
        }
    }

    /// `GET /v2/{order_id}/status`. Decides on the body's `status_code`
    /// (Midtrans answers an unknown order with HTTP 200 or 404 and body 404).
    #[tracing::instrument(skip_all, fields(order_id))]
    pub async fn status(&self, order_id: &str) -> Result<StatusReply, MidtransError> {
        let req = self.request(
            reqwest::Method::GET,
            format!("{}/{}/status", self.api_url, order_id),
        );
        let (http, body) = self.send(req).await?;
        let code = text_of(&body, "status_code").unwrap_or_default();
        if code == "404" {
            return Ok(StatusReply::NotFound(body));
        }
        if http >= 400 {
            return Err(MidtransError::Rejected {
                status: http,
                messages: vec![text_of(&body, "status_message").unwrap_or_default()],
            });
        }
        match Fields::of(&body) {
            Some(f) if f.signed_with(&self.server_key) => Ok(StatusReply::Found(Box::new(f), body)),
            Some(_) => Err(MidtransError::Unavailable(
                "status answer with a wrong signature".into(),
            )),
            // Other body codes ≥ 401 (except 407, which is signed) are errors.
            None => Err(MidtransError::Rejected {
                status: code.parse().unwrap_or(http),
                messages: vec![text_of(&body, "status_message").unwrap_or_default()],
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "SB-Mid-server-TESTKEY123";

    #[test]
    fn signature_matches_the_documented_vectors() {
        let cases = [
            ("200", "10000.00", "804bcbc838a1436f669f4c02875449f186a113d899acd154ecf81b6d53d487d6660e5eb6306b43002ca1696d940cc489c54e803235aae47a2957d63310801edb"),
            ("201", "10000.00", "739ee7b8678e6cf5c23100be5355a76c6e59fa46a9af7891a39e5736c7fc3b3e7cdb8a6cdeb302b95c68b38a721a4e6347a0192ff80a5bfc152021b6deb363cf"),
            ("407", "10000.00", "be3dc5a185d46dbe7de517200e9858b0ff8792b735f2346cb0acb4cab3b43d03a5d4c6eb6dbff0f3af598157a1095ee72817ccc799f89106adbdc65cda18cad3"),
            ("200", "10000", "bef17dae51bc5418af1a7ef5cf86ad2016b5d28355bfe0a292d9ee00acb58594340bb3668df1cd186750be822b854f682802f0b3e69a90129cc2102344db3db8"),
        ];
        for (code, amount, sig) in cases {
            assert_eq!(signature("HS-20250101-0001", code, amount, KEY), sig);
        }
    }

    #[test]
    fn the_basic_auth_header_matches_the_documented_vector() {
        let c = MidtransClient {
            http: reqwest::Client::new(),
            snap_url: String::new(),
            api_url: String::new(),
            server_key: Secret::new(KEY),
            notification_url: None,
            enabled_payments: Vec::new(),
            timeout: Duration::from_secs(1),
        };
        assert_eq!(
            c.authorization(),
            "Basic U0ItTWlkLXNlcnZlci1URVNUS0VZMTIzOg=="
        );
    }

    #[test]
    fn fields_are_read_as_strings_or_numbers_and_verified_exactly() {
        let body = json!({
            "order_id": "HS-20250101-0001", "status_code": "200", "gross_amount": "10000.00",
            "signature_key": signature("HS-20250101-0001", "200", "10000.00", KEY),
            "transaction_status": "settlement", "fraud_status": "accept", "currency": "IDR",
        });
        let f = Fields::of(&body).unwrap();
        assert!(f.signed_with(&Secret::new(KEY)));
        assert!(!f.signed_with(&Secret::new("SB-Mid-server-OTHER")));
        assert_eq!(f.amount_idr(), Some(10_000));
        assert_eq!(f.verdict(), Verdict::Paid);

        // A number is formatted back as received ("10000"), so the ".00" signature fails.
        let mut numeric = body.clone();
        numeric["gross_amount"] = json!(10000);
        numeric["status_code"] = json!(200);
        let f = Fields::of(&numeric).unwrap();
        assert_eq!(f.gross_amount, "10000");
        assert!(!f.signed_with(&Secret::new(KEY)));

        let mut missing = body.clone();
        missing.as_object_mut().unwrap().remove("signature_key");
        assert!(Fields::of(&missing).is_none());
    }

    #[test]
    fn amounts_and_verdicts() {
        let f = |amount: &str, status: &str, fraud: Option<&str>| Fields {
            order_id: "x".into(),
            status_code: "200".into(),
            gross_amount: amount.into(),
            signature_key: String::new(),
            transaction_status: Some(status.into()),
            fraud_status: fraud.map(Into::into),
            transaction_id: None,
            payment_type: None,
            currency: None,
        };
        assert_eq!(f("10000.50", "settlement", None).amount_idr(), None);
        assert_eq!(f("-5", "settlement", None).amount_idr(), None);
        assert_eq!(f("5539", "settlement", None).amount_idr(), Some(5539));
        assert_eq!(f("1", "settlement", None).verdict(), Verdict::Paid);
        assert_eq!(
            f("1", "settlement", Some("deny")).verdict(),
            Verdict::Failed
        );
        assert_eq!(
            f("1", "capture", Some("challenge")).verdict(),
            Verdict::Pending
        );
        assert_eq!(f("1", "deny", None).verdict(), Verdict::Failed);
        assert_eq!(f("1", "expire", None).verdict(), Verdict::Expired);
        assert_eq!(f("1", "cancel", None).verdict(), Verdict::Cancelled);
        assert_eq!(f("1", "refund", None).verdict(), Verdict::Other);
        assert_eq!(f("1", "pending", None).verdict(), Verdict::Pending);
    }
}
