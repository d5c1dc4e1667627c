//! A confirmation step inside the page (no `window.confirm`, which captive
//! pop-ups often block), optionally asking for a reason that goes into the
//! audit log.

use leptos::prelude::*;

use crate::{i18n::common, i18n::say, state::ctx, t};

/// Shows `question` with a confirm and a cancel button while `open` is true.
/// With `reason`, a required text field comes first (1–300 characters).
#[component]
pub fn Confirm(
    open: RwSignal<bool>,
    /// (Indonesian, English).
    question: (&'static str, &'static str),
    /// The confirm button's label (Indonesian, English).
    action: (&'static str, &'static str),
    #[prop(optional)] reason: Option<RwSignal<String>>,
    #[prop(optional)] danger: bool,
    on_confirm: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let lang = ctx().lang;
    let ready = move || reason.is_none_or(|r| !r.get().trim().is_empty());
    let confirm = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if ready() {
            open.set(false);
            on_confirm();
        }
    };
    view! {
        <Show when=move || open.get()>
            <form class="confirm stack" role="alertdialog" aria-modal="false" on:submit=confirm>
                <p><strong>{t!(lang, question)}</strong></p>
                {reason.map(|r| view! {
                    <label class="stack">
                        <span>{t!(lang, common::REASON_RECORDED)}</span>
                        <input name="reason" maxlength="300" required
                            prop:value=move || r.get() on:input=move |ev| r.set(event_target_value(&ev))/>
                    </label>
                })}
                <div class="row">
                    <button type="submit" class=if danger { "danger" } else { "primary" }
                        disabled=move || !ready()>{move || say(lang.get(), action)}</button>
                    <button type="button" on:click=move |_| open.set(false)>{t!(lang, common::CANCEL)}</button>
                </div>
            </form>
        </Show>
    }
}
