//! What the pages share: the router context of the captive flow (memory
//! only), the portal settings and the logged-in person.

use leptos::prelude::*;
use shared_types::{HotspotClient, PortalConfig, StatusView, UserView};

use crate::{api::ApiError, i18n::Lang};

/// The router's redirect parameters (`/captive?ip=…&mac=…&link-login-only=…&dst=…`).
/// Kept in memory for the flow only; nothing about the hotspot login is ever
/// written to browser storage.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RouterContext {
    pub ip: Option<String>,
    pub mac: Option<String>,
    pub link_login_only: Option<String>,
    pub dst: Option<String>,
}

impl RouterContext {
    /// Whether the page was opened by a hotspot redirect.
    pub fn from_router(&self) -> bool {
        self.mac.is_some() || self.ip.is_some()
    }

    /// What the verify call sends. After the router login the device comes
    /// back to the dashboard (`/?terhubung=1`) rather than to the OS's
    /// connectivity probe, so the person sees the quota and the browser link.
    pub fn client(&self, origin: &str) -> Option<HotspotClient> {
        self.from_router().then(|| HotspotClient {
            ip: self.ip.clone(),
            mac: self.mac.clone(),
            link_login_only: self.link_login_only.clone(),
            dst: Some(format!("{origin}/?terhubung=1")),
        })
    }
}

/// The logged-in person as the pages know it.
#[derive(Debug, Clone, PartialEq)]
pub struct Account {
    pub user: UserView,
    pub status: StatusView,
}

/// Shared state, provided once by the app.
#[derive(Clone, Copy)]
pub struct Ctx {
    pub lang: RwSignal<Lang>,
    pub router: RwSignal<RouterContext>,
    /// `None` until the first `GET /portal` answer.
    pub portal: RwSignal<Option<Result<PortalConfig, ApiError>>>,
    /// `None` = not known yet; `Some(None)` = not logged in.
    pub account: RwSignal<Option<Option<Account>>>,
}

impl Ctx {
    pub fn new() -> Self {
        Self {
            lang: RwSignal::new(Lang::default()),
            router: RwSignal::new(RouterContext::default()),
            portal: RwSignal::new(None),
            account: RwSignal::new(None),
        }
    }

    /// Creates the state, provides it to the tree, keeps `<html lang>` in step
    /// and loads the portal settings (with the router's `$(mac)` if the page
    /// was opened by a hotspot redirect).
    pub fn start() -> Self {
        let c = Self::new();
        provide_context(c);
        let lang = c.lang;
        Effect::new(move |_| {
            if let Some(html) = document().document_element() {
                let _ = html.set_attribute("lang", lang.get().tag());
            }
        });
        // A session that ended (revoked, or its refresh token reused or
        // expired) is known to be gone: the pages show the login again.
        let account = c.account;
        crate::api::on_session_ended(move || {
            account.set(Some(None));
            let here = window().location().pathname().unwrap_or_default();
            if !crate::routes::Page::shows_login(&here) {
                Self::go(&crate::routes::Page::Home.path());
            }
        });
        let mac = query_param("mac");
        leptos::task::spawn_local(async move {
            c.portal
                .set(Some(crate::api::portal_config(mac.as_deref()).await));
        });
        c
    }

    /// Goes to `path`: a full page load unless the page is already there (the
    /// portal bundle has no client-side router).
    pub fn go(path: &str) {
        let loc = window().location();
        if loc.pathname().ok().as_deref() != Some(path) {
            let _ = loc.assign(path);
        }
    }

    /// Loads the account once if no page has yet.
    pub fn ensure_account(self) {
        if self.account.get_untracked().is_none() {
            leptos::task::spawn_local(async move {
                self.load_account().await;
            });
        }
    }

    /// Asks the API who is logged in (and their status) and stores the answer.
    pub async fn load_account(self) -> Option<Account> {
        let account = match crate::api::me().await {
            Ok(user) => match crate::api::my_status().await {
                Ok(status) => Some(Account { user, status }),
                Err(_) => None,
            },
            Err(_) => None,
        };
        self.account.set(Some(account.clone()));
        account
    }
}

impl Default for Ctx {
    fn default() -> Self {
        Self::new()
    }
}

/// One parameter of the address bar's query.
pub fn query_param(name: &str) -> Option<String> {
    let search = window().location().search().ok()?;
    web_sys::UrlSearchParams::new_with_str(&search)
        .ok()?
        .get(name)
        .filter(|v| !v.is_empty())
}

/// The shared state (panics only if a page is mounted outside the app).
pub fn ctx() -> Ctx {
    use_context::<Ctx>().expect("app context")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_router_context_sends_the_device_and_comes_back_to_the_dashboard() {
        let none = RouterContext::default();
        assert!(none.client("https://wifi.test").is_none());
        let r = RouterContext {
            ip: Some("10.5.50.9".into()),
            mac: Some("AA:BB:CC:DD:EE:01".into()),
            link_login_only: Some("http://10.5.50.1/login".into()),
            dst: Some("http://captive.apple.com/hotspot-detect.html".into()),
        };
        let c = r.client("https://wifi.test").unwrap();
        assert_eq!(c.mac.as_deref(), Some("AA:BB:CC:DD:EE:01"));
        assert_eq!(c.ip.as_deref(), Some("10.5.50.9"));
        assert_eq!(c.dst.as_deref(), Some("https://wifi.test/?terhubung=1"));
    }
}
