//! A small W3C WebDriver client (chromedriver + Debian's Chromium) for the
//! browser tests: sessions, navigation, elements, script, screenshots.
//! Waiting is polling for a condition with a deadline, never a fixed sleep.

use std::{
    net::TcpListener,
    path::PathBuf,
    process::Stdio,
    time::{Duration, Instant},
};

use serde_json::{json, Value};
use tokio::process::{Child, Command};

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";
/// A phone-sized viewport (a common cheap Android).
pub const PHONE: (u32, u32) = (360, 740);
/// The laptop window (CSS pixels).
pub const LAPTOP: (u32, u32) = (1280, 800);

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn find(candidates: &[&str]) -> Option<PathBuf> {
    candidates.iter().map(PathBuf::from).find(|p| p.is_file())
}

/// chromedriver plus one headless Chromium session with a phone viewport.
pub struct Browser {
    http: reqwest::Client,
    base: String,
    _driver: Child,
    _profile: tempdir::Dir,
}

mod tempdir {
    /// A directory removed on drop.
    pub struct Dir(pub std::path::PathBuf);
    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

impl Browser {
    /// A phone: 360 × 740, touch, a cheap Android's user agent.
    pub async fn start() -> Browser {
        Self::start_as(json!({
            "deviceMetrics": {"width": PHONE.0, "height": PHONE.1, "pixelRatio": 2.0, "mobile": true, "touch": true},
            "userAgent": "Mozilla/5.0 (Linux; Android 11; SM-A022F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36"
        }))
        .await
    }

    /// A laptop: 1280 × 800, no touch.
    pub async fn start_laptop() -> Browser {
        Self::start_as(json!({
            "deviceMetrics": {"width": LAPTOP.0, "height": LAPTOP.1, "pixelRatio": 1.0, "mobile": false, "touch": false}
        }))
        .await
    }

    async fn start_as(emulation: Value) -> Browser {
        let driver = find(&["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"])
            .expect("chromedriver not found: apt-get install chromium chromium-driver (scripts/test.sh installs it)");
        let chromium = find(&["/usr/bin/chromium", "/usr/lib/chromium/chromium"])
            .expect("chromium not found: apt-get install chromium chromium-driver");
        let port = free_port();
        let child = Command::new(driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("chromedriver starts");
        let http = reqwest::Client::new();
        let base = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let ready = http
                .get(format!("{base}/status"))
                .send()
                .await
                .ok()
                .and_then(|r| r.status().is_success().then_some(()))
                .is_some();
            if ready {
                break;
            }
            assert!(Instant::now() < deadline, "chromedriver did not start");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let profile = std::env::temp_dir().join(format!(
            "gerbang-chromium-{}",
            uuid::Uuid::now_v7().simple()
        ));
        std::fs::create_dir_all(&profile).unwrap();
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chromium,
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--disable-dev-shm-usage",
                    format!("--user-data-dir={}", profile.display()),
                ],
                "mobileEmulation": emulation
            }
        }}});
        let resp: Value = http
            .post(format!("{base}/session"))
            .json(&caps)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let id = resp["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no WebDriver session: {resp}"))
            .to_owned();
        Browser {
            http,
            base: format!("{base}/session/{id}"),
            _driver: child,
            _profile: tempdir::Dir(profile),
        }
    }

    async fn cmd(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let mut req = self.http.request(method, format!("{}{path}", self.base));
        if let Some(b) = body {
            req = req.json(&b);
        }
        let v: Value = req.send().await.unwrap().json().await.unwrap();
        v["value"].clone()
    }

    async fn post(&self, path: &str, body: Value) -> Value {
        self.cmd(reqwest::Method::POST, path, Some(body)).await
    }

    pub async fn goto(&self, url: &str) {
        let v = self.post("/url", json!({ "url": url })).await;
        assert!(v.is_null(), "navigation to {url} failed: {v}");
    }

    pub async fn url(&self) -> String {
        self.cmd(reqwest::Method::GET, "/url", None)
            .await
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// Runs `script` (a function body) and returns its value.
    pub async fn js(&self, script: &str) -> Value {
        self.post("/execute/sync", json!({ "script": script, "args": [] }))
            .await
    }

    /// Runs `script` (a function body whose last argument is a callback)
    /// and returns what it passes to the callback.
    pub async fn js_async(&self, script: &str) -> Value {
        self.post("/execute/async", json!({ "script": script, "args": [] }))
            .await
    }

    async fn element(&self, css: &str) -> Option<String> {
        let v = self
            .post("/element", json!({"using": "css selector", "value": css}))
            .await;
        v[ELEMENT].as_str().map(str::to_owned)
    }

    /// Waits until `check` returns `Some`, up to `secs` seconds.
    pub async fn until<T, F, Fut>(&self, what: &str, secs: u64, mut check: F) -> T
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = Option<T>>,
    {
        let deadline = Instant::now() + Duration::from_secs(secs);
        loop {
            if let Some(v) = check().await {
                return v;
            }
            if Instant::now() > deadline {
                let url = self.url().await;
                let body = self
                    .js("return document.body ? document.body.innerText : ''")
                    .await;
                panic!("timed out waiting for {what} at {url}; page text: {body}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits for an element to exist and returns its id.
    pub async fn wait_for(&self, css: &str) -> String {
        self.until(css, 20, || self.element(css)).await
    }

    /// Waits for a visible, enabled element and clicks it.
    pub async fn click(&self, css: &str) {
        let sel = serde_json::to_string(css).unwrap();
        self.until(&format!("{css} to be clickable"), 20, || async {
            let ok = self
                .js(&format!(
                    "const e = document.querySelector({sel}); return !!e && !e.disabled && e.offsetParent !== null;"
                ))
                .await;
            (ok == Value::Bool(true)).then_some(())
        })
        .await;
        let id = self.wait_for(css).await;
        let v = self.post(&format!("/element/{id}/click"), json!({})).await;
        assert!(v.is_null(), "click on {css}: {v}");
    }

    /// Types into a field (as key events, so input handlers run).
    pub async fn type_into(&self, css: &str, text: &str) {
        let id = self.wait_for(css).await;
        let v = self
            .post(&format!("/element/{id}/value"), json!({ "text": text }))
            .await;
        assert!(v.is_null(), "typing into {css}: {v}");
    }

    /// Waits until the element's text contains `needle`; returns the text.
    pub async fn wait_text(&self, css: &str, needle: &str) -> String {
        let sel = serde_json::to_string(css).unwrap();
        self.until(&format!("{css} to contain {needle:?}"), 20, || async {
            let t = self
                .js(&format!(
                    "const e = document.querySelector({sel}); return e ? e.innerText : null;"
                ))
                .await;
            t.as_str().filter(|t| t.contains(needle)).map(str::to_owned)
        })
        .await
    }

    /// Waits until the address bar satisfies `pred`.
    pub async fn wait_url(&self, what: &str, pred: impl Fn(&str) -> bool) -> String {
        self.until(what, 20, || async {
            let u = self.url().await;
            pred(&u).then_some(u)
        })
        .await
    }

    /// A PNG screenshot of the viewport.
    pub async fn screenshot(&self) -> Vec<u8> {
        use base64::Engine;
        let v = self.cmd(reqwest::Method::GET, "/screenshot", None).await;
        base64::engine::general_purpose::STANDARD
            .decode(v.as_str().expect("screenshot data"))
            .unwrap()
    }
}

impl Drop for Browser {
    /// Ends the session (Chromium exits with it); chromedriver is killed with
    /// its handle. Plain blocking HTTP, as drop cannot await.
    fn drop(&mut self) {
        use std::io::{Read, Write};
        let rest = self.base.trim_start_matches("http://");
        let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
        if let Ok(mut s) = std::net::TcpStream::connect(host) {
            let _ = s.set_read_timeout(Some(Duration::from_secs(10)));
            let _ = write!(
                s,
                "DELETE /{path} HTTP/1.1\r\nHost: {host}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
            let mut sink = Vec::new();
            let _ = s.read_to_end(&mut sink);
        }
    }
}
