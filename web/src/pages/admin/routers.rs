//! `/admin/router` (super admins): the routers, adding one with a
//! connection test first (nothing is saved when it fails, and the screen
//! says which field to fix), each router's setup — the RouterOS script to
//! paste and the live check of what it still lacks — and disable / enable.

use leptos::{prelude::*, task::spawn_local};
use shared_types::{RouterCycles, RouterView};

use super::{router_form::RouterForm, words::problem_text};
use crate::{
    api::{self, ApiError},
    components::async_view::loaded_list,
    i18n::{admin, facility, say},
    state::ctx,
    t,
};

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
        <section class="card stack" aria-labelledby="add-router-title">
            <h3 id="add-router-title">{t!(lang, admin::ADD_ROUTER)}</h3>
            <RouterForm current=None on_saved=move || list.refetch()/>
        </section>
    }
}

#[component]
fn RouterItem(r: RouterView, on_change: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let lang = ctx().lang;
    let id = StoredValue::new(r.id.to_string());
    let edit = StoredValue::new(r.clone());
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
    let editing = RwSignal::new(false);
    let cycles = LocalResource::new(move || api::router_cycles_of(id.get_value()));
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
                <button type="button" class="edit-router" on:click=move |_| editing.update(|e| *e = !*e)>{t!(lang, facility::EDIT)}</button>
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
            {move || cycles.get().and_then(Result::ok).filter(|c| !c.cycles.is_empty()).map(|c| view! { <CycleChart c=c/> })}
            {move || editing.get().then(|| view! {
                <RouterForm current=Some(edit.get_value()) on_saved=move || { editing.set(false); on_change(); }
                    on_cancel=Callback::new(move |_| editing.set(false))/>
            })}
            <p class="status-ok reconciled" role="status">{move || notice.get()}</p>
            <p class="status-bad" role="alert">{move || error.get()}</p>
        </li>
    }
}

/// The last cycles as bars of their duration (failed ones red), with the
/// sessions the last one saw and its error in words.
#[component]
fn CycleChart(c: RouterCycles) -> impl IntoView {
    let lang = ctx().lang;
    let l = lang.get_untracked();
    let (reads, writes) = (say(l, facility::READS), say(l, facility::WRITES));
    let values: Vec<i64> = c.cycles.iter().map(|c| i64::from(c.duration_ms)).collect();
    let last = c.cycles.last().cloned();
    let peak = values.iter().copied().max().unwrap_or(0);
    view! {
        <figure class="chart cycles">
            <figcaption class="muted">{t!(lang, facility::RECENT_CYCLES)}" · ▲ "{peak}" ms"</figcaption>
            <svg viewBox="0 0 320 120" role="img" width="100%" height="60"
                aria-label=move || say(lang.get(), facility::RECENT_CYCLES)>
                {crate::components::day_bars::bars(&values).into_iter().zip(c.cycles.clone()).map(|((x, y, w, h), cy)| view! {
                    <rect x=x y=y width=w height=h.max(2.0) rx="1" fill=if cy.ok { "#0b57d0" } else { "#b3261e" }>
                        <title>{format!("{} · {} ms · {} {reads} · {} {writes}{}", cy.at.get(11..16).unwrap_or(""), cy.duration_ms, cy.reads, cy.writes,
                            cy.error.map(|e| format!(" · {e}")).unwrap_or_default())}</title>
                    </rect>
                }).collect_view()}
            </svg>
        </figure>
        {last.map(|l| view! {
            <p class="muted cycle-summary">
                {l.online.map(|n| format!("{n} {} · ", say(lang.get_untracked(), facility::ONLINE_COUNT)))}
                {format!("{} ms · {} {reads} · {} {writes}", l.duration_ms, l.reads, l.writes)}
            </p>
            {l.error.map(|e| view! { <p class="status-bad last-error">{t!(lang, facility::LAST_ERROR)}": "{e}</p> })}
        })}
    }
}
