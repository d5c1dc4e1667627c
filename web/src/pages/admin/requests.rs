//! `/admin/permintaan`: officers' quota requests waiting for an answer —
//! approve as asked, approve partly (other GB or days), or reject with a
//! reason — and the last decided ones. Two admins deciding at once: the
//! second is told it was already decided.

use leptos::{prelude::*, task::spawn_local};
use shared_types::{QuotaApproval, QuotaRejection, QuotaRequestStatus, QuotaRequestView};

use super::words::problem_text;
use crate::{
    api::{self, ApiError},
    components::{async_view::loaded_list, form::Field, gb::gb_bytes},
    i18n::{requests, say, Lang},
    pages::requests::RequestLine,
    state::ctx,
    t,
};

#[component]
pub fn AdminRequests() -> impl IntoView {
    let lang = ctx().lang;
    let pending = LocalResource::new(|| api::quota_requests(QuotaRequestStatus::Pending));
    let approved = LocalResource::new(|| api::quota_requests(QuotaRequestStatus::Approved));
    let rejected = LocalResource::new(|| api::quota_requests(QuotaRequestStatus::Rejected));
    let reload = move || {
        pending.refetch();
        approved.refetch();
        rejected.refetch();
    };
    let decided = move || {
        let mut all: Vec<QuotaRequestView> = Vec::new();
        let mut failed = None;
        for r in [approved.get(), rejected.get()] {
            match r {
                Some(Ok(v)) => all.extend(v),
                Some(Err(e)) => failed = Some(e),
                None => return None,
            }
        }
        all.sort_by(|a, b| b.decided_at.cmp(&a.decided_at));
        Some(match failed {
            Some(e) => Err(e),
            None => Ok(all),
        })
    };
    view! {
        <section class="card stack" aria-labelledby="queue-title">
            <h2 id="queue-title">{t!(lang, requests::QUEUE)}</h2>
            {move || loaded_list(pending.get(), "pending-requests", requests::NO_REQUESTS,
                move |r| view! { <PendingRequest r=r on_decided=reload/> }.into_any())}
        </section>
        <section class="card stack" aria-labelledby="decided-title">
            <h3 id="decided-title">{t!(lang, requests::DECIDED)}</h3>
            {move || loaded_list(decided(), "decided-requests", requests::NO_REQUESTS,
                |r| view! { <RequestLine r=r/> }.into_any())}
        </section>
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Open {
    None,
    Partly,
    Reject,
}

#[component]
fn PendingRequest(
    r: QuotaRequestView,
    on_decided: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let lang = ctx().lang;
    let id = StoredValue::new(r.id.to_string());
    let unlimited = r.unlimited;
    let open = RwSignal::new(Open::None);
    let gb = RwSignal::new(String::new());
    let days = RwSignal::new(r.days.to_string());
    let reason = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let failed = move |l: Lang, e: &ApiError| {
        error.set(Some(match e.detail("reason").as_deref() {
            Some("already_decided") => say(l, requests::ALREADY_DECIDED).into(),
            _ => problem_text(l, e),
        }));
    };
    let approve = move |a: QuotaApproval| {
        busy.set(true);
        spawn_local(async move {
            match api::approve_quota_request(&id.get_value(), &a).await {
                Ok(_) => on_decided(),
                Err(e) => failed(lang.get_untracked(), &e),
            }
            busy.set(false);
        });
    };
    let approve_partly = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let l = lang.get_untracked();
        let quota_bytes = if unlimited || gb.get_untracked().trim().is_empty() {
            None
        } else {
            match gb_bytes(&gb.get_untracked()) {
                Some(b) => Some(b),
                None => return error.set(Some(say(l, requests::BAD_GB).into())),
            }
        };
        approve(QuotaApproval {
            quota_bytes,
            days: days.get_untracked().trim().parse().ok(),
        });
    };
    let reject = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = QuotaRejection {
            reason: reason.get_untracked().trim().to_owned(),
        };
        busy.set(true);
        spawn_local(async move {
            match api::reject_quota_request(&id.get_value(), &body).await {
                Ok(_) => on_decided(),
                Err(e) => failed(lang.get_untracked(), &e),
            }
            busy.set(false);
        });
    };
    view! {
        <RequestLine r=r>
            <div class="row">
                <button class="primary approve" type="button" disabled=move || busy.get()
                    on:click=move |_| approve(QuotaApproval::default())>{t!(lang, requests::APPROVE)}</button>
                <button type="button" class="approve-partly" on:click=move |_| open.set(Open::Partly)>{t!(lang, requests::APPROVE_PARTLY)}</button>
                <button type="button" class="danger reject" on:click=move |_| open.set(Open::Reject)>{t!(lang, requests::REJECT)}</button>
            </div>
            {move || (open.get() == Open::Partly).then(|| view! {
                <form class="stack partly-form" on:submit=approve_partly>
                    {(!unlimited).then(|| view! {
                        <Field id="partly-gb" label=requests::KIND_QUOTA value=gb inputmode="decimal" max_length=8 required=false/>
                    })}
                    <Field id="partly-days" label=requests::FOR_DAYS value=days inputmode="numeric" max_length=2/>
                    <button class="primary" type="submit" disabled=move || busy.get()>{t!(lang, requests::APPROVE)}</button>
                </form>
            })}
            {move || (open.get() == Open::Reject).then(|| view! {
                <form class="stack reject-form" on:submit=reject>
                    <Field id="reject-reason" label=requests::REASON value=reason max_length=300/>
                    <button class="danger" type="submit" disabled=move || busy.get()>{t!(lang, requests::REJECT)}</button>
                </form>
            })}
            <p class="status-bad" role="alert">{move || error.get()}</p>
        </RequestLine>
    }
}
