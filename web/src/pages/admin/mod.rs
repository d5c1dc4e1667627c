//! The admin area: one guarded parent route (`/admin/…`). Signed-out
//! visitors get the admin login, signed-in non-admins a refusal; the pages
//! below render in the guard's `<Outlet/>`. The API enforces every right
//! again — the guard only decides what to show.

pub mod app;
pub mod audit;
pub mod login;
pub mod messages;
pub mod online;
pub mod overview;
pub mod packages;
pub mod people;
pub mod person;
pub mod person_forms;
pub mod person_lists;
pub mod registrations;
pub mod requests;
pub mod router_form;
pub mod routers;
pub mod settings;
pub mod staff;
pub mod staff_edit;
pub mod staff_sync;
pub mod transactions;
pub mod words;

use leptos::prelude::*;
use leptos_router::components::Outlet;

use crate::{
    i18n::admin, i18n::facility, i18n::money, i18n::say, pages::home::Loading, routes::Page,
    state::ctx, t,
};

#[component]
pub fn AdminArea() -> impl IntoView {
    let c = ctx();
    let lang = c.lang;
    c.ensure_account();
    // Ends the session on the server, then shows the admin login again.
    let sign_out = move |_| {
        leptos::task::spawn_local(async move {
            let _ = crate::api::logout().await;
            c.account.set(Some(None));
        });
    };
    view! {
        {move || match c.account.get() {
            None => view! { <Loading/> }.into_any(),
            Some(None) => view! { <login::AdminLogin/> }.into_any(),
            Some(Some(a)) if a.user.role.is_admin() => view! {
                <nav class="row spread admin-nav" aria-label=move || say(lang.get(), admin::ADMIN_MENU)>
                    <strong>{t!(lang, admin::ADMIN_DASHBOARD)}</strong>
                    <span class="row">
                        <span class="muted">{a.user.name.clone()}</span>
                        <button type="button" id="admin-logout" on:click=sign_out>{t!(lang, admin::SIGN_OUT)}</button>
                    </span>
                </nav>
                <nav class="row admin-tabs">
                    <a href=Page::Admin.path() id="nav-overview">{t!(lang, facility::OVERVIEW)}</a>
                    <a href=Page::AdminRegistrations.path() id="nav-registrations">{t!(lang, admin::REGISTRATIONS)}</a>
                    <a href=Page::AdminRequests.path() id="nav-requests">{t!(lang, crate::i18n::requests::QUEUE)}</a>
                    <a href=Page::AdminPeople.path() id="nav-people">{t!(lang, admin::PEOPLE)}</a>
                    <a href=Page::AdminOnline.path() id="nav-online">{t!(lang, admin::ONLINE_NOW)}</a>
                    <a href=Page::AdminTransactions.path() id="nav-transactions">{t!(lang, money::TRANSACTIONS)}</a>
                    <a href=Page::AdminPackages.path() id="nav-packages">{t!(lang, money::PACKAGES)}</a>
                    <a href=Page::AdminStaff.path() id="nav-staff">{t!(lang, crate::i18n::staff::STAFF)}</a>
                    <a href=Page::AdminMessages.path() id="nav-messages">{t!(lang, crate::i18n::messages::MESSAGES)}</a>
                    <a href=Page::AdminAudit.path() id="nav-audit">{t!(lang, admin::AUDIT_LOG)}</a>
                    {(a.user.role == shared_types::Role::SuperAdmin).then(|| view! {
                        <a href=Page::AdminRouters.path() id="nav-routers">{t!(lang, admin::ROUTERS)}</a>
                        <a href=Page::AdminSettings.path() id="nav-settings">{t!(lang, facility::SETTINGS)}</a>
                    })}
                </nav>
                <Outlet/>
            }.into_any(),
            Some(Some(_)) => view! {
                <section class="card stack" id="admin-refused">
                    <p class="status-bad" role="alert">{t!(lang, admin::THIS_PAGE_IS_FOR_ADMINS)}</p>
                    <a class="button" rel="external" href=Page::Home.path()>{t!(lang, admin::BACK_TO_THE_HOME_PAGE)}</a>
                </section>
            }.into_any(),
        }}
    }
}
