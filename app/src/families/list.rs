use duken_domain::family::children_summary;
use leptos::prelude::*;
use leptos_router::components::A;

use super::{families, meetings_of, members_of};
use crate::core::use_core;
use crate::ui::{norwegian_date, today};

/// The start screen: every family on this device.
#[component]
pub fn FamilyList() -> impl IntoView {
    let core = use_core();
    let rows = Memo::new(move |_| {
        let today = today();
        families(core)
            .into_iter()
            .map(|f| {
                let members = members_of(core, f.id);
                let last = meetings_of(core, f.id).first().and_then(|m| m.date);
                let phase = f.phase(today).map(|p| p.label()).unwrap_or("Startdato ikke satt");
                (f.id, f.name.clone(), children_summary(&members, today), f.start_date, phase, last)
            })
            .collect::<Vec<_>>()
    });
    view! {
        <section class="page">
            <div class="page-head">
                <h1>"Familier"</h1>
                <A href="/familie/ny" attr:class="button primary">"Ny familie"</A>
            </div>
            <Show
                when=move || rows.with(|r| !r.is_empty())
                fallback=|| view! {
                    <p class="empty">"Ingen familier på denne enheten ennå. Trykk «Ny familie» for å legge til den første."</p>
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
                                        <p class="meta">{match last {
                                            Some(d) => format!("Siste møte {}", norwegian_date(d)),
                                            None => "Ingen møter logget".to_owned(),
                                        }}</p>
                                    </A>
                                </li>
                            }
                        }
                    />
                </ul>
            </Show>
        </section>
    }
}
