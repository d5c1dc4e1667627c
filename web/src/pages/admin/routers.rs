//! `/admin/router` (super admins): the routers, adding one with a
//! connection test first (nothing is saved when it fails, and the screen
//! says which field to fix), each router's setup — the RouterOS script to
//! paste and the live check of what it still lacks — and disable / enable.

use leptos::{prelude::*, task::spawn_local};
use shared_types::{ConnectionProblem, ConnectionTest, LoginMode, RouterInput, RouterView};

use super::words::problem_text;
use crate::{
    api::{self, ApiError},
    components::async_view::loaded_list,
    i18n::{admin, say, Lang, Text},
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

#[component]
pub fn AdminRouters() -> impl IntoView {
    let lang = ctx().lang;
    let list = LocalResource::new(api::routers);
    view! {
        <section class="card stack" aria-labelledby="routers-title">
            <h2 id="routers-title">{t!(lang, admin::ROUTERS)}</h2>
            {move || loaded_list(list.get(), "routers", admin::NO_ROUTERS,
                move |r| view! { <RouterItem r=r on_change=move || list.refetch()/> }.into_any())}
        </section>
        <AddRouter on_saved=move || list.refetch()/>
    }
}

#[component]
fn RouterItem(r: RouterView, on_change: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let lang = ctx().lang;
    let id = StoredValue::new(r.id.to_string());
    let setup = RwSignal::new(None::<Result<shared_types::RouterSetup, ApiError>>);
    let error = RwSignal::new(None::<String>);
    let check = move |_| {
        setup.set(None);
        spawn_local(async move {
            let answer = api::router_setup(&id.get_value()).await;
            setup.set(Some(answer));
        });
    };
    let notice = RwSignal::new(None::<String>);
    let reconcile = move |_| {
        spawn_local(async move {
            let l = lang.get_untracked();
            match api::reconcile_router_now(&id.get_value()).await {
                Ok(n) if n.outcome != "failed" => {
                    let done = n.outcome == "done";
                    let text = if done {
                        admin::RECONCILED
                    } else {
                        admin::RECONCILE_BUSY
                    };
                    notice.set(Some(say(l, text).into()))
                }
                Ok(n) => error.set(Some(n.error.unwrap_or_default())),
                Err(e) => error.set(Some(problem_text(l, &e))),
            }
        });
    };
    let disabled = r.disabled;
    let toggle = move |_| {
        spawn_local(async move {
            match api::set_router_disabled(&id.get_value(), !disabled).await {
                Ok(_) => on_change(),
                Err(e) => error.set(Some(problem_text(lang.get_untracked(), &e))),
            }
        });
    };
    view! {
        <li class="stack" data-router=r.name.clone()>
            <div class="row spread">
                <strong>{r.name.clone()}</strong>
                <span class="row">
                    {r.is_default.then(|| view! { <span class="tag">{t!(lang, admin::DEFAULT)}</span> })}
                    {r.disabled.then(|| view! { <span class="tag warn">{t!(lang, admin::DISABLED)}</span> })}
                </span>
            </div>
            <p class="muted">{format!("{}:{}{} · {}", r.host, r.port, if r.tls { " (api-ssl)" } else { "" }, r.api_username)}</p>
            <div class="row">
                <button type="button" class="check-router" on:click=check>{t!(lang, admin::CHECK_ROUTER)}</button>
                <button type="button" class="reconcile-router" on:click=reconcile>{t!(lang, admin::RECONCILE_NOW)}</button>
                <button type="button" on:click=toggle>{move || say(lang.get(), if disabled { admin::ACTIVATE } else { admin::DEACTIVATE })}</button>
            </div>
            {move || setup.get().map(|s| match s {
                Ok(s) => {
                    let href = format!("data:text/plain;charset=utf-8,{}", js_sys::encode_uri_component(&s.script));
                    view! {
                        <div class="stack setup">
                            {s.error.clone().map(|e| view! { <p class="status-bad">{t!(lang, admin::ROUTER_UNREACHABLE)}" "{e}</p> })}
                            <ul class="list checks-list">
                                {s.checks.into_iter().map(|c| view! {
                                    <li class="stack" class:missing=!c.ok>
                                        <div class="row spread">
                                            <span>{if c.ok { "✔ " } else { "✖ " }}{c.item}</span>
                                            <span class="muted">{c.detail}</span>
                                        </div>
                                        {c.fix.map(|f| view! { <pre class="mono script fix">{f}</pre> })}
                                    </li>
                                }).collect_view()}
                            </ul>
                            <details>
                                <summary>{t!(lang, admin::SCRIPT)}</summary>
                                <pre class="mono script">{s.script.clone()}</pre>
                            </details>
                            <a class="button" href=href download="gerbang.rsc">{t!(lang, admin::DOWNLOAD_SCRIPT)}</a>
                        </div>
                    }.into_any()
                }
                Err(e) => view! { <p class="status-bad">{problem_text(lang.get_untracked(), &e)}</p> }.into_any(),
            })}
            <p class="status-ok reconciled" role="status">{move || notice.get()}</p>
            <p class="status-bad" role="alert">{move || error.get()}</p>
        </li>
    }
}

/// A labelled input (text, number, password) bound to a signal.
#[component]
fn In(
    id: &'static str,
    label: Text,
    value: RwSignal<String>,
    #[prop(default = "text")] kind: &'static str,
) -> impl IntoView {
    let lang = ctx().lang;
    view! {
        <label class="stack field" for=id>
            <span>{t!(lang, label)}</span>
            <input id=id name=id type=kind autocomplete="off" prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))/>
        </label>
    }
}

#[component]
fn AddRouter(on_saved: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let lang = ctx().lang;
    let name = RwSignal::new(String::new());
    let host = RwSignal::new(String::new());
    let port = RwSignal::new("8728".to_owned());
    let user = RwSignal::new("gerbang".to_owned());
    let password = RwSignal::new(String::new());
    let bypass = RwSignal::new(false);
    let login_url = RwSignal::new("http://10.5.50.1/login".to_owned());
    let server = RwSignal::new("hotspot1".to_owned());
    let fingerprint = RwSignal::new(String::new());
    let is_default = RwSignal::new(false);
    let result = RwSignal::new(None::<(bool, String)>);
    let busy = RwSignal::new(false);
    let input = move || {
        let fp = fingerprint.get_untracked().trim().to_owned();
        RouterInput {
            name: name.get_untracked().trim().to_owned(),
            host: host.get_untracked().trim().to_owned(),
            port: port.get_untracked().trim().parse().unwrap_or(0),
            tls: !fp.is_empty(),
            tls_fingerprint: (!fp.is_empty()).then_some(fp),
            api_username: user.get_untracked().trim().to_owned(),
            api_password: Some(password.get_untracked()).filter(|p| !p.is_empty()),
            login_mode: if bypass.get_untracked() {
                LoginMode::Bypass
            } else {
                LoginMode::HotspotLogin
            },
            hotspot_server: server.get_untracked().trim().to_owned(),
            login_url: login_url.get_untracked().trim().to_owned(),
            hotspot_profile: "default".into(),
            fup_profile: "gerbang-fup".into(),
            address_list_prefix: "gerbang-".into(),
            is_default: is_default.get_untracked(),
        }
    };
    // A failed save carries the test that failed it: say what its problem was.
    let failed = move |e: ApiError| -> (bool, String) {
        let l = lang.get_untracked();
        let named = e
            .detail_json("test")
            .and_then(|t| t.get("problem")?.as_str().map(str::to_owned))
            .and_then(|p| {
                Some(match p.as_str() {
                    "unreachable" => ConnectionProblem::Unreachable,
                    "timeout" => ConnectionProblem::Timeout,
                    "login_refused" => ConnectionProblem::LoginRefused,
                    "tls_failed" => ConnectionProblem::TlsFailed,
                    "bad_fingerprint" => ConnectionProblem::BadFingerprint,
                    "protocol" => ConnectionProblem::Protocol,
                    _ => return None,
                })
            });
        match named {
            Some(p) => (false, say(l, problem(p)).to_owned()),
            None => (false, problem_text(l, &e)),
        }
    };
    let test = move |_| {
        busy.set(true);
        let body = input();
        spawn_local(async move {
            let r = api::test_router(&body).await;
            busy.set(false);
            result.set(Some(match r {
                Ok(t) => test_text(lang.get_untracked(), &t),
                Err(e) => failed(e),
            }));
        });
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        let body = input();
        spawn_local(async move {
            let r = api::create_router(&body).await;
            busy.set(false);
            match r {
                Ok(saved) => {
                    result.set(Some(test_text(lang.get_untracked(), &saved.test)));
                    password.set(String::new());
                    on_saved();
                }
                Err(e) => result.set(Some(failed(e))),
            }
        });
    };
    view! {
        <section class="card stack" aria-labelledby="add-router-title">
            <h3 id="add-router-title">{t!(lang, admin::ADD_ROUTER)}</h3>
            <form class="stack" id="router-form" on:submit=save>
                <In id="router-name" label=admin::ROUTER_NAME value=name/>
                <div class="row">
                    <In id="router-host" label=admin::HOST value=host/>
                    <In id="router-port" label=admin::API_PORT value=port kind="number"/>
                </div>
                <div class="row">
                    <In id="router-user" label=admin::API_USER value=user/>
                    <In id="router-password" label=admin::API_PASSWORD value=password kind="password"/>
                </div>
                <label class="row">
                    <input type="checkbox" id="router-bypass" prop:checked=move || bypass.get()
                        on:change=move |ev| bypass.set(event_target_checked(&ev))/>
                    <span>{t!(lang, admin::MODE_BYPASS)}</span>
                </label>
                <In id="router-login-url" label=admin::LOGIN_URL value=login_url/>
                <In id="router-server" label=admin::HOTSPOT_SERVER value=server/>
                <In id="router-fingerprint" label=admin::FINGERPRINT value=fingerprint/>
                <label class="row">
                    <input type="checkbox" id="router-default" prop:checked=move || is_default.get()
                        on:change=move |ev| is_default.set(event_target_checked(&ev))/>
                    <span>{t!(lang, admin::DEFAULT_ROUTER)}</span>
                </label>
                {move || result.get().map(|(ok, text)| view! {
                    <p id="router-test" class=if ok { "notice ok" } else { "notice bad" } role="status">{text}</p>
                })}
                <div class="row">
                    <button type="button" id="router-test-button" disabled=move || busy.get() on:click=test>{t!(lang, admin::TEST_CONNECTION)}</button>
                    <button type="submit" class="primary" id="router-save" disabled=move || busy.get()>{t!(lang, admin::SAVE)}</button>
                </div>
            </form>
        </section>
    }
}
