//! `/admin/pengguna`: finding people. One search box takes a name or any
//! part of a number in any form (`1234`, `0812…`, `+62812…`); a status
//! filter; pages of 25 with "Muat lagi" and how many match in all.

use std::time::Duration;

use leptos::{prelude::*, task::spawn_local};
use shared_types::{access::format_bytes, phone::local_form, AccessStatus, UserRow};

use super::words::status_text;
use crate::{
    api,
    i18n::{admin, error_text, say},
    routes::Page,
    state::ctx,
    t,
};

/// Wait after the last keystroke before searching.
const DEBOUNCE: Duration = Duration::from_millis(300);

#[component]
pub fn AdminPeople() -> impl IntoView {
    let lang = ctx().lang;
    let q = RwSignal::new(String::new());
    // The overview links here with `?status=…` (and `?online=1`).
    let query = leptos_router::hooks::use_query_map();
    let status = RwSignal::new(
        query.with_untracked(|q| q.get("status").and_then(|s| AccessStatus::parse(&s))),
    );
    let online_only = RwSignal::new(query.with_untracked(|q| q.get("online").is_some()));
    let rows = RwSignal::new(Vec::<UserRow>::new());
    let total = RwSignal::new(None::<i64>);
    let next = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    // Each new search takes a ticket; an answer for an older ticket is dropped.
    let ticket = StoredValue::new(0u64);
    let load = move |mine: u64, after: Option<String>| {
        busy.set(true);
        spawn_local(async move {
            let answer = api::find_users(
                &q.get_untracked(),
                status.get_untracked(),
                online_only.get_untracked(),
                after.as_deref(),
            )
            .await;
            if ticket.get_value() != mine {
                return;
            }
            busy.set(false);
            match answer {
                Ok(page) => {
                    if after.is_some() {
                        rows.update(|r| r.extend(page.items));
                    } else {
                        rows.set(page.items);
                    }
                    total.set(Some(page.total));
                    next.set(page.next);
                    error.set(None);
                }
                Err(e) => error.set(Some(error_text(lang.get_untracked(), e.code()).into())),
            }
        });
    };
    Effect::new(move |_| {
        q.track();
        status.track();
        online_only.track();
        let mine = ticket.get_value() + 1;
        ticket.set_value(mine);
        set_timeout(
            move || {
                if ticket.get_value() == mine {
                    load(mine, None);
                }
            },
            DEBOUNCE,
        );
    });
    let more = move |_| load(ticket.get_value(), next.get_untracked());
    let pick_status = move |ev: leptos::ev::Event| {
        status.set(AccessStatus::parse(&event_target_value(&ev)));
    };
    view! {
        <section class="card stack" aria-labelledby="people-title">
            <h2 id="people-title">{t!(lang, admin::PEOPLE)}</h2>
            <label for="people-search" class="sr-only">{t!(lang, admin::SEARCH_NAME_OR_NUMBER)}</label>
            <input id="people-search" type="search" autocomplete="off" maxlength="64"
                placeholder=move || say(lang.get(), admin::SEARCH_NAME_OR_NUMBER)
                prop:value=move || q.get() on:input=move |ev| q.set(event_target_value(&ev))/>
            <label for="people-status" class="sr-only">{t!(lang, admin::STATUS)}</label>
            <select id="people-status" on:change=pick_status>
                <option value="">{t!(lang, admin::ALL_STATUSES)}</option>
                {AccessStatus::ALL.into_iter().map(|s| view! {
                    <option value=s.as_str() selected=move || status.get() == Some(s)>{t!(lang, status_text(s))}</option>
                }).collect_view()}
            </select>
            <label class="row">
                <input type="checkbox" id="people-online" prop:checked=move || online_only.get()
                    on:change=move |ev| online_only.set(event_target_checked(&ev))/>
                <span>{t!(lang, admin::ONLINE_ONLY)}</span>
            </label>
            <p class="muted" id="people-total" aria-live="polite">{move || total.get().map(|n| {
                format!("{n} {}", say(lang.get(), admin::PEOPLE_FOUND))
            })}</p>
            <ul class="list" id="people">
                <For each=move || rows.get() key=|u| u.id.to_string() let:u>
                    <PersonRow u=u/>
                </For>
            </ul>
            {move || (total.get() == Some(0)).then(|| view! {
                <p class="muted">{t!(lang, admin::NOBODY_MATCHES)}</p>
            })}
            {move || next.get().is_some().then(|| view! {
                <button type="button" id="people-more" disabled=move || busy.get() on:click=more>
                    {t!(lang, admin::LOAD_MORE)}
                </button>
            })}
            <p class="status-bad" role="alert">{move || error.get()}</p>
        </section>
    }
}

#[component]
fn PersonRow(u: UserRow) -> impl IntoView {
    let lang = ctx().lang;
    let who = match (&u.phone, &u.username) {
        (Some(p), _) => local_form(p),
        (None, Some(name)) => name.clone(),
        (None, None) => String::new(),
    };
    let place = match (&u.blok, &u.kamar, &u.tamping_type) {
        (Some(b), Some(k), _) => format!("Blok {b}/{k}"),
        (_, _, Some(t)) => t.clone(),
        _ => String::new(),
    };
    let left = (!u.unlimited).then(|| format_bytes(u.remaining_bytes));
    let bad = !u.status.allows_access();
    let status = u.status;
    view! {
        <li class="person">
            <div class="row spread">
                <a class="person-link" href=Page::AdminPerson(u.id.to_string()).path()><strong>{u.name.clone()}</strong></a>
                <span class="tag" class:warn=bad>{t!(lang, status_text(status))}</span>
            </div>
            <p class="muted">
                {who}
                {(!place.is_empty()).then(|| format!(" · {place}"))}
                {left.map(|l| view! { " · " {l} " " {t!(lang, admin::LEFT)} })}
            </p>
        </li>
    }
}
