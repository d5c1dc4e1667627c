//! `/admin/pengaturan` (super admins): the facility settings stored in the
//! database — name, contact, FUP, devices per person, WhatsApp code caps,
//! notification budget and quiet hours, the payment walled garden. Each field shows its default when changed;
//! saving asks for a reason (audited) and applies without a restart.

use leptos::{prelude::*, task::spawn_local};
use shared_types::{access::GIB, FacilitySettings, FacilitySettingsChange, FacilitySettingsView};
use validator::Validate;

use super::words::problem_text;
use crate::{
    api,
    components::{async_view::loaded, form::Field},
    i18n::{admin, common, facility, say, Text},
    state::ctx,
    t,
};

/// The form's text for each setting, and back.
#[derive(Clone, Copy)]
struct Form {
    name: RwSignal<String>,
    contact: RwSignal<String>,
    fup_percent: RwSignal<String>,
    fup_cap_gb: RwSignal<String>,
    up_kbps: RwSignal<String>,
    down_kbps: RwSignal<String>,
    devices: RwSignal<String>,
    otp_15: RwSignal<String>,
    otp_day: RwSignal<String>,
    otp_ip: RwSignal<String>,
    otp_minute: RwSignal<String>,
    otp_budget: RwSignal<String>,
    garden: RwSignal<String>,
    admins_reveal: RwSignal<bool>,
    notify_day: RwSignal<String>,
    quiet_start: RwSignal<String>,
    quiet_end: RwSignal<String>,
    router_down: RwSignal<String>,
}

fn number(s: &str) -> i64 {
    s.trim().replace(['.', ' '], "").parse().unwrap_or(-1)
}

impl Form {
    fn new(v: &FacilitySettings) -> Self {
        let s = |x: String| RwSignal::new(x);
        Self {
            name: s(v.facility_name.clone()),
            contact: s(v.contact.clone()),
            fup_percent: s(v.fup_percent.to_string()),
            fup_cap_gb: s((v.fup_cap_bytes / GIB).to_string()),
            up_kbps: s((v.fup_rate_up_bps / 1000).to_string()),
            down_kbps: s((v.fup_rate_down_bps / 1000).to_string()),
            devices: s(v.devices_per_user.to_string()),
            otp_15: s(v.otp_per_phone_15min.to_string()),
            otp_day: s(v.otp_per_phone_day.to_string()),
            otp_ip: s(v.otp_per_ip_hour.to_string()),
            otp_minute: s(v.otp_global_per_minute.to_string()),
            otp_budget: s(v.otp_global_per_day.to_string()),
            garden: s(v.payment_walled_garden.join("\n")),
            admins_reveal: RwSignal::new(v.admins_may_reveal_passwords),
            notify_day: s(v.notify_per_day.to_string()),
            quiet_start: s(v.quiet_start_hour.to_string()),
            quiet_end: s(v.quiet_end_hour.to_string()),
            router_down: s(v.router_down_minutes.to_string()),
        }
    }

    /// The settings the form holds; `current` keeps what whole GB and
    /// kbit/s cannot express when the field was not touched.
    fn values(&self, current: &FacilitySettings) -> FacilitySettings {
        let int = |s: RwSignal<String>| i32::try_from(number(&s.get_untracked())).unwrap_or(-1);
        let cap_gb = number(&self.fup_cap_gb.get_untracked());
        let kbps = |s: RwSignal<String>, was: i64| {
            let k = number(&s.get_untracked());
            if k == was / 1000 {
                was
            } else {
                k.saturating_mul(1000)
            }
        };
        FacilitySettings {
            facility_name: self.name.get_untracked().trim().to_owned(),
            contact: self.contact.get_untracked().trim().to_owned(),
            fup_percent: int(self.fup_percent),
            fup_cap_bytes: if cap_gb == current.fup_cap_bytes / GIB {
                current.fup_cap_bytes
            } else {
                cap_gb.saturating_mul(GIB)
            },
            fup_rate_up_bps: kbps(self.up_kbps, current.fup_rate_up_bps),
            fup_rate_down_bps: kbps(self.down_kbps, current.fup_rate_down_bps),
            devices_per_user: int(self.devices),
            otp_per_phone_15min: int(self.otp_15),
            otp_per_phone_day: int(self.otp_day),
            otp_per_ip_hour: int(self.otp_ip),
            otp_global_per_minute: int(self.otp_minute),
            otp_global_per_day: int(self.otp_budget),
            payment_walled_garden: self
                .garden
                .get_untracked()
                .lines()
                .map(|l| l.trim().to_owned())
                .filter(|l| !l.is_empty())
                .collect(),
            admins_may_reveal_passwords: self.admins_reveal.get_untracked(),
            notify_per_day: int(self.notify_day),
            quiet_start_hour: int(self.quiet_start),
            quiet_end_hour: int(self.quiet_end),
            router_down_minutes: int(self.router_down),
        }
    }
}

/// The field codes' words.
fn problem(field: &str, code: &str) -> Text {
    match (field, code) {
        ("payment_walled_garden", "captive_probe") => facility::HOST_IS_PROBE,
        ("payment_walled_garden", "duplicate") => facility::HOST_DUPLICATE,
        ("payment_walled_garden", _) => facility::HOST_INVALID,
        _ => facility::FIELD_INVALID,
    }
}

#[component]
pub fn AdminSettings() -> impl IntoView {
    let lang = ctx().lang;
    let loaded_view = LocalResource::new(api::facility_settings);
    view! {
        <section class="card stack" aria-labelledby="settings-title">
            <h2 id="settings-title">{t!(lang, facility::SETTINGS)}</h2>
            <p class="muted">{t!(lang, facility::SETTINGS_HELP)}</p>
            {move || loaded(loaded_view.get(), move |v| view! { <SettingsForm v=v/> }.into_any())}
        </section>
    }
}

#[component]
fn SettingsForm(v: FacilitySettingsView) -> impl IntoView {
    let lang = ctx().lang;
    let shown = RwSignal::new(v);
    let form = Form::new(&shown.get_untracked().values);
    let reason = RwSignal::new(String::new());
    let fields: RwSignal<Vec<(String, String)>> = RwSignal::new(Vec::new());
    let error = RwSignal::new(None::<String>);
    let saved = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let l = lang.get_untracked();
        saved.set(false);
        let change = FacilitySettingsChange {
            values: form.values(&shown.get_untracked().values),
            reason: reason.get_untracked().trim().to_owned(),
        };
        if let Err(e) = change.values.validate() {
            fields.set(
                e.field_errors()
                    .into_iter()
                    .map(|(f, errs)| {
                        (
                            f.to_string(),
                            errs.first().map(|x| x.code.to_string()).unwrap_or_default(),
                        )
                    })
                    .collect(),
            );
            error.set(Some(say(l, facility::FIELD_INVALID).into()));
            return;
        }
        fields.set(Vec::new());
        busy.set(true);
        spawn_local(async move {
            let answer = api::change_facility_settings(&change).await;
            busy.set(false);
            match answer {
                Ok(v) => {
                    shown.set(v);
                    error.set(None);
                    reason.set(String::new());
                    saved.set(true);
                }
                Err(e) => {
                    fields.set(e.field_codes());
                    error.set(Some(problem_text(l, &e)));
                }
            }
        });
    };
    let note = move |key: &'static str, default: fn(&FacilitySettings) -> String| {
        move || {
            let v = shown.get();
            v.changed.iter().any(|c| c == key).then(|| {
                let l = lang.get();
                format!(
                    "{} — {} {}",
                    say(l, facility::CHANGED_FROM_DEFAULT),
                    say(l, facility::DEFAULT_IS),
                    default(&v.defaults)
                )
            })
        }
    };
    let field_error = move |key: &'static str| {
        move || {
            fields.with(|f| {
                f.iter()
                    .find(|(k, _)| k == key)
                    .map(|(k, c)| say(lang.get(), problem(k, c)).to_owned())
            })
        }
    };
    let row = move |id: &'static str,
                    label: Text,
                    value: RwSignal<String>,
                    key: &'static str,
                    default: fn(&FacilitySettings) -> String,
                    numeric: bool| {
        view! {
            <div class="stack setting" data-setting=key>
                <Field id=id label=label value=value inputmode=if numeric { "numeric" } else { "text" } max_length=120/>
                <p class="muted small">{note(key, default)}</p>
                <p class="status-bad field-error" role="alert">{field_error(key)}</p>
            </div>
        }
    };
    view! {
        <form class="stack" id="settings-form" on:submit=submit novalidate>
            {row("set-name", facility::FACILITY_NAME, form.name, "facility_name", |d| d.facility_name.clone(), false)}
            {row("set-contact", facility::CONTACT, form.contact, "contact", |d| d.contact.clone(), false)}
            <div class="grid-2">
                {row("set-fup-percent", facility::FUP_PERCENT, form.fup_percent, "fup_percent", |d| d.fup_percent.to_string(), true)}
                {row("set-fup-cap", facility::FUP_CAP_GB, form.fup_cap_gb, "fup_cap_bytes", |d| (d.fup_cap_bytes / GIB).to_string(), true)}
                {row("set-fup-up", facility::FUP_UP_KBPS, form.up_kbps, "fup_rate_up_bps", |d| (d.fup_rate_up_bps / 1000).to_string(), true)}
                {row("set-fup-down", facility::FUP_DOWN_KBPS, form.down_kbps, "fup_rate_down_bps", |d| (d.fup_rate_down_bps / 1000).to_string(), true)}
                {row("set-devices", facility::DEVICES_PER_USER, form.devices, "devices_per_user", |d| d.devices_per_user.to_string(), true)}
                {row("set-otp-15", facility::OTP_PER_PHONE_15, form.otp_15, "otp_per_phone_15min", |d| d.otp_per_phone_15min.to_string(), true)}
                {row("set-otp-day", facility::OTP_PER_PHONE_DAY, form.otp_day, "otp_per_phone_day", |d| d.otp_per_phone_day.to_string(), true)}
                {row("set-otp-ip", facility::OTP_PER_IP_HOUR, form.otp_ip, "otp_per_ip_hour", |d| d.otp_per_ip_hour.to_string(), true)}
                {row("set-otp-minute", facility::OTP_PER_MINUTE, form.otp_minute, "otp_global_per_minute", |d| d.otp_global_per_minute.to_string(), true)}
                {row("set-otp-budget", facility::OTP_PER_DAY, form.otp_budget, "otp_global_per_day", |d| d.otp_global_per_day.to_string(), true)}
                {row("set-notify-day", facility::NOTIFY_PER_DAY, form.notify_day, "notify_per_day", |d| d.notify_per_day.to_string(), true)}
                {row("set-router-down", facility::ROUTER_DOWN_MINUTES, form.router_down, "router_down_minutes", |d| d.router_down_minutes.to_string(), true)}
                {row("set-quiet-start", facility::QUIET_START, form.quiet_start, "quiet_start_hour", |d| d.quiet_start_hour.to_string(), true)}
                {row("set-quiet-end", facility::QUIET_END, form.quiet_end, "quiet_end_hour", |d| d.quiet_end_hour.to_string(), true)}
            </div>
            <p class="muted small" id="quiet-help">{t!(lang, facility::QUIET_HELP)}</p>
            <div class="stack setting" data-setting="payment_walled_garden">
                <label for="set-garden">{t!(lang, facility::PAYMENT_GARDEN)}</label>
                <textarea id="set-garden" rows="8" class="mono" prop:value=move || form.garden.get()
                    on:input=move |ev| form.garden.set(event_target_value(&ev))></textarea>
                <p class="muted small">{t!(lang, facility::PAYMENT_GARDEN_HELP)}</p>
                <p class="muted small">{note("payment_walled_garden", |d| d.payment_walled_garden.join(", "))}</p>
                <p class="status-bad field-error" role="alert">{field_error("payment_walled_garden")}</p>
            </div>
            <label class="row" data-setting="admins_may_reveal_passwords">
                <input type="checkbox" id="set-admins-reveal" prop:checked=move || form.admins_reveal.get()
                    on:change=move |ev| form.admins_reveal.set(event_target_checked(&ev))/>
                <span>{t!(lang, facility::ADMINS_MAY_REVEAL)}</span>
            </label>
            <Field id="set-reason" label=common::REASON_RECORDED value=reason max_length=300/>
            <p class="status-bad field-error" role="alert">{field_error("reason")}</p>
            {move || shown.get().updated_by.map(|by| view! {
                <p class="muted small">{t!(lang, facility::LAST_CHANGED_BY)}" "{by}</p>
            })}
            <p class="status-bad" role="alert">{move || error.get()}</p>
            <p class="status-ok" role="status" id="settings-saved">{move || saved.get().then(|| say(lang.get(), admin::SAVED))}</p>
            <button type="submit" class="primary" id="settings-save" disabled=move || busy.get()>{t!(lang, admin::SAVE)}</button>
        </form>
    }
}
