//! Adding or editing a router (super admins): every field of the router's
//! settings, "Tes koneksi" with exactly these settings, and a save that the
//! API tests first — a failed test saves nothing and the form says which
//! problem the router reported. Editing without a new API password keeps
//! the stored one.

use leptos::{prelude::*, task::spawn_local};
use shared_types::{ConnectionProblem, ConnectionTest, LoginMode, RouterInput, RouterView};

use super::words::problem_text;
use crate::{
    api::{self, ApiError},
    components::form::Field,
    i18n::{admin, common, facility, say, Lang, Text},
    state::ctx,
    t,
};

fn problem(p: ConnectionProblem) -> Text {
    match p {
        ConnectionProblem::Unreachable => admin::PROBLEM_UNREACHABLE,
        ConnectionProblem::Timeout => admin::PROBLEM_TIMEOUT,
        ConnectionProblem::LoginRefused => admin::PROBLEM_LOGIN_REFUSED,
        ConnectionProblem::TlsFailed => admin::PROBLEM_TLS_FAILED,
        ConnectionProblem::BadFingerprint => admin::PROBLEM_BAD_FINGERPRINT,
        ConnectionProblem::Protocol => admin::PROBLEM_PROTOCOL,
    }
}

/// A connection test in words: connected (identity, version, time, rights
/// warning) or what to fix.
fn test_text(lang: Lang, t: &ConnectionTest) -> (bool, String) {
    if !t.ok {
        let p = t.problem.unwrap_or(ConnectionProblem::Protocol);
        return (false, say(lang, problem(p)).to_owned());
    }
    let mut s = format!(
        "{}: {} · RouterOS {} · {} ms",
        say(lang, admin::CONNECTED),
        t.identity.as_deref().unwrap_or("?"),
        t.version.as_deref().unwrap_or("?"),
        t.round_trip_ms.unwrap_or(0)
    );
    if !t.excess_policies.is_empty() {
        s.push_str(&format!(
            " — {} {}",
            say(lang, admin::EXTRA_RIGHTS),
            t.excess_policies.join(", ")
        ));
    }
    (true, s)
}

/// A failed save carries the test that failed it: its problem in words.
fn failed(lang: Lang, e: ApiError) -> (bool, String) {
    let named = e
        .detail_json("test")
        .and_then(|t| serde_json::from_value::<ConnectionTest>(t).ok())
        .and_then(|t| t.problem);
    match named {
        Some(p) => (false, say(lang, problem(p)).to_owned()),
        None => (false, problem_text(lang, &e)),
    }
}

/// A new router (`current: None`) or the changes to one.
#[component]
pub fn RouterForm(
    current: Option<RouterView>,
    on_saved: impl Fn() + Copy + Send + Sync + 'static,
    #[prop(optional)] on_cancel: Option<Callback<()>>,
) -> impl IntoView {
    let lang = ctx().lang;
    let c = current.as_ref();
    let id = StoredValue::new(c.map(|r| r.id.to_string()));
    let editing = c.is_some();
    let text = |f: fn(&RouterView) -> String, new: &str| RwSignal::new(c.map_or(new.to_owned(), f));
    let name = text(|r| r.name.clone(), "");
    let host = text(|r| r.host.clone(), "");
    let port = text(|r| r.port.to_string(), "8728");
    let user = text(|r| r.api_username.clone(), "gerbang");
    let password = RwSignal::new(String::new());
    let bypass = RwSignal::new(c.is_some_and(|r| r.login_mode == LoginMode::Bypass));
    let login_url = text(|r| r.login_url.clone(), "http://10.5.50.1/login");
    let server = text(|r| r.hotspot_server.clone(), "hotspot1");
    let fingerprint = text(|r| r.tls_fingerprint.clone().unwrap_or_default(), "");
    let profile = text(|r| r.hotspot_profile.clone(), "default");
    let fup = text(|r| r.fup_profile.clone(), "gerbang-fup");
    let prefix = text(|r| r.address_list_prefix.clone(), "gerbang-");
    let is_default = RwSignal::new(c.is_some_and(|r| r.is_default));
    let result = RwSignal::new(None::<(bool, String)>);
    let busy = RwSignal::new(false);
    let input = move || {
        let v = |s: RwSignal<String>| s.get_untracked().trim().to_owned();
        let fp = v(fingerprint);
        RouterInput {
            name: v(name),
            host: v(host),
            port: v(port).parse().unwrap_or(0),
            tls: !fp.is_empty(),
            tls_fingerprint: (!fp.is_empty()).then_some(fp),
            api_username: v(user),
            api_password: Some(password.get_untracked()).filter(|p| !p.is_empty()),
            login_mode: if bypass.get_untracked() {
                LoginMode::Bypass
            } else {
                LoginMode::HotspotLogin
            },
            hotspot_server: v(server),
            login_url: v(login_url),
            hotspot_profile: v(profile),
            fup_profile: v(fup),
            address_list_prefix: v(prefix),
            is_default: is_default.get_untracked(),
        }
    };
    let test = move |_| {
        busy.set(true);
        let body = input();
        spawn_local(async move {
            let r = match id.get_value() {
                Some(id) => api::test_saved_router(&id, &body).await,
                None => api::test_router(&body).await,
            };
            busy.set(false);
            let l = lang.get_untracked();
            result.set(Some(match r {
                Ok(t) => test_text(l, &t),
                Err(e) => failed(l, e),
            }));
        });
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        let body = input();
        spawn_local(async move {
            let r = match id.get_value() {
                Some(id) => api::update_router(&id, &body).await,
                None => api::create_router(&body).await,
            };
            busy.set(false);
            let l = lang.get_untracked();
            match r {
                Ok(saved) => {
                    result.set(Some(test_text(l, &saved.test)));
                    password.set(String::new());
                    on_saved();
                }
                Err(e) => result.set(Some(failed(l, e))),
            }
        });
    };
    // The add form and an edit form can be open at once: distinct ids.
    let fid = move |add: &'static str, edit: &'static str| if editing { edit } else { add };
    let form_id = fid("router-form", "router-edit-form");
    view! {
        <form class="stack" id=form_id on:submit=save>
            <Field id=fid("router-name", "edit-router-name") label=admin::ROUTER_NAME value=name max_length=64/>
            <div class="row">
                <Field id=fid("router-host", "edit-router-host") label=admin::HOST value=host max_length=253/>
                <Field id=fid("router-port", "edit-router-port") label=admin::API_PORT value=port kind="number" inputmode="numeric"/>
            </div>
            <div class="row">
                <Field id=fid("router-user", "edit-router-user") label=admin::API_USER value=user max_length=64/>
                <Field id=fid("router-password", "edit-router-password") label=if editing { facility::PASSWORD_KEEP } else { admin::API_PASSWORD }
                    value=password kind="password" autocomplete="new-password" max_length=128 required=!editing/>
            </div>
            <label class="row">
                <input type="checkbox" id=fid("router-bypass", "edit-router-bypass") prop:checked=move || bypass.get()
                    on:change=move |ev| bypass.set(event_target_checked(&ev))/>
                <span>{t!(lang, admin::MODE_BYPASS)}</span>
            </label>
            <Field id=fid("router-login-url", "edit-router-login-url") label=admin::LOGIN_URL value=login_url max_length=300/>
            <Field id=fid("router-server", "edit-router-server") label=admin::HOTSPOT_SERVER value=server max_length=64/>
            <div class="row">
                <Field id=fid("router-profile", "edit-router-profile") label=facility::HOTSPOT_PROFILE value=profile max_length=64/>
                <Field id=fid("router-fup-profile", "edit-router-fup-profile") label=facility::FUP_PROFILE value=fup max_length=64/>
            </div>
            <Field id=fid("router-prefix", "edit-router-prefix") label=facility::ADDRESS_LIST_PREFIX value=prefix max_length=64/>
            <Field id=fid("router-fingerprint", "edit-router-fingerprint") label=admin::FINGERPRINT value=fingerprint max_length=95 required=false/>
            <label class="row">
                <input type="checkbox" id=fid("router-default", "edit-router-default") prop:checked=move || is_default.get()
                    on:change=move |ev| is_default.set(event_target_checked(&ev))/>
                <span>{t!(lang, admin::DEFAULT_ROUTER)}</span>
            </label>
            {move || result.get().map(|(ok, text)| view! {
                <p id=fid("router-test", "edit-router-test") class=if ok { "notice ok" } else { "notice bad" } role="status">{text}</p>
            })}
            <div class="row">
                <button type="button" id=fid("router-test-button", "edit-router-test-button") disabled=move || busy.get() on:click=test>{t!(lang, admin::TEST_CONNECTION)}</button>
                <button type="submit" class="primary" id=fid("router-save", "edit-router-save") disabled=move || busy.get()>{t!(lang, admin::SAVE)}</button>
                {on_cancel.map(|cb| view! {
                    <button type="button" on:click=move |_| cb.run(())>{t!(lang, common::CANCEL)}</button>
                })}
            </div>
        </form>
    }
}
