//! Family view for a shared screen (the living-room TV, the tablet turned to the family): only
//! this family's shared material, no other family's name, no worker-only content. It survives a
//! reload (a child pressing F5 must not land on the list of families), and leaving it takes two
//! deliberate taps.

use duken_domain::family::Family;
use leptos::prelude::*;
use uuid::Uuid;

use crate::cloth::{cloths_of, shared_cloth};
use crate::core::use_core;
use crate::families::members_of;
use crate::later::later;
use crate::modes::{keep_shown, shown, stop_sharing, Shown};
use crate::plans::shared_plan;
use crate::reports::shared_report;
use crate::ui::{norwegian_date, today};

#[component]
pub fn FamilyView(family: Uuid) -> impl IntoView {
    let core = use_core();
    let fam = Memo::new(move |_| core.record(family).as_ref().and_then(Family::from_record));
    let members = Memo::new(move |_| members_of(core, family));
    let cloth = RwSignal::new(shown(Shown::Cloth));
    let plan = RwSignal::new(shown(Shown::Plan));
    let plans = Memo::new(move |_| crate::plans::plans_of(core, family));
    let open_plan = move |p: Option<Uuid>| {
        keep_shown(Shown::Plan, p);
        plan.set(p);
    };
    let report = RwSignal::new(shown(Shown::Report));
    let reports = Memo::new(move |_| {
        let all = crate::reports::reports_of(core, family);
        duken_domain::report::current_versions(&all)
            .into_iter()
            .cloned()
            .collect::<Vec<_>>()
    });
    let open_report = move |r: Option<Uuid>| {
        keep_shown(Shown::Report, r);
        report.set(r);
    };
    let cloths = Memo::new(move |_| cloths_of(core, family));
    let open_cloth = move |c: Option<Uuid>| {
        keep_shown(Shown::Cloth, c);
        cloth.set(c);
    };
    // First tap arms, second tap (within a few seconds) leaves.
    let armed = RwSignal::new(false);
    let on_leave = move |_| {
        if armed.get_untracked() {
            stop_sharing(core);
        } else {
            armed.set(true);
            leptos::task::spawn_local(async move {
                gloo_timers::future::TimeoutFuture::new(4000).await;
                armed.set(false);
            });
        }
    };
    view! {
        <section class="family-view" aria-label="Familievisning">
            {move || match (cloth.get(), plan.get(), report.get()) {
                (None, None, Some(r)) => view! {
                    <button class="button back" on:click=move |_| open_report(None)>"← Tilbake"</button>
                    <h1>{move || fam.with(|f| f.as_ref().map(|f| f.name.clone()).unwrap_or_default())}</h1>
                    {later(move || shared_report(family, r))}
                }.into_any(),
                (None, Some(p), _) => view! {
                    <button class="button back" on:click=move |_| open_plan(None)>"← Tilbake"</button>
                    {later(move || shared_plan(family, p))}
                }.into_any(),
                (Some(c), _, _) => view! {
                    <button class="button back" on:click=move |_| open_cloth(None)>"← Tilbake"</button>
                    {later(move || shared_cloth(c))}
                }.into_any(),
                (None, None, None) => view! {
                    <h1>{move || fam.with(|f| f.as_ref().map(|f| f.name.clone()).unwrap_or_default())}</h1>
                    <p class="phase">{move || fam.with(|f| f.as_ref().and_then(|f| f.phase(&crate::evaluations::evaluations_of(core, f.id), today())).map(|p| p.label()))}</p>
                    <h2>"Vi som bor her"</h2>
                    <ul class="people">
                        {move || members.get().into_iter().map(|m| view! { <li>{m.name}</li> }).collect_view()}
                    </ul>
                    // A heading only over something: no empty "Arbeidsplanene våre" on the TV.
                    <Show when=move || cloths.with(|c| !c.is_empty())>
                        <h2>"Dukene våre"</h2>
                        <ul class="people cloth-links">
                            {move || cloths.get().into_iter().map(|c| {
                                let id = c.id;
                                view! { <li><button class="button big" on:click=move |_| open_cloth(Some(id))>
                                    {c.date.map(norwegian_date).unwrap_or_default()}" · "{c.layout.name.get(c.language).to_owned()}
                                </button></li> }
                            }).collect_view()}
                        </ul>
                    </Show>
                    <Show when=move || plans.with(|p| !p.is_empty())>
                        <h2>"Arbeidsplanene våre"</h2>
                        <ul class="people plan-links">
                            {move || plans.get().into_iter().map(|p| {
                                let id = p.id;
                                view! { <li><button class="button big" on:click=move |_| open_plan(Some(id))>{p.title()}</button></li> }
                            }).collect_view()}
                        </ul>
                    </Show>
                    <Show when=move || reports.with(|r| !r.is_empty())>
                        <h2>"Rapportene våre"</h2>
                        <ul class="people report-links">
                            {move || reports.get().into_iter().map(|r| {
                                let id = r.id;
                                view! { <li><button class="button big" on:click=move |_| open_report(Some(id))>{format!("Rapport før evaluering {}", r.evaluation)}</button></li> }
                            }).collect_view()}
                        </ul>
                    </Show>
                }.into_any(),
            }}
            <button class="leave" class:armed=move || armed.get() on:click=on_leave>
                {move || if armed.get() { "Trykk igjen for å avslutte" } else { "Avslutt familievisning" }}
            </button>
        </section>
    }
}
