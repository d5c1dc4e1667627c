//! Phone login: number → Turnstile → WhatsApp code → online.

use leptos::{html, prelude::*, task::spawn_local};
use shared_types::{
    phone::{normalize_id_mobile, Phone},
    AccessStatus, ErrorCode, HotspotHandoff, LoginResult, OtpRequest, OtpVerify, PortalConfig,
};

use crate::{
    api::{self, ApiError},
    components::{
        handoff::Handoff,
        notices::{AccountRefused, RandomMacHelp},
        turnstile::{Turnstile, TurnstileHandle},
    },
    i18n::error_text,
    i18n::portal,
    i18n::say,
    routes::Page,
    state::{ctx, Account, Ctx},
    t,
};

#[derive(Clone, PartialEq)]
enum Step {
    Phone,
    Code(Phone),
    Online(Box<LoginResult>),
    Refused(Box<ApiError>),
}

/// Seconds left on the resend countdown.
fn start_countdown(left: RwSignal<u32>, seconds: u32) {
    left.set(seconds);
    if let Ok(handle) = set_interval_with_handle(
        move || left.update(|s| *s = s.saturating_sub(1)),
        std::time::Duration::from_secs(1),
    ) {
        // Stops itself once it reaches 0.
        Effect::new(move |_| {
            if left.get() == 0 {
                handle.clear();
            }
        });
    }
}

/// The whole login flow; `portal` decides the Turnstile widget.
#[component]
pub fn Login(portal: PortalConfig) -> impl IntoView {
    let c = ctx();
    let lang = c.lang;
    let step = RwSignal::new(Step::Phone);
    let phone = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let resend_left = RwSignal::new(0u32);
    let turnstile = TurnstileHandle::new();
    let code_input = NodeRef::<html::Input>::new();

    let request = move || {
        error.set(None);
        let typed = phone.get_untracked();
        let Ok(e164) = normalize_id_mobile(&typed) else {
            error.set(Some(
                error_text(lang.get_untracked(), ErrorCode::InvalidPhone).into(),
            ));
            return;
        };
        let Some(token) = turnstile.take() else {
            error.set(Some(
                say(lang.get_untracked(), portal::WAIT_FOR_THE_SECURITY_CHECK).into(),
            ));
            return;
        };
        busy.set(true);
        spawn_local(async move {
            let r = api::request_otp(&OtpRequest {
                phone: e164.to_string(),
                turnstile_token: token,
            })
            .await;
            busy.set(false);
            match r {
                Ok(sent) => {
                    code.set(String::new());
                    step.set(Step::Code(e164));
                    start_countdown(resend_left, sent.resend_after_seconds);
                }
                Err(e) => {
                    if let Some(s) = e.retry_after() {
                        start_countdown(resend_left, s);
                    }
                    error.set(Some(error_text(lang.get_untracked(), e.code()).into()));
                }
            }
        });
    };

    let verify = move || {
        let Step::Code(e164) = step.get_untracked() else {
            return;
        };
        let typed: String = code
            .get_untracked()
            .chars()
            .filter(char::is_ascii_digit)
            .collect();
        if typed.len() != 6 || busy.get_untracked() {
            return;
        }
        error.set(None);
        busy.set(true);
        let origin = window().location().origin().unwrap_or_default();
        let client = c.router.get_untracked().client(&origin);
        spawn_local(async move {
            let r = api::verify_otp(&OtpVerify {
                phone: e164.to_string(),
                code: typed,
                client,
            })
            .await;
            busy.set(false);
            match r {
                Ok(result) => {
                    c.account.set(Some(Some(Account {
                        user: result.user.clone(),
                        status: result.status.clone(),
                    })));
                    match (&result.hotspot, result.status.status) {
                        (Some(_), _) => step.set(Step::Online(Box::new(result))),
                        (None, AccessStatus::Exhausted | AccessStatus::Expired) => {
                            Ctx::go(&Page::Packages.path())
                        }
                        (None, _) => Ctx::go(&Page::Home.path()),
                    }
                }
                Err(e)
                    if matches!(
                        e.code(),
                        ErrorCode::AccountBlocked
                            | ErrorCode::AccountPending
                            | ErrorCode::AccountInactive
                    ) =>
                {
                    step.set(Step::Refused(Box::new(e)))
                }
                Err(e) => {
                    code.set(String::new());
                    error.set(Some(error_text(lang.get_untracked(), e.code()).into()));
                    if let Some(el) = code_input.get_untracked() {
                        let _ = el.focus();
                    }
                }
            }
        });
    };

    // Focus the code field when it appears (the phone shows the numeric keypad).
    Effect::new(move |_| {
        if matches!(step.get(), Step::Code(_)) {
            if let Some(el) = code_input.get() {
                let _ = el.focus();
            }
        }
    });

    let random_mac = portal.randomized_mac == Some(true);
    let widget = view! {
        <Turnstile
            handle=turnstile
            site_key=portal.turnstile_site_key.clone()
            action=portal.turnstile_action_otp.clone()
            script_url=portal.turnstile_script_url.clone()
        />
    };

    let phone_step = move || {
        view! {
            <form class="stack" on:submit=move |ev| { ev.prevent_default(); request(); }>
                <h2>{t!(lang, portal::SIGN_IN_WITH_WHATSAPP)}</h2>
                <label for="phone">{t!(lang, portal::WHATSAPP_NUMBER)}</label>
                <input id="phone" name="phone" type="tel" inputmode="numeric" autocomplete="tel"
                    placeholder="08xxxxxxxxxx" required
                    prop:value=move || phone.get()
                    on:input=move |ev| phone.set(event_target_value(&ev))/>
                <p class="muted">{t!(lang, portal::THE_LOGIN_CODE_IS_SENT)}</p>
                <button id="send-code" class="primary" type="submit"
                    disabled=move || { busy.get() || turnstile.token.get().is_none() || resend_left.get() > 0 }>
                    {move || if resend_left.get() > 0 {
                        format!("{} ({} d)", say(lang.get(), portal::WAIT), resend_left.get())
                    } else {
                        say(lang.get(), portal::SEND_CODE).to_owned()
                    }}
                </button>
            </form>
        }
    };

    let code_step = move |e164: Phone| {
        view! {
            <form class="stack" on:submit=move |ev| { ev.prevent_default(); verify(); }>
                <h2>{t!(lang, portal::ENTER_THE_CODE)}</h2>
                <p>{t!(lang, portal::A_6_DIGIT_CODE_WAS)}
                   " " <strong>{e164.local()}</strong></p>
                <label for="otp">{t!(lang, portal::CODE_FROM_WHATSAPP)}</label>
                <input id="otp" name="otp" type="text" inputmode="numeric" autocomplete="one-time-code"
                    pattern="[0-9]{6}" maxlength="6" required class="otp" node_ref=code_input
                    prop:value=move || code.get()
                    on:input=move |ev| {
                        let v: String = event_target_value(&ev).chars().filter(char::is_ascii_digit).take(6).collect();
                        code.set(v.clone());
                        if v.len() == 6 { verify(); }
                    }/>
                <button id="verify" class="primary" type="submit"
                    disabled=move || busy.get() || code.get().len() != 6>
                    {t!(lang, portal::SIGN_IN)}
                </button>
                <div class="row">
                    <button id="resend" type="button"
                        disabled=move || { busy.get() || resend_left.get() > 0 || turnstile.token.get().is_none() }
                        on:click=move |_| request()>
                        {move || if resend_left.get() > 0 {
                            format!("{} {} d", say(lang.get(), portal::RESEND_IN), resend_left.get())
                        } else {
                            say(lang.get(), portal::RESEND_THE_CODE).to_owned()
                        }}
                    </button>
                    <button type="button" class="link" on:click=move |_| { step.set(Step::Phone); error.set(None); }>
                        {t!(lang, portal::CHANGE_NUMBER)}
                    </button>
                </div>
            </form>
        }
    };

    view! {
        <section class="card" aria-live="polite">
            {move || (random_mac && step.get() == Step::Phone).then(|| view! { <RandomMacHelp/> })}
            {move || match step.get() {
                Step::Phone => phone_step().into_any(),
                Step::Code(e164) => code_step(e164).into_any(),
                Step::Online(result) => match result.hotspot.clone() {
                    Some(HotspotHandoff::HotspotLogin(h)) => view! { <Handoff handoff=h/> }.into_any(),
                    Some(HotspotHandoff::Bypass(_)) => view! {
                        <div class="stack">
                            <h2 id="connected" class="status-ok">{t!(lang, portal::CONNECTED)}</h2>
                            <p>{t!(lang, portal::YOUR_DEVICE_CAN_USE_THE)}</p>
                            <a class="button primary" href=Page::Home.path()>{t!(lang, portal::SEE_MY_QUOTA)}</a>
                        </div>
                    }.into_any(),
                    None => ().into_any(),
                },
                Step::Refused(e) => view! { <AccountRefused error=*e/> }.into_any(),
            }}
            <div class:hidden=move || !matches!(step.get(), Step::Phone | Step::Code(_))>
                {widget}
                <p class="status-bad" role="alert">{move || error.get()}</p>
                <p class="muted" class:hidden=move || !turnstile.failed.get()>
                    {t!(lang, portal::THE_SECURITY_CHECK_DID_NOT)}
                </p>
            </div>
        </section>
        <p class="center" class:hidden=move || step.get() != Step::Phone>
            {t!(lang, portal::NOT_REGISTERED)}" "
            <a href=Page::Register.path() id="to-register">{t!(lang, portal::REGISTER_HERE)}</a>
        </p>
    }
}
