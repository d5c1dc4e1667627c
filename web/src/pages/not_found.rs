use leptos::prelude::*;

#[component]
pub fn NotFound() -> impl IntoView {
    let lang = crate::state::ctx().lang;
    view! {
        <section class="card">
            <h2>{move || lang.get().t().not_found_title}</h2>
            <p>{move || lang.get().t().not_found_body}</p>
            <a href="/">{move || lang.get().t().back_home}</a>
        </section>
    }
}
