//! Self-registration; an officer approves it before the number can go online.

use leptos::{prelude::*, task::spawn_local};
use shared_types::{phone::normalize_id_mobile, ErrorCode, RegisterRequest, RegisterRole};

use crate::{
    api,
    components::turnstile::{Turnstile, TurnstileHandle},
    i18n::portal,
    i18n::{error_text, say},
    routes::Page,
    state::ctx,
    t,
};

#[derive(Clone, Copy, PartialEq)]
enum Placement {
    BlokKamar,
    Tamping,
}

fn opt(s: String) -> Option<String> {
    let s = s.trim().to_owned();
    (!s.is_empty()).then_some(s)
}

#[component]
pub fn RegisterPage() -> impl IntoView {
    let c = ctx();
    let lang = c.lang;
    let name = RwSignal::new(String::new());
    let phone = RwSignal::new(String::new());
    let role = RwSignal::new(RegisterRole::Resident);
    let placement = RwSignal::new(Placement::BlokKamar);
    let blok = RwSignal::new(String::new());
    let kamar = RwSignal::new(String::new());
    let tamping = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let done = RwSignal::new(false);
    let turnstile = TurnstileHandle::new();

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        let l = lang.get_untracked();
        let Ok(e164) = normalize_id_mobile(&phone.get_untracked()) else {
            error.set(Some(error_text(l, ErrorCode::InvalidPhone).into()));
            return;
        };
        let resident = role.get_untracked() == RegisterRole::Resident;
        let tamping_type = resident && placement.get_untracked() == Placement::Tamping;
        let req = RegisterRequest {
            name: name.get_untracked().trim().to_owned(),
            phone: e164.into(),
            role: role.get_untracked(),
            blok: (resident && !tamping_type)
                .then(|| opt(blok.get_untracked()))
                .flatten(),
            kamar: (resident && !tamping_type)
                .then(|| opt(kamar.get_untracked()))
                .flatten(),
            tamping_type: tamping_type.then(|| opt(tamping.get_untracked())).flatten(),
            turnstile_token: String::new(),
        };
        let Some(token) = turnstile.take() else {
            error.set(Some(say(l, portal::WAIT_FOR_THE_SECURITY_CHECK).into()));
            return;
        };
        let req = RegisterRequest {
            turnstile_token: token,
            ..req
        };
        busy.set(true);
        spawn_local(async move {
            let r = api::register(&req).await;
            busy.set(false);
            match r {
                Ok(_) => done.set(true),
                Err(e) => error.set(Some(error_text(lang.get_untracked(), e.code()).into())),
            }
        });
    };

    let form = move || {
        let Some(Ok(portal)) = c.portal.get() else {
            return view! { <p class="muted">{t!(lang, portal::LOADING)}</p> }.into_any();
        };
        view! {
            <form class="stack" on:submit=submit>
                <h2>{t!(lang, portal::REGISTER)}</h2>
                <label for="reg-name">{t!(lang, portal::FULL_NAME)}</label>
                <input id="reg-name" autocomplete="name" minlength="2" maxlength="100" required
                    prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
                <label for="reg-phone">{t!(lang, portal::WHATSAPP_NUMBER)}</label>
                <input id="reg-phone" type="tel" inputmode="numeric" autocomplete="tel" placeholder="08xxxxxxxxxx" required
                    prop:value=move || phone.get() on:input=move |ev| phone.set(event_target_value(&ev))/>
                <fieldset>
                    <legend>{t!(lang, portal::I_AM)}</legend>
                    <label class="choice"><input type="radio" name="role" checked=true
                        on:change=move |_| role.set(RegisterRole::Resident)/>{t!(lang, portal::RESIDENT_STUDENT)}</label>
                    <label class="choice"><input type="radio" name="role"
                        on:change=move |_| role.set(RegisterRole::Komandan)/>{t!(lang, portal::OFFICER)}</label>
                </fieldset>
                <div class="stack" class:hidden=move || role.get() != RegisterRole::Resident>
                    <fieldset>
                        <legend>{t!(lang, portal::PLACEMENT)}</legend>
                        <label class="choice"><input type="radio" name="placement" checked=true
                            on:change=move |_| placement.set(Placement::BlokKamar)/>{t!(lang, portal::BLOCK_AND_ROOM)}</label>
                        <label class="choice"><input type="radio" name="placement"
                            on:change=move |_| placement.set(Placement::Tamping)/>{t!(lang, portal::TAMPING_RESIDENT_WORKER)}</label>
                    </fieldset>
                    <div class="row" class:hidden=move || placement.get() != Placement::BlokKamar>
                        <div class="grow stack">
                            <label for="reg-blok">"Blok"</label>
                            <input id="reg-blok" maxlength="32" prop:value=move || blok.get()
                                on:input=move |ev| blok.set(event_target_value(&ev))/>
                        </div>
                        <div class="grow stack">
                            <label for="reg-kamar">{t!(lang, portal::ROOM)}</label>
                            <input id="reg-kamar" maxlength="32" prop:value=move || kamar.get()
                                on:input=move |ev| kamar.set(event_target_value(&ev))/>
                        </div>
                    </div>
                    <div class="stack" class:hidden=move || placement.get() != Placement::Tamping>
                        <label for="reg-tamping">{t!(lang, portal::TAMPING_TYPE)}</label>
                        <input id="reg-tamping" maxlength="64" placeholder="dapur, kebersihan…" prop:value=move || tamping.get()
                            on:input=move |ev| tamping.set(event_target_value(&ev))/>
                    </div>
                </div>
                <Turnstile handle=turnstile site_key=portal.turnstile_site_key.clone()
                    action=portal.turnstile_action_register.clone() script_url=portal.turnstile_script_url.clone()/>
                <p class="status-bad" role="alert">{move || error.get()}</p>
                <button id="register" class="primary" type="submit"
                    disabled=move || busy.get() || turnstile.token.get().is_none()>
                    {t!(lang, portal::SEND_REGISTRATION)}
                </button>
            </form>
        }.into_any()
    };

    view! {
        <section class="card" aria-live="polite">
            {move || if done.get() {
                view! {
                    <div class="stack" id="registration-pending">
                        <h2>{t!(lang, portal::REGISTRATION_SENT)}</h2>
                        <p>{t!(lang, portal::WAIT_FOR_AN_OFFICER_TO)}</p>
                        <a class="button" href=Page::Home.path()>{t!(lang, portal::BACK)}</a>
                    </div>
                }.into_any()
            } else {
                form()
            }}
        </section>
    }
}
