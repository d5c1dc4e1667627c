//! A labelled form field bound to a signal, with the attributes phones need
//! (type, autocomplete, input mode) and room for a field error.

use leptos::prelude::*;

use crate::{state::ctx, t};

/// One `<label>` + `<input>`; `label` is (Indonesian, English).
#[component]
pub fn Field(
    id: &'static str,
    label: (&'static str, &'static str),
    value: RwSignal<String>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(default = "off")] autocomplete: &'static str,
    #[prop(default = 100)] max_length: u32,
    /// The on-screen keyboard to show (`numeric` for codes).
    #[prop(default = "text")]
    inputmode: &'static str,
    #[prop(optional)] error: Option<RwSignal<Option<String>>>,
    #[prop(default = true)] required: bool,
) -> impl IntoView {
    let lang = ctx().lang;
    let error_id = format!("{id}-error");
    view! {
        <div class="stack field">
            <label for=id>{t!(lang, label)}</label>
            <input id=id name=id type=kind autocomplete=autocomplete maxlength=max_length required=required inputmode=inputmode
                aria-describedby=error_id.clone()
                prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))/>
            <p id=error_id class="status-bad field-error" role="alert">{move || error.and_then(|e| e.get())}</p>
        </div>
    }
}
