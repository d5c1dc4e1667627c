//! `/`: the login flow for strangers, the dashboard for the logged-in.

use leptos::prelude::*;

use crate::{
    api::ApiError, components::login::Login, i18n::common, i18n::error_text,
    pages::dashboard::Dashboard, state::ctx, t,
};

#[component]
pub fn HomePage() -> impl IntoView {
    let c = ctx();
    c.ensure_account();
    view! {
        {move || match c.account.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Some(account)) if account.user.role == shared_types::Role::Staff => {
                view! { <crate::pages::staff::StaffEntry/> }.into_any()
            }
            Some(Some(account)) => view! { <Dashboard account=account/> }.into_any(),
            Some(None) => match c.portal.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Ok(portal)) => view! {
                    <Login portal=portal/>
                    <p class="center">
                        <a href=crate::routes::Page::Staff.path() id="to-staff">{t!(c.lang, crate::i18n::staff::STAFF_SIGN_IN_LINK)}</a>
                    </p>
                }.into_any(),
                Some(Err(e)) => view! { <Unavailable error=e/> }.into_any(),
            },
        }}
    }
}

#[component]
pub fn Loading() -> impl IntoView {
    let lang = ctx().lang;
    view! {
        <section class="card" aria-busy="true">
            <p class="muted">{t!(lang, common::LOADING)}</p>
        </section>
    }
}

#[component]
pub fn Unavailable(error: ApiError) -> impl IntoView {
    let lang = ctx().lang;
    let code = error.code();
    view! {
        <section class="card stack">
            <p class="status-bad" role="alert">{move || error_text(lang.get(), code)}</p>
            <button type="button" on:click=move |_| { let _ = window().location().reload(); }>
                {t!(lang, common::TRY_AGAIN)}
            </button>
        </section>
    }
}
