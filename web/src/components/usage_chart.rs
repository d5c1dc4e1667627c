//! Daily usage as inline SVG bars (no chart library).

use leptos::prelude::*;
use shared_types::{access::format_bytes, UsageHistory};

use crate::{i18n::me, state::ctx, t};

const W: f64 = 320.0;
const H: f64 = 120.0;

/// Bar geometry: (x, y, width, height) per day, tallest day at full height.
pub fn bars(values: &[i64]) -> Vec<(f64, f64, f64, f64)> {
    let max = values.iter().copied().max().unwrap_or(0).max(1) as f64;
    let n = values.len().max(1) as f64;
    let slot = W / n;
    let width = (slot * 0.7).max(1.0);
    values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let h = (*v.max(&0) as f64 / max * (H - 4.0)).round();
            (i as f64 * slot + (slot - width) / 2.0, H - h, width, h)
        })
        .collect()
}

#[component]
pub fn UsageChart(history: UsageHistory) -> impl IntoView {
    let lang = ctx().lang;
    let values: Vec<i64> = history.days.iter().map(|d| d.bytes).collect();
    let rects = bars(&values);
    let first = history
        .days
        .first()
        .map(|d| d.day[5..].to_owned())
        .unwrap_or_default();
    let last = history
        .days
        .last()
        .map(|d| d.day[5..].to_owned())
        .unwrap_or_default();
    let max = values.iter().copied().max().unwrap_or(0);
    view! {
        <figure class="chart">
            <svg viewBox=format!("0 0 {W} {H}") role="img" width="100%" height="120"
                aria-label=move || format!("{} {}", t!(lang, me::DAILY_USAGE_TOTAL)(), history.total_text)>
                {rects.into_iter().zip(history.days.clone()).map(|((x, y, w, h), d)| view! {
                    <rect x=x y=y width=w height=h rx="2" fill="#0b57d0">
                        <title>{format!("{}: {}", d.day, format_bytes(d.bytes))}</title>
                    </rect>
                }).collect_view()}
            </svg>
            <figcaption class="muted row spread">
                <span>{first}</span>
                <span>{t!(lang, me::PEAK)}" "{format_bytes(max)}</span>
                <span>{last}</span>
            </figcaption>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tallest_day_fills_the_chart_and_empty_days_are_flat() {
        let b = bars(&[0, 50, 100]);
        assert_eq!(b.len(), 3);
        assert_eq!(b[0].3, 0.0);
        assert_eq!(b[2].3, H - 4.0);
        assert_eq!(b[1].3, ((H - 4.0) / 2.0).round());
        assert!(b[0].0 < b[1].0 && b[1].0 < b[2].0);
        assert!(bars(&[]).is_empty());
        assert_eq!(bars(&[0, 0])[1].3, 0.0);
    }
}
