//! Progress charts as plain SVG (no chart library: small download, prints sharp, readable on a
//! tablet). Each chart carries its data in `data-` attributes, so what it shows can be checked.

use leptos::prelude::*;

/// One line or shape in a chart.
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    pub label: String,
    /// Stable code of what the series is (a round's point, a member's id).
    pub code: String,
    /// CSS class giving its colour.
    pub class: String,
    /// Share of the scale (0.0-1.0) per axis or per round; `None`: not answered.
    pub levels: Vec<Option<f32>>,
    /// The answers as given, for labels and data attributes.
    pub scores: Vec<Option<u8>>,
}

fn data_scores(keys: &[String], scores: &[Option<u8>]) -> String {
    keys.iter()
        .zip(scores)
        .map(|(k, s)| format!("{k}={}", s.map(|s| s.to_string()).unwrap_or_default()))
        .collect::<Vec<_>>()
        .join(";")
}

fn short(label: &str, max: usize) -> String {
    if label.chars().count() <= max {
        label.to_owned()
    } else {
        let cut: String = label.chars().take(max - 1).collect();
        format!("{}…", cut.trim_end())
    }
}

fn dots(pts: &[(i32, i32)], r: i32) -> impl IntoView {
    pts.iter()
        .map(|(cx, cy)| view! { <circle class="dot" cx=*cx cy=*cy r=r/> })
        .collect_view()
}

/// The key under a chart: one swatch per series, in its colour.
fn legend(series: &[Series]) -> impl IntoView {
    let items = series
        .iter()
        .map(|s| view! { <li class=s.class.clone()><span class="swatch"></span>{s.label.clone()}</li> })
        .collect_view();
    view! { <ul class="legend">{items}</ul> }
}

/// X of round `i` of `n` between `x0` and `x1` (one round sits in the middle).
fn axis_x(n: usize, x0: i32, x1: i32) -> impl Fn(usize) -> i32 + Copy {
    move |i| {
        if n <= 1 {
            (x0 + x1) / 2
        } else {
            x0 + (x1 - x0) * i as i32 / (n as i32 - 1)
        }
    }
}

const RADAR_R: f32 = 170.0;
const RADAR_CX: f32 = 400.0;
const RADAR_CY: f32 = 250.0;

/// Whole pixels: a chart needs no finer, and printing integers keeps float formatting out of
/// the app's download.
fn px(v: f32) -> i32 {
    v.round() as i32
}

fn radar_point(i: usize, n: usize, level: f32) -> (i32, i32) {
    let angle = -std::f32::consts::FRAC_PI_2 + i as f32 * std::f32::consts::TAU / n.max(1) as f32;
    (
        px(RADAR_CX + RADAR_R * level * angle.cos()),
        px(RADAR_CY + RADAR_R * level * angle.sin()),
    )
}

fn points(pts: &[(i32, i32)]) -> String {
    pts.iter()
        .map(|(x, y)| format!("{x},{y}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// A star (radar) chart: one axis per area, one shape per round compared.
#[component]
pub fn Radar(
    /// Area labels, one per axis.
    axes: Vec<String>,
    /// Area keys, one per axis (in the data attributes).
    keys: Vec<String>,
    series: Vec<Series>,
    /// Axes to mark (fell or low).
    attention: Vec<bool>,
    title: String,
) -> impl IntoView {
    let n = axes.len();
    let rings = [0.25_f32, 0.5, 0.75, 1.0]
        .into_iter()
        .map(|l| {
            let pts: Vec<(i32, i32)> = (0..n).map(|i| radar_point(i, n, l)).collect();
            view! { <polygon class="ring" points=points(&pts)/> }
        })
        .collect_view();
    let spokes = axes
        .iter()
        .enumerate()
        .map(|(i, label)| {
            let (x, y) = radar_point(i, n, 1.0);
            let (lx, ly) = radar_point(i, n, 1.09);
            let cx = px(RADAR_CX);
            let anchor = if (lx - cx).abs() < 8 {
                "middle"
            } else if lx > cx {
                "start"
            } else {
                "end"
            };
            let marked = attention.get(i).copied().unwrap_or(false);
            view! {
                <line class="spoke" x1=cx y1=px(RADAR_CY) x2=x y2=y/>
                <text class="axis-label" class:attention=marked x=lx y=ly + 4 text-anchor=anchor>
                    <title>{label.clone()}</title>
                    {short(label, 24)}
                </text>
            }
        })
        .collect_view();
    let shapes = series
        .iter()
        .map(|s| {
            let pts: Vec<(i32, i32)> = s
                .levels
                .iter()
                .enumerate()
                .filter_map(|(i, l)| l.map(|l| radar_point(i, n, l)))
                .collect();
            let shape = points(&pts);
            let dots = dots(&pts, 4);
            view! {
                <g class=format!("series {}", s.class) data-round=s.code.clone() data-scores=data_scores(&keys, &s.scores)>
                    <title>{s.label.clone()}</title>
                    <polygon class="shape" points=shape/>
                    {dots}
                </g>
            }
        })
        .collect_view();
    view! {
        <figure class="chart radar-chart">
            <svg class="radar" viewBox="0 0 800 500" role="img" aria-label=title.clone()>
                <title>{title.clone()}</title>
                {rings}
                {spokes}
                {shapes}
            </svg>
            {legend(&series)}
        </figure>
    }
}

/// One area's answers across rounds, on its scale.
#[component]
pub fn AreaLine(
    label: String,
    key: String,
    rounds: Vec<String>,
    scores: Vec<Option<u8>>,
    levels: Vec<Option<f32>>,
    attention: bool,
    note: String,
) -> impl IntoView {
    let (x0, x1, y0, y1) = (30, 208, 100, 16);
    let x = axis_x(rounds.len(), x0, x1);
    let y = move |l: f32| px(y0 as f32 - (y0 - y1) as f32 * l);
    let pts: Vec<(i32, i32, u8)> = levels
        .iter()
        .zip(&scores)
        .enumerate()
        .filter_map(|(i, (l, s))| Some((x(i), y((*l)?), (*s)?)))
        .collect();
    let line = points(&pts.iter().map(|(a, b, _)| (*a, *b)).collect::<Vec<_>>());
    let dots = pts
        .iter()
        .map(|(cx, cy, s)| {
            view! {
                <circle class="dot" cx=*cx cy=*cy r="4"/>
                <text class="value" x=*cx y=cy - 8 text-anchor="middle">{*s}</text>
            }
        })
        .collect_view();
    let ticks = rounds
        .iter()
        .enumerate()
        .map(|(i, r)| view! { <text class="tick" x=x(i) y="122" text-anchor="middle">{r.clone()}</text> })
        .collect_view();
    let data = scores
        .iter()
        .map(|s| s.map(|s| s.to_string()).unwrap_or_default())
        .collect::<Vec<_>>()
        .join(",");
    view! {
        <figure class="chart area-chart" class:attention=attention data-area=key data-scores=data>
            <figcaption>{label.clone()}{(!note.is_empty()).then(|| view! { <span class="change">{format!(" · {note}")}</span> })}</figcaption>
            <svg viewBox="0 0 240 130" role="img" aria-label=label>
                <line class="axis" x1=x0 y1=y0 x2=x1 y2=y0/>
                <line class="grid" x1=x0 y1=y1 x2=x1 y2=y1/>
                <polyline class="line" points=line/>
                {dots}
                {ticks}
            </svg>
        </figure>
    }
}

/// Every member's mean level per round, overlaid (0-100 % of each one's own scale, so adults'
/// 1-10 and children's faces can share one chart).
#[component]
pub fn FamilyChart(rounds: Vec<String>, series: Vec<Series>) -> impl IntoView {
    let (x0, x1, y0, y1) = (60, 620, 230, 20);
    let x = axis_x(rounds.len(), x0, x1);
    let y = move |l: f32| px(y0 as f32 - (y0 - y1) as f32 * l);
    let grid = [0_u8, 25, 50, 75, 100]
        .into_iter()
        .map(|pct| {
            let at = y(f32::from(pct) / 100.0);
            view! {
                <line class="grid" x1=x0 y1=at x2=x1 y2=at/>
                <text class="tick" x=x0 - 8 y=at + 4 text-anchor="end">{format!("{pct} %")}</text>
            }
        })
        .collect_view();
    let ticks = rounds
        .iter()
        .enumerate()
        .map(|(i, r)| view! { <text class="tick" x=x(i) y="256" text-anchor="middle">{r.clone()}</text> })
        .collect_view();
    let lines = series
        .iter()
        .map(|s| {
            let pts: Vec<(i32, i32)> = s
                .levels
                .iter()
                .enumerate()
                .filter_map(|(i, l)| l.map(|l| (x(i), y(l))))
                .collect();
            let line = points(&pts);
            let data = s
                .levels
                .iter()
                .map(|l| l.map(|l| px(l * 100.0).to_string()).unwrap_or_default())
                .collect::<Vec<_>>()
                .join(",");
            let dots = dots(&pts, 5);
            view! {
                <g class=format!("series {}", s.class) data-member=s.code.clone() data-levels=data>
                    <title>{s.label.clone()}</title>
                    <polyline class="line" points=line/>
                    {dots}
                </g>
            }
        })
        .collect_view();
    view! {
        <figure class="chart family-chart">
            <svg viewBox="0 0 660 270" role="img" aria-label="Familien samlet: snitt per person og runde">
                {grid}
                {ticks}
                {lines}
            </svg>
            {legend(&series)}
        </figure>
    }
}
