//! `/admin/pesan`: the WhatsApp notifications gerbang sent, failed to send
//! or is still holding (gateway down, quiet hours, the day's budget) —
//! filter by status, read a message, send a failed one again — and which
//! events reach the signed-in admin.

use leptos::{prelude::*, task::spawn_local};
use shared_types::{
    phone::local_form, AdminEvent, MessagePage, MessageStatus, MessageView, Subscriptions,
    SubscriptionsChange,
};

use super::words::problem_text;
use crate::{
    api,
    components::{async_view::loaded, format::date_time},
    i18n::{admin, messages as m, say, Lang, Text},
    state::ctx,
    t,
};

fn status_text(s: MessageStatus) -> Text {
    match s {
        MessageStatus::Waiting => m::WAITING,
        MessageStatus::Sending => m::SENDING,
        MessageStatus::Sent => m::SENT,
        MessageStatus::Failed => m::FAILED,
    }
}

fn status_class(s: MessageStatus) -> &'static str {
    match s {
        MessageStatus::Sent => "tag status-ok",
        MessageStatus::Failed => "tag status-bad",
        MessageStatus::Waiting | MessageStatus::Sending => "tag",
    }
}

/// What a message is about, in words.
fn kind_text(lang: Lang, kind: &str) -> String {
    let text = match kind {
        "registration.approved" => m::KIND_REGISTRATION_APPROVED,
        "registration.rejected" => m::KIND_REGISTRATION_REJECTED,
        "payment.received" => m::KIND_PAYMENT,
        "quota.low" => m::KIND_QUOTA_LOW,
        "validity.ending" => m::KIND_VALIDITY,
        "user.blocked" => m::KIND_BLOCKED,
        "user.unblocked" => m::KIND_UNBLOCKED,
        "quota_request.answered" => m::KIND_ANSWERED,
        "admin.router_back" => m::KIND_ROUTER_BACK,
        other => match other.strip_prefix("admin.").and_then(AdminEvent::parse) {
            Some(e) => event_text(e),
            None => return other.to_owned(),
        },
    };
    say(lang, text).to_owned()
}

/// Why a send failed or waits, in words (the stored error is the engineer's).
fn error_words(error: &str) -> Text {
    if error.starts_with("target invalid") {
        m::ERR_NOT_ON_WHATSAPP
    } else if error.starts_with("interrupted") {
        m::ERR_INTERRUPTED
    } else if error.starts_with("expired") {
        m::ERR_EXPIRED
    } else if error.starts_with("superseded") {
        m::ERR_SUPERSEDED
    } else if error.starts_with("recipient deleted") {
        m::ERR_RECIPIENT_GONE
    } else if error.starts_with("refused") {
        m::ERR_REFUSED
    } else {
        m::ERR_GATEWAY
    }
}

fn event_text(e: AdminEvent) -> Text {
    match e {
        AdminEvent::NewRegistration => m::EVENT_NEW_REGISTRATION,
        AdminEvent::NewQuotaRequest => m::EVENT_NEW_QUOTA_REQUEST,
        AdminEvent::RouterDown => m::EVENT_ROUTER_DOWN,
        AdminEvent::PaidLate => m::EVENT_PAID_LATE,
        AdminEvent::BudgetNearlyUsed => m::EVENT_BUDGET,
    }
}

#[component]
pub fn AdminMessages() -> impl IntoView {
    let lang = ctx().lang;
    let filter = RwSignal::new(None::<MessageStatus>);
    let shown = RwSignal::new(Vec::<MessageView>::new());
    let offset = RwSignal::new(0i64);
    let page = LocalResource::new(move || {
        let (status, offset) = (filter.get(), offset.get());
        api::whatsapp_messages(status, offset)
    });
    // Pages add up; a new filter starts over.
    Effect::new(move |_| {
        if let Some(Ok(p)) = page.get() {
            if offset.get_untracked() == 0 {
                shown.set(p.items.clone());
            } else {
                shown.update(|v| v.extend(p.items.clone()));
            }
        }
    });
    let choose = move |s: Option<MessageStatus>| {
        offset.set(0);
        filter.set(s);
    };
    let reload = move || {
        offset.set(0);
        page.refetch();
    };
    let tab = move |s: Option<MessageStatus>, label: Text, id: &'static str| {
        view! {
            <button type="button" id=id aria-pressed=move || (filter.get() == s).to_string()
                on:click=move |_| choose(s)>{t!(lang, label)}</button>
        }
    };
    view! {
        <section class="card stack" aria-labelledby="messages-title">
            <h2 id="messages-title">{t!(lang, m::MESSAGES)}</h2>
            <p class="muted">{t!(lang, m::MESSAGES_HELP)}</p>
            {move || loaded(page.get(), move |p: MessagePage| view! {
                <Summary p=p/>
            }.into_any())}
            <div class="row message-tabs" role="group">
                {tab(None, m::EVERY, "messages-all")}
                {tab(Some(MessageStatus::Failed), m::FAILED, "messages-failed")}
                {tab(Some(MessageStatus::Waiting), m::WAITING, "messages-waiting")}
                {tab(Some(MessageStatus::Sent), m::SENT, "messages-sent")}
            </div>
            {move || {
                let items = shown.get();
                if items.is_empty() {
                    view! { <p class="muted empty" id="messages">{t!(lang, m::NO_MESSAGES)}</p> }.into_any()
                } else {
                    view! {
                        <ul class="list" id="messages">
                            {items.into_iter().map(|msg| view! { <Message msg=msg on_retried=reload/> }).collect_view()}
                        </ul>
                    }.into_any()
                }
            }}
            {move || page.get().and_then(|r| r.ok()).filter(|p| (offset.get_untracked() + 50) < p.total).map(|_| view! {
                <button type="button" id="messages-more" on:click=move |_| offset.update(|o| *o += 50)>{t!(lang, m::MORE)}</button>
            })}
        </section>
        <MySubscriptions/>
    }
}

/// Counts, today's budget and quiet hours.
#[component]
fn Summary(p: MessagePage) -> impl IntoView {
    let lang = ctx().lang;
    let c = p.counts;
    view! {
        <p id="messages-today"><strong>{t!(lang, m::SENT_TODAY)}": "</strong>
            {p.sent_today}" "{t!(lang, m::OF_BUDGET)}" "{p.budget}</p>
        <p class="row" id="message-counts">
            <span class="tag status-ok">{t!(lang, m::SENT)}": "{c.sent}</span>
            <span class="tag status-bad">{t!(lang, m::FAILED)}": "{c.failed}</span>
            <span class="tag">{t!(lang, m::WAITING)}": "{c.waiting + c.sending}</span>
        </p>
        {p.quiet_now.then(|| view! { <p class="muted" id="quiet-now">{t!(lang, m::QUIET_NOW)}</p> })}
    }
}

#[component]
fn Message(
    msg: MessageView,
    on_retried: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let lang = ctx().lang;
    let id = StoredValue::new(msg.id.to_string());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let retry = move |_| {
        busy.set(true);
        spawn_local(async move {
            match api::retry_whatsapp_message(&id.get_value()).await {
                Ok(_) => on_retried(),
                Err(e) => error.set(Some(problem_text(lang.get_untracked(), &e))),
            }
            busy.set(false);
        });
    };
    let kind = msg.kind.clone();
    let number = local_form(&format!("+{}", msg.target));
    let who = match &msg.recipient_name {
        Some(n) => format!("{n} · {number}"),
        None => number,
    };
    let created = msg.created_at.to_string();
    let next = msg.next_attempt_at.as_ref().map(|t| t.to_string());
    let attempts = msg.attempts;
    let failed = msg.status == MessageStatus::Failed;
    view! {
        <li class="stack message" data-status=msg.status.as_str()>
            <div class="row spread">
                <strong>{move || kind_text(lang.get(), &kind)}</strong>
                <span class=status_class(msg.status)>{t!(lang, status_text(msg.status))}</span>
            </div>
            <p class="muted small">{t!(lang, m::TO_NUMBER)}" "{who}" · "{move || date_time(lang.get(), &created)}
                {(attempts > 1).then(|| format!(" · {attempts} "))}{(attempts > 1).then(|| t!(lang, m::ATTEMPTS))}</p>
            {msg.error.clone().map(|e| view! {
                <p class="status-bad small message-error" title=e.clone()>{t!(lang, error_words(&e))}</p>
            })}
            {next.map(|n| view! {
                <p class="muted small">{t!(lang, m::NEXT_TRY)}": "{move || date_time(lang.get(), &n)}</p>
            })}
            <details>
                <summary>{t!(lang, m::SHOW_TEXT)}</summary>
                <p class="message-body">{msg.body.clone()}</p>
            </details>
            {failed.then(|| view! {
                <button type="button" class="retry" disabled=move || busy.get() on:click=retry>{t!(lang, m::RETRY)}</button>
            })}
            <p class="status-bad" role="alert">{move || error.get()}</p>
        </li>
    }
}

/// Which events reach the signed-in admin.
#[component]
fn MySubscriptions() -> impl IntoView {
    let lang = ctx().lang;
    let subs = LocalResource::new(api::my_subscriptions);
    view! {
        <section class="card stack" aria-labelledby="subs-title">
            <h3 id="subs-title">{t!(lang, m::SUBSCRIPTIONS)}</h3>
            <p class="muted">{t!(lang, m::SUBSCRIPTIONS_HELP)}</p>
            {move || loaded(subs.get(), |s| view! { <SubscriptionsForm s=s/> }.into_any())}
        </section>
    }
}

#[component]
fn SubscriptionsForm(s: Subscriptions) -> impl IntoView {
    let lang = ctx().lang;
    let on: Vec<(AdminEvent, RwSignal<bool>)> = s
        .events
        .iter()
        .map(|e| (e.event, RwSignal::new(e.subscribed)))
        .collect();
    let on = StoredValue::new(on);
    let saved = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let change = SubscriptionsChange {
            subscribed: on
                .get_value()
                .iter()
                .filter(|(_, v)| v.get_untracked())
                .map(|(e, _)| *e)
                .collect(),
        };
        busy.set(true);
        saved.set(false);
        error.set(None);
        spawn_local(async move {
            match api::set_my_subscriptions(&change).await {
                Ok(_) => saved.set(true),
                Err(e) => error.set(Some(problem_text(lang.get_untracked(), &e))),
            }
            busy.set(false);
        });
    };
    view! {
        <form class="stack" id="subscriptions" on:submit=submit>
            {match s.phone.clone() {
                Some(p) => view! { <p class="muted small">{t!(lang, m::TO_NUMBER)}" "{local_form(&p)}</p> }.into_any(),
                None => view! { <p class="status-bad" id="no-phone">{t!(lang, m::NO_PHONE)}</p> }.into_any(),
            }}
            {on.get_value().into_iter().map(|(event, v)| view! {
                <label class="row">
                    <input type="checkbox" data-event=event.as_str() prop:checked=move || v.get()
                        on:change=move |ev| v.set(event_target_checked(&ev))/>
                    <span>{t!(lang, event_text(event))}</span>
                </label>
            }).collect_view()}
            <p class="status-bad" role="alert">{move || error.get()}</p>
            <p class="status-ok" role="status" id="subscriptions-saved">{move || saved.get().then(|| say(lang.get(), admin::SAVED))}</p>
            <button type="submit" class="primary" id="subscriptions-save" disabled=move || busy.get()>{t!(lang, admin::SAVE)}</button>
        </form>
    }
}
