use leptos::prelude::*;
use leptos_router::{
    components::{Route, Router, Routes},
    path,
};

use crate::{
    components::header::Header,
    i18n::Lang,
    pages::{not_found::NotFound, status::StatusPage},
};

/// The application shell: language context, header and routes.
#[component]
pub fn App() -> impl IntoView {
    let lang = RwSignal::new(Lang::default());
    provide_context(lang);
    Effect::new(move |_| {
        if let Some(html) = document().document_element() {
            let _ = html.set_attribute("lang", lang.get().tag());
        }
    });
    view! {
        <Header lang=lang/>
        <Router>
            <main>
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=StatusPage/>
                </Routes>
            </main>
        </Router>
    }
}
