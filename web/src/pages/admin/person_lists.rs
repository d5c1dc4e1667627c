//! The lists on a person's page — live sessions (kick), devices (forget),
//! usage (7/30/90 days), credits, purchases, audit trail — and one audit
//! entry as the audit page shows it too.

use leptos::{prelude::*, task::spawn_local};
use shared_types::{
    access::format_bytes, format_rupiah, AuditEntry, LedgerEntry, LiveSession, PurchaseView,
    UsageHistory, UserDetail,
};

use super::{
    person::Shown,
    words::{action_text, duration_text, problem_text},
};
use crate::{
    api,
    components::{format::date_time, usage_chart::UsageChart},
    i18n::{admin, say},
    routes::Page,
    state::ctx,
    t,
};

/// One live session: who, where, how long, how much, what is left.
#[component]
pub fn SessionLine(s: LiveSession) -> impl IntoView {
    let lang = ctx().lang;
    let uptime = s.uptime_seconds;
    view! {
        <span class="muted">
            {s.ip.clone().unwrap_or_default()}" · "{s.mac.clone().unwrap_or_default()}
            {move || uptime.map(|u| format!(" · {} {}", say(lang.get(), admin::UPTIME), duration_text(lang.get(), u)))}
            " · "{format_bytes(s.bytes)}
            {move || s.limit_left_bytes.map(|l| format!(" · {} {}", say(lang.get(), admin::LIMIT_LEFT), format_bytes(l)))}
        </span>
    }
}

#[component]
pub fn LiveList(d: UserDetail, shown: Shown) -> impl IntoView {
    let lang = ctx().lang;
    let error = RwSignal::new(None::<String>);
    let reachable = d.live.router_reachable;
    let sessions = d.live.sessions.clone();
    let empty = sessions.is_empty();
    view! {
        <section class="card stack" aria-labelledby="live-title">
            <h3 id="live-title">{t!(lang, admin::LIVE_SESSIONS)}</h3>
            {(!reachable).then(|| view! { <p class="status-bad">{t!(lang, admin::ROUTER_UNREACHABLE)}</p> })}
            {(reachable && empty).then(|| view! { <p class="muted">{t!(lang, admin::NO_LIVE_SESSIONS)}</p> })}
            <ul class="list" id="live-sessions">
                {sessions.into_iter().map(|s| {
                    let session = StoredValue::new(s.session_id.clone());
                    let hotspot = s.kind == "hotspot";
                    let kick = move |_| {
                        spawn_local(async move {
                            match api::kick_session(&shown.id.get_value(), &session.get_value()).await {
                                Ok(_) => shown.reload(),
                                Err(e) => error.set(Some(problem_text(lang.get_untracked(), &e))),
                            }
                        });
                    };
                    view! {
                        <li class="row spread">
                            <SessionLine s=s/>
                            {hotspot.then(|| view! { <button type="button" class="danger kick" on:click=kick>{t!(lang, admin::KICK)}</button> })}
                        </li>
                    }
                }).collect_view()}
            </ul>
            <p class="status-bad" role="alert">{move || error.get()}</p>
        </section>
    }
}

#[component]
pub fn Devices(d: UserDetail, shown: Shown) -> impl IntoView {
    let lang = ctx().lang;
    let error = RwSignal::new(None::<String>);
    let empty = d.devices.is_empty();
    view! {
        <section class="card stack" aria-labelledby="devices-title">
            <h3 id="devices-title">{t!(lang, admin::DEVICES)}</h3>
            {empty.then(|| view! { <p class="muted">{t!(lang, admin::NO_DEVICES)}</p> })}
            <ul class="list" id="person-devices">
                {d.devices.into_iter().map(|dev| {
                    let device = StoredValue::new(dev.id.to_string());
                    let seen = dev.last_seen.to_string();
                    let forget = move |_| {
                        spawn_local(async move {
                            match api::forget_device(&shown.id.get_value(), &device.get_value()).await {
                                Ok(_) => shown.reload(),
                                Err(e) => error.set(Some(problem_text(lang.get_untracked(), &e))),
                            }
                        });
                    };
                    view! {
                        <li class="row spread">
                            <span>
                                <strong>{dev.label.clone().unwrap_or_else(|| dev.mac.clone())}</strong>
                                <span class="muted">" "{dev.mac.clone()}
                                    {dev.randomized.then(|| view! { " · " {t!(lang, admin::RANDOM_MAC)} })}
                                    " · "{t!(lang, admin::LAST_SEEN)}" "{move || date_time(lang.get(), &seen)}</span>
                            </span>
                            <button type="button" class="forget" on:click=forget>{t!(lang, admin::FORGET)}</button>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <p class="status-bad" role="alert">{move || error.get()}</p>
        </section>
    }
}

/// The last `days` days of a 90-day history, with their own total.
fn last_days(h: &UsageHistory, days: usize) -> UsageHistory {
    let from = h.days.len().saturating_sub(days);
    let days = h.days[from..].to_vec();
    let total_bytes = days.iter().map(|d| d.bytes).sum();
    UsageHistory {
        days,
        total_bytes,
        total_text: format_bytes(total_bytes),
    }
}

#[component]
pub fn Usage(history: UsageHistory) -> impl IntoView {
    let lang = ctx().lang;
    let span = RwSignal::new(7usize);
    let history = StoredValue::new(history);
    let pick = move |n: usize, label: (&'static str, &'static str)| {
        view! {
            <button type="button" class:primary=move || span.get() == n aria-pressed=move || (span.get() == n).to_string()
                on:click=move |_| span.set(n)>{t!(lang, label)}</button>
        }
    };
    view! {
        <section class="card stack" aria-labelledby="usage-title">
            <div class="row spread wrap">
                <h3 id="usage-title">{t!(lang, admin::USAGE)}</h3>
                <div class="row">{pick(7, admin::DAYS_7)}{pick(30, admin::DAYS_30)}{pick(90, admin::DAYS_90)}</div>
            </div>
            {move || {
                let h = last_days(&history.get_value(), span.get());
                let total = h.total_text.clone();
                view! { <UsageChart history=h/> <p class="muted">{total}</p> }
            }}
        </section>
    }
}

#[component]
pub fn Credits(credits: Vec<LedgerEntry>) -> impl IntoView {
    let lang = ctx().lang;
    let empty = credits.is_empty();
    view! {
        <section class="card stack" aria-labelledby="credits-title">
            <h3 id="credits-title">{t!(lang, admin::CREDITS)}</h3>
            {empty.then(|| view! { <p class="muted">{t!(lang, admin::NO_CREDITS)}</p> })}
            <ul class="list" id="person-credits">
                {credits.into_iter().map(|c| {
                    let at = c.created_at.to_string();
                    let what = if c.source == "adjustment" { admin::ADJUSTMENT } else { admin::PURCHASE };
                    let bytes = if c.unlimited {
                        say(lang.get_untracked(), admin::STATUS_UNLIMITED).to_owned()
                    } else if c.quota_bytes < 0 {
                        format!("−{}", format_bytes(-c.quota_bytes))
                    } else {
                        format!("+{}", format_bytes(c.quota_bytes))
                    };
                    let days = c.validity_days;
                    view! {
                        <li class="stack">
                            <div class="row spread">
                                <strong>{t!(lang, what)}" "{bytes}
                                    {(days != 0).then(|| view! { " · " {format!("{days:+}")} " " {t!(lang, admin::DAYS)} })}</strong>
                                <span class="muted">{move || date_time(lang.get(), &at)}</span>
                            </div>
                            {c.reason.clone().map(|r| view! {
                                <p class="muted">{r}{c.actor_name.clone().map(|a| view! { " — " {t!(lang, admin::BY)} " " {a} })}</p>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
pub fn Purchases(purchases: Vec<PurchaseView>) -> impl IntoView {
    let lang = ctx().lang;
    let empty = purchases.is_empty();
    view! {
        <section class="card stack" aria-labelledby="purchases-title">
            <h3 id="purchases-title">{t!(lang, admin::PURCHASES)}</h3>
            {empty.then(|| view! { <p class="muted">{t!(lang, admin::NO_PURCHASES)}</p> })}
            <ul class="list">
                {purchases.into_iter().map(|p| {
                    let at = p.created_at.to_string();
                    view! {
                        <li class="row spread">
                            <span><strong>{p.package_name.clone()}</strong>" · "{format_rupiah(p.amount_idr)}</span>
                            <span class="muted">{p.status_text.clone()}" · "{move || date_time(lang.get(), &at)}</span>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
pub fn AuditTrail(id: String, entries: Vec<AuditEntry>) -> impl IntoView {
    let lang = ctx().lang;
    let empty = entries.is_empty();
    let all = format!("{}?user={id}", Page::AdminAudit.path());
    view! {
        <section class="card stack" aria-labelledby="trail-title">
            <div class="row spread">
                <h3 id="trail-title">{t!(lang, admin::HISTORY)}</h3>
                <a href=all>{t!(lang, admin::SEE_ALL)}</a>
            </div>
            {empty.then(|| view! { <p class="muted">{t!(lang, admin::NOTHING_RECORDED)}</p> })}
            <ul class="list" id="person-trail">
                {entries.into_iter().map(|e| view! { <AuditItem e=e/> }).collect_view()}
            </ul>
        </section>
    }
}

/// `field: before → after` for each field an entry changed (sizes as GB,
/// times as dates).
fn changes(lang: crate::i18n::Lang, details: &serde_json::Value) -> Vec<String> {
    let show = |k: &str, v: Option<&serde_json::Value>| match v {
        None | Some(serde_json::Value::Null) => "—".to_owned(),
        Some(v) if k.ends_with("_bytes") => v.as_i64().map(format_bytes).unwrap_or_default(),
        Some(serde_json::Value::String(s)) if k.ends_with("until") || k.ends_with("_at") => {
            date_time(lang, s)
        }
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(v) => v.to_string(),
    };
    let Some(before) = details.get("before").and_then(|b| b.as_object()) else {
        return Vec::new();
    };
    let after = details.get("after");
    before
        .iter()
        .filter_map(|(k, b)| {
            let a = after.and_then(|a| a.get(k));
            (Some(b) != a).then(|| format!("{k}: {} → {}", show(k, Some(b)), show(k, a)))
        })
        .collect()
}

/// One audit entry: when, who, what, to whom, and what changed.
#[component]
pub fn AuditItem(e: AuditEntry) -> impl IntoView {
    let lang = ctx().lang;
    let at = e.at.to_string();
    let actor = e.actor_name.clone();
    let action = e.action.clone();
    let target = match (&e.target_kind, &e.target_id, &e.target_name) {
        (Some(k), Some(id), Some(name)) if k == "user" => Some((id.clone(), name.clone())),
        _ => None,
    };
    let reason = e
        .details
        .get("reason")
        .and_then(|r| r.as_str())
        .map(str::to_owned);
    let details = e.details.clone();
    let lines = move || changes(lang.get(), &details);
    view! {
        <li class="stack audit-entry" data-action=e.action.clone()>
            <div class="row spread wrap">
                <span>
                    <strong>{move || actor.clone().unwrap_or_else(|| say(lang.get(), admin::SYSTEM).to_owned())}</strong>
                    " "{move || action_text(lang.get(), &action)}" "
                    {target.map(|(id, name)| view! { <a href=Page::AdminPerson(id).path()>{name}</a> })}
                </span>
                <span class="muted">{move || date_time(lang.get(), &at)}</span>
            </div>
            {reason.map(|r| view! { <p class="muted">"“"{r}"”"</p> })}
            {move || lines().into_iter().map(|l| view! { <p class="muted mono">{l}</p> }).collect_view()}
        </li>
    }
}
