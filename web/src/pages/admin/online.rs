//! `/admin/online`: everyone with a live session, router by router, with a
//! search and a kick button. It refreshes by itself at the interval the API
//! names (the API shares one router read per interval however many admins
//! watch), and stops when the page is left.

use std::time::Duration;

use leptos::{prelude::*, task::spawn_local};
use shared_types::{LiveSession, OnlineNow};

use super::{person_lists::SessionLine, words::problem_text};
use crate::{
    api::{self, ApiError},
    components::async_view::loaded,
    i18n::{admin, say},
    routes::Page,
    state::ctx,
    t,
};

/// Whether a session matches the search (name, number, IP or MAC).
fn matches(s: &LiveSession, q: &str) -> bool {
    let q = q.trim().to_lowercase();
    q.is_empty()
        || [&s.user_name, &s.hotspot_username, &s.ip, &s.mac]
            .iter()
            .any(|f| f.as_deref().is_some_and(|v| v.to_lowercase().contains(&q)))
}

#[component]
pub fn AdminOnline() -> impl IntoView {
    let lang = ctx().lang;
    let now = RwSignal::new(None::<Result<OnlineNow, ApiError>>);
    let q = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let load = move || {
        spawn_local(async move {
            let answer = api::online_now().await;
            now.set(Some(answer));
        });
    };
    load();
    // Poll at the API's interval (at least 3 s); stop when the page goes.
    let every = Memo::new(move |_| {
        now.with(|n| match n {
            Some(Ok(o)) => o.refresh_seconds.max(3),
            _ => 5,
        })
    });
    Effect::new(move |_| {
        let secs = every.get();
        if let Ok(handle) = set_interval_with_handle(load, Duration::from_secs(u64::from(secs))) {
            on_cleanup(move || handle.clear());
        }
    });
    let kick = move |user: String, session: String| {
        spawn_local(async move {
            match api::kick_session(&user, &session).await {
                Ok(_) => {
                    error.set(None);
                    load();
                }
                Err(e) => error.set(Some(problem_text(lang.get_untracked(), &e))),
            }
        });
    };
    view! {
        <section class="card stack" aria-labelledby="online-title">
            <h2 id="online-title">{t!(lang, admin::ONLINE_NOW)}</h2>
            <label for="online-search" class="sr-only">{t!(lang, admin::SEARCH_ONLINE)}</label>
            <input id="online-search" type="search" autocomplete="off" maxlength="64"
                placeholder=move || say(lang.get(), admin::SEARCH_ONLINE)
                prop:value=move || q.get() on:input=move |ev| q.set(event_target_value(&ev))/>
            <p class="muted">{t!(lang, admin::REFRESHES_EVERY)}" "{move || every.get()}" "{t!(lang, admin::SECONDS)}</p>
            <p class="status-bad" role="alert">{move || error.get()}</p>
            {move || { let query = q.get(); loaded(now.get(), move |o| o.routers.into_iter().map(|r| {
                let sessions: Vec<LiveSession> = r.live.sessions.into_iter()
                    .filter(|s| matches(s, &query))
                    .collect();
                let count = sessions.len();
                let reachable = r.live.router_reachable;
                view! {
                    <div class="stack">
                        <h3>{r.router_name.clone()}" · "{count}</h3>
                        {(!reachable).then(|| view! { <p class="status-bad">{t!(lang, admin::ROUTER_UNREACHABLE)}</p> })}
                        {(reachable && count == 0).then(|| view! { <p class="muted">{t!(lang, admin::NOBODY_ONLINE)}</p> })}
                        <ul class="list online-list">
                            {sessions.into_iter().map(|s| {
                                let name = s.user_name.clone().or(s.hotspot_username.clone()).unwrap_or_default();
                                let target = s.user_id.as_ref().map(|u| u.to_string());
                                let can_kick = s.kind == "hotspot" && target.is_some();
                                let (user, session) = (target.clone().unwrap_or_default(), s.session_id.clone());
                                view! {
                                    <li class="stack">
                                        <div class="row spread">
                                            {match target {
                                                Some(id) => view! { <a href=Page::AdminPerson(id).path()><strong>{name}</strong></a> }.into_any(),
                                                None => view! { <strong>{name}</strong> }.into_any(),
                                            }}
                                            {can_kick.then(|| view! {
                                                <button type="button" class="danger kick"
                                                    on:click=move |_| kick(user.clone(), session.clone())>{t!(lang, admin::KICK)}</button>
                                            })}
                                        </div>
                                        <SessionLine s=s/>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    </div>
                }
            }).collect_view().into_any()) }}
        </section>
    }
}
