//! Password login for admins and super admins.

use leptos::{prelude::*, task::spawn_local};
use shared_types::{ErrorCode, PasswordLogin};

use crate::{
    api,
    components::form::Field,
    i18n::{error_text, tr},
    state::ctx,
    t,
};

#[component]
pub fn AdminLogin() -> impl IntoView {
    let c = ctx();
    let lang = c.lang;
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let submit =
        move |ev: leptos::ev::SubmitEvent| {
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
                        let text =
                            match (e.code(), e.retry_after()) {
                                (ErrorCode::RateLimited, Some(s)) => format!(
                            "{} ({} {})",
                            tr(l, "Akun dikunci sementara karena terlalu banyak percobaan.",
                                "The account is locked for a while after too many attempts."),
                            s.div_ceil(60),
                            tr(l, "menit", "minutes"),
                        ),
                                (ErrorCode::Unauthorized, _) => tr(
                                    l,
                                    "Nama pengguna atau kata sandi salah.",
                                    "Wrong username or password.",
                                )
                                .into(),
                                (ErrorCode::Forbidden, _) => tr(
                                    l,
                                    "Akun ini tidak dapat masuk ke dasbor admin.",
                                    "This account cannot sign in to the admin dashboard.",
                                )
                                .into(),
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
            <h2 id="admin-login-title">{t!(lang, "Masuk admin", "Admin sign-in")}</h2>
            <form class="stack" id="admin-login" on:submit=submit>
                <Field id="username" label=("Nama pengguna", "Username") value=username
                    autocomplete="username" max_length=40/>
                <Field id="password" label=("Kata sandi", "Password") value=password
                    kind="password" autocomplete="current-password" max_length=256/>
                <button class="primary" type="submit" disabled=move || busy.get()>
                    {t!(lang, "Masuk", "Sign in")}
                </button>
                <p class="status-bad" role="alert" id="admin-login-error">{move || error.get()}</p>
            </form>
        </section>
    }
}
