//! `/buka#token=…`: the one-time link from the captive pop-up, opened in the
//! phone's main browser. The token travels in the fragment (never sent to a
//! server in a Referer or access log) and is removed from the address bar.

use leptos::{prelude::*, task::spawn_local};
use leptos_router::hooks::use_navigate;

use crate::{
    api,
    i18n::error_text,
    i18n::portal,
    routes::Page,
    state::{ctx, Account},
    t,
};

fn token_in(hash: &str) -> Option<String> {
    hash.trim_start_matches('#')
        .split('&')
        .find_map(|kv| kv.strip_prefix("token="))
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
}

#[component]
pub fn OpenLinkPage() -> impl IntoView {
    let c = ctx();
    let lang = c.lang;
    let error = RwSignal::new(None::<shared_types::ErrorCode>);
    let navigate = use_navigate();
    let hash = window().location().hash().unwrap_or_default();
    let _ = window().history().map(|h| {
        h.replace_state_with_url(
            &wasm_bindgen::JsValue::NULL,
            "",
            Some(&Page::OpenLink.path()),
        )
    });
    match token_in(&hash) {
        None => error.set(Some(shared_types::ErrorCode::Unauthorized)),
        Some(token) => spawn_local(async move {
            match api::consume_session_link(&token).await {
                Ok(r) => {
                    c.account.set(Some(Some(Account {
                        user: r.user,
                        status: r.status,
                    })));
                    navigate("/", Default::default());
                }
                Err(e) => error.set(Some(e.code())),
            }
        }),
    }
    view! {
        <section class="card stack" aria-live="polite">
            {move || match error.get() {
                None => view! { <p class="muted">{t!(lang, portal::OPENING_YOUR_ACCOUNT)}</p> }.into_any(),
                Some(code) => view! {
                    <h2>{t!(lang, portal::THE_LINK_DOES_NOT_WORK)}</h2>
                    <p role="alert">{t!(lang, portal::THE_LINK_WAS_ALREADY_USED)}</p>
                    <p class="muted">{move || error_text(lang.get(), code)}</p>
                    <a class="button primary" href="/">{t!(lang, portal::SIGN_IN_WITH_WHATSAPP)}</a>
                }.into_any(),
            }}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::token_in;

    #[test]
    fn the_token_comes_from_the_fragment() {
        assert_eq!(token_in("#token=abc123").as_deref(), Some("abc123"));
        assert_eq!(token_in("#x=1&token=t").as_deref(), Some("t"));
        assert_eq!(token_in("#token="), None);
        assert_eq!(token_in(""), None);
    }
}
