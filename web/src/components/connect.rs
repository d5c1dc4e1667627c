//! "Hubungkan perangkat ini", for when the pop-up closed before the form was
//! sent: the server logs a device it has seen log in before back in; any
//! other device gets the login form to post from this browser.

use leptos::{prelude::*, task::spawn_local};

use shared_types::Connected;

use crate::{api, components::handoff::Handoff, i18n::error_text, i18n::me, state::ctx, t};

/// "Hubungkan perangkat ini": the server logs this device in (pop-up closed before the form was sent).
#[component]
pub fn ConnectCard() -> impl IntoView {
    let lang = ctx().lang;
    let result = RwSignal::new(None::<Result<Connected, String>>);
    let busy = RwSignal::new(false);
    let connect = move |_| {
        busy.set(true);
        spawn_local(async move {
            let r = api::connect_current_device().await;
            busy.set(false);
            result.set(Some(
                r.map_err(|e| error_text(lang.get_untracked(), e.code()).into()),
            ));
        });
    };
    view! {
        <section class="card stack">
            <p>{t!(lang, me::NO_INTERNET_ON_THIS_DEVICE)}</p>
            <button id="connect" type="button" disabled=move || busy.get() on:click=connect>
                {t!(lang, me::CONNECT_THIS_DEVICE)}
            </button>
            {move || result.get().map(|r| match r {
                Ok(Connected { login_form: Some(form), .. }) => view! { <Handoff handoff=form/> }.into_any(),
                Ok(_) => view! { <p class="status-ok" id="connect-ok">{t!(lang, me::CONNECTED)}</p> }.into_any(),
                Err(e) => view! { <p class="status-bad" role="alert">{e}</p> }.into_any(),
            })}
        </section>
    }
}
