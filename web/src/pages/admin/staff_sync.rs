//! "Sinkronkan dari router" on the staff screen: one read of the router's
//! hotspot accounts sorted by comment — linked, missing (create the
//! account; its password shows once), accounts whose comment matches no
//! staff member (adopt one into a staff member: its password stays), and
//! how many were left alone. With more than one router, the admin picks
//! which one to read.

use leptos::{prelude::*, task::spawn_local};
use shared_types::{RouterAccount, StaffSync, StaffView};

use super::{
    staff_edit::{RouterChoices, RouterSelect},
    words::problem_text,
};
use crate::{
    api,
    i18n::{say, staff},
    state::ctx,
    t,
};

#[component]
pub fn StaffSyncPanel(
    choices: RouterChoices,
    on_change: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let lang = ctx().lang;
    let router = RwSignal::new(String::new());
    let sync = RwSignal::new(None::<StaffSync>);
    let error = RwSignal::new(None::<String>);
    let notice = RwSignal::new(None::<String>);
    let run = move || {
        spawn_local(async move {
            let chosen = Some(router.get_untracked()).filter(|r| !r.is_empty());
            match api::sync_staff(chosen).await {
                Ok(s) => {
                    error.set(None);
                    sync.set(Some(s));
                }
                Err(e) => error.set(Some(problem_text(lang.get_untracked(), &e))),
            }
        });
    };
    let create = move |s: StaffView| {
        spawn_local(async move {
            let l = lang.get_untracked();
            match api::create_staff_hotspot_account(&s.id).await {
                Ok(made) => {
                    notice.set(Some(format!(
                        "{} {} — {} {}",
                        say(l, staff::HOTSPOT_USERNAME),
                        made.username,
                        say(l, staff::SHOWN_ONCE),
                        made.password
                    )));
                    run();
                    on_change();
                }
                Err(e) => error.set(Some(problem_text(l, &e))),
            }
        });
    };
    let adopt = move |account: String, staff_id: String| {
        spawn_local(async move {
            match api::adopt_staff_account(&staff_id, &account).await {
                Ok(_) => {
                    run();
                    on_change();
                }
                Err(e) => error.set(Some(problem_text(lang.get_untracked(), &e))),
            }
        });
    };
    view! {
        <section class="card stack" aria-labelledby="sync-title">
            <div class="row spread">
                <h3 id="sync-title">{t!(lang, staff::SYNC_FROM_ROUTER)}</h3>
                <button type="button" id="staff-sync" on:click=move |_| run()>{t!(lang, staff::SYNC)}</button>
            </div>
            {move || (choices.get().len() > 1).then(|| view! {
                <RouterSelect id="sync-router" value=router choices=choices default_label=staff::DEFAULT_ROUTER/>
            })}
            <p class="status-ok" role="status" id="sync-notice">{move || notice.get()}</p>
            <p class="status-bad" role="alert">{move || error.get()}</p>
            {move || sync.get().map(|s| {
                let candidates = s.missing.clone();
                let none = |empty: bool| empty.then(|| view! { <p class="muted">"—"</p> });
                let (no_linked, no_missing, no_unmatched) =
                    (none(s.linked.is_empty()), none(s.missing.is_empty()), none(s.unmatched.is_empty()));
                view! {
                    <p class="muted">{s.router_name.clone()}" · "{s.left_alone}" "{t!(lang, staff::LEFT_ALONE)}</p>
                    <h4>{t!(lang, staff::LINKED)}</h4>
                    {no_linked}
                    <ul class="list" id="sync-linked">
                        {s.linked.into_iter().map(|l| view! {
                            <li class="row spread"><span>{l.staff.name}</span><span class="mono">{l.account.name}</span></li>
                        }).collect_view()}
                    </ul>
                    <h4>{t!(lang, staff::MISSING)}</h4>
                    {no_missing}
                    <ul class="list" id="sync-missing">
                        {s.missing.into_iter().map(|m| {
                            let mm = m.clone();
                            view! {
                                <li class="row spread" data-staff=m.username.clone()>
                                    <span>{m.name.clone()}" · "<span class="mono">{m.operator_key.clone()}</span></span>
                                    <button type="button" class="create-account" on:click=move |_| create(mm.clone())>{t!(lang, staff::CREATE_ACCOUNT)}</button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                    <h4>{t!(lang, staff::UNMATCHED)}</h4>
                    {no_unmatched}
                    <ul class="list" id="sync-unmatched">
                        {s.unmatched.into_iter().map(|a| view! {
                            <Unmatched a=a candidates=candidates.clone() adopt=adopt/>
                        }).collect_view()}
                    </ul>
                }
            })}
        </section>
    }
}

#[component]
fn Unmatched(
    a: RouterAccount,
    candidates: Vec<StaffView>,
    adopt: impl Fn(String, String) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let lang = ctx().lang;
    let chosen = RwSignal::new(String::new());
    let name = StoredValue::new(a.name.clone());
    view! {
        <li class="stack" data-account=a.name.clone()>
            <div class="row spread">
                <span class="mono">{a.name.clone()}</span>
                <span class="muted">{a.comment.clone().unwrap_or_default()}</span>
            </div>
            <div class="row">
                <select class="adopt-into" on:change=move |ev| chosen.set(event_target_value(&ev))>
                    <option value="">{t!(lang, staff::ADOPT_INTO)}</option>
                    {candidates.into_iter().map(|s| view! {
                        <option value=s.id.to_string()>{s.name}</option>
                    }).collect_view()}
                </select>
                <button type="button" class="adopt" disabled=move || chosen.get().is_empty()
                    on:click=move |_| adopt(name.get_value(), chosen.get_untracked())>{t!(lang, staff::ADOPT)}</button>
            </div>
        </li>
    }
}
