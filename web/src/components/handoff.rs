//! Getting a hotspot-login device online: the hidden form POST to the
//! router's login page, with a large "Lanjutkan" button when the automatic
//! submit does not navigate (iOS CNA) within a few seconds.

use leptos::{html, prelude::*};
use shared_types::HotspotLoginHandoff;

use crate::{i18n::portal, state::ctx, t};

/// Seconds before the manual button appears.
const FALLBACK_AFTER: std::time::Duration = std::time::Duration::from_secs(3);

#[component]
pub fn Handoff(handoff: HotspotLoginHandoff) -> impl IntoView {
    let lang = ctx().lang;
    let form = NodeRef::<html::Form>::new();
    let show_button = RwSignal::new(false);
    Effect::new(move |_| {
        if let Some(f) = form.get() {
            // The password exists only in this form's hidden input until it is sent.
            let _ = f.submit();
            set_timeout(move || show_button.set(true), FALLBACK_AFTER);
        }
    });
    let f = handoff.fields;
    view! {
        <div class="stack" id="handoff">
            <h2>{t!(lang, portal::CONNECTING_TO_THE_INTERNET)}</h2>
            <p class="muted">{t!(lang, portal::ONE_MOMENT_THE_PAGE_MOVES)}</p>
            <form method="post" action=handoff.action node_ref=form id="hotspot-form">
                <input type="hidden" name="username" value=f.username/>
                <input type="hidden" name="password" value=f.password/>
                <input type="hidden" name="dst" value=f.dst/>
                <input type="hidden" name="popup" value=f.popup/>
                <button id="continue" type="submit" class="primary big" class:invisible=move || !show_button.get()>
                    {t!(lang, portal::CONTINUE)}
                </button>
            </form>
        </div>
    }
}
