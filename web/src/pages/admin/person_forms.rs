//! What an admin does to one person: adjust quota (one idempotency key per
//! intended change, kept across retries), block / unblock, deactivate /
//! activate, reset the hotspot password, edit the profile, delete (super
//! admins; the number is typed to confirm).

use leptos::{prelude::*, task::spawn_local};
use shared_types::{
    access::GIB, phone::local_form, ProfileEdit, QuotaAdjustment, Role, UserDetail,
};

use super::{
    person::Shown,
    words::{problem_text, role_text},
};
use crate::{
    api::{self, ApiError},
    components::confirm::Confirm,
    i18n::{admin, say},
    routes::Page,
    state::{ctx, Ctx},
    t,
};

/// Which form is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Open {
    None,
    Quota,
    Profile,
    Delete,
}

/// A fresh idempotency key: one per intended adjustment.
fn new_key() -> String {
    let now = js_sys::Date::now() as u64;
    let a = (js_sys::Math::random() * 4_294_967_296.0) as u64;
    let b = (js_sys::Math::random() * 4_294_967_296.0) as u64;
    format!("adm-{now:x}-{a:08x}{b:08x}")
}

#[component]
pub fn PersonActions(d: UserDetail, shown: Shown) -> impl IntoView {
    let c = ctx();
    let lang = c.lang;
    let open = RwSignal::new(Open::None);
    let (notice, error) = (shown.notice, shown.error);
    let blocking = RwSignal::new(false);
    let resetting = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    let id = StoredValue::new(d.user.id.to_string());
    let me_super = move || {
        c.account
            .get()
            .flatten()
            .is_some_and(|a| a.user.role == Role::SuperAdmin)
    };
    // Nobody blocks, deactivates or deletes their own account (the API refuses too).
    let person = StoredValue::new(d.user.id.to_string());
    let myself = move || {
        c.account
            .get()
            .flatten()
            .is_some_and(|a| person.with_value(|p| a.user.id.as_str() == p))
    };
    let done = move |r: Result<Option<String>, ApiError>| match r {
        Ok(msg) => {
            error.set(None);
            notice.set(msg.or_else(|| Some(say(lang.get_untracked(), admin::SAVED).into())));
            open.set(Open::None);
            shown.reload();
        }
        Err(e) => error.set(Some(problem_text(lang.get_untracked(), &e))),
    };
    let block = move || {
        let why = reason.get_untracked();
        spawn_local(async move {
            done(
                api::block_user(&id.get_value(), why.trim())
                    .await
                    .map(|_| None),
            );
        });
    };
    let simple = move |which: &'static str| {
        spawn_local(async move {
            let id = id.get_value();
            let r = match which {
                "unblock" => api::unblock_user(&id).await,
                "deactivate" => api::deactivate_user(&id).await,
                _ => api::activate_user(&id).await,
            };
            done(r.map(|_| None));
        });
    };
    let reset = move || {
        spawn_local(async move {
            let r = api::reset_hotspot_password(&id.get_value()).await;
            done(r.map(|p| {
                Some(format!(
                    "{} {}",
                    p.sessions_ended,
                    say(lang.get_untracked(), admin::SESSIONS_ENDED)
                ))
            }));
        });
    };
    let blocked = d.user.status == shared_types::AccessStatus::Blocked;
    let active = d.active;
    let toggle =
        move |which: Open| open.update(|o| *o = if *o == which { Open::None } else { which });
    view! {
        <section class="card stack" aria-labelledby="actions-title">
            <h3 id="actions-title">{t!(lang, admin::ACTIONS)}</h3>
            <div class="row wrap">
                <button type="button" class="primary" id="open-quota" on:click=move |_| toggle(Open::Quota)>{t!(lang, admin::ADJUST_QUOTA)}</button>
                {move || match (blocked, myself()) {
                    (true, _) => view! { <button type="button" id="unblock" on:click=move |_| simple("unblock")>{t!(lang, admin::UNBLOCK)}</button> }.into_any(),
                    (false, false) => view! { <button type="button" class="danger" id="block" on:click=move |_| blocking.set(true)>{t!(lang, admin::BLOCK)}</button> }.into_any(),
                    (false, true) => ().into_any(),
                }}
                {move || match (active, myself()) {
                    (true, false) => view! { <button type="button" id="deactivate" on:click=move |_| simple("deactivate")>{t!(lang, admin::DEACTIVATE)}</button> }.into_any(),
                    (true, true) => ().into_any(),
                    (false, _) => view! { <button type="button" id="activate" on:click=move |_| simple("activate")>{t!(lang, admin::ACTIVATE)}</button> }.into_any(),
                }}
                <button type="button" id="reset-password" on:click=move |_| resetting.set(true)>{t!(lang, admin::RESET_HOTSPOT_PASSWORD)}</button>
                <button type="button" id="open-profile" on:click=move |_| toggle(Open::Profile)>{t!(lang, admin::EDIT_PROFILE)}</button>
                {move || (me_super() && !myself()).then(|| view! {
                    <button type="button" class="danger" id="open-delete" on:click=move |_| toggle(Open::Delete)>{t!(lang, admin::DELETE)}</button>
                })}
            </div>
            <Confirm open=blocking question=admin::BLOCK_THIS_PERSON action=admin::BLOCK
                reason=reason danger=true on_confirm=block/>
            <Confirm open=resetting question=admin::RESET_THE_PASSWORD action=admin::RESET_HOTSPOT_PASSWORD
                on_confirm=reset/>
            {move || match open.get() {
                Open::Quota => view! { <QuotaForm id=id.get_value() done=done/> }.into_any(),
                Open::Profile => view! { <ProfileForm d=d.clone() done=done/> }.into_any(),
                Open::Delete => view! { <DeleteForm d=d.clone() error=error/> }.into_any(),
                Open::None => ().into_any(),
            }}
            <p class="status-ok" role="status" id="action-notice">{move || notice.get()}</p>
            <p class="status-bad" role="alert" id="action-error">{move || error.get()}</p>
        </section>
    }
}

/// A labelled input bound to a signal (numbers and free text).
#[component]
fn Input(
    id: &'static str,
    label: (&'static str, &'static str),
    value: RwSignal<String>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(default = "text")] inputmode: &'static str,
    #[prop(optional)] required: bool,
) -> impl IntoView {
    let lang = ctx().lang;
    view! {
        <label class="stack field" for=id>
            <span>{t!(lang, label)}</span>
            <input id=id name=id type=kind inputmode=inputmode required=required maxlength="300" step="any"
                prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))/>
        </label>
    }
}

#[component]
fn QuotaForm(
    id: String,
    done: impl Fn(Result<Option<String>, ApiError>) + Copy + 'static,
) -> impl IntoView {
    let lang = ctx().lang;
    let gb = RwSignal::new(String::new());
    let days = RwSignal::new(String::new());
    let unlimited = RwSignal::new(String::new());
    let clear = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    // One key per intended change: a retry after a lost answer reuses it.
    let key = StoredValue::new(new_key());
    let id = StoredValue::new(id);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let number = |s: &RwSignal<String>| s.get_untracked().trim().replace(',', ".");
        let add = number(&gb).parse::<f64>().unwrap_or(0.0);
        let body = QuotaAdjustment {
            idempotency_key: key.get_value(),
            add_bytes: (add * GIB as f64).round() as i64,
            extend_days: number(&days).parse().unwrap_or(0),
            unlimited_days: number(&unlimited).parse().ok().filter(|d: &i32| *d > 0),
            clear_unlimited: clear.get_untracked(),
            reason: reason.get_untracked().trim().to_owned(),
        };
        busy.set(true);
        spawn_local(async move {
            let r = api::adjust_quota(&id.get_value(), &body).await;
            busy.set(false);
            match r {
                Ok(a) => {
                    key.set_value(new_key());
                    let note = (!a.applied)
                        .then(|| say(lang.get_untracked(), admin::ALREADY_APPLIED).to_owned());
                    done(Ok(note));
                }
                // A refused change will not apply under this key: the next try gets a new one.
                Err(e @ ApiError::Api { .. }) => {
                    key.set_value(new_key());
                    done(Err(e));
                }
                Err(e) => done(Err(e)),
            }
        });
    };
    view! {
        <form class="stack" id="quota-form" on:submit=submit>
            <Input id="quota-gb" label=admin::ADD_GB value=gb kind="number" inputmode="decimal"/>
            <Input id="quota-days" label=admin::EXTEND_DAYS value=days kind="number" inputmode="numeric"/>
            <Input id="quota-unlimited" label=admin::UNLIMITED_DAYS value=unlimited kind="number" inputmode="numeric"/>
            <label class="row">
                <input type="checkbox" id="quota-clear" prop:checked=move || clear.get()
                    on:change=move |ev| clear.set(event_target_checked(&ev))/>
                <span>{t!(lang, admin::END_UNLIMITED)}</span>
            </label>
            <Input id="quota-reason" label=admin::REASON value=reason required=true/>
            <button type="submit" class="primary" id="quota-save" disabled=move || busy.get()>{t!(lang, admin::SAVE)}</button>
        </form>
    }
}

#[component]
fn ProfileForm(
    d: UserDetail,
    done: impl Fn(Result<Option<String>, ApiError>) + Copy + 'static,
) -> impl IntoView {
    let lang = ctx().lang;
    let u = d.user;
    let name = RwSignal::new(u.name.clone());
    let phone = RwSignal::new(u.phone.as_deref().map(local_form).unwrap_or_default());
    let role = RwSignal::new(u.role);
    let blok = RwSignal::new(u.blok.clone().unwrap_or_default());
    let kamar = RwSignal::new(u.kamar.clone().unwrap_or_default());
    let tamping = RwSignal::new(u.tamping_type.clone().unwrap_or_default());
    // Roles never cross login kinds (number vs password).
    let roles: Vec<Role> = if matches!(u.role, Role::Resident | Role::Komandan) {
        vec![Role::Resident, Role::Komandan]
    } else {
        vec![Role::Staff, Role::Admin, Role::SuperAdmin]
    };
    let id = StoredValue::new(u.id.to_string());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let opt = |s: RwSignal<String>| {
            Some(s.get_untracked().trim().to_owned()).filter(|s| !s.is_empty())
        };
        let resident = role.get_untracked() == Role::Resident;
        let body = ProfileEdit {
            name: name.get_untracked().trim().to_owned(),
            phone: opt(phone),
            role: role.get_untracked(),
            blok: opt(blok).filter(|_| resident),
            kamar: opt(kamar).filter(|_| resident),
            tamping_type: opt(tamping).filter(|_| resident),
        };
        spawn_local(async move {
            done(
                api::edit_profile(&id.get_value(), &body)
                    .await
                    .map(|_| None),
            );
        });
    };
    view! {
        <form class="stack" id="profile-form" on:submit=submit>
            <Input id="profile-name" label=admin::NAME value=name required=true/>
            <Input id="profile-phone" label=admin::PHONE_NUMBER value=phone kind="tel" inputmode="tel"/>
            <label class="stack field" for="profile-role">
                <span>{t!(lang, admin::ROLE)}</span>
                <select id="profile-role" on:change=move |ev| {
                    let v = event_target_value(&ev);
                    if let Some(r) = Role::parse(&v) { role.set(r) }
                }>
                    {roles.into_iter().map(|r| view! {
                        <option value=r.as_str() selected=r == u.role>{t!(lang, role_text(r))}</option>
                    }).collect_view()}
                </select>
            </label>
            <Show when=move || role.get() == Role::Resident>
                <div class="row wrap">
                    <Input id="profile-blok" label=admin::BLOK value=blok/>
                    <Input id="profile-kamar" label=admin::KAMAR value=kamar/>
                </div>
                <Input id="profile-tamping" label=admin::TAMPING_TYPE value=tamping/>
            </Show>
            <button type="submit" class="primary" id="profile-save">{t!(lang, admin::SAVE)}</button>
        </form>
    }
}

#[component]
fn DeleteForm(d: UserDetail, error: RwSignal<Option<String>>) -> impl IntoView {
    let lang = ctx().lang;
    let u = d.user;
    let expected = match (&u.phone, &u.username) {
        (Some(p), _) => local_form(p),
        (None, Some(n)) => n.clone(),
        _ => String::new(),
    };
    let typed = RwSignal::new(String::new());
    let matches = {
        let expected = expected.clone();
        move || !expected.is_empty() && typed.get().trim() == expected
    };
    let id = StoredValue::new(u.id.to_string());
    let submit = {
        let matches = matches.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            if !matches() {
                return;
            }
            spawn_local(async move {
                match api::delete_user(&id.get_value()).await {
                    Ok(_) => Ctx::go(&Page::AdminPeople.path()),
                    Err(e) => error.set(Some(problem_text(lang.get_untracked(), &e))),
                }
            });
        }
    };
    view! {
        <form class="confirm stack" id="delete-form" on:submit=submit>
            <label class="stack field" for="delete-confirm">
                <span>{t!(lang, admin::TYPE_TO_CONFIRM)}" "<strong>{expected.clone()}</strong></span>
                <input id="delete-confirm" autocomplete="off" prop:value=move || typed.get()
                    on:input=move |ev| typed.set(event_target_value(&ev))/>
            </label>
            <button type="submit" class="danger" id="delete-save" disabled=move || !matches()>{t!(lang, admin::DELETE_FOREVER)}</button>
        </form>
    }
}
