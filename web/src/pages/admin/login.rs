//! Password login for admins and super admins.

use leptos::{prelude::*, task::spawn_local};
use shared_types::{ErrorCode, PasswordLogin};

use crate::{
    api, components::form::Field, i18n::admin, i18n::error_text, i18n::say, state::ctx, t,
};

#[component]
pub fn AdminLogin() -> impl IntoView {
    let c = ctx();
    let lang = c.lang;
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    // Locked: the password goes together with a code sent to the admin's WhatsApp.
    let locked = RwSignal::new(false);
    let code_sent = RwSignal::new(false);
    let code = RwSignal::new(String::new());
    let send_code = move |_| {
        busy.set(true);
        spawn_local(async move {
            let name = username.get_untracked().trim().to_owned();
            match api::admin_request_unlock(&name).await {
                Ok(_) => {
                    code_sent.set(true);
                    error.set(None);
                }
                Err(e) => error.set(Some(error_text(lang.get_untracked(), e.code()).into())),
            }
            busy.set(false);
        });
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        error.set(None);
        let unlock_code = Some(code.get_untracked().trim().to_owned())
            .filter(|c| locked.get_untracked() && !c.is_empty());
        let req = PasswordLogin {
            username: username.get_untracked().trim().to_owned(),
            password: password.get_untracked(),
            unlock_code,
        };
        spawn_local(async move {
            match api::admin_login(&req).await {
                Ok(_) => {
                    password.set(String::new());
                    code.set(String::new());
                    c.load_account().await;
                }
                Err(e) => {
                    let l = lang.get_untracked();
                    let text = match (e.code(), e.retry_after()) {
                        (ErrorCode::RateLimited, Some(s)) => {
                            locked.set(true);
                            format!(
                                "{} ({} {})",
                                say(l, admin::THE_ACCOUNT_IS_LOCKED_FOR),
                                s.div_ceil(60),
                                say(l, admin::MINUTES),
                            )
                        }
                        (ErrorCode::OtpInvalid, _) => say(l, admin::WRONG_UNLOCK_CODE).into(),
                        (ErrorCode::Unauthorized, _) => {
                            say(l, admin::WRONG_USERNAME_OR_PASSWORD).into()
                        }
                        (ErrorCode::Forbidden, _) => {
                            say(l, admin::THIS_ACCOUNT_CANNOT_SIGN_IN).into()
                        }
                        (code, _) => error_text(l, code).into(),
                    };
                    error.set(Some(text));
                }
            }
            busy.set(false);
        });
    };
    view! {
        <section class="card stack" aria-labelledby="admin-login-title">
            <h2 id="admin-login-title">{t!(lang, admin::ADMIN_SIGN_IN)}</h2>
            <form class="stack" id="admin-login" on:submit=submit>
                <Field id="username" label=admin::USERNAME value=username
                    autocomplete="username" max_length=40/>
                <Field id="password" label=admin::PASSWORD value=password
                    kind="password" autocomplete="current-password" max_length=256/>
                {move || (locked.get() && code_sent.get()).then(|| view! {
                    <p class="muted" id="unlock-sent">{t!(lang, admin::UNLOCK_CODE_SENT)}</p>
                    <Field id="unlock-code" label=admin::UNLOCK_CODE value=code
                        autocomplete="one-time-code" max_length=6 inputmode="numeric"/>
                })}
                <button class="primary" type="submit" disabled=move || busy.get()>
                    {t!(lang, admin::SIGN_IN)}
                </button>
                <p class="status-bad" role="alert" id="admin-login-error">{move || error.get()}</p>
                {move || (locked.get() && !code_sent.get()).then(|| view! {
                    <button type="button" id="send-unlock" disabled=move || busy.get() on:click=send_code>
                        {t!(lang, admin::SEND_AN_UNLOCK_CODE)}
                    </button>
                })}
            </form>
        </section>
    }
}
