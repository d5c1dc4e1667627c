//! Phone login: number → Turnstile → WhatsApp code → online.

use leptos::{html, prelude::*, task::spawn_local};
use shared_types::{
    phone::{normalize_id_mobile, Phone},
    AccessStatus, ErrorCode, LoginResult, OtpRequest, OtpVerify, PortalConfig,
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

/// The login flow's state, shared by its steps. Cheap to copy (signals).
#[derive(Clone, Copy)]
struct Flow {
    c: Ctx,
    step: RwSignal<Step>,
    phone: RwSignal<String>,
    code: RwSignal<String>,
    error: RwSignal<Option<String>>,
    busy: RwSignal<bool>,
    resend_left: RwSignal<u32>,
    turnstile: TurnstileHandle,
    code_input: NodeRef<html::Input>,
}

impl Flow {
    fn new(c: Ctx) -> Self {
        Self {
            c,
            step: RwSignal::new(Step::Phone),
            phone: RwSignal::new(String::new()),
            code: RwSignal::new(String::new()),
            error: RwSignal::new(None),
            busy: RwSignal::new(false),
            resend_left: RwSignal::new(0),
            turnstile: TurnstileHandle::new(),
            code_input: NodeRef::new(),
        }
    }

    fn fail(self, text: &str) {
        self.error.set(Some(text.to_owned()));
    }

    /// Asks for a WhatsApp code for the typed number (Turnstile token first).
    fn request(self) {
        let lang = self.c.lang.get_untracked();
        self.error.set(None);
        let Ok(e164) = normalize_id_mobile(&self.phone.get_untracked()) else {
            return self.fail(error_text(lang, ErrorCode::InvalidPhone));
        };
        let Some(token) = self.turnstile.take() else {
            return self.fail(say(lang, portal::WAIT_FOR_THE_SECURITY_CHECK));
        };
        self.busy.set(true);
        spawn_local(async move {
            let r = api::request_otp(&OtpRequest {
                phone: e164.to_string(),
                turnstile_token: token,
            })
            .await;
            self.busy.set(false);
            match r {
                Ok(sent) => {
                    self.code.set(String::new());
                    self.step.set(Step::Code(e164));
                    start_countdown(self.resend_left, sent.resend_after_seconds);
                }
                Err(e) => {
                    if let Some(s) = e.retry_after() {
                        start_countdown(self.resend_left, s);
                    }
                    self.fail(error_text(lang, e.code()));
                }
            }
        });
    }

    /// Verifies the six digits; on success hands over to the router (or
    /// goes to the packages page when there is nothing left).
    fn verify(self) {
        let Step::Code(e164) = self.step.get_untracked() else {
            return;
        };
        let typed: String = self
            .code
            .get_untracked()
            .chars()
            .filter(char::is_ascii_digit)
            .collect();
        if typed.len() != 6 || self.busy.get_untracked() {
            return;
        }
        self.error.set(None);
        self.busy.set(true);
        let origin = window().location().origin().unwrap_or_default();
        let client = self.c.router.get_untracked().client(&origin);
        spawn_local(async move {
            let r = api::verify_otp(&OtpVerify {
                phone: e164.to_string(),
                code: typed,
                client,
            })
            .await;
            self.busy.set(false);
            match r {
                Ok(result) => self.logged_in(result),
                Err(e)
                    if matches!(
                        e.code(),
                        ErrorCode::AccountBlocked
                            | ErrorCode::AccountPending
                            | ErrorCode::AccountInactive
                    ) =>
                {
                    self.step.set(Step::Refused(Box::new(e)))
                }
                Err(e) => {
                    self.code.set(String::new());
                    self.fail(error_text(self.c.lang.get_untracked(), e.code()));
                    if let Some(el) = self.code_input.get_untracked() {
                        let _ = el.focus();
                    }
                }
            }
        });
    }

    fn logged_in(self, result: LoginResult) {
        self.c.account.set(Some(Some(Account {
            user: result.user.clone(),
            status: result.status.clone(),
        })));
        match (&result.hotspot, result.status.status) {
            (Some(_), _) => self.step.set(Step::Online(Box::new(result))),
            (None, AccessStatus::Exhausted | AccessStatus::Expired) => {
                Ctx::go(&Page::Packages.path())
            }
            (None, _) => Ctx::go(&Page::Home.path()),
        }
    }
}

/// The whole login flow; `portal` decides the Turnstile widget.
#[component]
pub fn Login(portal: PortalConfig) -> impl IntoView {
    let flow = Flow::new(ctx());
    let lang = flow.c.lang;
    let step = flow.step;
    // Focus the code field when it appears (the phone shows the numeric keypad).
    Effect::new(move |_| {
        if matches!(step.get(), Step::Code(_)) {
            if let Some(el) = flow.code_input.get() {
                let _ = el.focus();
            }
        }
    });
    let random_mac = portal.randomized_mac == Some(true);
    let turnstile = flow.turnstile;
    let widget = view! {
        <Turnstile
            handle=turnstile
            site_key=portal.turnstile_site_key.clone()
            action=portal.turnstile_action_otp.clone()
            script_url=portal.turnstile_script_url.clone()
        />
    };
    view! {
        <section class="card" aria-live="polite">
            {move || (random_mac && step.get() == Step::Phone).then(|| view! { <RandomMacHelp/> })}
            {move || match step.get() {
                Step::Phone => view! { <PhoneStep flow=flow/> }.into_any(),
                Step::Code(e164) => view! { <CodeStep flow=flow e164=e164/> }.into_any(),
                Step::Online(result) => view! { <Online result=*result/> }.into_any(),
                Step::Refused(e) => view! { <AccountRefused error=*e/> }.into_any(),
            }}
            <div class:hidden=move || !matches!(step.get(), Step::Phone | Step::Code(_))>
                {widget}
                <p class="status-bad" role="alert">{move || flow.error.get()}</p>
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

/// The number, and the button that sends the code (with the resend countdown).
#[component]
fn PhoneStep(flow: Flow) -> impl IntoView {
    let lang = flow.c.lang;
    let Flow {
        phone,
        busy,
        resend_left,
        turnstile,
        ..
    } = flow;
    view! {
        <form class="stack" on:submit=move |ev| { ev.prevent_default(); flow.request(); }>
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
}

/// The six digits from WhatsApp: they submit by themselves.
#[component]
fn CodeStep(flow: Flow, e164: Phone) -> impl IntoView {
    let lang = flow.c.lang;
    let Flow {
        code,
        busy,
        resend_left,
        turnstile,
        code_input,
        step,
        error,
        ..
    } = flow;
    view! {
        <form class="stack" on:submit=move |ev| { ev.prevent_default(); flow.verify(); }>
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
                    if v.len() == 6 { flow.verify(); }
                }/>
            <button id="verify" class="primary" type="submit"
                disabled=move || busy.get() || code.get().len() != 6>
                {t!(lang, portal::SIGN_IN)}
            </button>
            <div class="row">
                <button id="resend" type="button"
                    disabled=move || { busy.get() || resend_left.get() > 0 || turnstile.token.get().is_none() }
                    on:click=move |_| flow.request()>
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
}

/// Logged in: the hidden form that logs the device in on the router (both
/// login modes; a bypass router's binding then takes over).
#[component]
fn Online(result: LoginResult) -> impl IntoView {
    result.hotspot.map(|h| view! { <Handoff handoff=h/> })
}
