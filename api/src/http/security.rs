//! Baseline security headers from the API itself, so a deployment without
//! nginx is as safe as one with it: `nosniff`, no framing, no referrer, and
//! a Content-Security-Policy — `default-src 'none'` for API answers, and for
//! the SPA (when `http.spa_dir` is served) a policy that allows only this
//! origin, WebAssembly, the Turnstile script's origin and the hashes of the
//! inline loaders Trunk writes. API answers are never cached (`no-store`):
//! they are personal.

use std::path::Path;

use base64::{engine::general_purpose::STANDARD, Engine};
use poem::{
    http::{header, HeaderValue},
    Endpoint, IntoResponse, Middleware, Request, Response, Result,
};
use sha2::{Digest, Sha256};

/// The policy for API answers (JSON: nothing to load, nothing to frame).
const API_CSP: &str = "default-src 'none'; frame-ancestors 'none'";

pub struct SecurityHeaders {
    spa_csp: HeaderValue,
}

impl SecurityHeaders {
    /// `spa_dir`: the built SPA (its HTML files' inline scripts are hashed);
    /// `turnstile_script_url`: where the Turnstile widget comes from.
    pub fn new(spa_dir: Option<&Path>, turnstile_script_url: &str) -> Self {
        let policy = spa_policy(spa_dir, turnstile_script_url);
        Self {
            spa_csp: HeaderValue::from_str(&policy)
                .unwrap_or_else(|_| HeaderValue::from_static(API_CSP)),
        }
    }
}

/// `'sha256-…'` of every inline `<script>` in `html`.
fn inline_script_hashes(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let tag_end = match rest[start..].find('>') {
            Some(i) => start + i,
            None => break,
        };
        let tag = &rest[start..tag_end];
        let body_end = match rest[tag_end..].find("</script>") {
            Some(i) => tag_end + i,
            None => break,
        };
        if !tag.contains(" src=") {
            let digest = Sha256::digest(&rest.as_bytes()[tag_end + 1..body_end]);
            let h = format!("'sha256-{}'", STANDARD.encode(digest));
            if !out.contains(&h) {
                out.push(h);
            }
        }
        rest = &rest[body_end + "</script>".len()..];
    }
    out
}

fn origin_of(url: &str) -> Option<String> {
    let u = url::Url::parse(url).ok()?;
    Some(u.origin().ascii_serialization()).filter(|o| o != "null")
}

fn spa_policy(spa_dir: Option<&Path>, turnstile_script_url: &str) -> String {
    let mut hashes = Vec::new();
    if let Some(dir) = spa_dir {
        for html in [
            dir.join("index.html"),
            dir.join("captive").join("index.html"),
            dir.join("admin").join("index.html"),
        ] {
            if let Ok(text) = std::fs::read_to_string(html) {
                for h in inline_script_hashes(&text) {
                    if !hashes.contains(&h) {
                        hashes.push(h);
                    }
                }
            }
        }
    }
    let turnstile = origin_of(turnstile_script_url).unwrap_or_default();
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' {} {turnstile}; \
         frame-src {turnstile}; connect-src 'self' {turnstile}; img-src 'self' data:; \
         style-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; \
         form-action 'self' http: https:; frame-ancestors 'none'",
        hashes.join(" ")
    )
}

impl<E: Endpoint> Middleware<E> for SecurityHeaders {
    type Output = SecurityHeadersEndpoint<E>;

    fn transform(&self, ep: E) -> Self::Output {
        SecurityHeadersEndpoint {
            inner: ep,
            spa_csp: self.spa_csp.clone(),
        }
    }
}

pub struct SecurityHeadersEndpoint<E> {
    inner: E,
    spa_csp: HeaderValue,
}

impl<E: Endpoint> Endpoint for SecurityHeadersEndpoint<E> {
    type Output = Response;

    async fn call(&self, req: Request) -> Result<Self::Output> {
        let api = req.uri().path().starts_with("/api/");
        let docs = req.uri().path().starts_with("/api/docs");
        let mut resp = match self.inner.call(req).await {
            Ok(r) => r.into_response(),
            Err(e) => e.into_response(),
        };
        let h = resp.headers_mut();
        h.insert(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        );
        h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
        h.insert(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        );
        if api {
            if !h.contains_key(header::CACHE_CONTROL) {
                h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            }
            // The interactive docs load their own scripts and styles.
            if !docs {
                h.insert(
                    header::CONTENT_SECURITY_POLICY,
                    HeaderValue::from_static(API_CSP),
                );
            }
        } else {
            h.insert(header::CONTENT_SECURITY_POLICY, self.spa_csp.clone());
        }
        Ok(resp)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_inline_scripts_are_hashed_and_the_turnstile_origin_is_allowed() {
        let html = r#"<script type="module">import init from './a.js';init();</script>
            <script src="/x.js"></script><script>1</script>"#;
        let hashes = inline_script_hashes(html);
        assert_eq!(hashes.len(), 2);
        let expected = STANDARD.encode(Sha256::digest(b"import init from './a.js';init();"));
        assert_eq!(hashes[0], format!("'sha256-{expected}'"));
        let policy = spa_policy(
            None,
            "https://challenges.cloudflare.com/turnstile/v0/api.js",
        );
        assert!(policy.contains("frame-src https://challenges.cloudflare.com;"));
        assert!(policy.contains("'wasm-unsafe-eval'"));
        assert!(!policy.contains("unsafe-inline"));
    }
}
