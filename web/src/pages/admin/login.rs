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
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        error.set(None);
        let req = PasswordLogin {
            username: username.get_untracked().trim().to_owned(),
            password: password.get_untracked(),
        };
        spawn_local(async move {
            match api::admin_login(&req).await {
                Ok(_) => {
                    password.set(String::new());
                    c.load_account().await;
                }
                Err(e) => {
                    let l = lang.get_untracked();
                    let text = match (e.code(), e.retry_after()) {
                        (ErrorCode::RateLimited, Some(s)) => format!(
                            "{} ({} {})",
                            say(l, admin::THE_ACCOUNT_IS_LOCKED_FOR),
                            s.div_ceil(60),
                            say(l, admin::MINUTES),
                        ),
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
                <button class="primary" type="submit" disabled=move || busy.get()>
                    {t!(lang, admin::SIGN_IN)}
                </button>
                <p class="status-bad" role="alert" id="admin-login-error">{move || error.get()}</p>
            </form>
        </section>
    }
}
