//! The resident's home: quota, validity, usage, devices, purchases.

use leptos::{prelude::*, task::spawn_local};
use leptos_router::hooks::{use_navigate, use_query_map};
use shared_types::{access::format_bytes, AccessStatus, DeviceView, StatusView};

use crate::{
    api,
    components::{
        async_view::{loaded, loaded_list},
        confirm::Confirm,
        connect::ConnectCard,
        format::date_time,
        notices::StatusNotice,
        usage_chart::UsageChart,
    },
    i18n::error_text,
    i18n::me,
    i18n::say,
    routes::Page,
    state::{ctx, Account},
    t,
};

#[component]
pub fn Dashboard(account: Account) -> impl IntoView {
    let c = ctx();
    let lang = c.lang;
    let query = use_query_map();
    let just_connected = move || query.with(|q| q.get("terhubung").is_some());
    let devices = LocalResource::new(api::my_devices);
    let status = account.status.clone();
    let name = account.user.name.clone();
    let officer = account.user.role == shared_types::Role::Komandan;
    let navigate = use_navigate();
    let logout = move |_| {
        let navigate = navigate.clone();
        spawn_local(async move {
            let _ = api::logout().await;
            c.account.set(Some(None));
            navigate(&Page::Home.path(), Default::default());
        });
    };
    view! {
        <div class="stack">
            {move || just_connected().then(|| view! { <JustConnected devices=devices/> })}
            <StatusNotice status=status.clone()/>
            <section class="card" aria-labelledby="quota-title">
                <p class="muted">{t!(lang, me::HELLO)}" "{name}</p>
                <h2 id="quota-title">{t!(lang, me::QUOTA_LEFT)}</h2>
                <Quota status=status.clone()/>
            </section>
            <BrowserLinkCard/>
            {status.status.allows_access().then(|| view! { <ConnectCard/> })}
            {officer.then(|| view! { <crate::pages::requests::OfficerRequests/> })}
            <UsageCard/>
            <DevicesCard devices=devices/>
            <PurchasesCard/>
            <div class="row spread">
                <a class="button" href=Page::Packages.path()>{t!(lang, me::BUY_A_PACKAGE)}</a>
                <button id="logout" type="button" on:click=logout>{t!(lang, me::SIGN_OUT)}</button>
            </div>
        </div>
    }
}

/// Back from the router's login page (`/?terhubung=1`): the router now shows
/// this account logged in from this device, so it becomes the session's
/// device (and a bypass router's binding takes over). Until then the person
/// is not told "connected".
#[component]
fn JustConnected(devices: LocalResource<Result<Vec<DeviceView>, api::ApiError>>) -> impl IntoView {
    let lang = ctx().lang;
    let outcome = LocalResource::new(api::confirm_current_device);
    Effect::new(move |_| {
        if matches!(outcome.get(), Some(Ok(_))) {
            devices.refetch();
        }
    });
    move || match outcome.get() {
        None => ().into_any(),
        Some(Ok(_)) => view! {
            <div class="notice ok" id="connected" role="status">
                <strong>{t!(lang, me::CONNECTED)}</strong>" "
                {t!(lang, me::THIS_DEVICE_CAN_USE_THE)}
            </div>
        }
        .into_any(),
        Some(Err(e)) => view! {
            <div class="notice" id="not-connected" role="alert">
                {error_text(lang.get(), e.code())}
            </div>
        }
        .into_any(),
    }
}

/// Remaining quota as a bar with GB figures, and the validity.
#[component]
fn Quota(status: StatusView) -> impl IntoView {
    let lang = ctx().lang;
    let unlimited = status.unlimited || status.status == AccessStatus::Unlimited;
    let quota = status.quota_bytes.max(0);
    let left = status.remaining_bytes.max(0);
    let percent = if quota > 0 {
        (left as f64 / quota as f64 * 100.0).clamp(0.0, 100.0)
    } else {
        0.0
    };
    let valid = status.valid_until.clone();
    view! {
        {if unlimited {
            view! { <p class="big" id="quota-left">{t!(lang, me::UNLIMITED)}</p> }.into_any()
        } else {
            view! {
                <p class="big" id="quota-left">{format_bytes(left)}</p>
                <div class="bar" role="meter" aria-valuemin="0" aria-valuemax="100"
                    aria-valuenow=format!("{percent:.0}")
                    aria-label=move || say(lang.get(), me::QUOTA_LEFT)>
                    // An SVG width, not a style attribute: the CSP allows no inline styles.
                    <svg viewBox="0 0 100 1" preserveAspectRatio="none" width="100%" height="14" aria-hidden="true">
                        <rect width=format!("{percent:.1}") height="1"></rect>
                    </svg>
                </div>
                <p class="muted" id="quota-of">
                    {format_bytes(left)}" "{t!(lang, me::OF)}" "{format_bytes(quota)}
                    " · "{t!(lang, me::USED)}" "{format_bytes(status.used_bytes)}
                </p>
            }.into_any()
        }}
        <p id="valid-until">
            {t!(lang, me::VALID_UNTIL)}" "
            <strong>{move || valid.as_deref().map(|v| date_time(lang.get(), v)).unwrap_or_else(|| "–".into())}</strong>
        </p>
    }
}

/// "Buka di browser utama": a fresh one-time link, with a copy button.
#[component]
fn BrowserLinkCard() -> impl IntoView {
    let lang = ctx().lang;
    let link = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<String>);
    let copied = RwSignal::new(false);
    let make = move |_| {
        error.set(None);
        copied.set(false);
        spawn_local(async move {
            match api::browser_link().await {
                Ok(l) => link.set(Some(l.url)),
                Err(e) => error.set(Some(error_text(lang.get_untracked(), e.code()).into())),
            }
        });
    };
    let copy = move |_| {
        if let Some(url) = link.get_untracked() {
            let _ = window().navigator().clipboard().write_text(&url);
            copied.set(true);
        }
    };
    view! {
        <section class="card stack" aria-labelledby="browser-title">
            <h2 id="browser-title">{t!(lang, me::OPEN_IN_THE_MAIN_BROWSER)}</h2>
            <p class="muted">{t!(lang, me::ON_IPHONE_THE_WI_FI)}</p>
            {move || match link.get() {
                None => view! {
                    <button id="browser-link" class="primary" type="button" on:click=make>
                        {t!(lang, me::MAKE_A_ONE_TIME_LINK)}
                    </button>
                }.into_any(),
                Some(url) => view! {
                    <a id="browser-link-url" class="button primary" href=url.clone() target="_blank" rel="noopener">
                        {t!(lang, me::OPEN_IN_THE_MAIN_BROWSER)}
                    </a>
                    <div class="row">
                        <input class="grow" readonly aria-label="URL" prop:value=url/>
                        <button type="button" on:click=copy>
                            {move || if copied.get() { say(lang.get(), me::COPIED) } else { say(lang.get(), me::COPY) }}
                        </button>
                    </div>
                    <p class="muted">{t!(lang, me::THE_LINK_WORKS_ONCE_FOR)}</p>
                }.into_any(),
            }}
            <p class="status-bad" role="alert">{move || error.get()}</p>
        </section>
    }
}

#[component]
fn UsageCard() -> impl IntoView {
    let lang = ctx().lang;
    let days = RwSignal::new(7u32);
    let history = LocalResource::new(move || api::my_usage(days.get()));
    let choice = move |n: u32, id: &'static str, label: (&'static str, &'static str)| {
        view! {
            <button type="button" id=id aria-pressed=move || (days.get() == n).to_string()
                on:click=move |_| days.set(n)>{t!(lang, label)}</button>
        }
    };
    view! {
        <section class="card stack" aria-labelledby="usage-title">
            <div class="row spread">
                <h2 id="usage-title">{t!(lang, me::USAGE)}</h2>
                <div class="row">{choice(7, "usage-7", me::N7_DAYS)}{choice(30, "usage-30", me::N30_DAYS)}</div>
            </div>
            <div class="chart-box">
                {move || loaded(history.get(), |h| view! {
                    <p id="usage-total">{t!(lang, me::TOTAL)}" "{h.total_text.clone()}</p>
                    <UsageChart history=h/>
                }.into_any())}
            </div>
        </section>
    }
}

#[component]
fn DevicesCard(devices: LocalResource<Result<Vec<DeviceView>, api::ApiError>>) -> impl IntoView {
    let lang = ctx().lang;
    let error = RwSignal::new(None::<String>);
    view! {
        <section class="card stack" aria-labelledby="devices-title">
            <h2 id="devices-title">{t!(lang, me::DEVICES)}</h2>
            {move || loaded_list(
                    devices.get(),
                    "devices",
                    me::NO_DEVICES_YET,
                    move |d| view! { <DeviceRow device=d on_change=move || devices.refetch() error=error/> }.into_any(),
                )}
            <p class="status-bad" role="alert">{move || error.get()}</p>
        </section>
    }
}

#[component]
fn DeviceRow(
    device: DeviceView,
    on_change: impl Fn() + Copy + Send + Sync + 'static,
    error: RwSignal<Option<String>>,
) -> impl IntoView {
    let lang = ctx().lang;
    let editing = RwSignal::new(false);
    let label = RwSignal::new(device.label.clone().unwrap_or_default());
    let id = device.id.clone();
    let id2 = StoredValue::new(device.id.to_string());
    let title = device.label.clone().unwrap_or_else(|| device.mac.clone());
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let id = id.clone();
        spawn_local(async move {
            match api::rename_device(&id, label.get_untracked().trim()).await {
                Ok(_) => {
                    editing.set(false);
                    on_change();
                }
                Err(e) => error.set(Some(error_text(lang.get_untracked(), e.code()).into())),
            }
        });
    };
    let confirming = RwSignal::new(false);
    let remove = move || {
        let id = id2.get_value();
        spawn_local(async move {
            match api::delete_device(&id).await {
                Ok(()) => on_change(),
                Err(e) => error.set(Some(error_text(lang.get_untracked(), e.code()).into())),
            }
        });
    };
    let current = device.current;
    view! {
        <li class="stack">
            <div class="row spread">
                <span><strong>{title}</strong>
                    {current.then(|| view! { " " <span class="tag">{t!(lang, me::THIS_DEVICE)}</span> })}
                    {device.randomized.then(|| view! { " " <span class="tag warn">{t!(lang, me::RANDOM_MAC)}</span> })}
                </span>
                <span class="muted">{device.mac.clone()}</span>
            </div>
            <Confirm open=confirming question=me::REMOVE_THIS_DEVICE
                action=me::REMOVE danger=true on_confirm=remove/>
            {move || if editing.get() {
                view! {
                    <form class="row" on:submit=save.clone()>
                        <label class="sr-only" for=format!("label-{}", device.id)>{t!(lang, me::DEVICE_NAME)}</label>
                        <input class="grow" id=format!("label-{}", device.id) maxlength="40" required
                            prop:value=move || label.get() on:input=move |ev| label.set(event_target_value(&ev))/>
                        <button type="submit">{t!(lang, me::SAVE)}</button>
                    </form>
                }.into_any()
            } else {
                view! {
                    <div class="row">
                        <button type="button" on:click=move |_| editing.set(true)>{t!(lang, me::RENAME)}</button>
                        <button type="button" class="danger" on:click=move |_| confirming.set(true)>{t!(lang, me::REMOVE)}</button>
                    </div>
                }.into_any()
            }}
        </li>
    }
}

#[component]
fn PurchasesCard() -> impl IntoView {
    let lang = ctx().lang;
    let purchases = LocalResource::new(api::my_purchases);
    view! {
        <section class="card stack" aria-labelledby="purchases-title">
            <h2 id="purchases-title">{t!(lang, me::PURCHASE_HISTORY)}</h2>
            {move || loaded_list(
                    purchases.get(),
                    "purchases",
                    me::NO_PURCHASES_YET,
                    |p| view! {
                        <li class="row spread">
                            <a href=Page::Payment(p.order_id.clone()).path()>{p.package_name.clone()}</a>
                            <span>{p.amount_text.clone()}</span>
                            <span class="tag">{p.status_text.clone()}</span>
                        </li>
                    }.into_any(),
                )}
        </section>
    }
}
