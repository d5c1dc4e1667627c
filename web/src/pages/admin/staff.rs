//! `/admin/staf`: staff and teachers — the list, adding one (a typed or a
//! generated first password, shown once), the eye button that reveals a
//! forgotten web password after the admin confirms their own (the API asks
//! for it again after 5 minutes), a reset that shows a new password once,
//! and each member's edit / access controls (`staff_edit`).

use leptos::{prelude::*, task::spawn_local};
use shared_types::{NewStaff, StaffView};

use super::{
    staff_edit::{RouterChoices, RouterSelect, StaffAccessActions, StaffEditForm},
    words::problem_text,
};
use crate::{
    api::{self, ApiError},
    components::{async_view::loaded_list, form::Field},
    i18n::{admin, say, staff, Lang},
    state::ctx,
    t,
};

/// A field problem of the staff forms in words.
pub(super) fn field_text(lang: Lang, code: &str) -> &'static str {
    say(
        lang,
        match code {
            "taken" => staff::TAKEN,
            "too_short" => staff::TOO_SHORT,
            "too_long" => staff::TOO_LONG,
            "too_simple" => staff::TOO_SIMPLE,
            "unknown" => staff::UNKNOWN_ROUTER,
            _ => staff::INVALID,
        },
    )
}

#[component]
pub fn AdminStaff() -> impl IntoView {
    let lang = ctx().lang;
    let list = LocalResource::new(api::list_staff);
    // Whether the admin must type their own password before a reveal.
    let confirming = RwSignal::new(None::<String>);
    // The reveal to run again once the admin has confirmed.
    let retry = RwSignal::new(None::<String>);
    // The enabled routers, from the overview every admin may read.
    let overview = LocalResource::new(api::overview);
    let choices: RouterChoices = Signal::derive(move || {
        overview
            .get()
            .and_then(Result::ok)
            .map(|o| {
                o.routers
                    .into_iter()
                    .map(|r| (r.router_id.to_string(), r.name))
                    .collect()
            })
            .unwrap_or_default()
    });
    let editing = RwSignal::new(None::<String>);
    let refetch = move || list.refetch();
    view! {
        <section class="card stack" aria-labelledby="staff-title">
            <h2 id="staff-title">{t!(lang, staff::STAFF)}</h2>
            {move || loaded_list(list.get(), "staff-list", staff::NO_STAFF,
                move |s| view! { <StaffLine s=s confirming=confirming retry=retry editing=editing choices=choices on_change=refetch/> }.into_any())}
        </section>
        {move || confirming.get().map(|id| view! { <ConfirmOwn id=id confirming=confirming retry=retry/> })}
        <super::staff_sync::StaffSyncPanel choices=choices on_change=refetch/>
        <AddStaff choices=choices on_saved=refetch/>
    }
}

#[component]
fn StaffLine(
    s: StaffView,
    confirming: RwSignal<Option<String>>,
    retry: RwSignal<Option<String>>,
    editing: RwSignal<Option<String>>,
    choices: RouterChoices,
    on_change: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let lang = ctx().lang;
    let id = StoredValue::new(s.id.to_string());
    let this = StoredValue::new(s.clone());
    let is_editing = move || editing.get().as_deref() == Some(id.get_value().as_str());
    let state_tag = if s.blocked {
        Some(crate::i18n::admin::STATUS_BLOCKED)
    } else if !s.active {
        Some(crate::i18n::admin::STATUS_INACTIVE)
    } else {
        None
    };
    let shown = RwSignal::new(None::<(bool, String)>);
    let error = RwSignal::new(None::<String>);
    let reveal = move || {
        spawn_local(async move {
            match api::reveal_staff_password(&id.get_value()).await {
                Ok(p) => shown.set(Some((false, p.password))),
                Err(e) if e.detail("reason").as_deref() == Some("confirm_password") => {
                    confirming.set(Some(id.get_value()))
                }
                Err(e) => error.set(Some(problem_text(lang.get_untracked(), &e))),
            }
        });
    };
    Effect::new(move |_| {
        if retry.get().as_deref() == Some(id.get_value().as_str()) {
            retry.set(None);
            reveal();
        }
    });
    let reset = move |_| {
        spawn_local(async move {
            match api::reset_staff_password(&id.get_value()).await {
                Ok(p) => shown.set(Some((true, p.password))),
                Err(e) => error.set(Some(problem_text(lang.get_untracked(), &e))),
            }
        });
    };
    view! {
        <li class="stack" data-staff=s.username.clone()>
            <div class="row spread">
                <strong>{s.name.clone()}" "{state_tag.map(|t| view! { <span class="tag warn">{t!(lang, t)}</span> })}</strong>
                <span class="mono">{s.username.clone()}</span>
            </div>
            <p class="muted">{s.operator_key.clone()}{s.router_name.clone().map(|r| format!(" · {r}"))}</p>
            <div class="row">
                <button type="button" class="reveal" on:click=move |_| reveal()
                    aria-label=move || say(lang.get(), staff::SHOW_PASSWORD)>
                    <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" class="icon">
                        <path d="M12 5C6.5 5 2.7 9.2 1.5 12c1.2 2.8 5 7 10.5 7s9.3-4.2 10.5-7C21.3 9.2 17.5 5 12 5zm0 11a4 4 0 1 1 0-8 4 4 0 0 1 0 8z" fill="currentColor"/>
                    </svg>
                    " "{t!(lang, staff::SHOW_PASSWORD)}</button>
                <button type="button" class="reset" on:click=reset>{t!(lang, staff::RESET_PASSWORD)}</button>
                <button type="button" class="edit-staff" aria-expanded=move || is_editing().to_string()
                    on:click=move |_| editing.set((!is_editing()).then(|| id.get_value()))>{t!(lang, crate::i18n::facility::EDIT)}</button>
                <StaffAccessActions s=s.clone() on_change=on_change/>
            </div>
            {move || is_editing().then(|| view! {
                <StaffEditForm s=this.get_value() choices=choices on_done=move |saved| {
                    editing.set(None);
                    if saved { on_change() }
                }/>
            })}
            {move || shown.get().map(|(once, p)| view! {
                <div class="notice ok row spread shown-password">
                    <span>{t!(lang, if once { staff::SHOWN_ONCE } else { staff::PASSWORD_IS })}" "
                        <strong class="mono password">{p}</strong></span>
                    <button type="button" on:click=move |_| shown.set(None)>{t!(lang, staff::HIDE)}</button>
                </div>
            })}
            <p class="status-bad" role="alert">{move || error.get()}</p>
        </li>
    }
}

/// The admin's own password, then the reveal that asked for it runs again.
#[component]
fn ConfirmOwn(
    id: String,
    confirming: RwSignal<Option<String>>,
    retry: RwSignal<Option<String>>,
) -> impl IntoView {
    let lang = ctx().lang;
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let id = StoredValue::new(id);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed = password.get_untracked();
        spawn_local(async move {
            let l = lang.get_untracked();
            match api::confirm_my_password(&typed).await {
                Ok(_) => {
                    password.set(String::new());
                    confirming.set(None);
                    retry.set(Some(id.get_value()));
                }
                Err(e) => error.set(Some(match e.field_codes().first() {
                    Some(_) => say(l, staff::WRONG_PASSWORD).into(),
                    None => problem_text(l, &e),
                })),
            }
        });
    };
    view! {
        <section class="card stack" aria-labelledby="confirm-title">
            <h3 id="confirm-title">{t!(lang, staff::CONFIRM_YOURS)}</h3>
            <form class="stack" id="confirm-own" on:submit=submit>
                <Field id="confirm-password" label=admin::PASSWORD value=password kind="password"
                    autocomplete="current-password" max_length=256/>
                <p class="status-bad" role="alert">{move || error.get()}</p>
                <div class="row">
                    <button class="primary" type="submit">{t!(lang, staff::CONFIRM)}</button>
                    <button type="button" on:click=move |_| confirming.set(None)>{t!(lang, crate::i18n::common::CANCEL)}</button>
                </div>
            </form>
        </section>
    }
}

#[component]
fn AddStaff(
    choices: RouterChoices,
    on_saved: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let lang = ctx().lang;
    let username = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let key = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let router = RwSignal::new(String::new());
    let errors: [RwSignal<Option<String>>; 5] = std::array::from_fn(|_| RwSignal::new(None));
    let [e_username, e_name, e_key, e_password, e_router] = errors;
    let error = RwSignal::new(None::<String>);
    let created = RwSignal::new(None::<(String, Option<String>)>);
    let busy = RwSignal::new(false);
    let show = move |l: Lang, e: &ApiError| {
        for f in errors {
            f.set(None);
        }
        for (field, code) in e.field_codes() {
            let target = match field.as_str() {
                "username" => e_username,
                "name" => e_name,
                "operator_key" => e_key,
                "password" => e_password,
                "router_id" => e_router,
                _ => continue,
            };
            target.set(Some(field_text(l, &code).into()));
        }
        error.set(Some(problem_text(l, e)));
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        created.set(None);
        let body = NewStaff {
            username: username.get_untracked().trim().to_lowercase(),
            name: name.get_untracked().trim().to_owned(),
            operator_key: key.get_untracked().trim().to_owned(),
            router_id: Some(router.get_untracked())
                .filter(|r| !r.is_empty())
                .map(Into::into),
            password: Some(password.get_untracked()).filter(|p| !p.is_empty()),
        };
        spawn_local(async move {
            let l = lang.get_untracked();
            match api::create_staff(&body).await {
                Ok(c) => {
                    for f in errors {
                        f.set(None);
                    }
                    error.set(None);
                    created.set(Some((c.staff.username.clone(), c.password)));
                    for s in [username, name, key, password] {
                        s.set(String::new());
                    }
                    on_saved();
                }
                Err(e) => show(l, &e),
            }
            busy.set(false);
        });
    };
    view! {
        <section class="card stack" aria-labelledby="add-staff-title">
            <h3 id="add-staff-title">{t!(lang, staff::ADD_STAFF)}</h3>
            <form class="stack" id="staff-form" on:submit=submit>
                <Field id="staff-username" label=admin::USERNAME value=username max_length=32 error=e_username/>
                <Field id="staff-name" label=staff::FULL_NAME value=name max_length=100 error=e_name/>
                <Field id="staff-key" label=staff::OPERATOR_KEY value=key max_length=64 error=e_key/>
                <Field id="staff-password" label=staff::FIRST_PASSWORD value=password kind="password"
                    autocomplete="new-password" max_length=128 required=false error=e_password/>
                {move || (choices.get().len() > 1).then(|| view! {
                    <RouterSelect id="staff-router" value=router choices=choices default_label=staff::DEFAULT_ROUTER/>
                    <p class="status-bad field-error" role="alert">{move || e_router.get()}</p>
                })}
                <p class="status-bad" role="alert">{move || error.get()}</p>
                {move || created.get().map(|(user, pw)| view! {
                    <p class="notice ok" id="staff-created">{user}
                        {pw.map(|p| view! { " — "{t!(lang, staff::SHOWN_ONCE)}" "<strong class="mono password">{p}</strong> })}
                    </p>
                })}
                <button class="primary" type="submit" id="staff-save" disabled=move || busy.get()>{t!(lang, admin::SAVE)}</button>
            </form>
        </section>
    }
}
