//! `/admin/audit`: the audit log, newest first — every admin, person,
//! system and worker change, with what changed. Filters: action family,
//! days, and one person (`?user=<id>`, from a person's page).

use leptos::{prelude::*, task::spawn_local};
use shared_types::AuditEntry;

use super::{person_lists::AuditItem, words::problem_text};
use crate::{
    api::{self, AuditFilter},
    i18n::admin,
    routes::Page,
    state::{ctx, query_param},
    t,
};

/// Action families an admin filters by (`user` matches every `user.…`).
const FAMILIES: &[(&str, (&str, &str))] = &[
    (
        "user",
        (
            "Pengguna (blokir, ubah, hapus…)",
            "People (block, edit, delete…)",
        ),
    ),
    ("quota", ("Kuota", "Quota")),
    ("session", ("Sesi", "Sessions")),
    ("device", ("Perangkat", "Devices")),
    ("purchase", ("Pembelian", "Purchases")),
    ("package", ("Paket", "Packages")),
];

#[component]
pub fn AdminAudit() -> impl IntoView {
    let lang = ctx().lang;
    let user = query_param("user");
    let filter = RwSignal::new(AuditFilter {
        user_id: user.clone(),
        ..Default::default()
    });
    let items = RwSignal::new(Vec::<AuditEntry>::new());
    let next = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<String>);
    let loaded = RwSignal::new(false);
    let ticket = StoredValue::new(0u64);
    let load = move |after: Option<String>| {
        let mine = ticket.get_value() + u64::from(after.is_none());
        ticket.set_value(mine);
        let f = filter.get_untracked();
        spawn_local(async move {
            let answer = api::audit_page(&f, after.as_deref()).await;
            if ticket.get_value() != mine {
                return;
            }
            loaded.set(true);
            match answer {
                Ok(page) => {
                    if after.is_some() {
                        items.update(|i| i.extend(page.items));
                    } else {
                        items.set(page.items);
                    }
                    next.set(page.next);
                    error.set(None);
                }
                Err(e) => error.set(Some(problem_text(lang.get_untracked(), &e))),
            }
        });
    };
    Effect::new(move |_| {
        filter.track();
        load(None);
    });
    let set = move |field: fn(&mut AuditFilter) -> &mut Option<String>| {
        move |ev: leptos::ev::Event| {
            let v = event_target_value(&ev);
            filter.update(|f| *field(f) = Some(v).filter(|v| !v.is_empty()));
        }
    };
    view! {
        <section class="card stack" aria-labelledby="audit-title">
            <h2 id="audit-title">{t!(lang, admin::AUDIT_LOG)}</h2>
            <div class="filters">
                <label class="stack field" for="audit-action">
                    <span>{t!(lang, admin::ACTIONS)}</span>
                    <select id="audit-action" on:change=set(|f| &mut f.action)>
                        <option value="">{t!(lang, admin::ALL_ACTIONS)}</option>
                        {FAMILIES.iter().map(|(v, label)| view! {
                            <option value=*v>{t!(lang, *label)}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label class="stack field" for="audit-from">
                    <span>{t!(lang, admin::FROM_DAY)}</span>
                    <input id="audit-from" type="date" on:change=set(|f| &mut f.from)/>
                </label>
                <label class="stack field" for="audit-to">
                    <span>{t!(lang, admin::TO_DAY)}</span>
                    <input id="audit-to" type="date" on:change=set(|f| &mut f.to)/>
                </label>
            </div>
            {move || filter.get().user_id.map(|_| view! {
                <p class="row spread"><span class="tag">{t!(lang, admin::ONLY_THIS_PERSON)}</span>
                    <a href=Page::AdminAudit.path() rel="external">{t!(lang, admin::SHOW_EVERYONE)}</a></p>
            })}
            <ul class="list" id="audit-entries">
                <For each=move || items.get() key=|e| e.id.to_string() let:e>
                    <AuditItem e=e/>
                </For>
            </ul>
            {move || (loaded.get() && items.with(Vec::is_empty)).then(|| view! {
                <p class="muted">{t!(lang, admin::NOTHING_RECORDED)}</p>
            })}
            {move || next.get().is_some().then(|| view! {
                <button type="button" id="audit-more" on:click=move |_| load(next.get_untracked())>
                    {t!(lang, admin::LOAD_MORE)}
                </button>
            })}
            <p class="status-bad" role="alert">{move || error.get()}</p>
        </section>
    }
}
