//! `/captive?ip=…&mac=…&link-login-only=…&dst=…`: where the router's
//! `login.html` sends a phone. This page is its own small bundle (`portal`),
//! so the captive pop-up loads only the login flow; the dashboard is the
//! other bundle, loaded after the router login sends the phone to `/`.

use leptos::prelude::*;

use crate::{
    components::{connect::ConnectCard, header::Header, login::Login},
    i18n::portal,
    pages::home::{Loading, Unavailable},
    routes::Page,
    state::{ctx, query_param, Ctx, RouterContext},
    t,
};

/// Takes the router's redirect parameters into memory and off the address bar.
fn take_router_context(c: Ctx) {
    let r = RouterContext {
        ip: query_param("ip"),
        mac: query_param("mac").map(|m| m.to_ascii_uppercase()),
        link_login_only: query_param("link-login-only"),
        dst: query_param("dst"),
    };
    if r.from_router() {
        c.router.set(r);
        // The MAC stays out of history, bookmarks and shared links.
        let _ = window().history().map(|h| {
            h.replace_state_with_url(
                &wasm_bindgen::JsValue::NULL,
                "",
                Some(&Page::Captive.path()),
            )
        });
    }
}

/// The captive entry: login, or — when the pop-up was reopened by someone
/// already logged in — connect this device from the server.
#[component]
pub fn CaptiveEntry() -> impl IntoView {
    let c = ctx();
    let lang = c.lang;
    take_router_context(c);
    // Decided once, on arrival: a login on this page must not swap the login
    // flow (and its hidden router form) for the welcome-back view.
    let returning = RwSignal::new(None::<bool>);
    leptos::task::spawn_local(async move {
        let account = match c.account.get_untracked() {
            Some(a) => a,
            None => c.load_account().await,
        };
        returning.set(Some(account.is_some()));
    });
    view! {
        {move || match (returning.get(), c.portal.get()) {
            (Some(true), _) => {
                let a = c.account.get().flatten();
                let name = a.as_ref().map(|a| a.user.name.clone()).unwrap_or_default();
                let online = a.is_some_and(|a| a.status.status.allows_access());
                view! {
                    <div class="stack">
                        <section class="card stack" id="welcome-back">
                            <h2>{t!(lang, portal::YOU_ARE_SIGNED_IN)}</h2>
                            <p>{name}</p>
                            <a class="button" href=Page::Home.path()>{t!(lang, portal::SEE_MY_QUOTA)}</a>
                        </section>
                        {online.then(|| view! { <ConnectCard/> })}
                    </div>
                }.into_any()
            }
            (None, _) | (_, None) => view! { <Loading/> }.into_any(),
            (Some(false), Some(Ok(portal))) => view! {
                <Login portal=portal/>
            }.into_any(),
            (Some(false), Some(Err(e))) => view! { <Unavailable error=e/> }.into_any(),
        }}
    }
}

/// The root of the `portal` bundle.
#[component]
pub fn CaptiveApp() -> impl IntoView {
    Ctx::start();
    view! {
        <Header/>
        <main><CaptiveEntry/></main>
    }
}
