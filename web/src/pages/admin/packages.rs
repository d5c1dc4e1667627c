//! `/admin/paket`: the packages residents can buy — add, edit, reorder,
//! take off sale, delete (a package that was ever bought is only taken off
//! sale: its purchases keep it). The form checks each field with the same
//! rules as the API and shows the message under the field.

use leptos::{prelude::*, task::spawn_local};
use shared_types::{PackageInput, PackageView};

use crate::components::gb::{gb_bytes, gb_text};
use validator::Validate;

use super::words::problem_text;
use crate::{
    api,
    components::{async_view::loaded_list, form::Field},
    i18n::{admin, money, say, Lang, Text},
    state::ctx,
    t,
};

/// A field's problem code in words.
fn field_problem(code: &str) -> Text {
    match code {
        "required" => money::FIELD_REQUIRED,
        "taken" => money::NAME_TAKEN,
        _ => money::FIELD_OUT_OF_RANGE,
    }
}

#[component]
pub fn AdminPackages() -> impl IntoView {
    let lang = ctx().lang;
    let list = LocalResource::new(api::admin_packages);
    let editing = RwSignal::new(None::<PackageView>);
    let error = RwSignal::new(None::<String>);
    let notice = RwSignal::new(None::<String>);
    // Moves the package at `from` to `to` and numbers the list 10, 20, 30…
    // (saving only the packages whose number changed; a failed save stops,
    // and the reload shows the order as stored).
    let reorder = move |items: Vec<PackageView>, from: usize, to: usize| {
        spawn_local(async move {
            let l = lang.get_untracked();
            for (p, order) in renumbered(items, from, to) {
                let mut input = input_of(&p);
                input.sort_order = order;
                if let Err(e) = api::update_package(&p.id, &input).await {
                    error.set(Some(problem_text(l, &e)));
                    break;
                }
            }
            list.refetch();
        });
    };
    let toggle = move |p: PackageView| {
        spawn_local(async move {
            let mut input = input_of(&p);
            input.active = !p.active;
            match api::update_package(&p.id, &input).await {
                Ok(_) => list.refetch(),
                Err(e) => error.set(Some(problem_text(lang.get_untracked(), &e))),
            }
        });
    };
    let remove = move |p: PackageView| {
        spawn_local(async move {
            let l = lang.get_untracked();
            match api::delete_package(&p.id).await {
                Ok(r) => {
                    let text = if r.outcome == "deleted" {
                        money::REMOVED
                    } else {
                        money::DEACTIVATED_KEPT
                    };
                    notice.set(Some(say(l, text).into()));
                    list.refetch();
                }
                Err(e) => error.set(Some(problem_text(l, &e))),
            }
        });
    };
    view! {
        <section class="card stack" aria-labelledby="packages-title">
            <h2 id="packages-title">{t!(lang, money::PACKAGES)}</h2>
            {move || {
                let all = list.get();
                let items: Vec<PackageView> = all.as_ref().and_then(|r| r.as_ref().ok()).cloned().unwrap_or_default();
                loaded_list(all, "packages", money::NO_PACKAGES, move |p: PackageView| {
                    let at = items.iter().position(|x| x.id == p.id).unwrap_or(0);
                    let (first, last) = (at == 0, at + 1 >= items.len());
                    let (iu, id) = (items.clone(), items.clone());
                    let (pe, pt, pr) = (p.clone(), p.clone(), p.clone());
                    view! {
                        <li class="stack" data-package=p.name.clone() class:off=!p.active>
                            <div class="row spread">
                                <strong>{p.name.clone()}</strong>
                                <span class="row">
                                    <span>{p.price_text.clone()}</span>
                                    {(!p.active).then(|| view! { <span class="tag warn">{t!(lang, money::NOT_ON_SALE)}</span> })}
                                </span>
                            </div>
                            <p class="muted">{format!("{} · {} ", p.quota_text, p.validity_days)}{t!(lang, money::DAYS)}
                                {p.router_profile.clone().map(|r| format!(" · {r}"))}</p>
                            <div class="row">
                                <button type="button" class="edit-package" on:click=move |_| editing.set(Some(pe.clone()))>{t!(lang, crate::i18n::facility::EDIT)}</button>
                                <button type="button" class="move-up" disabled=first
                                    aria-label=move || say(lang.get(), money::MOVE_UP) title=move || say(lang.get(), money::MOVE_UP)
                                    on:click=move |_| reorder(iu.clone(), at, at.saturating_sub(1))>"↑"</button>
                                <button type="button" class="move-down" disabled=last
                                    aria-label=move || say(lang.get(), money::MOVE_DOWN) title=move || say(lang.get(), money::MOVE_DOWN)
                                    on:click=move |_| reorder(id.clone(), at, at + 1)>"↓"</button>
                                <button type="button" class="toggle-sale" on:click=move |_| toggle(pt.clone())>
                                    {t!(lang, if p.active { admin::DEACTIVATE } else { admin::ACTIVATE })}</button>
                                <button type="button" class="danger remove-package" on:click=move |_| remove(pr.clone())>{t!(lang, money::REMOVE)}</button>
                            </div>
                        </li>
                    }.into_any()
                })
            }}
            <p class="status-ok" role="status">{move || notice.get()}</p>
            <p class="status-bad" role="alert">{move || error.get()}</p>
        </section>
        {move || {
            let current = editing.get();
            view! { <PackageForm current=current on_saved=move || { editing.set(None); list.refetch(); }
                on_cancel=move || editing.set(None)/> }
        }}
    }
}

/// The packages whose display number changes when the one at `from` moves
/// to `to` and the list is numbered 10, 20, 30…, with their new numbers.
fn renumbered(mut items: Vec<PackageView>, from: usize, to: usize) -> Vec<(PackageView, i32)> {
    if from < items.len() && to < items.len() {
        let moved = items.remove(from);
        items.insert(to, moved);
    }
    items
        .into_iter()
        .enumerate()
        .map(|(i, p)| (p, (i as i32 + 1) * 10))
        .filter(|(p, order)| p.sort_order != *order)
        .collect()
}

fn input_of(p: &PackageView) -> PackageInput {
    PackageInput {
        name: p.name.clone(),
        price_idr: p.price_idr,
        quota_bytes: p.quota_bytes,
        validity_days: p.validity_days,
        router_profile: p.router_profile.clone(),
        active: p.active,
        sort_order: p.sort_order,
    }
}

fn digits(text: &str) -> Option<i64> {
    let d: String = text.chars().filter(char::is_ascii_digit).collect();
    d.parse().ok()
}

#[component]
fn PackageForm(
    current: Option<PackageView>,
    on_saved: impl Fn() + Copy + Send + Sync + 'static,
    on_cancel: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let lang = ctx().lang;
    let id = current.as_ref().map(|p| p.id.to_string());
    let editing = id.is_some();
    let c = current.clone();
    let name = RwSignal::new(c.as_ref().map(|p| p.name.clone()).unwrap_or_default());
    let price = RwSignal::new(
        c.as_ref()
            .map(|p| p.price_idr.to_string())
            .unwrap_or_default(),
    );
    let unlimited = RwSignal::new(c.as_ref().is_some_and(|p| p.unlimited));
    let quota = RwSignal::new(gb_text(c.as_ref().and_then(|p| p.quota_bytes)));
    let days = RwSignal::new(
        c.as_ref()
            .map_or("30".into(), |p| p.validity_days.to_string()),
    );
    let profile = RwSignal::new(
        c.as_ref()
            .and_then(|p| p.router_profile.clone())
            .unwrap_or_default(),
    );
    let errors: [RwSignal<Option<String>>; 5] = std::array::from_fn(|_| RwSignal::new(None));
    let [e_name, e_price, e_quota, e_days, e_profile] = errors;
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let show = move |l: Lang, fields: Vec<(String, String)>| {
        for e in errors {
            e.set(None);
        }
        for (field, code) in fields {
            let target = match field.as_str() {
                "name" => e_name,
                "price_idr" => e_price,
                "quota_bytes" => e_quota,
                "validity_days" => e_days,
                "router_profile" => e_profile,
                _ => continue,
            };
            target.set(Some(say(l, field_problem(&code)).into()));
        }
    };
    let sort_order = c.as_ref().map_or(0, |p| p.sort_order);
    let active = c.as_ref().is_none_or(|p| p.active);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let l = lang.get_untracked();
        let input = PackageInput {
            name: name.get_untracked().trim().to_owned(),
            price_idr: digits(&price.get_untracked()).unwrap_or(0),
            quota_bytes: if unlimited.get_untracked() {
                None
            } else {
                Some(gb_bytes(&quota.get_untracked()).unwrap_or(0))
            },
            validity_days: digits(&days.get_untracked())
                .and_then(|d| i32::try_from(d).ok())
                .unwrap_or(0),
            router_profile: Some(profile.get_untracked().trim().to_owned())
                .filter(|p| !p.is_empty()),
            active,
            sort_order,
        };
        // The API's own rules, checked here first so each field says what is wrong.
        if let Err(e) = input.validate() {
            let empty_name = input.name.is_empty();
            let fields = e
                .field_errors()
                .into_iter()
                .map(|(f, errs)| {
                    let code = if f == "name" && empty_name {
                        "required".to_owned()
                    } else {
                        errs.first().map(|x| x.code.to_string()).unwrap_or_default()
                    };
                    (f.to_string(), code)
                })
                .collect();
            show(l, fields);
            return;
        }
        show(l, Vec::new());
        busy.set(true);
        let id = id.clone();
        spawn_local(async move {
            let saved = match &id {
                Some(id) => api::update_package(id, &input).await,
                None => api::create_package(&input).await,
            };
            busy.set(false);
            match saved {
                Ok(_) => on_saved(),
                Err(e) => {
                    show(l, e.field_codes());
                    error.set(Some(problem_text(l, &e)));
                }
            }
        });
    };
    view! {
        <section class="card stack" aria-labelledby="package-form-title">
            <h3 id="package-form-title">{t!(lang, if editing { money::EDIT_PACKAGE } else { money::ADD_PACKAGE })}</h3>
            <form class="stack" id="package-form" on:submit=submit novalidate>
                <Field id="package-name" label=money::PACKAGE_NAME value=name max_length=50 error=e_name/>
                <div class="row">
                    <Field id="package-price" label=money::PRICE value=price inputmode="numeric" error=e_price/>
                    <Field id="package-days" label=money::VALIDITY_DAYS value=days inputmode="numeric" error=e_days/>
                </div>
                <label class="row">
                    <input type="checkbox" id="package-unlimited" prop:checked=move || unlimited.get()
                        on:change=move |ev| unlimited.set(event_target_checked(&ev))/>
                    <span>{t!(lang, money::UNLIMITED)}</span>
                </label>
                <Show when=move || !unlimited.get()>
                    <Field id="package-quota" label=money::QUOTA_GB value=quota inputmode="decimal" error=e_quota/>
                </Show>
                <Field id="package-profile" label=money::ROUTER_PROFILE value=profile max_length=64 required=false error=e_profile/>
                <p class="status-bad" role="alert">{move || error.get()}</p>
                <div class="row">
                    <button type="submit" class="primary" id="package-save" disabled=move || busy.get()>{t!(lang, admin::SAVE)}</button>
                    {editing.then(|| view! {
                        <button type="button" on:click=move |_| on_cancel()>{t!(lang, crate::i18n::common::CANCEL)}</button>
                    })}
                </div>
            </form>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moving_a_package_renumbers_only_what_changed() {
        let p = |name: &str, order: i32| PackageView {
            id: name.into(),
            name: name.into(),
            price_idr: 1,
            price_text: String::new(),
            quota_bytes: None,
            quota_text: String::new(),
            unlimited: true,
            validity_days: 1,
            router_profile: None,
            active: true,
            sort_order: order,
        };
        let moved: Vec<(String, i32)> = renumbered(vec![p("a", 0), p("b", 0)], 1, 0)
            .into_iter()
            .map(|(p, o)| (p.name, o))
            .collect();
        assert_eq!(moved, [("b".to_owned(), 10), ("a".to_owned(), 20)]);
        let moved = renumbered(vec![p("a", 10), p("b", 20), p("c", 30)], 1, 2);
        let names: Vec<(&str, i32)> = moved.iter().map(|(p, o)| (p.name.as_str(), *o)).collect();
        assert_eq!(names, [("c", 20), ("b", 30)]);
    }
}
