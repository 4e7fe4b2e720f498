//! The plan pages: a family's plans and a new one, and one plan.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

use super::board::PlanBoard;
use super::data::{early, make_plan, next_period, plans_of, span_text};
use crate::core::use_core;
use crate::ui::{norwegian_date, param_uuid};

crate::later::screens! { plans:
    plans_screen => view! { <PlansPage/> },
    plan_screen => view! { <PlanPage/> },
}

/// `/familie/:id/arbeidsplan`: the family's plans and a new one.
#[component]
fn PlansPage() -> impl IntoView {
    let core = use_core();
    let family = param_uuid("id");
    let navigate = use_navigate();
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let found = Memo::new(move |_| family().filter(|id| core.records.with(|m| m.contains_key(id))));
    view! {
        {move || match found.get() {
            None => view! { <section class="page"><p class="error">"Fant ikke familien."</p></section> }.into_any(),
            Some(f) => {
                let navigate = navigate.clone();
                let plans = Memo::new(move |_| plans_of(core, f));
                let next = Memo::new(move |_| { plans.track(); next_period(core, f) });
                let make = move |_| {
                    if busy.get_untracked() {
                        return;
                    }
                    busy.set(true);
                    let navigate = navigate.clone();
                    let period = next.get_untracked();
                    spawn_local(async move {
                        match make_plan(core, f, period).await {
                            Ok(id) => navigate(&format!("/familie/{f}/arbeidsplan/{id}"), Default::default()),
                            Err(e) => error.set(Some(crate::text::sentence(&e))),
                        }
                        busy.set(false);
                    });
                };
                view! {
                    <section class="page plans">
                        <h1>"Arbeidsplaner"</h1>
                        <ul class="cards" data-testid="plans">
                            {move || plans.get().into_iter().map(|p| view! {
                                <li class="card">
                                    <A href=format!("/familie/{f}/arbeidsplan/{}", p.id)>
                                        <h2>{p.title()}</h2>
                                        <p class="meta">
                                            {span_text(core, f, p.period)}
                                            {if p.evaluated.is_some() { " · Evaluert" } else { "" }}
                                        </p>
                                    </A>
                                </li>
                            }).collect_view()}
                        </ul>
                        // The next sensible step: while the current period's plan is being worked
                        // on (the next period starts more than a week from now), that plan, not a
                        // new one for a period that has not begun.
                        {move || early(core, f, next.get()).zip(plans.with(|p| p.last().map(|p| (p.id, p.title())))).map(|(_, (id, title))| view! {
                            <A href=format!("/familie/{f}/arbeidsplan/{id}") attr:class="button primary">{format!("Til {}", title.to_lowercase())}</A>
                        })}
                        <button type="button" class=move || if early(core, f, next.get()).is_some() && plans.with(|p| !p.is_empty()) { "button" } else { "button primary" }
                            disabled=move || busy.get() on:click=make>
                            {move || {
                                let n = next.get();
                                let starts = early(core, f, n).map(|d| format!(", perioden starter {}", norwegian_date(d))).unwrap_or_default();
                                if plans.with(Vec::is_empty) {
                                    format!("Ny arbeidsplan for periode {}{starts}", n + 1)
                                } else {
                                    format!("Ny arbeidsplan for periode {} (fra forrige plan{starts})", n + 1)
                                }
                            }}
                        </button>
                        {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
                    </section>
                }.into_any()
            }
        }}
    }
}

/// `/familie/:id/arbeidsplan/:pid`.
#[component]
fn PlanPage() -> impl IntoView {
    let family = param_uuid("id");
    let plan = param_uuid("pid");
    view! {
        {move || match (family(), plan()) {
            (Some(f), Some(p)) => view! { <section class="page"><PlanBoard family=f plan=p shared=false/></section> }.into_any(),
            _ => view! { <section class="page"><p class="error">"Fant ikke planen."</p></section> }.into_any(),
        }}
    }
}
