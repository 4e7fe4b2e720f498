use std::collections::HashMap;

use chrono::NaiveDate;
use duken_domain::dates::parse_date;
use duken_domain::evaluation::Evaluation;
use duken_domain::family::{children_summary, Member};
use duken_domain::Kind;
use leptos::prelude::*;
use leptos_router::components::A;
use uuid::Uuid;

use super::families;
use crate::agenda::ThisWeek;
use crate::core::use_core;
use crate::ratings::DueRatings;
use crate::ui::{norwegian_date, today, ReadingRest};

/// The start screen: every family on this device.
#[component]
pub fn FamilyList() -> impl IntoView {
    let core = use_core();
    // One pass over the records for the whole list (not one per family): the list stays quick
    // with thousands of meetings on the device.
    let rows = Memo::new(move |_| {
        let today = today();
        let mut members: HashMap<Uuid, Vec<Member>> = HashMap::new();
        let mut last: HashMap<Uuid, NaiveDate> = HashMap::new();
        let mut evaluations: HashMap<Uuid, Vec<Evaluation>> = HashMap::new();
        core.records.with(|all| {
            for r in all.values() {
                match r.kind {
                    Kind::Evaluation => {
                        if let Some(e) = Evaluation::from_record(r) {
                            evaluations.entry(r.family).or_default().push(e);
                        }
                    }
                    Kind::Member => {
                        if let Some(m) = Member::from_record(r) {
                            members.entry(r.family).or_default().push(m);
                        }
                    }
                    Kind::Meeting if !r.is_deleted() => {
                        if let Some(d) = r.text("date").and_then(parse_date) {
                            let e = last.entry(r.family).or_insert(d);
                            *e = (*e).max(d);
                        }
                    }
                    _ => {}
                }
            }
        });
        families(core)
            .into_iter()
            .map(|f| {
                let children =
                    children_summary(members.get(&f.id).map_or(&[][..], Vec::as_slice), today);
                let phase = f
                    .phase(evaluations.get(&f.id).map_or(&[][..], Vec::as_slice), today)
                    .map(|p| p.label())
                    .unwrap_or("Startdato ikke satt");
                (
                    f.id,
                    f.name.clone(),
                    children,
                    f.start_date,
                    phase,
                    last.get(&f.id).copied(),
                )
            })
            .collect::<Vec<_>>()
    });
    view! {
        <section class="page">
            <div class="page-head">
                <h1>"Familier"</h1>
                <Show when=move || core.may_create_families()>
                    <A href="/familie/ny" attr:class="button primary">"Ny familie"</A>
                </Show>
            </div>
            // What to do this week needs every meeting, visit and plan: it waits for them after
            // an unlock (decision 65), the families themselves do not.
            <Show when=move || core.reading.with(Option::is_none) fallback=|| view! { <ReadingRest/> }>
                <ThisWeek/>
                <DueRatings/>
            </Show>
            <Show
                when=move || rows.with(|r| !r.is_empty())
                fallback=move || view! {
                    <p class="empty">{if core.may_create_families() {
                        "Ingen familier på denne enheten ennå. Trykk «Ny familie» for å legge til den første."
                    } else {
                        "Ingen familier på denne enheten ennå. Familiene du har tilgang til kommer når enheten har synkronisert."
                    }}</p>
                }
            >
                <ul class="cards" aria-label="Familier">
                    <For
                        each=move || rows.get()
                        key=|row| (row.0, row.1.clone(), row.2.clone(), row.3, row.5)
                        children=move |(id, name, children, start, phase, last)| {
                            view! {
                                <li class="card family-card">
                                    <A href=format!("/familie/{id}")>
                                        <h2>{name}</h2>
                                        <p class="children">{children}</p>
                                        <p class="meta">
                                            <span>{start.map(|d| format!("Start {}", norwegian_date(d)))}</span>
                                            <span class="phase">{phase}</span>
                                        </p>
                                        <p class="meta">{move || match last {
                                            _ if core.reading.with(Option::is_some) => "Henter møtene …".to_owned(),
                                            Some(d) => format!("Siste møte {}", norwegian_date(d)),
                                            None => "Ingen møter logget".to_owned(),
                                        }}</p>
                                    </A>
                                    // Straight to the meeting form from the start screen: an unplanned call is
                                    // logged without opening the family first.
                                    <Show when=move || core.can_write(id)>
                                        <A href=format!("/familie/{id}/mote") attr:class="button small card-action">"Logg møte"</A>
                                    </Show>
                                </li>
                            }
                        }
                    />
                </ul>
            </Show>
        </section>
    }
}
