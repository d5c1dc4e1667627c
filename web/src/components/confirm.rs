//! A confirmation step inside the page (no `window.confirm`, which captive
//! pop-ups often block), optionally asking for a reason that goes into the
//! audit log.

use leptos::prelude::*;

use crate::{i18n::tr, state::ctx, t};

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
                <p><strong>{t!(lang, question.0, question.1)}</strong></p>
                {reason.map(|r| view! {
                    <label class="stack">
                        <span>{t!(lang, "Alasan (dicatat)", "Reason (recorded)")}</span>
                        <input class="grow" name="reason" maxlength="300" required
                            prop:value=move || r.get() on:input=move |ev| r.set(event_target_value(&ev))/>
                    </label>
                })}
                <div class="row">
                    <button type="submit" class=if danger { "danger" } else { "primary" }
                        disabled=move || !ready()>{move || tr(lang.get(), action.0, action.1)}</button>
                    <button type="button" on:click=move |_| open.set(false)>{t!(lang, "Batal", "Cancel")}</button>
                </div>
            </form>
        </Show>
    }
}
