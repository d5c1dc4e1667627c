use leptos::prelude::*;

use crate::routes::Page;
use crate::state::ctx;

/// Top bar with the facility's name and the language toggle. In a bundle
/// that does not hold the home page (`external_home`), the name links out
/// with a full page load.
#[component]
pub fn Header(#[prop(optional)] external_home: bool) -> impl IntoView {
    let c = ctx();
    let lang = c.lang;
    let name = move || {
        c.portal
            .get()
            .and_then(|p| p.ok())
            .map(|p| p.facility_name)
            .unwrap_or_else(|| lang.get().t().app_name.to_owned())
    };
    view! {
        <header>
            <h1><a href=Page::Home.path() rel=external_home.then_some("external")>{name}</a></h1>
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
