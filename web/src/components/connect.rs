//! "Hubungkan perangkat ini": the server logs this session's device in
//! (`/ip/hotspot/active/login`) when the pop-up closed before the form was sent.

use leptos::{prelude::*, task::spawn_local};

use crate::{api, i18n::error_text, i18n::me, state::ctx, t};

/// "Hubungkan perangkat ini": the server logs this device in (pop-up closed before the form was sent).
#[component]
pub fn ConnectCard() -> impl IntoView {
    let lang = ctx().lang;
    let result = RwSignal::new(None::<Result<(), String>>);
    let busy = RwSignal::new(false);
    let connect = move |_| {
        busy.set(true);
        spawn_local(async move {
            let r = api::connect_current_device().await;
            busy.set(false);
            result
                .set(Some(r.map(|_| ()).map_err(|e| {
                    error_text(lang.get_untracked(), e.code()).into()
                })));
        });
    };
    view! {
        <section class="card stack">
            <p>{t!(lang, me::NO_INTERNET_ON_THIS_DEVICE)}</p>
            <button id="connect" type="button" disabled=move || busy.get() on:click=connect>
                {t!(lang, me::CONNECT_THIS_DEVICE)}
            </button>
            {move || result.get().map(|r| match r {
                Ok(()) => view! { <p class="status-ok" id="connect-ok">{t!(lang, me::CONNECTED)}</p> }.into_any(),
                Err(e) => view! { <p class="status-bad" role="alert">{e}</p> }.into_any(),
            })}
        </section>
    }
}
