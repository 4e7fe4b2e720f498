//! The intervention's clock on screen (rules in `duken_domain::timeline`): a family's phases
//! with their dates, where the family is now, and what is due next.

use duken_domain::family::Family;
use duken_domain::timeline::Timeline;
use leptos::prelude::*;

use crate::core::use_core;
use crate::ui::{norwegian_date, today};

/// How many coming items the family page lists.
const NEXT: usize = 5;

/// The family page's timeline section.
#[component]
pub fn FamilyTimeline(family: uuid::Uuid) -> impl IntoView {
    let core = use_core();
    let timeline = Memo::new(move |_| {
        core.record(family)
            .as_ref()
            .and_then(Family::from_record)
            .and_then(|f| f.course())
            .map(|c| c.timeline())
    });
    view! {
        <section class="timeline" aria-label="Tidslinje">
            <h2>"Tidslinje"</h2>
            {move || match timeline.get() {
                None => view! { <p class="empty">"Sett startdato (inntakssamtalen) på familien for å se tidslinjen."</p> }.into_any(),
                Some(t) => timeline_view(t).into_any(),
            }}
        </section>
    }
}

fn timeline_view(t: Timeline) -> impl IntoView {
    let now = today();
    let current = t.phase_on(now);
    let phases = t
        .spans
        .iter()
        .map(|s| {
            let here = s.phase == current;
            view! {
                <li class="phase-span" class:current=here aria-current=here.then_some("step")>
                    <strong>{s.phase.label()}</strong>
                    <span class="meta">{format!(" {} – {}", norwegian_date(s.from), norwegian_date(s.until.pred_opt().unwrap_or(s.until)))}</span>
                </li>
            }
        })
        .collect_view();
    let next = t
        .due
        .iter()
        .filter(|d| d.date >= now)
        .take(NEXT)
        .map(|d| view! { <li><span class="date">{norwegian_date(d.date)}</span>" "{d.checkpoint.label()}</li> })
        .collect_view();
    view! {
        <ol class="phases">{phases}</ol>
        <h3>"Neste frister"</h3>
        <ul class="next-due" data-testid="next-due">{next}</ul>
    }
}
