//! Family view for a shared screen (the living-room TV, the tablet turned to the family): only
//! this family's shared material, no other family's name, no worker-only content. It survives a
//! reload (a child pressing F5 must not land on the list of families), and leaving it takes two
//! deliberate taps.
//!
//! The frame (what is open, the way back, the way out) is in the first download; the family's
//! start page and each shared cloth, plan and report come from chunks, so reading reports is
//! not part of every start (decision 68). The frame calls each split screen itself: a chunk
//! cannot call into another chunk that is not loaded yet.

use duken_domain::family::Family;
use leptos::prelude::*;
use uuid::Uuid;

use crate::cloth::{cloths_of, shared_cloth};
use crate::core::use_core;
use crate::families::members_of;
use crate::later::{later, wasm_split, Build, Screen};
use crate::modes::{keep_shown, shown, stop_sharing, Shown};
use crate::plans::shared_plan;
use crate::reports::shared_report;
use crate::ui::{norwegian_date, today};

/// What the family view shows: its start page, or one cloth, plan or report.
#[derive(Clone, Copy)]
struct Open {
    cloth: RwSignal<Option<Uuid>>,
    plan: RwSignal<Option<Uuid>>,
    report: RwSignal<Option<Uuid>>,
}

impl Open {
    fn kept() -> Open {
        Open {
            cloth: RwSignal::new(shown(Shown::Cloth)),
            plan: RwSignal::new(shown(Shown::Plan)),
            report: RwSignal::new(shown(Shown::Report)),
        }
    }

    /// Opens (or, with `None`, closes) one thing, kept across a reload.
    fn set(self, what: Shown, id: Option<Uuid>) {
        keep_shown(what, id);
        match what {
            Shown::Cloth => self.cloth.set(id),
            Shown::Plan => self.plan.set(id),
            Shown::Report => self.report.set(id),
        }
    }
}

#[component]
pub fn FamilyView(family: Uuid) -> impl IntoView {
    let core = use_core();
    let fam = Memo::new(move |_| core.record(family).as_ref().and_then(Family::from_record));
    let name = move || fam.with(|f| f.as_ref().map(|f| f.name.clone()).unwrap_or_default());
    let open = Open::kept();
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
    let back = move |what: Shown| {
        view! { <button class="button back" on:click=move |_| open.set(what, None)>"← Tilbake"</button> }
    };
    view! {
        <section class="family-view" aria-label="Familievisning">
            {move || match (open.cloth.get(), open.plan.get(), open.report.get()) {
                (None, None, Some(r)) => view! {
                    {back(Shown::Report)}
                    <h1>{name}</h1>
                    {later(move || shared_report(family, r))}
                }.into_any(),
                (None, Some(p), _) => view! {
                    {back(Shown::Plan)}
                    {later(move || shared_plan(family, p))}
                }.into_any(),
                (Some(c), _, _) => view! {
                    {back(Shown::Cloth)}
                    {later(move || shared_cloth(c))}
                }.into_any(),
                (None, None, None) => view! {
                    <h1>{name}</h1>
                    {later(move || family_start(family, fam, open))}
                }.into_any(),
            }}
            <button class="leave" class:armed=move || armed.get() on:click=on_leave>
                {move || if armed.get() { "Trykk igjen for å avslutte" } else { "Avslutt familievisning" }}
            </button>
        </section>
    }
}

/// The family's own start page on the shared screen, under its name: the phase, who lives
/// here, and their cloths, plans and reports to open.
#[wasm_split(shared, wasm_split_path = ::leptos::wasm_split, fallible)]
fn family_start(family: Uuid, fam: Memo<Option<Family>>, open: Open) -> Screen {
    Ok(Build::new(move || {
        family_start_view(family, fam, open).into_any()
    }))
}

fn family_start_view(family: Uuid, fam: Memo<Option<Family>>, open: Open) -> impl IntoView {
    let core = use_core();
    let members = Memo::new(move |_| members_of(core, family));
    let cloths = Memo::new(move |_| {
        cloths_of(core, family)
            .into_iter()
            .map(|c| {
                let date = c.date.map(norwegian_date).unwrap_or_default();
                (c.id, format!("{date} · {}", c.layout.name.get(c.language)))
            })
            .collect()
    });
    let plans = Memo::new(move |_| {
        crate::plans::plans_of(core, family)
            .into_iter()
            .map(|p| (p.id, p.title()))
            .collect()
    });
    let reports = Memo::new(move |_| {
        let all = crate::reports::reports_of(core, family);
        duken_domain::report::current_versions(&all)
            .into_iter()
            .map(|r| (r.id, format!("Rapport før evaluering {}", r.evaluation)))
            .collect()
    });
    view! {
        <p class="phase">{move || fam.with(|f| f.as_ref().and_then(|f| f.phase(&crate::evaluations::evaluations_of(core, f.id), today())).map(|p| p.label()))}</p>
        <h2>"Vi som bor her"</h2>
        <ul class="people">
            {move || members.get().into_iter().map(|m| view! { <li>{m.name}</li> }).collect_view()}
        </ul>
        {links("Dukene våre", "people cloth-links", Shown::Cloth, cloths, open)}
        {links("Arbeidsplanene våre", "people plan-links", Shown::Plan, plans, open)}
        {links("Rapportene våre", "people report-links", Shown::Report, reports, open)}
    }
}

/// One list of things to open, under its heading; no heading over nothing (no empty
/// "Arbeidsplanene våre" on the TV).
fn links(
    heading: &'static str,
    class: &'static str,
    what: Shown,
    items: Memo<Vec<(Uuid, String)>>,
    open: Open,
) -> impl IntoView {
    view! {
        <Show when=move || items.with(|i| !i.is_empty())>
            <h2>{heading}</h2>
            <ul class=class>
                {move || items.get().into_iter().map(|(id, label)| {
                    view! { <li><button class="button big" on:click=move |_| open.set(what, Some(id))>{label}</button></li> }
                }).collect_view()}
            </ul>
        </Show>
    }
}
