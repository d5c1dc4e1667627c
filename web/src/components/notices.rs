//! Explanations: why an account cannot go online, what the status means,
//! and how to turn off the randomized MAC.

use leptos::prelude::*;
use shared_types::{AccessStatus, ErrorCode, StatusView};

use crate::{api::ApiError, i18n::error_text, i18n::portal, routes::Page, state::ctx, t};

/// The answer to a correct code for an account that cannot go online.
#[component]
pub fn AccountRefused(error: ApiError) -> impl IntoView {
    let c = ctx();
    let lang = c.lang;
    let code = error.code();
    let reason = error.detail("reason");
    let contact = error.detail("contact").or_else(|| {
        c.portal
            .get_untracked()
            .and_then(|p| p.ok())
            .map(|p| p.contact)
    });
    let (id, todo) = match code {
        ErrorCode::AccountBlocked => ("account-blocked", portal::TO_BE_UNBLOCKED_CONTACT),
        ErrorCode::AccountPending => ("account-pending", portal::ONCE_AN_OFFICER_APPROVES_IT),
        _ => ("account-inactive", portal::TO_REACTIVATE_IT_CONTACT),
    };
    let what_to_do = t!(lang, todo);
    view! {
        <div class="stack notice" id=id role="alert">
            <h2>{move || error_text(lang.get(), code)}</h2>
            {reason.map(|r| view! {
                <p><strong>{t!(lang, portal::REASON)}</strong>" "<span id="blocked-reason">{r}</span></p>
            })}
            {contact.map(|who| view! { <p>{what_to_do}" "<strong>{who}</strong>"."</p> })}
        </div>
    }
}

/// How to turn off the private / random MAC for this Wi-Fi.
#[component]
pub fn RandomMacHelp() -> impl IntoView {
    let lang = ctx().lang;
    view! {
        <details class="notice warn" id="random-mac" open>
            <summary>{t!(lang, portal::TURN_OFF_THE_RANDOM_MAC)}</summary>
            <p>{t!(lang, portal::YOUR_PHONE_USES_A_RANDOM)}</p>
            <p><strong>"Android: "</strong>{t!(lang, portal::SETTINGS_WI_FI_TAP_THE)}</p>
            <p><strong>"iPhone: "</strong>{t!(lang, portal::SETTINGS_WI_FI_TAP_I)}</p>
        </details>
    }
}

/// What the status means for the person, with the action to take.
#[component]
pub fn StatusNotice(status: StatusView) -> impl IntoView {
    let c = ctx();
    let lang = c.lang;
    let contact = move || {
        c.portal
            .get()
            .and_then(|p| p.ok())
            .map(|p| p.contact)
            .unwrap_or_default()
    };
    match status.status {
        AccessStatus::Exhausted => view! {
            <div class="notice bad" id="notice-exhausted" role="status">
                <strong>{t!(lang, portal::YOUR_QUOTA_IS_USED_UP)}</strong>" "
                {t!(lang, portal::BUY_A_PACKAGE_TO_GET)}
                " "<a class="button primary" href=Page::Packages.path()>{t!(lang, portal::BUY_A_PACKAGE)}</a>
            </div>
        }.into_any(),
        AccessStatus::Expired => view! {
            <div class="notice bad" id="notice-expired" role="status">
                <strong>{t!(lang, portal::YOUR_VALIDITY_HAS_ENDED)}</strong>" "
                {t!(lang, portal::BUY_A_PACKAGE_TO_EXTEND)}
                " "<a class="button primary" href=Page::Packages.path()>{t!(lang, portal::BUY_A_PACKAGE)}</a>
            </div>
        }.into_any(),
        AccessStatus::Fup => view! {
            <div class="notice warn" id="notice-fup" role="status">
                <strong>{t!(lang, portal::SPEED_LIMITED_FAIR_USE)}</strong>" "
                {t!(lang, portal::LITTLE_QUOTA_IS_LEFT_SO)}
            </div>
        }.into_any(),
        AccessStatus::Blocked => view! {
            <div class="notice bad" id="notice-blocked" role="status">
                <strong>{t!(lang, portal::ACCOUNT_BLOCKED)}</strong>" "
                {status.blocked_reason.clone()}" "
                {t!(lang, portal::CONTACT)}" "{contact}"."
            </div>
        }.into_any(),
        AccessStatus::Inactive => view! {
            <div class="notice bad" id="notice-inactive" role="status">
                <strong>{t!(lang, portal::ACCOUNT_INACTIVE)}</strong>" "
                {t!(lang, portal::CONTACT)}" "{contact}"."
            </div>
        }.into_any(),
        AccessStatus::Active | AccessStatus::Unlimited => ().into_any(),
    }
}
