//! Explanations: why an account cannot go online, what the status means,
//! and how to turn off the randomized MAC.

use leptos::prelude::*;
use shared_types::{AccessStatus, ErrorCode, StatusView};

use crate::{api::ApiError, i18n::error_text, routes::Page, state::ctx, t};

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
    let (id, todo_id, todo_en) = match code {
        ErrorCode::AccountBlocked => (
            "account-blocked",
            "Untuk membuka blokir, hubungi",
            "To be unblocked, contact",
        ),
        ErrorCode::AccountPending => (
            "account-pending",
            "Setelah petugas menyetujui, masuk lagi dengan nomor ini. Pertanyaan? Hubungi",
            "Once an officer approves it, sign in again with this number. Questions? Contact",
        ),
        _ => (
            "account-inactive",
            "Untuk mengaktifkan kembali, hubungi",
            "To reactivate it, contact",
        ),
    };
    let what_to_do = t!(lang, todo_id, todo_en);
    view! {
        <div class="stack notice" id=id role="alert">
            <h2>{move || error_text(lang.get(), code)}</h2>
            {reason.map(|r| view! {
                <p><strong>{t!(lang, "Alasan:", "Reason:")}</strong>" "<span id="blocked-reason">{r}</span></p>
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
            <summary>{t!(lang, "Matikan MAC acak untuk Wi-Fi ini", "Turn off the random MAC for this Wi-Fi")}</summary>
            <p>{t!(lang,
                "HP Anda memakai alamat MAC acak (privat). Alamat itu bisa berubah, lalu Anda harus masuk lagi dan perangkat lama tercatat terpisah.",
                "Your phone uses a random (private) MAC address. It can change, and then you must sign in again and the old one is listed separately.")}</p>
            <p><strong>"Android: "</strong>{t!(lang,
                "Setelan → Wi-Fi → ketuk ikon gir di nama Wi-Fi ini → Privasi → pilih \"Gunakan MAC perangkat\". Sambungkan ulang.",
                "Settings → Wi-Fi → tap the gear next to this Wi-Fi → Privacy → choose \"Use device MAC\". Reconnect.")}</p>
            <p><strong>"iPhone: "</strong>{t!(lang,
                "Pengaturan → Wi-Fi → ketuk (i) di nama Wi-Fi ini → matikan \"Alamat Wi-Fi Privat\" → Gabung Ulang.",
                "Settings → Wi-Fi → tap (i) next to this Wi-Fi → turn off \"Private Wi-Fi Address\" → Rejoin.")}</p>
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
                <strong>{t!(lang, "Kuota habis.", "Your quota is used up.")}</strong>" "
                {t!(lang, "Beli paket untuk kembali terhubung.", "Buy a package to get back online.")}
                " "<a class="button primary" href=Page::Packages.path()>{t!(lang, "Beli paket", "Buy a package")}</a>
            </div>
        }.into_any(),
        AccessStatus::Expired => view! {
            <div class="notice bad" id="notice-expired" role="status">
                <strong>{t!(lang, "Masa berlaku habis.", "Your validity has ended.")}</strong>" "
                {t!(lang, "Beli paket untuk memperpanjang.", "Buy a package to extend it.")}
                " "<a class="button primary" href=Page::Packages.path()>{t!(lang, "Beli paket", "Buy a package")}</a>
            </div>
        }.into_any(),
        AccessStatus::Fup => view! {
            <div class="notice warn" id="notice-fup" role="status">
                <strong>{t!(lang, "Kecepatan dibatasi (FUP).", "Speed limited (fair use).")}</strong>" "
                {t!(lang, "Sisa kuota Anda sudah sedikit, jadi kecepatan diturunkan. Beli paket untuk kecepatan penuh.",
                    "Little quota is left, so the speed is reduced. Buy a package for full speed.")}
            </div>
        }.into_any(),
        AccessStatus::Blocked => view! {
            <div class="notice bad" id="notice-blocked" role="status">
                <strong>{t!(lang, "Akun diblokir.", "Account blocked.")}</strong>" "
                {status.blocked_reason.clone()}" "
                {t!(lang, "Hubungi", "Contact")}" "{contact}"."
            </div>
        }.into_any(),
        AccessStatus::Inactive => view! {
            <div class="notice bad" id="notice-inactive" role="status">
                <strong>{t!(lang, "Akun tidak aktif.", "Account inactive.")}</strong>" "
                {t!(lang, "Hubungi", "Contact")}" "{contact}"."
            </div>
        }.into_any(),
        AccessStatus::Active | AccessStatus::Unlimited => ().into_any(),
    }
}
