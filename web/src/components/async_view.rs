//! The three states every card that loads something has — loading, failed,
//! loaded (and loaded-but-empty for lists) — written once.

use leptos::prelude::*;

use crate::{api::ApiError, i18n::common, i18n::error_text, state::ctx, t};

/// Shows "loading" until `state` is known, the error's text if it failed,
/// and `ok(value)` once loaded.
pub fn loaded<T>(state: Option<Result<T, ApiError>>, ok: impl FnOnce(T) -> AnyView) -> AnyView {
    let lang = ctx().lang;
    match state {
        None => view! {
            <p class="muted" aria-busy="true">{t!(lang, common::LOADING)}</p>
        }
        .into_any(),
        Some(Err(e)) => {
            let code = e.code();
            view! { <p class="status-bad" role="alert">{move || error_text(lang.get(), code)}</p> }
                .into_any()
        }
        Some(Ok(v)) => ok(v),
    }
}

/// Like [`loaded`] for a list: `<ul class="list" id=…>` with one `row`
/// (an `<li>`) per item, or `empty` (Indonesian, English) when there are none.
pub fn loaded_list<T>(
    state: Option<Result<Vec<T>, ApiError>>,
    id: &'static str,
    empty: (&'static str, &'static str),
    row: impl Fn(T) -> AnyView,
) -> AnyView {
    let lang = ctx().lang;
    loaded(state, move |items| {
        if items.is_empty() {
            view! { <p class="muted empty" id=id>{t!(lang, empty)}</p> }.into_any()
        } else {
            view! { <ul class="list" id=id>{items.into_iter().map(row).collect_view()}</ul> }
                .into_any()
        }
    })
}
