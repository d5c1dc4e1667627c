//! A person's daily usage (the resident dashboard, an admin's view of one
//! person): [`DayBars`] of bytes, labelled with the period's total.

use leptos::prelude::*;
use shared_types::{access::format_bytes, DayAmount, UsageHistory};

use super::day_bars::DayBars;
use crate::{i18n::me, i18n::say, state::ctx};

#[component]
pub fn UsageChart(history: UsageHistory) -> impl IntoView {
    let lang = ctx().lang;
    let label = format!(
        "{} {}",
        say(lang.get_untracked(), me::DAILY_USAGE_TOTAL),
        history.total_text
    );
    let days = history
        .days
        .into_iter()
        .map(|d| DayAmount {
            day: d.day,
            amount: d.bytes,
        })
        .collect();
    view! { <DayBars days=days label=label format=format_bytes id="daily-usage"/> }
}
