//! Registrations waiting for review (`/admin/pendaftaran`, and under the
//! overview on the admin home), approved or rejected (with a reason for the
//! record) in place.

use leptos::{prelude::*, task::spawn_local};
use shared_types::Registration;

use super::words::role_text;
use crate::{
    api,
    components::{async_view::loaded_list, confirm::Confirm, format::date_time},
    i18n::admin,
    i18n::error_text,
    state::ctx,
    t,
};

#[component]
pub fn AdminRegistrations() -> impl IntoView {
    let lang = ctx().lang;
    let pending = LocalResource::new(api::pending_registrations);
    let error = RwSignal::new(None::<String>);
    view! {
        <section class="card stack" aria-labelledby="registrations-title">
            <h2 id="registrations-title">{t!(lang, admin::REGISTRATIONS_WAITING)}</h2>
            {move || loaded_list(
                    pending.get(),
                    "registrations",
                    admin::NO_REGISTRATIONS_ARE_WAITING,
                    move |r| view! { <RegistrationRow r=r on_done=move || pending.refetch() error=error/> }.into_any(),
                )}
            <p class="status-bad" role="alert">{move || error.get()}</p>
        </section>
    }
}

#[component]
fn RegistrationRow(
    r: Registration,
    on_done: impl Fn() + Copy + Send + Sync + 'static,
    error: RwSignal<Option<String>>,
) -> impl IntoView {
    let lang = ctx().lang;
    let rejecting = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    let id = StoredValue::new(r.id.to_string());
    let run = move |reject: bool| {
        let id = id.get_value();
        let why = reason.get_untracked();
        spawn_local(async move {
            let done = if reject {
                api::reject_registration(&id, why.trim()).await
            } else {
                api::approve_registration(&id).await
            };
            match done {
                Ok(_) => on_done(),
                Err(e) => error.set(Some(error_text(lang.get_untracked(), e.code()).into())),
            }
        });
    };
    let place = match (&r.blok, &r.kamar, &r.tamping_type) {
        (Some(b), Some(k), _) => format!("Blok {b} · Kamar {k}"),
        (_, _, Some(t)) => format!("Tamping {t}"),
        _ => String::new(),
    };
    let created = r.created_at.to_string();
    view! {
        <li class="stack" data-registration=r.phone.clone()>
            <div class="row spread">
                <strong>{r.name.clone()}</strong>
                <span class="tag">{t!(lang, role_text(r.role))}</span>
            </div>
            <p class="muted">{shared_types::phone::local_form(&r.phone)}" "{place}" · "{move || date_time(lang.get(), &created)}</p>
            <div class="row">
                <button type="button" class="primary" on:click=move |_| run(false)>{t!(lang, admin::APPROVE)}</button>
                <button type="button" class="danger" on:click=move |_| rejecting.set(true)>{t!(lang, admin::REJECT)}</button>
            </div>
            <Confirm open=rejecting question=admin::REJECT_THIS_REGISTRATION
                action=admin::REJECT reason=reason danger=true on_confirm=move || run(true)/>
        </li>
    }
}
