//! `/admin/transaksi`: transactions with filters (status, days in the
//! facility's time zone, package; `?user_id=` from a person's page), totals
//! per status over everything the filters match, paid rupiah per day as a
//! chart, pages of 50, a detail with every notification and status check
//! and what was credited, "check again with Midtrans", `paid_late` marked,
//! and the same filters as a CSV download (streamed by the API).

use leptos::{prelude::*, task::spawn_local};
use leptos_router::hooks::use_query_map;
use shared_types::{
    format_rupiah, PackageView, PurchaseStatus, TransactionDetail, TransactionList, TransactionView,
};

use super::words::problem_text;
use crate::{
    api::{self, TransactionFilter, BASE},
    components::{day_bars::DayBars, format::date_time},
    i18n::{money, say, Text},
    state::ctx,
    t,
};

const PAGE: u32 = 50;

fn status_word(s: PurchaseStatus) -> Text {
    match s {
        PurchaseStatus::Paid => money::PAID,
        PurchaseStatus::Pending => money::PENDING,
        PurchaseStatus::Failed => money::FAILED,
        PurchaseStatus::Expired => money::EXPIRED,
        PurchaseStatus::Cancelled => money::CANCELLED,
    }
}

/// The CSV export's address for the same filters (a plain link: a GET
/// with the session cookie, saved by the browser as a file).
fn csv_href(f: &TransactionFilter) -> String {
    let q: Vec<String> = f
        .pairs()
        .into_iter()
        .map(|(k, v)| format!("{k}={}", js_sys::encode_uri_component(&v)))
        .collect();
    let query = if q.is_empty() {
        String::new()
    } else {
        format!("?{}", q.join("&"))
    };
    format!("{BASE}/admin/purchases/export.csv{query}")
}

fn rupiah(n: i64) -> String {
    format_rupiah(n)
}

#[component]
pub fn AdminTransactions() -> impl IntoView {
    let lang = ctx().lang;
    let query = use_query_map();
    let initial = query.with_untracked(|q| TransactionFilter {
        status: q.get("status").and_then(|s| PurchaseStatus::parse(&s)),
        from: q.get("from"),
        to: q.get("to"),
        user_id: q.get("user_id"),
        package_id: q.get("package_id"),
        limit: Some(PAGE),
        offset: None,
    });
    let status = RwSignal::new(
        initial
            .status
            .map(|s| s.as_str().to_owned())
            .unwrap_or_default(),
    );
    let from = RwSignal::new(initial.from.clone().unwrap_or_default());
    let to = RwSignal::new(initial.to.clone().unwrap_or_default());
    let package = RwSignal::new(initial.package_id.clone().unwrap_or_default());
    let user_id = initial.user_id.clone();
    let filter = RwSignal::new(initial);
    let list = RwSignal::new(None::<TransactionList>);
    let error = RwSignal::new(None::<String>);
    let packages = LocalResource::new(api::admin_packages);
    let load = move |f: TransactionFilter, more: bool| {
        spawn_local(async move {
            match api::transactions(&f).await {
                Ok(page) => {
                    error.set(None);
                    if more {
                        list.update(|l| {
                            if let Some(l) = l {
                                l.items.extend(page.items);
                            }
                        });
                    } else {
                        list.set(Some(page));
                    }
                }
                Err(e) => error.set(Some(problem_text(lang.get_untracked(), &e))),
            }
        });
    };
    load(filter.get_untracked(), false);
    let apply = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let some = |s: String| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        let f = TransactionFilter {
            status: PurchaseStatus::parse(&status.get_untracked()),
            from: some(from.get_untracked()),
            to: some(to.get_untracked()),
            user_id: user_id.clone(),
            package_id: some(package.get_untracked()),
            limit: Some(PAGE),
            offset: None,
        };
        filter.set(f.clone());
        load(f, false);
    };
    let more = move |_| {
        let shown = list.with_untracked(|l| l.as_ref().map_or(0, |l| l.items.len()));
        let mut f = filter.get_untracked();
        f.offset = Some(u32::try_from(shown).unwrap_or(0));
        load(f, true);
    };
    view! {
        <section class="card stack" aria-labelledby="transactions-title">
            <h2 id="transactions-title">{t!(lang, money::TRANSACTIONS)}</h2>
            <form class="filters" id="transaction-filters" on:submit=apply>
                <label class="stack field">
                    <span>{t!(lang, crate::i18n::admin::STATUS)}</span>
                    <select id="filter-status" prop:value=move || status.get()
                        on:change=move |ev| status.set(event_target_value(&ev))>
                        <option value="">{t!(lang, crate::i18n::admin::ALL_STATUSES)}</option>
                        {PurchaseStatus::ALL.into_iter().map(|s| view! {
                            <option value=s.as_str() selected=move || status.get() == s.as_str()>{t!(lang, status_word(s))}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label class="stack field">
                    <span>{t!(lang, money::FROM)}</span>
                    <input type="date" id="filter-from" prop:value=move || from.get() on:input=move |ev| from.set(event_target_value(&ev))/>
                </label>
                <label class="stack field">
                    <span>{t!(lang, money::TO)}</span>
                    <input type="date" id="filter-to" prop:value=move || to.get() on:input=move |ev| to.set(event_target_value(&ev))/>
                </label>
                <label class="stack field">
                    <span>{t!(lang, money::PACKAGES)}</span>
                    <select id="filter-package" prop:value=move || package.get()
                        on:change=move |ev| package.set(event_target_value(&ev))>
                        <option value="">"—"</option>
                        {move || packages.get().and_then(Result::ok).unwrap_or_default().into_iter().map(|p: PackageView| {
                            let id = p.id.to_string();
                            let selected = package.get_untracked() == id;
                            view! { <option value=id selected=selected>{p.name}</option> }
                        }).collect_view()}
                    </select>
                </label>
                <div class="row end">
                    <button type="submit" class="primary" id="filter-apply">{t!(lang, money::FILTER)}</button>
                    <a class="button" id="csv-download" download="" href=move || csv_href(&filter.get())>{t!(lang, money::DOWNLOAD_CSV)}</a>
                </div>
            </form>
            <p class="status-bad" role="alert">{move || error.get()}</p>
            {move || list.get().map(|l| view! { <Listing l=l/> })}
            {move || list.with(|l| l.as_ref().is_some_and(|l| (l.items.len() as i64) < l.totals.count)).then(|| view! {
                <button type="button" id="transactions-more" on:click=more>{t!(lang, money::SHOW_MORE)}</button>
            })}
        </section>
    }
}

#[component]
fn Listing(l: TransactionList) -> impl IntoView {
    let lang = ctx().lang;
    let tot = l.totals.clone();
    let label = say(lang.get_untracked(), money::PAID_PER_DAY).to_owned();
    view! {
        <dl class="totals" id="transaction-totals">
            <div><dt>{t!(lang, money::PAID)}</dt><dd id="total-paid">{tot.paid_amount_text.clone()}</dd>
                <dd class="muted">{tot.paid_count}" "{t!(lang, money::TRANSACTIONS_FOUND)}</dd></div>
            <div><dt>{t!(lang, money::PENDING)}</dt><dd>{tot.pending_count}</dd></div>
            <div><dt>{t!(lang, money::FAILED)}</dt><dd>{tot.failed_count}</dd></div>
            <div><dt>{t!(lang, money::EXPIRED)}</dt><dd>{tot.expired_count}</dd></div>
            <div><dt>{t!(lang, money::CANCELLED)}</dt><dd>{tot.cancelled_count}</dd></div>
        </dl>
        {(!l.paid_per_day.is_empty()).then(|| view! {
            <DayBars days=l.paid_per_day.clone() label=label format=rupiah id="paid-chart"/>
        })}
        <p class="muted" id="transaction-count">{tot.count}" "{t!(lang, money::TRANSACTIONS_FOUND)}</p>
        {if l.items.is_empty() {
            view! { <p class="muted">{t!(lang, money::NO_TRANSACTIONS)}</p> }.into_any()
        } else {
            view! {
                <ul class="list" id="transactions">
                    {l.items.into_iter().map(|t| view! { <TransactionLine t=t/> }).collect_view()}
                </ul>
            }.into_any()
        }}
    }
}

#[component]
fn TransactionLine(t: TransactionView) -> impl IntoView {
    let lang = ctx().lang;
    let p = t.purchase.clone();
    let order = StoredValue::new(p.order_id.clone());
    let detail = RwSignal::new(None::<TransactionDetail>);
    let error = RwSignal::new(None::<String>);
    let open = move |_| {
        if detail.with_untracked(Option::is_some) {
            detail.set(None);
            return;
        }
        spawn_local(async move {
            match api::transaction(&order.get_value()).await {
                Ok(d) => detail.set(Some(d)),
                Err(e) => error.set(Some(problem_text(lang.get_untracked(), &e))),
            }
        });
    };
    let recheck = move |_| {
        spawn_local(async move {
            match api::recheck_transaction(&order.get_value()).await {
                Ok(d) => detail.set(Some(d)),
                Err(e) => error.set(Some(problem_text(lang.get_untracked(), &e))),
            }
        });
    };
    let who = t
        .user_name
        .clone()
        .or(t.customer_phone.clone())
        .unwrap_or_else(|| "—".into());
    view! {
        <li class="stack" class:late=p.paid_late data-order=p.order_id.clone() data-status=p.status.as_str()>
            <div class="row spread">
                <strong>{p.amount_text.clone()}</strong>
                <span class="row">
                    {p.paid_late.then(|| view! { <span class="tag warn" title=move || say(lang.get(), money::PAID_LATE_HELP)>{t!(lang, money::PAID_LATE)}</span> })}
                    <span class="tag">{t!(lang, status_word(p.status))}</span>
                </span>
            </div>
            <p class="muted">{format!("{} · {} · ", p.package_name, who)}{move || date_time(lang.get(), &p.created_at)}</p>
            <div class="row">
                <button type="button" class="transaction-detail" on:click=open>{t!(lang, money::DETAIL)}</button>
                {(p.status == PurchaseStatus::Pending || p.paid_late).then(|| view! {
                    <button type="button" class="recheck" on:click=recheck>{t!(lang, money::RECHECK)}</button>
                })}
            </div>
            <p class="status-bad" role="alert">{move || error.get()}</p>
            {move || detail.get().map(|d| view! { <Detail d=d/> })}
        </li>
    }
}

#[component]
fn Detail(d: TransactionDetail) -> impl IntoView {
    let lang = ctx().lang;
    let p = d.transaction.purchase.clone();
    view! {
        <div class="stack detail">
            <p class="mono">{t!(lang, money::ORDER)}": "{p.order_id.clone()}
                {d.transaction.transaction_id.clone().map(|id| format!(" · {id}"))}
                {p.payment_type.clone().map(|t| format!(" · {t}"))}</p>
            {p.paid_late.then(|| view! { <p class="notice bad">{t!(lang, money::PAID_LATE_HELP)}</p> })}
            <h4>{t!(lang, money::CREDIT)}</h4>
            {match d.credit.clone() {
                Some(c) => view! {
                    <p class="credit">{if c.unlimited { "∞".to_owned() } else { shared_types::access::format_bytes(c.quota_bytes) }}
                        {format!(" · {} ", c.validity_days)}{t!(lang, money::DAYS)}" · "{t!(lang, money::VALID_UNTIL)}" "
                        {move || date_time(lang.get(), &c.valid_until_after)}</p>
                }.into_any(),
                None => view! { <p class="muted">{t!(lang, money::NO_CREDIT)}</p> }.into_any(),
            }}
            <h4>{t!(lang, money::EVENTS)}</h4>
            <ul class="list events">
                {d.events.into_iter().map(|e| view! {
                    <li class="row spread">
                        <span>{format!("{} · {} → {}", e.source, e.transaction_status.clone().unwrap_or_default(), e.outcome)}</span>
                        <span class="muted">{move || date_time(lang.get(), &e.received_at)}</span>
                    </li>
                }).collect_view()}
            </ul>
        </div>
    }
}
