//! `/staf`: staff and teachers sign in with a username and password, then
//! see their hotspot account as the router has it, change its password
//! (every connected device is disconnected so the new one takes effect) and
//! change their web password.

use leptos::{prelude::*, task::spawn_local};
use shared_types::{
    staff::{hotspot_password_rule, web_password_rule},
    ErrorCode, HotspotPasswordChange, PasswordLogin, Role, StaffPage, WebPasswordChange,
};

use crate::{
    api::{self, ApiError},
    components::{async_view::loaded, form::Field},
    i18n::{admin, error_text, say, staff, Lang, Text},
    pages::home::Loading,
    routes::Page,
    state::ctx,
    t,
};

/// A password rule's code in words.
fn rule_text(code: &str) -> Text {
    match code {
        "too_short" => staff::TOO_SHORT,
        "too_long" => staff::TOO_LONG,
        "too_simple" => staff::TOO_SIMPLE,
        "characters" => staff::BAD_CHARACTERS,
        "wrong" => staff::WRONG_PASSWORD,
        "confirm_differs" => staff::PASSWORDS_DIFFER,
        _ => staff::INVALID,
    }
}

/// The API's field problem, or the error code's text.
fn problem(lang: Lang, e: &ApiError) -> String {
    match e.field_codes().first() {
        Some((_, code)) => say(lang, rule_text(code)).to_owned(),
        None if e.code() == ErrorCode::ServiceUnavailable => {
            say(lang, staff::ROUTER_NOT_REACHABLE).to_owned()
        }
        None if e.detail("reason").as_deref() == Some("no_hotspot_account") => {
            say(lang, staff::NO_ACCOUNT_ON_ROUTER).to_owned()
        }
        None => error_text(lang, e.code()).to_owned(),
    }
}

#[component]
pub fn StaffEntry() -> impl IntoView {
    let c = ctx();
    let lang = c.lang;
    c.ensure_account();
    view! {
        {move || match c.account.get() {
            None => view! { <Loading/> }.into_any(),
            Some(None) => view! { <StaffLogin/> }.into_any(),
            Some(Some(a)) if a.user.role == Role::Staff => view! { <StaffHome/> }.into_any(),
            Some(Some(_)) => view! {
                <section class="card stack">
                    <p>{t!(lang, staff::NOT_STAFF)}</p>
                    <a class="button" href=Page::Home.path()>{t!(lang, admin::BACK_TO_THE_HOME_PAGE)}</a>
                </section>
            }.into_any(),
        }}
    }
}

#[component]
fn StaffLogin() -> impl IntoView {
    let c = ctx();
    let lang = c.lang;
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        let req = PasswordLogin {
            username: username.get_untracked().trim().to_lowercase(),
            password: password.get_untracked(),
            unlock_code: None,
        };
        spawn_local(async move {
            let l = lang.get_untracked();
            match api::staff_login(&req).await {
                Ok(_) => {
                    password.set(String::new());
                    error.set(None);
                    c.load_account().await;
                }
                Err(e) => error.set(Some(match (e.code(), e.retry_after()) {
                    (ErrorCode::RateLimited, Some(s)) => format!(
                        "{} ({} {})",
                        say(l, admin::THE_ACCOUNT_IS_LOCKED_FOR),
                        s.div_ceil(60),
                        say(l, admin::MINUTES)
                    ),
                    (ErrorCode::Unauthorized, _) => {
                        say(l, admin::WRONG_USERNAME_OR_PASSWORD).into()
                    }
                    (ErrorCode::Forbidden, _) => say(l, staff::NOT_STAFF).into(),
                    (code, _) => error_text(l, code).into(),
                })),
            }
            busy.set(false);
        });
    };
    view! {
        <section class="card stack" aria-labelledby="staff-login-title">
            <h2 id="staff-login-title">{t!(lang, staff::STAFF_SIGN_IN)}</h2>
            <form class="stack" id="staff-login" on:submit=submit>
                <Field id="username" label=admin::USERNAME value=username autocomplete="username" max_length=32/>
                <Field id="password" label=admin::PASSWORD value=password kind="password"
                    autocomplete="current-password" max_length=128/>
                <button class="primary" type="submit" disabled=move || busy.get()>{t!(lang, admin::SIGN_IN)}</button>
                <p class="status-bad" role="alert" id="staff-login-error">{move || error.get()}</p>
            </form>
        </section>
    }
}

#[component]
fn StaffHome() -> impl IntoView {
    let c = ctx();
    let lang = c.lang;
    let page = LocalResource::new(api::staff_page);
    // Ends the session on the server, then shows the sign-in again.
    let sign_out = move |_| {
        spawn_local(async move {
            let _ = api::logout().await;
            c.account.set(Some(None));
        });
    };
    view! {
        {move || loaded(page.get(), move |p| view! { <Account p=p/> }.into_any())}
        <HotspotPasswordForm on_done=move || page.refetch()/>
        <WebPasswordForm/>
        <button type="button" id="staff-logout" on:click=sign_out>{t!(lang, admin::SIGN_OUT)}</button>
    }
}

#[component]
fn Account(p: StaffPage) -> impl IntoView {
    let lang = ctx().lang;
    view! {
        <section class="card stack" aria-labelledby="staff-account-title" id="staff-account">
            <h2 id="staff-account-title">{t!(lang, staff::MY_HOTSPOT_ACCOUNT)}</h2>
            <p>{p.name.clone()}" · "<span class="mono">{p.operator_key.clone()}</span>
                {p.router_name.clone().map(|r| format!(" · {r}"))}</p>
            {match (p.router_reachable, p.hotspot) {
                (false, _) => view! { <p class="notice warn" role="status">{t!(lang, staff::ROUTER_NOT_REACHABLE)}</p> }.into_any(),
                (true, None) => view! { <p class="notice warn" role="status" id="no-hotspot-account">{t!(lang, staff::NO_ACCOUNT_ON_ROUTER)}</p> }.into_any(),
                (true, Some(h)) => view! {
                    <dl class="facts">
                        <div><dt>{t!(lang, staff::HOTSPOT_USERNAME)}</dt><dd id="hotspot-username">{h.username.clone()}</dd></div>
                        <div><dt>{t!(lang, admin::STATUS)}</dt><dd>{t!(lang, if h.enabled { staff::ENABLED } else { staff::DISABLED })}</dd></div>
                        <div><dt>{t!(lang, staff::PROFILE)}</dt><dd>{h.profile.clone().unwrap_or_else(|| "—".into())}</dd></div>
                        <div><dt>"Total"</dt><dd>{shared_types::access::format_bytes(h.bytes)}</dd></div>
                    </dl>
                    <h3>{t!(lang, staff::LIVE_SESSIONS)}</h3>
                    {if h.sessions.is_empty() {
                        view! { <p class="muted" id="staff-sessions">{t!(lang, staff::NO_LIVE_SESSIONS)}</p> }.into_any()
                    } else {
                        view! {
                            <ul class="list" id="staff-sessions">
                                {h.sessions.into_iter().map(|s| view! {
                                    <li class="row spread">
                                        <span class="mono">{s.address.unwrap_or_default()}" "{s.mac_address.unwrap_or_default()}</span>
                                        <span class="muted">{shared_types::access::format_bytes(s.bytes)}</span>
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }}
                }.into_any(),
            }}
        </section>
    }
}

#[component]
fn HotspotPasswordForm(on_done: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let lang = ctx().lang;
    let password = RwSignal::new(String::new());
    let confirm = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let done = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let l = lang.get_untracked();
        done.set(None);
        let change = HotspotPasswordChange {
            password: password.get_untracked(),
            confirm: confirm.get_untracked(),
        };
        if let Err(e) = hotspot_password_rule(&change.password) {
            error.set(Some(say(l, rule_text(&e.code)).into()));
            return;
        }
        if change.password != change.confirm {
            error.set(Some(say(l, staff::PASSWORDS_DIFFER).into()));
            return;
        }
        error.set(None);
        busy.set(true);
        spawn_local(async move {
            match api::change_my_hotspot_password(&change).await {
                Ok(r) => {
                    password.set(String::new());
                    confirm.set(String::new());
                    done.set(Some(format!(
                        "{} {}",
                        say(l, staff::HOTSPOT_PASSWORD_CHANGED),
                        r.sessions_ended
                    )));
                    on_done();
                }
                Err(e) => error.set(Some(problem(l, &e))),
            }
            busy.set(false);
        });
    };
    view! {
        <section class="card stack" aria-labelledby="hotspot-password-title">
            <h2 id="hotspot-password-title">{t!(lang, staff::CHANGE_HOTSPOT_PASSWORD)}</h2>
            <p class="muted">{t!(lang, staff::HOTSPOT_PASSWORD_RULES)}</p>
            <form class="stack" id="hotspot-password-form" on:submit=submit>
                <Field id="hotspot-password" label=staff::NEW_PASSWORD value=password kind="password"
                    autocomplete="new-password" max_length=64/>
                <Field id="hotspot-confirm" label=staff::CONFIRM_PASSWORD value=confirm kind="password"
                    autocomplete="new-password" max_length=64/>
                <p class="status-bad" role="alert">{move || error.get()}</p>
                <p class="status-ok" role="status" id="hotspot-password-done">{move || done.get()}</p>
                <button class="primary" type="submit" id="hotspot-password-save" disabled=move || busy.get()>{t!(lang, admin::SAVE)}</button>
            </form>
        </section>
    }
}

#[component]
fn WebPasswordForm() -> impl IntoView {
    let lang = ctx().lang;
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let done = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let l = lang.get_untracked();
        done.set(false);
        let change = WebPasswordChange {
            current: current.get_untracked(),
            new: new.get_untracked(),
        };
        if let Err(e) = web_password_rule(&change.new) {
            error.set(Some(say(l, rule_text(&e.code)).into()));
            return;
        }
        error.set(None);
        busy.set(true);
        spawn_local(async move {
            match api::change_my_password(&change).await {
                Ok(_) => {
                    current.set(String::new());
                    new.set(String::new());
                    done.set(true);
                }
                Err(e) => error.set(Some(problem(l, &e))),
            }
            busy.set(false);
        });
    };
    view! {
        <section class="card stack" aria-labelledby="web-password-title">
            <h2 id="web-password-title">{t!(lang, staff::CHANGE_WEB_PASSWORD)}</h2>
            <p class="muted">{t!(lang, staff::WEB_PASSWORD_RULES)}</p>
            <form class="stack" id="web-password-form" on:submit=submit>
                <Field id="current-password" label=staff::CURRENT_PASSWORD value=current kind="password"
                    autocomplete="current-password" max_length=128/>
                <Field id="new-password" label=staff::NEW_PASSWORD value=new kind="password"
                    autocomplete="new-password" max_length=128/>
                <p class="status-bad" role="alert">{move || error.get()}</p>
                <p class="status-ok" role="status">{move || done.get().then(|| say(lang.get(), staff::WEB_PASSWORD_CHANGED))}</p>
                <button class="primary" type="submit" disabled=move || busy.get()>{t!(lang, admin::SAVE)}</button>
            </form>
        </section>
    }
}
