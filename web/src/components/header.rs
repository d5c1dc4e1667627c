use leptos::prelude::*;

use crate::i18n::Lang;

/// Top bar with the app name and the language toggle.
#[component]
pub fn Header(lang: RwSignal<Lang>) -> impl IntoView {
    view! {
        <header>
            <h1>{move || lang.get().t().app_name}</h1>
            <button
                type="button"
                lang=move || lang.get().other().tag()
                on:click=move |_| lang.update(|l| *l = l.other())
            >
                {move || lang.get().t().switch_language}
            </button>
        </header>
    }
}
