//! One staff member's own controls on the staff screen: edit the details
//! (username, name, operator key, router — a new key is written to the
//! router account's comment by the API), deactivate or activate, unblock,
//! and delete (super admins; their hotspot account leaves the router too).

use leptos::{prelude::*, task::spawn_local};
use shared_types::{Role, StaffEdit, StaffView};

use super::{staff::field_text, words::problem_text};
use crate::{
    api::{self, ApiError},
    components::form::Field,
    i18n::{admin, common, say, staff},
    state::ctx,
    t,
};

/// Routers to choose from: (id, name).
pub type RouterChoices = Signal<Vec<(String, String)>>;

/// A `<select>` of routers bound to `value` (a router id); `default_label`
/// adds a first option with an empty value.
#[component]
pub fn RouterSelect(
    id: &'static str,
    value: RwSignal<String>,
    choices: RouterChoices,
    #[prop(optional)] default_label: Option<(&'static str, &'static str)>,
) -> impl IntoView {
    let lang = ctx().lang;
    view! {
        <div class="stack field">
            <label for=id>{t!(lang, staff::ROUTER)}</label>
            <select id=id name=id on:change=move |ev| value.set(event_target_value(&ev))>
                {default_label.map(|l| view! {
                    <option value="" selected=move || value.get().is_empty()>{t!(lang, l)}</option>
                })}
                {move || choices.get().into_iter().map(|(rid, name)| {
                    let chosen = rid.clone();
                    view! { <option value=rid selected=move || value.get() == chosen>{name}</option> }
                }).collect_view()}
            </select>
        </div>
    }
}

/// The edit form of one staff member; `on_done` after a save or cancel.
#[component]
pub fn StaffEditForm(
    s: StaffView,
    choices: RouterChoices,
    on_done: impl Fn(bool) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let lang = ctx().lang;
    let id = StoredValue::new(s.id.to_string());
    let username = RwSignal::new(s.username.clone());
    let name = RwSignal::new(s.name.clone());
    let key = RwSignal::new(s.operator_key.clone());
    let router = RwSignal::new(s.router_id.map(|r| r.to_string()).unwrap_or_default());
    let errors: [RwSignal<Option<String>>; 4] = std::array::from_fn(|_| RwSignal::new(None));
    let [e_username, e_name, e_key, e_router] = errors;
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let show = move |e: &ApiError| {
        let l = lang.get_untracked();
        for f in errors {
            f.set(None);
        }
        for (field, code) in e.field_codes() {
            let target = match field.as_str() {
                "username" => e_username,
                "name" => e_name,
                "operator_key" => e_key,
                "router_id" => e_router,
                _ => continue,
            };
            target.set(Some(field_text(l, &code).into()));
        }
        error.set(Some(match e.detail("account") {
            Some(account) => format!("{} {account}", say(l, staff::KEY_ON_OTHER_ACCOUNT)),
            None => problem_text(l, e),
        }));
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        let body = StaffEdit {
            username: username.get_untracked().trim().to_lowercase(),
            name: name.get_untracked().trim().to_owned(),
            operator_key: key.get_untracked().trim().to_owned(),
            router_id: router.get_untracked().into(),
        };
        spawn_local(async move {
            match api::edit_staff(&id.get_value(), &body).await {
                Ok(_) => on_done(true),
                Err(e) => show(&e),
            }
            busy.set(false);
        });
    };
    view! {
        <form class="stack staff-edit" id="staff-edit" on:submit=submit>
            <Field id="edit-staff-username" label=admin::USERNAME value=username max_length=32 error=e_username/>
            <Field id="edit-staff-name" label=staff::FULL_NAME value=name max_length=100 error=e_name/>
            <Field id="edit-staff-key" label=staff::OPERATOR_KEY value=key max_length=64 error=e_key/>
            <RouterSelect id="edit-staff-router" value=router choices=choices/>
            <p class="status-bad field-error" role="alert">{move || e_router.get()}</p>
            <p class="muted">{t!(lang, staff::EDIT_NOTE)}</p>
            <p class="status-bad" role="alert">{move || error.get()}</p>
            <div class="row">
                <button class="primary" type="submit" id="staff-edit-save" disabled=move || busy.get()>{t!(lang, admin::SAVE)}</button>
                <button type="button" on:click=move |_| on_done(false)>{t!(lang, common::CANCEL)}</button>
            </div>
        </form>
    }
}

/// Deactivate / activate / unblock and delete (super admins) for one staff member.
#[component]
pub fn StaffAccessActions(
    s: StaffView,
    on_change: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let c = ctx();
    let lang = c.lang;
    let id = StoredValue::new(s.id.to_string());
    let name = StoredValue::new(s.name.clone());
    let deleting = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let me_super = move || {
        c.account
            .get()
            .flatten()
            .is_some_and(|a| a.user.role == Role::SuperAdmin)
    };
    let after = move |r: Result<(), ApiError>| match r {
        Ok(()) => {
            error.set(None);
            on_change();
        }
        Err(e) => error.set(Some(problem_text(lang.get_untracked(), &e))),
    };
    let (active, blocked) = (s.active, s.blocked);
    let toggle = move |_| {
        spawn_local(async move {
            let id = id.get_value();
            let r = if blocked {
                api::unblock_user(&id).await.map(drop)
            } else if active {
                api::deactivate_user(&id).await.map(drop)
            } else {
                api::activate_user(&id).await.map(drop)
            };
            after(r);
        });
    };
    let delete = move |_| {
        spawn_local(async move {
            after(api::delete_user(&id.get_value()).await.map(drop));
        });
    };
    let toggle_text = if blocked {
        admin::UNBLOCK
    } else if active {
        admin::DEACTIVATE
    } else {
        admin::ACTIVATE
    };
    view! {
        <button type="button" class="toggle-access" on:click=toggle>{t!(lang, toggle_text)}</button>
        {move || me_super().then(|| view! {
            <button type="button" class="danger delete-staff" on:click=move |_| deleting.set(true)>{t!(lang, admin::DELETE)}</button>
        })}
        {move || deleting.get().then(|| view! {
            <div class="notice warn stack delete-confirm" role="alertdialog">
                <p>{move || format!("{} {}", name.get_value(), say(lang.get(), staff::DELETE_WARNING))}</p>
                <div class="row">
                    <button type="button" class="danger confirm-delete" on:click=delete>{t!(lang, admin::DELETE_FOREVER)}</button>
                    <button type="button" on:click=move |_| deleting.set(false)>{t!(lang, common::CANCEL)}</button>
                </div>
            </div>
        })}
        <p class="status-bad" role="alert">{move || error.get()}</p>
    }
}
