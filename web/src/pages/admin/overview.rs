//! `/admin` (the admin home): the facility at a glance. Every number links
//! to the list behind it — online now, people with a status, registrations
//! waiting, paid transactions, the routers screen — and the page refreshes
//! itself every 30 seconds (the API reads no router for it).

use std::time::Duration;

use leptos::prelude::*;
use shared_types::{access::format_bytes, format_rupiah, Overview, PeriodTotals, RouterGlance};

use super::words::{duration_text, status_text};
use crate::{
    api,
    components::{async_view::loaded, day_bars::DayBars},
    i18n::{facility, say, Lang},
    routes::Page,
    state::ctx,
    t,
};

const REFRESH: Duration = Duration::from_secs(30);

#[component]
pub fn AdminOverview() -> impl IntoView {
    let lang = ctx().lang;
    let overview = LocalResource::new(api::overview);
    if let Ok(handle) = set_interval_with_handle(move || overview.refetch(), REFRESH) {
        on_cleanup(move || handle.clear());
    }
    view! {
        <section class="stack" id="overview" aria-label=move || say(lang.get(), facility::OVERVIEW)>
            {move || loaded(overview.get(), move |o| view! { <Glance o=o/> }.into_any())}
        </section>
    }
}

fn totals(lang: Lang, t: PeriodTotals, format: fn(i64) -> String) -> impl IntoView {
    view! {
        <dl class="totals">
            <div><dt>{say(lang, facility::TODAY)}</dt><dd class="today">{format(t.today)}</dd></div>
            <div><dt>{say(lang, facility::LAST_7_DAYS)}</dt><dd>{format(t.days_7)}</dd></div>
            <div><dt>{say(lang, facility::LAST_30_DAYS)}</dt><dd class="days-30">{format(t.days_30)}</dd></div>
        </dl>
    }
}

fn rupiah(n: i64) -> String {
    format_rupiah(n)
}

#[component]
fn Glance(o: Overview) -> impl IntoView {
    let lang = ctx().lang;
    let l = lang.get_untracked();
    let paid = format!("{}?status=paid", Page::AdminTransactions.path());
    view! {
        <div class="glance">
            <a class="card stat" id="stat-online" href=Page::AdminOnline.path()>
                <span class="big">{o.online_total}</span>
                <span>{t!(lang, facility::PEOPLE_ONLINE)}</span>
            </a>
            <a class="card stat" id="stat-waiting" href=Page::AdminRegistrations.path()>
                <span class="big">{o.registrations_waiting}</span>
                <span>{t!(lang, facility::WAITING_REGISTRATIONS)}</span>
            </a>
            <div class="card stat" id="stat-whatsapp">
                <span class="big">{o.whatsapp.sent}" / "{o.whatsapp.budget}</span>
                <span>{t!(lang, facility::WHATSAPP_TODAY)}</span>
                {(o.whatsapp.failed > 0).then(|| view! {
                    <span class="status-bad">{o.whatsapp.failed}" "{t!(lang, facility::FAILED_MESSAGES)}</span>
                })}
            </div>
        </div>
        <section class="card stack" aria-labelledby="glance-routers">
            <h2 id="glance-routers">{t!(lang, facility::ROUTERS_UP_DOWN)}</h2>
            <ul class="list" id="router-glance">
                {o.routers.into_iter().map(|r| view! { <RouterLine r=r/> }).collect_view()}
            </ul>
        </section>
        <section class="card stack" aria-labelledby="glance-status">
            <h2 id="glance-status">{t!(lang, facility::PEOPLE_BY_STATUS)}</h2>
            <div class="status-grid" id="status-counts">
                {o.users_by_status.into_iter().map(|s| view! {
                    <a class="stat small" data-status=s.status.as_str()
                        href=format!("{}?status={}", Page::AdminPeople.path(), s.status.as_str())>
                        <span class="big">{s.count}</span>
                        <span>{t!(lang, status_text(s.status))}</span>
                    </a>
                }).collect_view()}
            </div>
        </section>
        <section class="card stack" aria-labelledby="glance-usage" id="usage">
            <h2 id="glance-usage">{t!(lang, facility::USAGE)}</h2>
            {totals(l, o.usage, format_bytes)}
            <DayBars days=o.usage_days label=say(l, facility::USAGE).into() format=format_bytes id="usage-chart"/>
        </section>
        <section class="card stack" aria-labelledby="glance-revenue" id="revenue">
            <h2 id="glance-revenue"><a href=paid>{t!(lang, facility::REVENUE)}</a></h2>
            {totals(l, o.revenue, rupiah)}
            <DayBars days=o.revenue_days label=say(l, facility::REVENUE).into() format=rupiah id="revenue-chart"/>
        </section>
    }
}

#[component]
fn RouterLine(r: RouterGlance) -> impl IntoView {
    let lang = ctx().lang;
    let age = r.last_cycle_age_seconds;
    view! {
        <li class="stack" data-router=r.name.clone() data-up=r.up.to_string()>
            <div class="row spread">
                <a href=Page::AdminRouters.path()><strong>{r.name.clone()}</strong></a>
                <span class=if r.up { "tag ok" } else { "tag warn" }>
                    {t!(lang, if r.up { facility::ROUTER_UP } else { facility::ROUTER_DOWN })}
                </span>
            </div>
            <p class="muted">
                {move || match age {
                    Some(a) => format!("{} {} {}", say(lang.get(), facility::LAST_CYCLE), duration_text(lang.get(), a), say(lang.get(), facility::AGO)),
                    None => say(lang.get(), facility::NO_CYCLE_YET).to_owned(),
                }}
                {r.online.map(|n| view! { " · "<a href=Page::AdminOnline.path()>{n}" "{t!(lang, facility::ONLINE_COUNT)}</a> })}
            </p>
            {r.last_error.map(|e| view! { <p class="status-bad">{t!(lang, facility::LAST_ERROR)}": "{e}</p> })}
        </li>
    }
}
