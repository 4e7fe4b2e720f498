//! The intervention's clock on screen (rules in `duken_domain::timeline`): a family's phases
//! with their dates, where the family is now, what is due next, and the course's turns
//! (extension, placement).

mod course;

pub use course::course_screen;

use duken_domain::family::Family;
use duken_domain::timeline::Timeline;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::agenda::{date_text, family_items, FamilyAgenda};
use crate::core::use_core;
use crate::evaluations::evaluations_of;
use crate::ui::{norwegian_date, today};

/// How many coming items the family page lists.
const NEXT: usize = 5;

/// The family page's timeline section.
#[component]
pub fn FamilyTimeline(family: uuid::Uuid) -> impl IntoView {
    let core = use_core();
    let fam = Memo::new(move |_| core.record(family).as_ref().and_then(Family::from_record));
    let timeline = Memo::new(move |_| {
        fam.get()
            .and_then(|f| f.course(&evaluations_of(core, family)))
            .map(|c| c.timeline())
    });
    let items = Memo::new(move |_| family_items(core, family));
    let next = Memo::new(move |_| {
        let now = today();
        items.with(|all| {
            all.iter()
                .filter(|i| !i.done && i.date >= now)
                .take(NEXT)
                .map(|i| (date_text(i), i.label.clone()))
                .collect::<Vec<_>>()
        })
    });
    view! {
        <section class="timeline" aria-label="Tidslinje">
            <h2>"Tidslinje"</h2>
            {move || match timeline.get() {
                None => view! { <p class="empty">"Sett startdato (inntakssamtalen) på familien for å se tidslinjen."</p> }.into_any(),
                Some(t) => view! {
                    {phases(t)}
                    {move || fam.get().map(|f| view! {
                        {f.extended.then(|| view! {
                            <p class="course-note" data-testid="extension">"Forlenget med 3 måneder: "{f.extension_reason.clone()}</p>
                        })}
                        {f.placement.clone().map(|p| view! {
                            <p class="course-note" data-testid="placement">{format!("{} {}", p.label(), norwegian_date(p.date))}</p>
                        })}
                    })}
                    <p><A href=format!("/familie/{family}/forlop")>"Forlengelse og plassering"</A></p>
                    <h3>"Neste frister"</h3>
                    <ul class="next-due" data-testid="next-due">
                        {move || next.get().into_iter().map(|(date, label)| view! {
                            <li><span class="date">{date}</span>" "{label}</li>
                        }).collect_view()}
                    </ul>
                    <FamilyAgenda family=family list=items/>
                }.into_any(),
            }}
        </section>
    }
}

fn phases(t: Timeline) -> impl IntoView {
    let current = t.phase_on(today());
    let spans = t
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
    view! { <ol class="phases">{spans}</ol> }
}
