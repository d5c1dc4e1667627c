//! An officer's (*komandan*) quota requests on their home page: ask for
//! quota or unlimited access for some days, and read the answers. The
//! request line is shared with the admins' queue.

use leptos::{prelude::*, task::spawn_local};
use shared_types::{NewQuotaRequest, QuotaRequestStatus, QuotaRequestView};

use crate::{
    api::{self, ApiError},
    components::{async_view::loaded_list, form::Field, format::date_time, gb::gb_bytes},
    i18n::{error_text, requests, say, Lang},
    state::ctx,
    t,
};

/// "Menunggu jawaban", "Disetujui sebagian", …
pub fn status_text(r: &QuotaRequestView) -> (&'static str, &'static str) {
    match r.status {
        QuotaRequestStatus::Pending => requests::PENDING,
        QuotaRequestStatus::Approved if r.partly => requests::APPROVED_PARTLY,
        QuotaRequestStatus::Approved => requests::APPROVED,
        QuotaRequestStatus::Rejected => requests::REJECTED,
    }
}

/// What was asked: "5 GB · 7 hari" or "Tanpa batas kuota · 3 hari".
pub fn asked_text(lang: Lang, r: &QuotaRequestView) -> String {
    let what = match &r.quota_text {
        Some(q) if !r.unlimited => q.clone(),
        _ => say(lang, requests::KIND_UNLIMITED).to_owned(),
    };
    format!("{what} · {} {}", r.days, say(lang, requests::DAYS))
}

/// One request: what was asked, the note, and the answer.
#[component]
pub fn RequestLine(
    r: QuotaRequestView,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let lang = ctx().lang;
    let rr = r.clone();
    let granted = r.granted_days.map(|d| {
        let what = r
            .granted_text
            .clone()
            .unwrap_or_else(|| say(lang.get_untracked(), requests::KIND_UNLIMITED).into());
        format!("{what} · {d}")
    });
    let bad = r.status == QuotaRequestStatus::Rejected;
    view! {
        <li class="stack" data-request=r.id.to_string()>
            <div class="row spread">
                <strong>{move || asked_text(lang.get(), &rr)}</strong>
                <span class="tag" class:warn=bad>{t!(lang, status_text(&r))}</span>
            </div>
            <p class="muted">{r.requester_name.clone()}" · "{move || date_time(lang.get(), &r.created_at)}</p>
            <p class="note">{r.note.clone()}</p>
            {granted.map(|g| view! { <p>{t!(lang, requests::GRANTED)}" "{g}" "{t!(lang, requests::DAYS)}</p> })}
            {r.reason.clone().map(|why| view! { <p class="status-bad">{why}</p> })}
            {children.map(|c| c())}
        </li>
    }
}

/// The officer's card: the form and their requests.
#[component]
pub fn OfficerRequests() -> impl IntoView {
    let lang = ctx().lang;
    let list = LocalResource::new(api::my_quota_requests);
    let unlimited = RwSignal::new(false);
    let gb = RwSignal::new(String::new());
    let days = RwSignal::new("7".to_owned());
    let note = RwSignal::new(String::new());
    let errors: [RwSignal<Option<String>>; 3] = std::array::from_fn(|_| RwSignal::new(None));
    let [e_gb, e_days, e_note] = errors;
    let error = RwSignal::new(None::<String>);
    let sent = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let show = move |l: Lang, e: &ApiError| {
        for (field, _) in e.field_codes() {
            let target = match field.as_str() {
                "quota_bytes" | "__all__" => e_gb,
                "days" => e_days,
                "note" => e_note,
                _ => continue,
            };
            target.set(Some(error_text(l, e.code()).into()));
        }
        error.set(Some(match e.detail("reason").as_deref() {
            Some("pending_limit") => say(l, requests::PENDING_LIMIT).into(),
            _ => error_text(l, e.code()).into(),
        }));
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let l = lang.get_untracked();
        for f in errors {
            f.set(None);
        }
        error.set(None);
        sent.set(false);
        let quota_bytes = if unlimited.get_untracked() {
            None
        } else {
            match gb_bytes(&gb.get_untracked()) {
                Some(b) => Some(b),
                None => {
                    e_gb.set(Some(say(l, requests::BAD_GB).into()));
                    return;
                }
            }
        };
        let body = NewQuotaRequest {
            unlimited: unlimited.get_untracked(),
            quota_bytes,
            days: days.get_untracked().trim().parse().unwrap_or(0),
            note: note.get_untracked().trim().to_owned(),
        };
        busy.set(true);
        spawn_local(async move {
            match api::file_quota_request(&body).await {
                Ok(_) => {
                    sent.set(true);
                    note.set(String::new());
                    list.refetch();
                }
                Err(e) => show(lang.get_untracked(), &e),
            }
            busy.set(false);
        });
    };
    view! {
        <section class="card stack" aria-labelledby="requests-title">
            <h2 id="requests-title">{t!(lang, requests::REQUESTS)}</h2>
            <form class="stack" id="request-form" on:submit=submit>
                <label class="row">
                    <input type="checkbox" id="request-unlimited" prop:checked=move || unlimited.get()
                        on:change=move |ev| unlimited.set(event_target_checked(&ev))/>
                    {t!(lang, requests::KIND_UNLIMITED)}
                </label>
                {move || (!unlimited.get()).then(|| view! {
                    <Field id="request-gb" label=requests::KIND_QUOTA value=gb inputmode="decimal" max_length=8 error=e_gb/>
                })}
                <Field id="request-days" label=requests::FOR_DAYS value=days inputmode="numeric" max_length=2 error=e_days/>
                <Field id="request-note" label=requests::NOTE value=note max_length=300 error=e_note/>
                <p class="status-bad" role="alert">{move || error.get()}</p>
                {move || sent.get().then(|| view! { <p class="notice ok" id="request-sent">{t!(lang, requests::SENT)}</p> })}
                <button class="primary" type="submit" id="request-send" disabled=move || busy.get()>{t!(lang, requests::SEND)}</button>
            </form>
            {move || loaded_list(list.get(), "my-requests", requests::NO_REQUESTS,
                |r| view! { <RequestLine r=r/> }.into_any())}
        </section>
    }
}
