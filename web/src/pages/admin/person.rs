//! `/admin/pengguna/{id}`: one person. The summary (status and why, quota
//! and validity), the actions (`person_forms`), then live sessions, devices,
//! usage, credits, purchases and the audit trail (`person_lists`). Every
//! change reloads the detail, so what is shown is what the API holds.

use leptos::{prelude::*, task::spawn_local};
use leptos_router::hooks::use_params_map;
use shared_types::{access::format_bytes, phone::local_form, UserDetail};

use super::{
    person_forms::PersonActions,
    person_lists::{AuditTrail, Credits, Devices, LiveList, Purchases, Usage},
    words::{role_text, rule_text, status_text},
};
use crate::{
    api::{self, ApiError},
    components::{async_view::loaded, format::date_time},
    i18n::{admin, say},
    routes::Page,
    state::ctx,
    t,
};

/// The detail being shown, how to load it again after a change, and what
/// the last action said (kept across the reload it causes).
#[derive(Clone, Copy)]
pub struct Shown {
    pub id: StoredValue<String>,
    pub detail: RwSignal<Option<Result<UserDetail, ApiError>>>,
    pub notice: RwSignal<Option<String>>,
    pub error: RwSignal<Option<String>>,
}

impl Shown {
    pub fn reload(self) {
        let id = self.id.get_value();
        spawn_local(async move {
            let answer = api::user_detail(&id).await;
            self.detail.set(Some(answer));
        });
    }
}

#[component]
pub fn AdminPerson() -> impl IntoView {
    let lang = ctx().lang;
    let params = use_params_map();
    let id = params.get_untracked().get("id").unwrap_or_default();
    let shown = Shown {
        id: StoredValue::new(id),
        detail: RwSignal::new(None),
        notice: RwSignal::new(None),
        error: RwSignal::new(None),
    };
    shown.reload();
    view! {
        <p><a href=Page::AdminPeople.path() id="back-to-people">{t!(lang, admin::BACK_TO_PEOPLE)}</a></p>
        {move || loaded(shown.detail.get(), move |d| view! { <Person d=d shown=shown/> }.into_any())}
    }
}

#[component]
fn Person(d: UserDetail, shown: Shown) -> impl IntoView {
    let lang = ctx().lang;
    let u = d.user.clone();
    let who = match (&u.phone, &u.username) {
        (Some(p), _) => local_form(p),
        (None, Some(n)) => n.clone(),
        _ => String::new(),
    };
    let place = match (&u.blok, &u.kamar, &u.tamping_type) {
        (Some(b), Some(k), _) => format!("Blok {b} · Kamar {k}"),
        (_, _, Some(t)) => format!("Tamping {t}"),
        _ => String::new(),
    };
    let when = move |t: Option<String>| {
        move || match &t {
            Some(t) => date_time(lang.get(), t),
            None => say(lang.get(), admin::NONE).to_owned(),
        }
    };
    let fup = d
        .fup_threshold_bytes
        .map(format_bytes)
        .unwrap_or_else(|| "—".into());
    let left = if u.unlimited {
        say(lang.get_untracked(), admin::STATUS_UNLIMITED).to_owned()
    } else {
        format_bytes(u.remaining_bytes)
    };
    let bad = !u.status.allows_access();
    view! {
        <section class="card stack" aria-labelledby="person-name" id="person">
            <div class="row spread">
                <h2 id="person-name">{u.name.clone()}</h2>
                <span class="tag" class:warn=bad id="person-status">{t!(lang, status_text(u.status))}</span>
            </div>
            <p class="muted">{who}" · "{t!(lang, role_text(u.role))}
                {(!place.is_empty()).then(|| format!(" · {place}"))}
                {d.router_name.clone().map(|r| format!(" · Router {r}"))}</p>
            <p id="person-why"><strong>{t!(lang, admin::WHY)}": "</strong>{t!(lang, rule_text(d.rule))}
                {d.blocked_reason.clone().map(|r| view! { " — " <em>{r}</em> })}
                {d.reject_reason.clone().map(|r| view! { " — " <em>{r}</em> })}</p>
            <dl class="facts">
                <div><dt>{t!(lang, admin::QUOTA_BOUGHT)}</dt><dd id="person-quota">{format_bytes(u.quota_bytes)}</dd></div>
                <div><dt>{t!(lang, admin::QUOTA_USED)}</dt><dd>{format_bytes(u.used_bytes)}</dd></div>
                <div><dt>{t!(lang, admin::QUOTA_LEFT)}</dt><dd id="person-left">{left}</dd></div>
                <div><dt>{t!(lang, admin::VALID_UNTIL)}</dt><dd>{when(u.valid_until.as_ref().map(|t| t.to_string()))}</dd></div>
                <div><dt>{t!(lang, admin::UNLIMITED_UNTIL)}</dt><dd>{when(d.unlimited_until.as_ref().map(|t| t.to_string()))}</dd></div>
                <div><dt>{t!(lang, admin::FUP_THRESHOLD)}</dt><dd>{fup}</dd></div>
            </dl>
        </section>
        <PersonActions d=d.clone() shown=shown/>
        <LiveList d=d.clone() shown=shown/>
        <Devices d=d.clone() shown=shown/>
        <Usage history=d.usage.clone()/>
        <Credits credits=d.credits.clone()/>
        <Purchases purchases=d.purchases.clone()/>
        <AuditTrail id=u.id.to_string() entries=d.audit.clone()/>
    }
}
