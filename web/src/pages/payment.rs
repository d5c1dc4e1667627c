//! `/bayar/{order_id}`: where Midtrans sends the person back. The query it
//! adds is not trusted; the page asks the API, which asks Midtrans, until the
//! order is settled one way or the other.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use shared_types::PurchaseStatus;

use crate::{api, components::async_view::loaded, i18n::me, routes::Page, state::ctx, t};

/// How often the page asks while the payment is pending, and for how long.
const POLL: std::time::Duration = std::time::Duration::from_secs(3);
const MAX_POLLS: u32 = 200;

#[component]
pub fn PaymentPage() -> impl IntoView {
    let c = ctx();
    let lang = c.lang;
    let params = use_params_map();
    let order_id = move || params.with(|p| p.get("order_id").unwrap_or_default());
    let polls = RwSignal::new(0u32);
    let purchase = LocalResource::new(move || {
        polls.track();
        let id = order_id();
        async move { api::purchase(&id).await }
    });
    // Ask again while pending; stop once settled (or after ~10 minutes).
    Effect::new(move |_| {
        if let Some(Ok(p)) = purchase.get() {
            if p.status == PurchaseStatus::Pending && polls.get_untracked() < MAX_POLLS {
                set_timeout(move || polls.update(|n| *n += 1), POLL);
            } else if p.status == PurchaseStatus::Paid {
                // The dashboard shows the new quota.
                leptos::task::spawn_local(async move {
                    c.load_account().await;
                });
            }
        }
    });
    view! {
        <section class="card stack" aria-live="polite" aria-labelledby="payment-title">
            <h2 id="payment-title">{t!(lang, me::PAYMENT)}</h2>
            {move || loaded(purchase.get(), |p| {
                    let state = p.status;
                    view! {
                        <p><strong>{p.package_name.clone()}</strong>" · "{p.amount_text.clone()}</p>
                        <p id="payment-status" data-status=state.as_str() class=match state {
                            PurchaseStatus::Paid => "big status-ok",
                            PurchaseStatus::Pending => "big",
                            _ => "big status-bad",
                        }>{p.status_text.clone()}</p>
                        {match state {
                            PurchaseStatus::Paid => view! {
                                <p>{t!(lang, me::THE_QUOTA_HAS_BEEN_ADDED)}</p>
                                <a id="to-dashboard" class="button primary" href=Page::Home.path()>{t!(lang, me::SEE_MY_QUOTA)}</a>
                            }.into_any(),
                            PurchaseStatus::Pending => view! {
                                <p class="muted">{t!(lang, me::WAITING_FOR_THE_PAYMENT_THIS)}</p>
                                {p.redirect_url.clone().map(|u| view! {
                                    <a class="button" href=u>{t!(lang, me::CONTINUE_PAYING)}</a>
                                })}
                            }.into_any(),
                            _ => view! {
                                <p>{t!(lang, me::THE_PAYMENT_DID_NOT_GO)}</p>
                                <a class="button primary" href=Page::Packages.path()>{t!(lang, me::TRY_AGAIN)}</a>
                            }.into_any(),
                        }}
                        <p class="muted">{t!(lang, me::ORDER_NUMBER)}" "<code>{p.order_id.clone()}</code></p>
                    }.into_any()
            })}
        </section>
    }
}
