//! Buy a package: the list, then Midtrans' payment page.

use leptos::{prelude::*, task::spawn_local};
use shared_types::PackageView;

use crate::{
    api, components::notices::StatusNotice, i18n::error_text, i18n::me, i18n::say, state::ctx, t,
};

#[component]
pub fn PackagesPage() -> impl IntoView {
    let c = ctx();
    let lang = c.lang;
    c.ensure_account();
    let packages = LocalResource::new(api::packages);
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(None::<String>);
    let logged_in = move || c.account.get().flatten();
    view! {
        <div class="stack">
            {move || logged_in().map(|a| view! { <StatusNotice status=a.status/> })}
            <section class="card stack" aria-labelledby="packages-title">
                <h2 id="packages-title">{t!(lang, me::BUY_A_PACKAGE)}</h2>
                {move || (c.account.get() == Some(None)).then(|| view! {
                    <p class="notice warn">{t!(lang, me::SIGN_IN_FIRST_TO_BUY)}
                        " "<a href="/">{t!(lang, me::SIGN_IN)}</a></p>
                })}
                <ul class="list" id="packages">
                    {move || packages.get().map(|r| match r {
                        Ok(list) if list.is_empty() => view! {
                            <li class="muted">{t!(lang, me::NO_PACKAGES_ON_SALE)}</li>
                        }.into_any(),
                        Ok(list) => list.into_iter().map(|p| view! {
                            <PackageRow package=p busy=busy error=error can_buy=Signal::derive(move || logged_in().is_some())/>
                        }).collect_view().into_any(),
                        Err(e) => view! { <li class="status-bad">{error_text(lang.get(), e.code())}</li> }.into_any(),
                    })}
                </ul>
                <p class="status-bad" role="alert">{move || error.get()}</p>
                <p class="muted">{t!(lang, me::PAID_THROUGH_MIDTRANS_QRIS_BANK)}</p>
            </section>
        </div>
    }
}

#[component]
fn PackageRow(
    package: PackageView,
    busy: RwSignal<Option<String>>,
    error: RwSignal<Option<String>>,
    can_buy: Signal<bool>,
) -> impl IntoView {
    let lang = ctx().lang;
    let id = package.id.to_string();
    let mine = id.clone();
    let buy = move |_| {
        let id = id.clone();
        busy.set(Some(id.clone()));
        error.set(None);
        spawn_local(async move {
            match api::create_purchase(&id).await {
                // Midtrans' page; it sends the person back to /bayar/{order_id}.
                Ok(p) => {
                    let _ = window().location().assign(&p.redirect_url);
                }
                Err(e) => {
                    busy.set(None);
                    error.set(Some(error_text(lang.get_untracked(), e.code()).into()));
                }
            }
        });
    };
    let days = package.validity_days;
    view! {
        <li class="package row spread">
            <div>
                <strong>{package.name.clone()}</strong>
                <div class="muted">{package.quota_text.clone()}" · "{days}" "{t!(lang, me::DAYS)}</div>
            </div>
            <div class="stack right">
                <strong class="price">{package.price_text.clone()}</strong>
                <button type="button" class="primary" data-package=package.name.clone()
                    disabled=move || !can_buy.get() || busy.get().is_some()
                    on:click=buy>
                    {move || if busy.get().as_deref() == Some(mine.as_str()) {
                        say(lang.get(), me::WORKING)
                    } else {
                        say(lang.get(), me::BUY)
                    }}
                </button>
            </div>
        </li>
    }
}
