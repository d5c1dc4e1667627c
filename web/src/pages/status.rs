use leptos::prelude::*;
use shared_types::{CheckStatus, Readiness};

use crate::{
    api,
    i18n::{error_text, Lang},
};

/// Shows whether the service and its dependencies are ready.
#[component]
pub fn StatusPage() -> impl IntoView {
    let lang = crate::state::ctx().lang;
    let health = LocalResource::new(api::health);
    view! {
        <section class="card" aria-live="polite" aria-busy=move || health.get().is_none().to_string()>
            <h2>{move || lang.get().t().status_title}</h2>
            {move || match health.get() {
                None => view! { <p class="muted">{lang.get().t().checking}</p> }.into_any(),
                Some(Ok(r)) => view! { <Readiness readiness=r lang=lang/> }.into_any(),
                Some(Err(e)) => view! {
                    <p class="status-bad" role="alert">{error_text(lang.get(), e.code())}</p>
                }.into_any(),
            }}
            <button type="button" on:click=move |_| health.refetch()>
                {move || lang.get().t().retry}
            </button>
        </section>
    }
}

#[component]
fn Readiness(readiness: Readiness, lang: RwSignal<Lang>) -> impl IntoView {
    let ready = readiness.is_ready();
    let version = readiness.version.clone();
    let checks = readiness.checks.clone();
    view! {
        <p id="readiness" class=if ready { "status-ok" } else { "status-bad" } data-ready=ready.to_string()>
            {move || if ready { lang.get().t().ready } else { lang.get().t().not_ready }}
        </p>
        <ul class="checks">
            {checks.into_iter().map(|c| {
                let up = c.status == CheckStatus::Ok;
                view! {
                    <li data-dependency=c.name.clone()>
                        <span>{c.name.clone()}</span>
                        <span class=if up { "status-ok" } else { "status-bad" }>
                            {move || if up { lang.get().t().dependency_up } else { lang.get().t().dependency_down }}
                        </span>
                    </li>
                }
            }).collect_view()}
        </ul>
        <p class="muted">{move || lang.get().t().version}" "{version.clone()}</p>
    }
}
