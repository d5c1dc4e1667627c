//! Amounts per day as inline SVG bars (the overview's usage and revenue,
//! the transactions' paid per day), with each bar's day and amount as its
//! tooltip and the first day, the peak and the last day underneath.

use leptos::prelude::*;
use shared_types::DayAmount;

const W: f64 = 320.0;
const H: f64 = 120.0;

/// Bar geometry in a 320 × 120 box: (x, y, width, height) per value, the
/// tallest at full height.
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
