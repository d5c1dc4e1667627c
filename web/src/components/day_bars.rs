//! Amounts per day as inline SVG bars (the overview's usage and revenue,
//! the transactions' paid per day), with each bar's day and amount as its
//! tooltip and the first day, the peak and the last day underneath.

use leptos::prelude::*;
use shared_types::DayAmount;

use super::usage_chart::bars;

#[component]
pub fn DayBars(
    days: Vec<DayAmount>,
    /// What the chart shows, for screen readers.
    label: String,
    /// How an amount reads (bytes as GB/MB, rupiah as Rp 10.000).
    format: fn(i64) -> String,
    /// `id` of the figure.
    id: &'static str,
) -> impl IntoView {
    let values: Vec<i64> = days.iter().map(|d| d.amount).collect();
    let peak = values.iter().copied().max().unwrap_or(0);
    let short = |d: Option<&DayAmount>| d.map(|d| d.day.get(5..).unwrap_or("").to_owned());
    let (first, last) = (short(days.first()), short(days.last()));
    view! {
        <figure class="chart" id=id>
            <svg viewBox="0 0 320 120" role="img" width="100%" height="120" aria-label=label>
                {bars(&values).into_iter().zip(days).map(|((x, y, w, h), d)| view! {
                    <rect x=x y=y width=w height=h rx="2" fill="#0b57d0">
                        <title>{format!("{}: {}", d.day, format(d.amount))}</title>
                    </rect>
                }).collect_view()}
            </svg>
            <figcaption class="muted row spread">
                <span>{first}</span>
                <span>"▲ "{format(peak)}</span>
                <span>{last}</span>
            </figcaption>
        </figure>
    }
}
